package store

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// Bounds of the numbers a topic tree keeps for its sparklines: the
// newest SparkValues values of at most SparkFields numeric fields per
// topic, so that the whole tree holds at most nodes × fields × values
// numbers however busy the broker.
const (
	SparkValues = 30
	SparkFields = 4
	// numbersMaxPayload bounds the payloads searched for numbers: a
	// reading is a few hundred bytes, and parsing a large document on
	// every message would slow the page down for nothing.
	numbersMaxPayload = 2048
)

// NumField is a number read from a payload. Name says where it was: ""
// for a payload that is just a number, "#2" for the second column of
// comma-separated numbers, and the path of keys joined by dots in a JSON
// object ("battery.voltage_v").
type NumField struct {
	Name  string
	Value float64
}

// Numbers appends to dst the numbers of a payload that is a number, a line
// of comma-separated numbers, or a JSON object (numbers in arrays are left
// out), at most SparkFields of them in the order they come. A payload of
// another kind, or too large, gives none.
func Numbers(dst []NumField, payload []byte) []NumField {
	if len(payload) > numbersMaxPayload {
		return dst
	}
	p := trimSpace(payload)
	if len(p) == 0 {
		return dst
	}
	if p[0] == '{' {
		return jsonNumbers(dst, p)
	}
	if c := p[0]; c != '-' && c != '+' && c != '.' && (c < '0' || c > '9') {
		return dst // text: not worth splitting
	}
	start, csv := len(dst), bytes.IndexByte(p, ',') >= 0
	for i := 0; ; i++ {
		col, rest, more := p, p[:0], false
		if k := bytes.IndexByte(p, ','); k >= 0 {
			col, rest, more = p[:k], p[k+1:], true
		}
		v, ok := parseNumber(string(trimSpace(col)))
		if !ok {
			return dst[:start]
		}
		if i < SparkFields {
			name := ""
			if csv {
				name = "#" + strconv.Itoa(i+1)
			}
			dst = append(dst, NumField{Name: name, Value: v})
		}
		if !more {
			return dst
		}
		p = rest
	}
}

// trimSpace cuts the JSON white space around b (bytes.TrimSpace, for
// Unicode, weighs more in the page).
func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// parseNumber reads a finite decimal number ("21.5", "-3", "1e3"), not the
// other spellings strconv accepts (hexadecimal, "inf", "NaN").
func parseNumber(s string) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "xXnN_") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// jsonNumbers appends the numbers of the JSON object p, if it is one.
func jsonNumbers(dst []NumField, p []byte) []NumField {
	s := jsonScan{b: p, dst: dst, start: len(dst)}
	if !s.value(0, false) {
		return dst[:s.start]
	}
	s.space()
	if s.i != len(p) {
		return dst[:s.start] // something after the object
	}
	return s.dst
}

// jsonScan reads the numbers of a JSON document, by hand rather than
// with encoding/json: it runs on every message the topics page sees, and
// only needs the numbers and their keys, not values.
type jsonScan struct {
	b     []byte
	i     int
	path  []byte // the keys of the value being read, joined by dots
	dst   []NumField
	start int
}

// jsonMaxDepth bounds the nesting of the documents read, and so the
// recursion.
const jsonMaxDepth = 16

func (s *jsonScan) space() {
	for s.i < len(s.b) && isSpace(s.b[s.i]) {
		s.i++
	}
}

// next skips white space and reports whether the next byte is c, taking
// it if so.
func (s *jsonScan) next(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// value reads one value; the numbers of objects inside arrays are not
// kept.
func (s *jsonScan) value(depth int, inArray bool) bool {
	s.space()
	if s.i >= len(s.b) || depth > jsonMaxDepth {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '{':
		return s.object(depth+1, inArray)
	case c == '[':
		s.i++
		if s.next(']') {
			return true
		}
		for {
			if !s.value(depth+1, true) {
				return false
			}
			if s.next(']') {
				return true
			}
			if !s.next(',') {
				return false
			}
		}
	case c == '"':
		_, ok := s.str()
		return ok
	case c == '-' || c >= '0' && c <= '9':
		j := s.i
		for j < len(s.b) && strings.IndexByte("+-.eE0123456789", s.b[j]) >= 0 {
			j++
		}
		v, err := strconv.ParseFloat(string(s.b[s.i:j]), 64)
		if err != nil {
			return false
		}
		s.i = j
		if !inArray && len(s.dst)-s.start < SparkFields {
			s.dst = append(s.dst, NumField{Name: string(s.path), Value: v})
		}
		return true
	}
	for _, lit := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
			s.i += len(lit)
			return true
		}
	}
	return false
}

// object reads an object, s.i at its '{'.
func (s *jsonScan) object(depth int, inArray bool) bool {
	s.i++
	if s.next('}') {
		return true
	}
	base := len(s.path)
	for {
		s.space()
		key, ok := s.str()
		if !ok || !s.next(':') {
			return false
		}
		s.path = s.path[:base]
		if base > 0 {
			s.path = append(s.path, '.')
		}
		s.path = append(s.path, key...)
		if !s.value(depth, inArray) {
			return false
		}
		if s.next('}') {
			s.path = s.path[:base]
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// str reads a string, s.i at its '"', and returns its bytes as they are
// written (escapes are not decoded: they are rare in keys).
func (s *jsonScan) str() ([]byte, bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false
	}
	for j := s.i + 1; j < len(s.b); j++ {
		switch s.b[j] {
		case '"':
			str := s.b[s.i+1 : j]
			s.i = j + 1
			return str, true
		case '\\':
			j++
		}
	}
	return nil, false
}

// series is the newest values of one numeric field of a topic: a ring of
// float32, plenty for a sparkline and half the memory of float64.
type series struct {
	name    string
	vals    [SparkValues]float32
	n, next uint8
}

func (s *series) push(v float64) {
	s.vals[s.next] = float32(max(-math.MaxFloat32, min(v, math.MaxFloat32)))
	s.next = (s.next + 1) % SparkValues
	s.n = min(s.n+1, SparkValues)
}

// values returns the values, oldest first.
func (s *series) values() []float64 {
	out := make([]float64, s.n)
	for i := range out {
		out[i] = float64(s.vals[(int(s.next)-int(s.n)+i+SparkValues)%SparkValues])
	}
	return out
}

// addNumbers records the numbers of a topic's message. A message without
// numbers ends the topic's series: its payloads are not numeric anymore.
func (n *tnode) addNumbers(fields []NumField) {
	if len(fields) == 0 {
		n.nums = nil
		return
	}
	for _, f := range fields {
		i := 0
		for i < len(n.nums) && n.nums[i].name != f.Name {
			i++
		}
		if i == len(n.nums) {
			if i == SparkFields {
				continue
			}
			n.nums = append(n.nums, series{name: f.Name})
		}
		n.nums[i].push(f.Value)
	}
}

// sparkRow fills the numbers of r from n: the series of field, or of the
// first field when n has none by that name.
func (n *tnode) sparkRow(r *TopicRow, field string) {
	if len(n.nums) == 0 {
		return
	}
	s := &n.nums[0]
	for i := range n.nums {
		if n.nums[i].name == field {
			s = &n.nums[i]
		}
	}
	r.Spark, r.Field = s.values(), s.name
	if len(n.nums) > 1 {
		r.Fields = make([]string, len(n.nums))
		for i := range n.nums {
			r.Fields[i] = n.nums[i].name
		}
	}
}
