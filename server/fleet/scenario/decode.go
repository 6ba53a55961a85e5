package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// decoder walks a parsed YAML tree and records every problem with its line
// and field path instead of stopping at the first. Values it cannot read
// are replaced by defaults so that the walk goes on and finds the rest.
type decoder struct {
	file   string
	errs   Errors
	visits int
	lines  map[*Fleet]int // line of each fleet's client_id, for checks made after the walk
}

// maxVisits bounds the nodes one document may make the decoder visit, so
// that aliases referring to aliases cannot expand into billions of nodes.
const maxVisits = 200_000

func (d *decoder) errorf(line int, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// resolve follows aliases; it returns nil once the visit budget is spent.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i > 100 {
			return nil
		}
		n = n.Alias
	}
	d.visits++
	if d.visits == maxVisits {
		d.errorf(0, "", "document too large or too deeply aliased (more than %d values)", maxVisits)
	}
	if d.visits >= maxVisits {
		return nil
	}
	return n
}

// describe names what a node holds, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "nothing"
		}
		v := n.Value
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return strconv.Quote(v)
	}
	return "an unsupported YAML node"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// mapping is a YAML mapping being read: it remembers which keys were asked
// for, so that finish can report the others as unknown, with the keys
// that would have been understood.
type mapping struct {
	d      *decoder
	path   string
	line   int
	keys   []*yaml.Node
	values []*yaml.Node
	used   []bool
	asked  []string
}

// mapping opens n as a mapping; it reports an error and returns nil when n
// is something else.
func (d *decoder) mapping(n *yaml.Node, path string) *mapping {
	n = d.resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n.Line, path, "expected a mapping of keys to values, got %s", describe(n))
		return nil
	}
	m := &mapping{d: d, path: path, line: n.Line}
	m.add(n, true, 0)
	return m
}

// add collects the pairs of n; merge keys (<<: *anchor) bring in the pairs
// of other mappings, which explicit keys override.
func (m *mapping) add(n *yaml.Node, explicit bool, depth int) {
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			m.d.errorf(k.Line, m.path, "keys must be plain names, got %s", describe(k))
			continue
		}
		if k.Value == "<<" && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if j := m.find(k.Value); j >= 0 {
			if explicit {
				m.d.errorf(k.Line, join(m.path, k.Value), "duplicate key (first at line %d)", m.keys[j].Line)
			}
			continue
		}
		m.keys = append(m.keys, k)
		m.values = append(m.values, v)
		m.used = append(m.used, false)
	}
	for _, v := range merges {
		if depth > 8 {
			m.d.errorf(v.Line, m.path, "merge keys nested too deeply")
			return
		}
		v = m.d.resolve(v)
		if v == nil {
			return
		}
		switch v.Kind {
		case yaml.MappingNode:
			m.add(v, false, depth+1)
		case yaml.SequenceNode:
			for _, e := range v.Content {
				if e = m.d.resolve(e); e != nil && e.Kind == yaml.MappingNode {
					m.add(e, false, depth+1)
				} else if e != nil {
					m.d.errorf(e.Line, m.path, "a merge key (<<) takes mappings, got %s", describe(e))
				}
			}
		default:
			m.d.errorf(v.Line, m.path, "a merge key (<<) takes a mapping, got %s", describe(v))
		}
	}
}

func (m *mapping) find(key string) int {
	for i, k := range m.keys {
		if k.Value == key {
			return i
		}
	}
	return -1
}

// get returns the value of key (aliases resolved) and its path; nil when
// the key is absent or its value is null.
func (m *mapping) get(key string) (*yaml.Node, string) {
	m.asked = append(m.asked, key)
	p := join(m.path, key)
	i := m.find(key)
	if i < 0 {
		return nil, p
	}
	m.used[i] = true
	v := m.d.resolve(m.values[i])
	if v != nil && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
		return nil, p
	}
	return v, p
}

// has reports whether key is present with a value.
func (m *mapping) has(key string) bool {
	i := m.find(key)
	if i < 0 {
		return false
	}
	v := m.values[i]
	return !(v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null")
}

// lineOf returns the line of key's value, or of the mapping when absent.
func (m *mapping) lineOf(key string) int {
	if i := m.find(key); i >= 0 {
		return m.values[i].Line
	}
	return m.line
}

// keyLine returns the line of key itself, or of the mapping when absent.
func (m *mapping) keyLine(key string) int {
	if i := m.find(key); i >= 0 {
		return m.keys[i].Line
	}
	return m.line
}

// finish reports the keys nobody asked for. what names the mapping's kind
// for the message ("for model sine"); empty for none.
func (m *mapping) finish(what string) {
	for i, k := range m.keys {
		if m.used[i] {
			continue
		}
		msg := fmt.Sprintf("unknown key %q", k.Value)
		if what != "" {
			msg += " " + what
		}
		if s := suggest(k.Value, m.asked); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else if len(m.asked) > 0 {
			msg += " (expected one of: " + strings.Join(m.asked, ", ") + ")"
		}
		m.d.errorf(k.Line, join(m.path, k.Value), "%s", msg)
	}
}

// missing reports a required key.
func (m *mapping) missing(key, what string) {
	m.d.errorf(m.line, join(m.path, key), "missing (expected %s)", what)
}

// Scalars.

func (d *decoder) scalar(n *yaml.Node, path, what string) bool {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n.Line, path, "expected %s, got %s", what, describe(n))
		return false
	}
	return true
}

func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	if !d.scalar(n, path, "a string") {
		return "", false
	}
	return n.Value, true
}

func (d *decoder) float(n *yaml.Node, path string) (float64, bool) {
	if !d.scalar(n, path, "a number") {
		return 0, false
	}
	tag := n.ShortTag()
	if tag != "!!int" && tag != "!!float" {
		d.errorf(n.Line, path, "expected a number, got %s", describe(n))
		return 0, false
	}
	var f float64
	if err := n.Decode(&f); err != nil {
		d.errorf(n.Line, path, "expected a number, got %s", describe(n))
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.errorf(n.Line, path, "expected a finite number, got %s", describe(n))
		return 0, false
	}
	return f, true
}

func (d *decoder) integer(n *yaml.Node, path string) (int64, bool) {
	if !d.scalar(n, path, "a whole number") {
		return 0, false
	}
	if n.ShortTag() != "!!int" {
		d.errorf(n.Line, path, "expected a whole number, got %s", describe(n))
		return 0, false
	}
	var i int64
	if err := n.Decode(&i); err != nil {
		d.errorf(n.Line, path, "expected a whole number, got %s (%v)", describe(n), errText(err))
		return 0, false
	}
	return i, true
}

func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		d.errorf(n.Line, path, "expected true or false, got %s", describe(n))
		return false, false
	}
	return b, true
}

const durationHint = "a duration such as 500ms, 10s, 1m30s or 24h"

func (d *decoder) duration(n *yaml.Node, path string) (time.Duration, bool) {
	if !d.scalar(n, path, durationHint) {
		return 0, false
	}
	if t := n.ShortTag(); t == "!!int" || t == "!!float" {
		d.errorf(n.Line, path, "expected %s, got the bare number %s (add a unit)", durationHint, n.Value)
		return 0, false
	}
	v, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil {
		d.errorf(n.Line, path, "expected %s, got %s", durationHint, describe(n))
		return 0, false
	}
	if v < 0 {
		d.errorf(n.Line, path, "must not be negative (got %s)", n.Value)
		return 0, false
	}
	return v, true
}

func (d *decoder) seq(n *yaml.Node, path, what string) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n.Line, path, "expected a list of %s, got %s", what, describe(n))
		return nil, false
	}
	return n.Content, true
}

// errText strips the library prefix of a YAML error.
func errText(err error) string { return strings.TrimPrefix(err.Error(), "yaml: ") }

// Mapping conveniences: each reads one key, reports problems, and returns
// def when the key is absent or bad.

func (m *mapping) str(key, def string) string {
	n, p := m.get(key)
	if n == nil {
		return def
	}
	if s, ok := m.d.str(n, p); ok {
		return s
	}
	return def
}

func (m *mapping) boolean(key string, def bool) bool {
	n, p := m.get(key)
	if n == nil {
		return def
	}
	if b, ok := m.d.boolean(n, p); ok {
		return b
	}
	return def
}

// float reads a number in [lo, hi].
func (m *mapping) float(key string, def, lo, hi float64) float64 {
	f, _ := m.optFloat(key, lo, hi)
	if f == nil {
		return def
	}
	return *f
}

// optFloat reads a number in [lo, hi]; nil when absent or bad, and ok
// false only when bad.
func (m *mapping) optFloat(key string, lo, hi float64) (*float64, bool) {
	n, p := m.get(key)
	if n == nil {
		return nil, true
	}
	f, ok := m.d.float(n, p)
	if !ok {
		return nil, false
	}
	if f < lo || f > hi {
		m.d.errorf(n.Line, p, "must be %s (got %s)", rangeText(lo, hi), n.Value)
		return nil, false
	}
	return &f, true
}

func rangeText(lo, hi float64) string {
	g := func(f float64) string {
		if f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	switch {
	case math.IsInf(lo, -1) && math.IsInf(hi, 1):
		return "a number"
	case math.IsInf(hi, 1):
		return "at least " + g(lo)
	case math.IsInf(lo, -1):
		return "at most " + g(hi)
	}
	return "between " + g(lo) + " and " + g(hi)
}

func (m *mapping) integer(key string, def, lo, hi int64) int64 {
	n, p := m.get(key)
	if n == nil {
		return def
	}
	i, ok := m.d.integer(n, p)
	if !ok {
		return def
	}
	if i < lo || i > hi {
		m.d.errorf(n.Line, p, "must be %s (got %d)", rangeText(float64(lo), float64(hi)), i)
		return def
	}
	return i
}

// duration reads a duration of at least lo (and at most hi when hi > 0).
func (m *mapping) duration(key string, def, lo, hi time.Duration) time.Duration {
	n, p := m.get(key)
	if n == nil {
		return def
	}
	v, ok := m.d.duration(n, p)
	if !ok {
		return def
	}
	if v < lo || (hi > 0 && v > hi) {
		msg := "at least " + lo.String()
		if hi > 0 {
			msg = "between " + lo.String() + " and " + hi.String()
		}
		m.d.errorf(n.Line, p, "must be %s (got %s)", msg, n.Value)
		return def
	}
	return v
}

// choice reads one of a set of names.
func (m *mapping) choice(key, def string, choices ...string) string {
	n, p := m.get(key)
	if n == nil {
		return def
	}
	s, ok := m.d.str(n, p)
	if !ok {
		return def
	}
	for _, c := range choices {
		if s == c {
			return s
		}
	}
	m.d.errorf(n.Line, p, "unknown value %q (expected one of: %s)", s, strings.Join(choices, ", "))
	return def
}
