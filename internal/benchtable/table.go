package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// The three metrics every row shows for every implementation.
var columns = []struct{ unit, title string }{
	{"ns/op", "ns/op"},
	{"B/op", "B/op"},
	{"allocs/op", "allocs"},
}

// A cell is the figures of one implementation on one case: the median of
// each metric over the runs, how far ns/op spread, and ns/op of each run
// in the order of the input.
type cell struct {
	median map[string]float64
	runs   int
	spread float64 // (max-min)/median of ns/op
	ns     []float64
}

// A group is one table: a top-level benchmark, its cases as rows and its
// implementations as columns, both in the order they first appeared.
type group struct {
	name  string
	cases []string
	impls []string
	cells map[[2]string]*cell // by case, impl
}

// summarize groups samples into tables and takes the median of repeated
// runs. In every table ref comes first, then its variants, then the peers
// in the order they first appear in the whole input, so columns line up
// from table to table.
func summarize(samples []sample, ref string) []*group {
	var groups []*group
	byName := map[string]*group{}
	runs := map[[3]string][]map[string]float64{}
	for _, s := range samples {
		g := byName[s.group]
		if g == nil {
			g = &group{name: s.group, cells: map[[2]string]*cell{}}
			byName[s.group] = g
			groups = append(groups, g)
		}
		if !slices.Contains(g.cases, s.kase) {
			g.cases = append(g.cases, s.kase)
		}
		if !slices.Contains(g.impls, s.impl) {
			g.impls = append(g.impls, s.impl)
		}
		k := [3]string{s.group, s.kase, s.impl}
		runs[k] = append(runs[k], s.metrics)
	}
	for k, ms := range runs {
		c := &cell{median: map[string]float64{}, runs: len(ms)}
		for _, col := range columns {
			var vs []float64
			for _, m := range ms {
				if v, ok := m[col.unit]; ok {
					vs = append(vs, v)
				}
			}
			if len(vs) == 0 {
				continue
			}
			c.median[col.unit] = median(vs)
			if col.unit == "ns/op" && c.median[col.unit] > 0 {
				c.spread = (slices.Max(vs) - slices.Min(vs)) / c.median[col.unit]
				c.ns = vs
			}
		}
		byName[k[0]].cells[[2]string{k[1], k[2]}] = c
	}
	var order []string
	for _, s := range samples {
		if !slices.Contains(order, s.impl) {
			order = append(order, s.impl)
		}
	}
	rank := func(impl string) int {
		switch {
		case impl == ref:
			return -2 * len(order)
		case strings.HasPrefix(impl, ref):
			return -len(order) + slices.Index(order, impl)
		}
		return slices.Index(order, impl)
	}
	for _, g := range groups {
		slices.SortStableFunc(g.impls, func(a, b string) int { return rank(a) - rank(b) })
	}
	return groups
}

func median(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// ratios says how many times faster ref is than each peer on one case:
// "2.7× paho". Peers are the implementations not named after ref (so
// "mqttlab-new" is a variant of "mqttlab", not a peer).
func (g *group) ratios(kase, ref string) string {
	r := g.cells[[2]string{kase, ref}]
	if r == nil || len(r.ns) == 0 {
		return ""
	}
	var out []string
	for _, impl := range g.impls {
		c := g.cells[[2]string{kase, impl}]
		if strings.HasPrefix(impl, ref) || c == nil || len(c.ns) == 0 {
			continue
		}
		out = append(out, formatRatio(ratio(c.ns, r.ns))+" "+impl)
	}
	return strings.Join(out, "  ")
}

// ratio is the median over runs of peer/ref, pairing the k-th run of
// each: with rounds of -count 1 (as make bench runs them) the two ran
// close in time, so a burst of load on a shared machine skews both.
func ratio(peer, ref []float64) float64 {
	var rs []float64
	for k := range min(len(peer), len(ref)) {
		if ref[k] > 0 {
			rs = append(rs, peer[k]/ref[k])
		}
	}
	if len(rs) == 0 {
		return 0
	}
	return median(rs)
}

func formatRatio(x float64) string {
	switch {
	case x >= 10:
		return fmt.Sprintf("%.0f×", x)
	case x >= 1:
		return fmt.Sprintf("%.1f×", x)
	}
	return fmt.Sprintf("%.2f×", x)
}

func formatValue(unit string, v float64) string {
	if unit == "ns/op" && v < 100 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// render writes g as a plain-text table: a line of implementation names,
// a line of metric names, one row per case, and the speed of ref against
// each peer in the last column.
func (g *group) render(w io.Writer, ref string) error {
	const gap = "  "
	// grid[r][c]: r = 0 metric titles, then one row per case; c = 0 the
	// case, then three per implementation.
	ncol := 1 + len(columns)*len(g.impls)
	grid := make([][]string, 1+len(g.cases))
	grid[0] = make([]string, ncol)
	grid[0][0] = g.name
	for i := range g.impls {
		for j, col := range columns {
			grid[0][1+i*len(columns)+j] = col.title
		}
	}
	for r, kase := range g.cases {
		row := make([]string, ncol)
		row[0] = kase
		for i, impl := range g.impls {
			c := g.cells[[2]string{kase, impl}]
			for j, col := range columns {
				s := "-"
				if v, ok := c.value(col.unit); ok {
					s = formatValue(col.unit, v)
				}
				row[1+i*len(columns)+j] = s
			}
		}
		grid[1+r] = row
	}
	width := make([]int, ncol)
	for _, row := range grid {
		for c, s := range row {
			width[c] = max(width[c], utf8.RuneCountInString(s))
		}
	}
	// Widen an implementation's first column until its name fits above
	// its three columns.
	for i, impl := range g.impls {
		first := 1 + i*len(columns)
		span := (len(columns) - 1) * len(gap)
		for j := range columns {
			span += width[first+j]
		}
		if n := utf8.RuneCountInString(impl); n > span {
			width[first] += n - span
		}
	}

	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width[0]))
	for i, impl := range g.impls {
		first := 1 + i*len(columns)
		span := (len(columns) - 1) * len(gap)
		for j := range columns {
			span += width[first+j]
		}
		b.WriteString(gap + pad(impl, span, false))
	}
	b.WriteString(gap + ref + " vs peers\n")
	for r, row := range grid {
		for c, s := range row {
			if c > 0 {
				b.WriteString(gap)
			}
			b.WriteString(pad(s, width[c], c > 0))
		}
		if r > 0 {
			if s := g.ratios(g.cases[r-1], ref); s != "" {
				b.WriteString(gap + s)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

func (c *cell) value(unit string) (float64, bool) {
	if c == nil {
		return 0, false
	}
	v, ok := c.median[unit]
	return v, ok
}

// pad pads s to n runes, on the left when right is set.
func pad(s string, n int, right bool) string {
	fill := strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
	if right {
		return fill + s
	}
	return s + fill
}

func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
