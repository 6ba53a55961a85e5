package scenario

import (
	"strings"

	"github.com/mqttlab/mqttlab/server/fleet/model"
)

var encodingTypes = []EncodingType{U8, I8, U16, I16, U32, I32, U64, I64, F32, F64}

// encoding reads a field's encode and scale (hex format only) and sets the
// default binary type of its model. m is nil for a shorthand constant.
func (d *decoder) encoding(m *mapping, fld *Field, f *Fleet) {
	fld.Encoding = Encoding{Type: defaultEncoding(fld), Scale: 1}
	if m == nil || fld.Model == nil {
		return
	}
	en, ep := m.get("encode")
	sn, sp := m.get("scale")
	if f.Format != Hex {
		for _, k := range []struct {
			present bool
			line    int
			path    string
		}{{en != nil, m.lineOf("encode"), ep}, {sn != nil, m.lineOf("scale"), sp}} {
			if k.present {
				d.errorf(k.line, k.path, "applies to format hex only (this fleet's format is %s)", f.Format)
			}
		}
		return
	}
	if en != nil {
		s, ok := d.str(en, ep)
		if !ok {
			return
		}
		name, little := strings.CutSuffix(s, "le")
		var t EncodingType
		for _, c := range encodingTypes {
			if c.String() == name {
				t = c
			}
		}
		switch {
		case t == 0:
			d.errorf(en.Line, ep, "unknown encoding %q (expected one of: %s, each with an optional le suffix for little endian)", s, oneOf(encodingTypes))
			return
		case little && t.Size() == 1:
			d.errorf(en.Line, ep, "%s is one byte: it has no byte order", name)
			return
		case fld.Encoding.Type == Raw || fld.Encoding.Type == GPS8:
			d.errorf(en.Line, ep, "a %s field has a fixed encoding (%s)", fld.Model.Kind(), fld.Encoding.Type)
			return
		}
		fld.Encoding.Type, fld.Encoding.Little = t, little
	}
	if sn != nil {
		if v, ok := d.float(sn, sp); ok {
			if v == 0 {
				d.errorf(sn.Line, sp, "must not be 0")
			} else {
				fld.Encoding.Scale = v
			}
		}
	}
}

func defaultEncoding(fld *Field) EncodingType {
	switch m := fld.Model.(type) {
	case *model.Counter:
		return U32
	case *model.Enum:
		return U8
	case *model.GPS:
		return GPS8
	case *model.Timestamp:
		if m.Format == model.UnixMilli {
			return U64
		}
		return U32
	case *model.Constant:
		if m.Raw != nil || !m.Value.IsNum {
			return Raw
		}
	}
	return F32
}
