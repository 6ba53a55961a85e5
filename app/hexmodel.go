package app

import (
	"slices"

	"github.com/mqttlab/mqttlab/protocol"
)

// hexModel is a packet's explanation laid out for the hex view: which
// field owns each byte, and the rows of the field list with the bytes each
// row covers. It is a pure function of the bytes and the version, so the
// tests check it natively.
type hexModel struct {
	Raw []byte
	Ex  protocol.Explanation
	// Owner holds, for each byte, the index in Ex.Fields of the field the
	// byte belongs to, or -1 for a byte no field covers (the bytes after
	// the point where decoding failed).
	Owner []int
	// Rows are the rows of the field list, in the order of the bytes:
	// a heading for each group (Fixed header, Properties, …) followed by
	// its fields.
	Rows []explainRow
	// FieldRow is the row of each field.
	FieldRow []int
	// ErrStart and ErrEnd are the bytes a decoding error is about: the
	// field it names, or the bytes left unexplained; empty without error.
	ErrStart, ErrEnd int
}

// explainRow is one row of the field list: a field, or the heading of a
// group of fields.
type explainRow struct {
	// Depth is how many groups the row is inside of.
	Depth int
	// Field is the index of the field in Ex.Fields; -1 for a heading.
	Field int
	// Path is the field's path, or the group's.
	Path []string
	// Start and End are the bytes the row covers, [Start, End).
	Start, End int
}

// newHexModel explains raw, one packet of a connection of version v.
func newHexModel(raw []byte, v protocol.Version) *hexModel {
	m := &hexModel{Raw: raw, Ex: protocol.Explain(raw, v)}
	m.Owner = make([]int, len(raw))
	for i := range m.Owner {
		m.Owner[i] = -1
	}
	for i, f := range m.Ex.Fields {
		for b := f.Offset; b < f.Offset+f.Len && b < len(raw); b++ {
			m.Owner[b] = i
		}
	}
	m.layoutRows()
	if m.Ex.Err != nil {
		m.ErrStart, m.ErrEnd = m.errorRange()
	}
	return m
}

// layoutRows nests the fields under headings for their groups. A field
// whose path names a group that is open (the value of a property, after
// the property's identifier) is shown inside that group.
func (m *hexModel) layoutRows() {
	var open []string
	m.FieldRow = make([]int, len(m.Ex.Fields))
	for i, f := range m.Ex.Fields {
		group := f.Path[:max(len(f.Path)-1, 0)]
		if len(f.Path) > 0 && len(f.Path) <= len(open) && slices.Equal(f.Path, open[:len(f.Path)]) {
			group = f.Path
		}
		common := 0
		for common < len(open) && common < len(group) && open[common] == group[common] {
			common++
		}
		open = open[:common]
		for d := common; d < len(group); d++ {
			open = append(open, group[d])
			m.Rows = append(m.Rows, explainRow{Depth: d, Field: -1, Path: slices.Clone(group[:d+1]), Start: f.Offset, End: f.Offset})
		}
		m.FieldRow[i] = len(m.Rows)
		m.Rows = append(m.Rows, explainRow{Depth: len(group), Field: i, Path: f.Path, Start: f.Offset, End: f.Offset + f.Len})
	}
	// A heading covers the rows after it that are deeper than it.
	for h := range m.Rows {
		if m.Rows[h].Field >= 0 {
			continue
		}
		for r := h + 1; r < len(m.Rows) && m.Rows[r].Depth > m.Rows[h].Depth; r++ {
			m.Rows[h].End = max(m.Rows[h].End, m.Rows[r].End)
		}
	}
}

// errorRange is the bytes the decoding error is about: the field at the
// error's offset, or else the bytes from that offset to the end.
func (m *hexModel) errorRange() (int, int) {
	at := m.Ex.ErrOffset
	for _, f := range m.Ex.Fields {
		if f.Offset == at && f.Len > 0 {
			return f.Offset, f.Offset + f.Len
		}
	}
	return min(at, len(m.Raw)), len(m.Raw)
}

// FieldAt returns the index of the field that owns byte i, or -1.
func (m *hexModel) FieldAt(i int) int {
	if i < 0 || i >= len(m.Owner) {
		return -1
	}
	return m.Owner[i]
}

// RowAt returns the row of the field that owns byte i, or -1.
func (m *hexModel) RowAt(i int) int {
	if f := m.FieldAt(i); f >= 0 {
		return m.FieldRow[f]
	}
	return -1
}

// Section names the part of the packet byte i is in, for its colour:
// "fixed", "variable", "payload", or "none" for a byte no field covers.
func (m *hexModel) Section(i int) string {
	f := m.FieldAt(i)
	if f < 0 {
		return "none"
	}
	switch p := m.Ex.Fields[f].Path; {
	case len(p) > 0 && p[0] == "Fixed header":
		return "fixed"
	case len(p) > 0 && p[0] == "Payload":
		return "payload"
	}
	return "variable"
}
