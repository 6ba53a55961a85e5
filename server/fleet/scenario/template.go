package scenario

import (
	"fmt"
	"strconv"
	"strings"
)

// Template is a string with placeholders that differ per device, as
// client ids, topics and status messages are written in a scenario:
//
//	{fleet}      the fleet's name
//	{scenario}   the scenario's name
//	{index}      the device number (first_index, first_index+1, ...)
//	{index:03}   the same, zero-padded to 3 digits
//	{client_id}  the device's client id (not inside client_id itself)
//	{site}, ...  any label of the fleet
//
// Expanding appends to a buffer and does not allocate, so a topic can be
// written for every publish at no cost.
type Template struct {
	src   string
	parts []part
	fixed bool // no placeholders: the same for every device
}

type partKind uint8

const (
	partLiteral partKind = iota
	partFleet
	partScenario
	partIndex
	partClientID
	partLabel
)

type part struct {
	kind  partKind
	lit   string // literal text
	width int    // zero padding of {index}
	label int    // index into Fleet.Labels
}

// String returns the template as written.
func (t *Template) String() string { return t.src }

// Fixed reports whether the template has no placeholders.
func (t *Template) Fixed() bool { return t.fixed }

// HasIndex reports whether the template contains {index} (directly or by
// way of {client_id}), which makes it differ between devices of a fleet.
func (t *Template) HasIndex(f *Fleet) bool {
	for _, p := range t.parts {
		if p.kind == partIndex || (p.kind == partClientID && f.ClientID != nil && f.ClientID.HasIndex(f)) {
			return true
		}
	}
	return false
}

// Distinct reports whether the template expands differently for every
// device of f: it holds {index}, or its labels happen to tell the devices
// apart (client_id: light-{room} with one room per light).
func (t *Template) Distinct(f *Fleet) bool {
	if f.Count <= 1 || t.HasIndex(f) {
		return true
	}
	if t.fixed || f.Count > MaxListItems {
		return false
	}
	seen := make(map[string]bool, f.Count)
	for i := 0; i < f.Count; i++ {
		s := t.Expand(f, i)
		if seen[s] {
			return false
		}
		seen[s] = true
	}
	return true
}

// Append appends the template expanded for device index (0-based) of
// fleet f to dst.
func (t *Template) Append(dst []byte, f *Fleet, index int) []byte {
	for i := range t.parts {
		p := &t.parts[i]
		switch p.kind {
		case partLiteral:
			dst = append(dst, p.lit...)
		case partFleet:
			dst = append(dst, f.Name...)
		case partScenario:
			if f.Scenario != nil {
				dst = append(dst, f.Scenario.Name...)
			}
		case partIndex:
			dst = appendPadded(dst, int64(f.FirstIndex)+int64(index), p.width)
		case partClientID:
			if f.ClientID != nil && f.ClientID != t {
				dst = f.ClientID.Append(dst, f, index)
			}
		case partLabel:
			dst = append(dst, f.Labels[p.label].Value(index)...)
		}
	}
	return dst
}

// Expand returns the template expanded for device index of fleet f.
func (t *Template) Expand(f *Fleet, index int) string {
	if t.fixed {
		return t.src
	}
	var buf [128]byte
	return string(t.Append(buf[:0], f, index))
}

func appendPadded(dst []byte, v int64, width int) []byte {
	var tmp [24]byte
	digits := strconv.AppendInt(tmp[:0], v, 10)
	neg := v < 0
	if neg {
		dst = append(dst, '-')
		digits = digits[1:]
	}
	for n := len(digits); n < width; n++ {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}

// parseTemplate compiles src. names are the label keys of the fleet. In
// strict mode (topics, client ids) every '{' must open a placeholder; in
// lenient mode (payload text, which may be JSON) a '{' that does not open
// a well-formed placeholder is literal text. selfClientID forbids
// {client_id} (inside the client id itself).
func parseTemplate(src string, labels []Label, strict, selfClientID bool) (*Template, error) {
	t := &Template{src: src, fixed: true}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, part{kind: partLiteral, lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(src); {
		c := src[i]
		if c != '{' {
			if strict && c == '}' {
				return nil, fmt.Errorf("unmatched '}' at offset %d", i)
			}
			lit.WriteByte(c)
			i++
			continue
		}
		name, width, n, ok := scanPlaceholder(src[i:])
		if !ok {
			if strict {
				return nil, fmt.Errorf("malformed placeholder at offset %d (expected {name} or {index:03})", i)
			}
			lit.WriteByte(c)
			i++
			continue
		}
		p, err := resolvePlaceholder(name, width, labels, selfClientID)
		if err != nil {
			return nil, err
		}
		flush()
		t.parts = append(t.parts, p)
		t.fixed = false
		i += n
	}
	flush()
	return t, nil
}

// scanPlaceholder reads "{name}" or "{name:NN}" at the start of s and
// returns the name, the width (-1 when absent) and the length consumed.
func scanPlaceholder(s string) (name string, width, n int, ok bool) {
	i := 1
	for i < len(s) && (s[i] == '_' || s[i] == '-' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || i > 1 && s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 1 || i >= len(s) {
		return "", 0, 0, false
	}
	name, width = s[1:i], -1
	if s[i] == ':' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i+1 || j-i-1 > 2 || j >= len(s) {
			return "", 0, 0, false
		}
		width, _ = strconv.Atoi(s[i+1 : j])
		i = j
	}
	if s[i] != '}' {
		return "", 0, 0, false
	}
	return name, width, i + 1, true
}

func resolvePlaceholder(name string, width int, labels []Label, selfClientID bool) (part, error) {
	p := part{width: max(width, 0)}
	switch name {
	case "index":
		p.kind = partIndex
		return p, nil
	case "fleet":
		p.kind = partFleet
	case "scenario":
		p.kind = partScenario
	case "client_id":
		if selfClientID {
			return p, fmt.Errorf("{client_id} cannot be used inside client_id itself")
		}
		p.kind = partClientID
	default:
		found := false
		for i, l := range labels {
			if l.Key == name {
				p.kind, p.label, found = partLabel, i, true
				break
			}
		}
		if !found {
			known := []string{"fleet", "scenario", "index"}
			if !selfClientID {
				known = append(known, "client_id")
			}
			known = append(known, labelKeys(labels)...)
			msg := fmt.Sprintf("unknown placeholder {%s}", name)
			if s := suggest(name, known); s != "" {
				return p, fmt.Errorf("%s (did you mean {%s}?)", msg, s)
			}
			return p, fmt.Errorf("%s (expected one of: {%s}; labels come from the fleet's labels)", msg, strings.Join(known, "}, {"))
		}
	}
	if width >= 0 {
		return p, fmt.Errorf("{%s:%d}: only {index} takes a width", name, width)
	}
	return p, nil
}

func labelKeys(labels []Label) []string {
	keys := make([]string, len(labels))
	for i, l := range labels {
		keys[i] = l.Key
	}
	return keys
}

// Label is a per-fleet label usable as a placeholder. With several values
// the devices take them in turn (device 0 the first, device 1 the second,
// ...), which spreads a fleet over sites or zones.
type Label struct {
	Key    string
	Values []string
}

// Value returns the label's value for device index (0-based).
func (l *Label) Value(index int) string {
	if len(l.Values) == 0 || index < 0 {
		return ""
	}
	return l.Values[index%len(l.Values)]
}
