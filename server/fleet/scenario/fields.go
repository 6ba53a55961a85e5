package scenario

import (
	"encoding/json"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mqttlab/mqttlab/server/fleet/model"
)

// A payload is a tree while it is read: dotted names and nested mappings
// make objects. It is flattened into Fleet.Fields (depth first, in file
// order) and Fleet.Tree.
type tnode struct {
	key      string
	line     int
	field    *Field
	children []*tnode
}

func (d *decoder) fields(n *yaml.Node, p string, line int, f *Fleet) {
	fm := d.mapping(n, p)
	if fm == nil {
		return
	}
	var root []*tnode
	d.group(fm, "", f, &root, 0)
	var flatten func(ns []*tnode) []Node
	flatten = func(ns []*tnode) []Node {
		out := make([]Node, 0, len(ns))
		for _, t := range ns {
			key, _ := json.Marshal(t.key)
			node := Node{Key: string(key) + ":", Field: -1}
			if t.field != nil {
				node.Field = len(f.Fields)
				f.Fields = append(f.Fields, t.field)
			} else {
				node.Children = flatten(t.children)
			}
			out = append(out, node)
		}
		return out
	}
	f.Tree = flatten(root)
	switch {
	case len(f.Fields) == 0:
		d.errorf(line, p, "expected at least one field")
	case len(f.Fields) > MaxFields:
		d.errorf(line, p, "too many fields: %d (at most %d)", len(f.Fields), MaxFields)
		f.Fields = f.Fields[:MaxFields]
	case f.Format == Plain && len(f.Fields) != 1:
		d.errorf(line, p, "format plain sends one value, but there are %d fields (use json or csv for several)", len(f.Fields))
	}
}

// group reads the members of an object of the payload.
func (d *decoder) group(gm *mapping, prefix string, f *Fleet, into *[]*tnode, depth int) {
	if depth > 8 {
		d.errorf(gm.line, gm.path, "fields nested too deeply (at most 8 levels)")
		return
	}
	for i, k := range gm.keys {
		gm.used[i] = true
		kp := join(gm.path, k.Value)
		if k.Value == "" || strings.HasPrefix(k.Value, ".") || strings.HasSuffix(k.Value, ".") || strings.Contains(k.Value, "..") {
			d.errorf(k.Line, kp, "invalid field name %q", k.Value)
			continue
		}
		name := k.Value
		if prefix != "" {
			name = prefix + "." + name
		}
		v := d.resolve(gm.values[i])
		if v == nil {
			continue
		}
		if _, isModel := model.KindOf(v.Value); isModel && v.Kind == yaml.ScalarNode && k.Value != "model" && suggest(k.Value, []string{"model"}) != "" {
			// "modle: sine" would otherwise make a group of constants.
			d.errorf(k.Line, kp, "unknown key %q (did you mean \"model\"?)", k.Value)
			continue
		}
		var fm *mapping
		if v.Kind == yaml.MappingNode {
			if fm = d.mapping(v, kp); fm == nil {
				continue
			}
		}
		if fm != nil && fm.find("model") < 0 {
			sub := fm
			var children []*tnode
			d.group(sub, name, f, &children, depth+1)
			if len(children) == 0 {
				d.errorf(v.Line, kp, "expected fields inside, got an empty mapping")
				continue
			}
			d.insert(into, strings.Split(k.Value, "."), &tnode{line: k.Line, children: children}, kp)
			continue
		}
		fld := d.field(v, fm, kp, name, f)
		if fld == nil {
			continue
		}
		d.insert(into, strings.Split(k.Value, "."), &tnode{line: k.Line, field: fld}, kp)
	}
}

// insert places leaf at the dotted path segs, creating objects on the
// way and merging objects of the same name.
func (d *decoder) insert(into *[]*tnode, segs []string, leaf *tnode, p string) {
	for _, t := range *into {
		if t.key != segs[0] {
			continue
		}
		switch {
		case len(segs) == 1 && (t.field != nil || leaf.field != nil):
			d.errorf(leaf.line, p, "field %q defined twice (first at line %d)", segs[0], t.line)
		case len(segs) == 1:
			for _, c := range leaf.children {
				d.insert(&t.children, []string{c.key}, c, p)
			}
		case t.field != nil:
			d.errorf(leaf.line, p, "%q is a value (line %d) and cannot also hold fields", segs[0], t.line)
		default:
			d.insert(&t.children, segs[1:], leaf, p)
		}
		return
	}
	if len(segs) == 1 {
		leaf.key = segs[0]
		*into = append(*into, leaf)
		return
	}
	t := &tnode{key: segs[0], line: leaf.line}
	*into = append(*into, t)
	d.insert(&t.children, segs[1:], leaf, p)
}

// field reads one field: a scalar n (a constant) or a mapping m with a
// model.
func (d *decoder) field(n *yaml.Node, m *mapping, p, name string, f *Fleet) *Field {
	fld := &Field{Name: name, Decimals: -1}
	if m == nil {
		c, ok := d.literal(n, p)
		if !ok {
			return nil
		}
		fld.Model = c
		d.constantText(fld, c, n, p, f)
		d.encoding(nil, fld, f)
		return fld
	}
	mn, mp := m.get("model")
	if mn == nil {
		m.missing("model", "one of: "+oneOf(model.Kinds()))
		return nil
	}
	name, ok := d.str(mn, mp)
	if !ok {
		return nil
	}
	kind, ok := model.KindOf(name)
	if !ok {
		msg := fmt.Sprintf("unknown model %q (expected one of: %s)", name, oneOf(model.Kinds()))
		d.errorf(mn.Line, mp, "%s", msg)
		return nil
	}
	decimals := 2
	switch kind {
	case model.KindRandomWalk:
		fld.Model = d.randomWalk(m)
	case model.KindSine:
		fld.Model = d.sine(m)
	case model.KindStep:
		fld.Model = d.step(m)
	case model.KindCounter:
		c := d.counter(m)
		fld.Model = c
		decimals = 3
		if whole(c.Start) && whole(c.Step) && (c.StepMax <= c.Step || whole(c.StepMax)) {
			decimals = 0
		}
	case model.KindEnum:
		fld.Model = d.enum(m)
	case model.KindGPS:
		fld.Model = d.gps(m)
		decimals = 6
	case model.KindTimestamp:
		fld.Model = d.timestamp(m)
	case model.KindConstant:
		fld.Model = d.constant(m, fld, f)
		decimals = -1
	}
	fld.Unit = m.str("unit", "")
	numeric := kind == model.KindRandomWalk || kind == model.KindSine || kind == model.KindStep || kind == model.KindCounter
	if numeric || kind == model.KindGPS || kind == model.KindConstant {
		fld.Decimals = int(m.integer("decimals", int64(decimals), 0, 12))
		if kind == model.KindConstant && !m.has("decimals") {
			fld.Decimals = -1
		}
	}
	if fn, fp := m.get("faults"); fn != nil {
		fld.Faults = d.faults(fn, fp, numeric, f)
	}
	d.encoding(m, fld, f)
	if fld.Model == nil {
		return nil // its own errors said why; unread keys would only add noise
	}
	m.finish("for model " + kind.String())
	return fld
}

func (d *decoder) faults(n *yaml.Node, p string, numeric bool, f *Fleet) Faults {
	var fs Faults
	fm := d.mapping(n, p)
	if fm == nil {
		return fs
	}
	if sn, sp := fm.get("stuck"); sn != nil {
		if sm := d.mapping(sn, sp); sm != nil {
			st := &Stuck{Probability: sm.float("probability", 0, 0, 1), For: Range{60e9, 60e9}}
			if !sm.has("probability") {
				sm.missing("probability", "the chance per reading that the value freezes, e.g. 0.001")
			}
			if fn, fp := sm.get("for"); fn != nil {
				if r, ok := d.rangeOf(fn, fp, MinInterval); ok {
					st.For = r
				}
			}
			sm.finish("in stuck")
			fs.Stuck = st
		}
		if !numeric {
			d.errorf(sn.Line, sp, "only numeric models (random-walk, sine, step, counter) can get stuck")
		}
	}
	if sn, sp := fm.get("spikes"); sn != nil {
		if sm := d.mapping(sn, sp); sm != nil {
			fs.Spikes = &Spikes{
				Probability: sm.float("probability", 0, 0, 1),
				Magnitude:   sm.float("magnitude", 0, 0, inf),
			}
			if !sm.has("probability") {
				sm.missing("probability", "the chance per reading of a spike, e.g. 0.01")
			}
			if !sm.has("magnitude") {
				sm.missing("magnitude", "how far a spike jumps, e.g. 15")
			}
			sm.finish("in spikes")
		}
		if !numeric {
			d.errorf(sn.Line, sp, "only numeric models (random-walk, sine, step, counter) can spike")
		}
	}
	if gn, gp := fm.get("gaps"); gn != nil {
		v, ok := d.float(gn, gp)
		switch {
		case !ok:
		case v < 0 || v > 1:
			d.errorf(gn.Line, gp, "must be a probability between 0 and 1 (got %s)", gn.Value)
		case f.Format == Hex:
			d.errorf(gn.Line, gp, "format hex has a fixed layout and cannot leave a field out")
		default:
			fs.Gaps = v
		}
	}
	fm.finish("in faults")
	return fs
}
