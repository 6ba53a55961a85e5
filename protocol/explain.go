package protocol

import "unicode/utf8"

// Field is one field of an explained packet: where its bytes are, what it
// is called, its value in human form and what it means.
type Field struct {
	Offset int      // first byte of the field in the packet
	Len    int      // number of bytes
	Path   []string // e.g. ["Variable header", "Properties", "Message Expiry Interval"]
	Key    string   // stable identifier of the field, for translations: "publish.topic"
	Value  string   // the value in human form: `"sensors/k1/temp"`, "60", "0x87 Not authorized"
	// Meaning says in one line what the field is for.
	Meaning string
	// Spec is the section of the specification of the packet's version
	// that defines the field: "MQTT 5.0 §3.3.2.1".
	Spec string
}

// Name is the last element of the field's path.
func (f Field) Name() string {
	if len(f.Path) == 0 {
		return ""
	}
	return f.Path[len(f.Path)-1]
}

// Explanation is the annotation of one packet's bytes. Whatever the input,
// it keeps these invariants:
//
//   - Fields are contiguous from offset 0: the first starts at 0, each
//     next one where the one before ends, none reaches past the input. A
//     field has at least one byte, except the value of an empty string,
//     binary field or payload.
//   - On success (Err nil) the fields end at the input's last byte and
//     Packet is the packet Decode returns for the same bytes.
//   - On error the fields stop after the last field that could be read,
//     and ErrOffset is either the Offset of the field the error is about
//     (a reserved flag, a bad value, an ill-formed string) or the end of
//     the last field, when the error is about what comes after it (bytes
//     missing or left over, a field that could not be read). So
//     0 <= ErrOffset <= the end of the fields <= len(raw).
//   - On input holding exactly one whole packet (the length its fixed
//     header announces), Err is the error Decode returns, the same *Error.
type Explanation struct {
	Version Version
	// Packet is the decoded packet; on error it holds what was decoded
	// before the error, and it is nil when not even the type was readable.
	Packet Packet
	// Fields cover the packet's bytes in order, without gaps or overlap,
	// from offset 0; on success up to the last byte, on error up to the
	// last field that could be read.
	Fields []Field
	// Err is the decoding error, if any, and ErrOffset the offset of the
	// bytes it is about.
	Err       error
	ErrOffset int
}

// Explain decodes raw, which holds one packet, and annotates every field
// of it. v is the connection's protocol version (a CONNECT carries its
// own). It never panics: on malformed or truncated input it returns the
// fields it could read and the error at the offset where decoding failed.
func Explain(raw []byte, v Version) Explanation {
	ex := &explainer{v: v}
	out := Explanation{Version: v}
	c := cursor{b: raw, end: len(raw), v: v, ex: ex}
	if at, err := explain(&c, &out); err != nil {
		out.Err, out.ErrOffset = err, at
	}
	out.Fields = ex.build()
	return out
}

// explain decodes the packet in c.b into out.Packet, which c.ex
// annotates, and returns the error and the offset of the bytes it is
// about.
func explain(c *cursor, out *Explanation) (at int, err error) {
	ex := c.ex
	ex.path = append(ex.path, "Fixed header")
	first, err := c.u8(fHeaderByte)
	if err != nil {
		return 0, err
	}
	h := FixedHeader{Type: Type(first >> 4), Flags: first & 0x0f}
	ex.typ = h.Type
	rem, err := c.varint(fRemainingLength)
	if err != nil {
		return c.off, err
	}
	h.Remaining = int(rem)
	ex.path = ex.path[:0]

	v := c.v
	if h.Type == CONNECT {
		// The version of a CONNECT is its own protocol level.
		v, c.v, ex.v = 0, 0, 0
	}
	out.Packet = New(h.Type)
	if out.Packet == nil {
		return 0, ErrReservedType
	}
	if h.Type != CONNECT && !v.Valid() {
		return 0, ErrVersionUnknown
	}
	if err := h.check(v); err != nil {
		return 0, err
	}
	c.end = c.off + h.Remaining
	if c.end > len(c.b) {
		c.end, c.truncated = len(c.b), true
	}
	c.start = 0 // an error before the first field of the body is about the header's flags
	err = out.Packet.decode(c, h)
	if cn, ok := out.Packet.(*Connect); ok {
		out.Version, ex.v = cn.Version, cn.Version
	}
	// A decoder that ran out of bytes of a cut packet may report what is
	// missing (no topic filter, no reason code) rather than ErrTruncated:
	// the cut is the better explanation.
	missing := err != nil && c.truncated && c.off == c.end && c.start == c.off
	switch {
	case err == ErrTruncated || (err == nil && c.truncated) || missing:
		return c.off, ErrTruncated
	case err != nil:
		return c.start, err
	case c.off != c.end:
		return c.off, ErrTrailingBytes
	case len(c.b) > c.end:
		return c.end, ErrTrailingBytes
	}
	return 0, nil
}

// explainer collects the fields the cursor reads. Fields are built at the
// end, once the version is known: a CONNECT declares it half-way through.
type explainer struct {
	v       Version
	typ     Type // of the packet explained
	path    []string
	entries []entry
}

type entry struct {
	def      *fieldDef
	off, n   int
	path     []string
	value    string
	label    string // replaces the field's name when set
	isLength bool
}

// add records field f, the bytes b found at offset off, and shows its
// value as f says or else as show, the wire type read, says.
func (e *explainer) add(f *fieldDef, off int, b []byte, show int) {
	en := entry{def: f, off: off, n: len(b), path: e.pathCopy()}
	if f.show != 0 && show != showLength {
		show = int(f.show)
	}
	x := 0 // the value of a number
	if show == showVarint || show == showRemaining || show == showPropLength || show == showPropID {
		v, _, _ := ParseVarint(b)
		x = int(v)
	} else if len(b) <= 4 {
		for _, v := range b {
			x = x<<8 | int(v)
		}
	}
	switch show {
	case showNum, showVarint:
		en.value = itoa(x)
	case showLength:
		en.value, en.isLength = bytesOf(x), true
	case showString:
		en.value = quote(b)
	case showBinary:
		en.value = hexValue(b)
	case showHeader:
		en.value = describeHeaderByte(FixedHeader{Type: Type(x >> 4), Flags: byte(x) & 0x0f})
	case showRemaining:
		en.value = bytesOf(x) + " follow"
	case showLevel:
		en.value = itoa(x) + " (MQTT " + Version(x).String() + ")"
	case showConnectFlags:
		flags := connectFlags
		if e.v != V5 {
			flags = connectFlags311
		}
		en.value = describeFlags(byte(x), flags)
	case showConnackFlags:
		if e.v == V31 {
			en.value = itoa(x) // unused in 3.1
		} else {
			en.value = describeFlags(byte(x), connackFlags)
		}
	case showSeconds:
		en.value = itoa(x) + " s"
	case showPayload:
		en.value = payloadValue(b)
	case showSecret:
		if len(b) == 0 {
			en.value = hexValue(b)
		} else {
			en.value = "(" + bytesOf(len(b)) + ", not shown)"
		}
	case showCode:
		rc := ReasonCode(x)
		if e.typ == CONNACK && e.v != V5 {
			en.value = itoa(x)
			if x < len(returnCodeNames) {
				en.value = "0x" + hex2(byte(x)) + " " + returnCodeNames[x]
			}
		} else {
			en.value = codeValue(rc, e.typ) + ": " + rc.Meaning()
		}
	case showSubOptions:
		en.value = describeSubOptions(byte(x), e.v)
	case showPropLength:
		en.value = bytesOf(x) + " of properties"
	case showPropID:
		en.value = itoa(x)
		if info := lookupProp(uint32(x)); info != nil {
			en.value = "0x" + hex2(byte(x)) + " " + info.def.name
			en.path, en.label = append(en.path, info.def.name), "Identifier"
		}
	}
	e.entries = append(e.entries, en)
}

func (e *explainer) pathCopy() []string {
	if len(e.path) == 0 {
		return nil
	}
	return append([]string(nil), e.path...)
}

func (e *explainer) build() []Field {
	out := make([]Field, len(e.entries))
	for i, en := range e.entries {
		name := en.def.nameFor(e.v)
		if en.label != "" {
			name = en.label
		}
		f := Field{Offset: en.off, Len: en.n, Key: en.def.key, Value: en.value,
			Meaning: en.def.meaning, Spec: en.def.specFor(e.v)}
		if en.isLength {
			name += " length"
			f.Key += ".length"
			f.Meaning = "Two-byte big-endian length of the " + en.def.nameFor(e.v) + " that follows."
			f.Spec = specFor(e.v, "1.5.3", "1.5.4")
		}
		f.Path = append(en.path, name)
		out[i] = f
	}
	return out
}

func specFor(v Version, s311, s5 string) string {
	if v == V5 {
		if s5 == "" {
			return ""
		}
		return "MQTT 5.0 §" + s5
	}
	if s311 == "" {
		return ""
	}
	return "MQTT 3.1.1 §" + s311
}

func describeHeaderByte(h FixedHeader) string {
	s := h.Type.String() + " (" + itoa(int(h.Type)) + "), "
	if h.Type == PUBLISH {
		return s + describeFlags(h.Flags, publishFlags)
	}
	return s + "flags " + bits4(h.Flags)
}

// bits4 shows the low four bits of b: "0010".
func bits4(b byte) string {
	return string([]byte{'0' + b>>3&1, '0' + b>>2&1, '0' + b>>1&1, '0' + b&1})
}

// flagField is a field of a byte of flags: its name, lowest bit and
// width in bits.
type flagField struct {
	name        string
	shift, bits uint8
}

// The fields of the bytes of flags Explain shows.
var (
	publishFlags    = []flagField{{"DUP", 3, 1}, {"QoS", 1, 2}, {"RETAIN", 0, 1}}
	connectFlags    = []flagField{{"User Name", 7, 1}, {"Password", 6, 1}, {"Will Retain", 5, 1}, {"Will QoS", 3, 2}, {"Will", 2, 1}, {"Clean Start", 1, 1}, {"Reserved", 0, 1}}
	connectFlags311 = []flagField{{"User Name", 7, 1}, {"Password", 6, 1}, {"Will Retain", 5, 1}, {"Will QoS", 3, 2}, {"Will", 2, 1}, {"Clean Session", 1, 1}, {"Reserved", 0, 1}}
	connackFlags    = []flagField{{"Session Present", 0, 1}}
	subOptions      = []flagField{{"QoS", 0, 2}, {"No Local", 2, 1}, {"Retain As Published", 3, 1}, {"Retain Handling", 4, 2}}
)

// describeFlags shows the value of each field of b: "DUP 0, QoS 1, RETAIN 0".
func describeFlags(b byte, fields []flagField) string {
	s := ""
	for i, f := range fields {
		if i > 0 {
			s += ", "
		}
		s += f.name + " " + itoa(int(b>>f.shift&(1<<f.bits-1)))
	}
	return s
}

// quote shows a string value; long ones are cut.
func quote(b []byte) string {
	const max = 96
	if len(b) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(b[cut]) {
			cut--
		}
		return `"` + string(b[:cut]) + `…" (` + itoa(len(b)) + " bytes)"
	}
	return `"` + string(b) + `"`
}

// hexValue shows binary data as hex; long data is cut.
func hexValue(b []byte) string {
	const max = 32
	if len(b) == 0 {
		return "(empty)"
	}
	n := min(len(b), max)
	out := make([]byte, 3*n-1)
	for i := range out {
		out[i] = ' '
	}
	for i, x := range b[:n] {
		copy(out[3*i:], hex2(x))
	}
	if len(b) > max {
		return string(out) + "… (" + itoa(len(b)) + " bytes)"
	}
	return string(out)
}

// payloadValue shows a payload as text when it is printable UTF-8, else hex.
func payloadValue(b []byte) string {
	if len(b) == 0 {
		return "(empty)"
	}
	if utf8.Valid(b) {
		printable := true
		for _, r := range string(b) {
			if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
				printable = false
				break
			}
		}
		if printable {
			return quote(b)
		}
	}
	return hexValue(b)
}

func codeValue(c ReasonCode, t Type) string {
	return "0x" + hex2(byte(c)) + " " + c.NameIn(t)
}

func bytesOf(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return itoa(n) + " bytes"
}
