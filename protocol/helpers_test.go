package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// cat builds packet bytes from annotated parts: bytes and small integers
// (0..255) are appended as one byte each, strings and byte slices as their
// bytes. Golden vectors use it so a topic can be written "a/b" rather than
// 'a', '/', 'b'.
func cat(parts ...any) []byte {
	var out []byte
	for _, p := range parts {
		switch x := p.(type) {
		case byte:
			out = append(out, x)
		case int:
			if x < 0 || x > 255 {
				panic(fmt.Sprintf("cat: %d is not a byte", x))
			}
			out = append(out, byte(x))
		case rune:
			if x < 0 || x > 255 {
				panic(fmt.Sprintf("cat: %q is not a byte", x))
			}
			out = append(out, byte(x))
		case Type:
			out = append(out, byte(x))
		case ReasonCode:
			out = append(out, byte(x))
		case PropID:
			out = append(out, byte(x))
		case string:
			out = append(out, x...)
		case []byte:
			out = append(out, x...)
		default:
			panic(fmt.Sprintf("cat: unexpected %T", p))
		}
	}
	return out
}

// samePacket compares two packets field by field, treating a nil slice and
// an empty one as equal: the wire cannot tell them apart.
func samePacket(a, b Packet) bool {
	return deepEqual(reflect.ValueOf(a), reflect.ValueOf(b))
}

func deepEqual(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return deepEqual(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !deepEqual(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !deepEqual(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return a.Uint() == b.Uint()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	}
	panic("deepEqual: unexpected kind " + a.Kind().String())
}

// dump shows a packet for a failure message.
func dump(p any) string {
	if p == nil {
		return "<nil>"
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Sprintf("%+v", p)
	}
	return fmt.Sprintf("%T%s", p, b)
}

// decodeRaw decodes one whole packet held in raw, as a receiver does after
// Reader.Next.
func decodeRaw(raw []byte, v Version) (Packet, error) {
	h, n, err := ParseFixedHeader(raw)
	if err != nil {
		return nil, err
	}
	if n == 0 || n+h.Remaining != len(raw) {
		return nil, fmt.Errorf("raw holds %d bytes, the header announces %d: %w", len(raw), n+h.Remaining, ErrTruncated)
	}
	return Decode(h, raw[n:], v)
}

// readOne reads raw through a Reader and checks that it holds exactly one
// packet.
func readOne(t *testing.T, raw []byte, v Version) (Packet, error) {
	t.Helper()
	r := NewReader(bytes.NewReader(raw))
	r.Version = v
	p, err := r.ReadPacket()
	if err != nil {
		return nil, err
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Errorf("after the packet: %v, want io.EOF", err)
	}
	return p, nil
}

// checkFields checks the invariants of Explanation.Fields that hold for
// any input: contiguous from offset 0, without gaps or overlap, inside raw,
// and every field named, keyed and explained.
func checkFields(t *testing.T, raw []byte, ex Explanation) (end int) {
	t.Helper()
	for i, f := range ex.Fields {
		if f.Offset != end {
			t.Fatalf("field %d %v at offset %d, want %d (gap or overlap)\n%s", i, f.Path, f.Offset, end, fieldTable(ex))
		}
		if f.Len < 0 || f.Offset+f.Len > len(raw) {
			t.Fatalf("field %d %v [%d,+%d) outside the %d bytes", i, f.Path, f.Offset, f.Len, len(raw))
		}
		if f.Len == 0 && f.Value != `""` && f.Value != "(empty)" {
			t.Errorf("field %d %v is empty but its value is %q", i, f.Path, f.Value)
		}
		if len(f.Path) == 0 || f.Name() == "" || f.Key == "" || f.Meaning == "" {
			t.Errorf("field %d is not described: %+v", i, f)
		}
		end += f.Len
	}
	return end
}

// checkExplained checks the explanation of a packet that decodes: fields
// cover every byte, the packet equals want, and each field has a section
// of the right specification.
func checkExplained(t *testing.T, raw []byte, ex Explanation, want Packet, v Version) {
	t.Helper()
	if ex.Err != nil {
		t.Fatalf("Explain: %v at offset %d\n%s", ex.Err, ex.ErrOffset, fieldTable(ex))
	}
	if end := checkFields(t, raw, ex); end != len(raw) {
		t.Fatalf("fields cover %d of %d bytes\n%s", end, len(raw), fieldTable(ex))
	}
	if !samePacket(ex.Packet, want) {
		t.Errorf("Explain's packet\n got %s\nwant %s", dump(ex.Packet), dump(want))
	}
	if ex.Version != v {
		t.Errorf("Explain's version %v, want %v", ex.Version, v)
	}
	spec := "MQTT 3.1.1 §"
	if v == V5 {
		spec = "MQTT 5.0 §"
	}
	groups := map[string]bool{"Fixed header": true, "Variable header": true, "Payload": true}
	for _, f := range ex.Fields {
		if !strings.HasPrefix(f.Spec, spec) {
			t.Errorf("field %v: spec %q, want %q…", f.Path, f.Spec, spec)
		}
		if !groups[f.Path[0]] {
			t.Errorf("field %v: first path element %q is not a part of the packet", f.Path, f.Path[0])
		}
	}
	if len(ex.Fields) < 2 || ex.Fields[0].Key != "fixed.type_flags" || ex.Fields[1].Key != "fixed.remaining_length" {
		t.Errorf("the first fields are not the fixed header\n%s", fieldTable(ex))
	}
}

// fieldTable formats an explanation for failure messages.
func fieldTable(ex Explanation) string {
	var b strings.Builder
	for _, f := range ex.Fields {
		fmt.Fprintf(&b, "  %3d +%-3d %-28s %-60s %s\n", f.Offset, f.Len, f.Key, strings.Join(f.Path, " / "), f.Value)
	}
	if ex.Err != nil {
		fmt.Fprintf(&b, "  error at %d: %v\n", ex.ErrOffset, ex.Err)
	}
	return b.String()
}

// wantErr fails unless err is target with the reason code code.
func wantErr(t *testing.T, err, target error, code ReasonCode) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want %v", err, target)
	}
	if got := ReasonCodeOf(err); got != code {
		t.Errorf("reason code 0x%02x %v, want 0x%02x %v", byte(got), got, byte(code), code)
	}
}

// bad is a packet that breaks exactly one rule.
type bad struct {
	name string
	v    Version
	raw  []byte
}

// checkRule decodes each packet of cases, which break exactly the rule of
// target, and checks that Decode, the Reader and Explain all report target
// with reason code code; rule, when set, is what RuleOf must return.
func checkRule(t *testing.T, target error, code ReasonCode, rule string, cases ...bad) {
	t.Helper()
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		t.Run(c.v.String()+"/"+c.name, func(t *testing.T) {
			p, err := decodeRaw(c.raw, c.v)
			if err == nil {
				t.Fatalf("Decode accepted % x as %s", c.raw, dump(p))
			}
			wantErr(t, err, target, code)
			if rule != "" && RuleOf(err) != rule {
				t.Errorf("RuleOf = %q, want %q", RuleOf(err), rule)
			}
			if !strings.Contains(err.Error(), "mqtt: ") {
				t.Errorf("error %q does not say where it comes from", err)
			}

			r := NewReader(bytes.NewReader(c.raw))
			r.Version = c.v
			_, err = r.ReadPacket()
			wantErr(t, err, target, code)

			ex := Explain(c.raw, c.v)
			if !errors.Is(ex.Err, target) {
				t.Fatalf("Explain: %v, want %v\n%s", ex.Err, target, fieldTable(ex))
			}
			checkErrorFields(t, c.raw, ex)
		})
	}
}

// checkErrorFields checks the explanation of a packet that fails: the
// fields obey the invariants of any explanation, and ErrOffset is the
// offset of one of them or the end of the last.
func checkErrorFields(t *testing.T, raw []byte, ex Explanation) {
	t.Helper()
	end := checkFields(t, raw, ex)
	if ex.ErrOffset < 0 || ex.ErrOffset > end {
		t.Fatalf("ErrOffset %d outside the fields [0,%d)\n%s", ex.ErrOffset, end, fieldTable(ex))
	}
	if ex.ErrOffset == end {
		return
	}
	for _, f := range ex.Fields {
		if f.Offset == ex.ErrOffset {
			return
		}
	}
	t.Fatalf("ErrOffset %d is not where a field starts\n%s", ex.ErrOffset, fieldTable(ex))
}

// pkt builds a packet from its first byte and its body parts (as cat),
// prefixing the Remaining Length. Negative vectors use it; the golden ones
// spell the length out.
func pkt(first byte, body ...any) []byte {
	b := cat(body...)
	return append(AppendVarint([]byte{first}, uint32(len(b))), b...)
}

// str is a two-byte length and the bytes of s, as MQTT writes strings.
func str(s string) []byte { return append([]byte{byte(len(s) >> 8), byte(len(s))}, s...) }
