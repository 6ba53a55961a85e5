package app

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// chartView is what one chart draws: a field of a fleet, one line per
// device. It is a copy: the live store goes on while it is drawn.
type chartView struct {
	Fleet, Field, Unit string
	Lines              []lineView
}

// lineView is one device's points, oldest first.
type lineView struct {
	Label string
	T     []int64 // unix ms
	V     []float64
}

// chartColors tell the lines apart; they read on the light theme.
var chartColors = []string{"#2f4eb8", "#d0621b", "#1a7f4b", "#a23b9a", "#b42318", "#0f7c8c"}

// The chart's geometry, in the SVG's own units (it scales to its box).
const (
	chartW, chartH         = 360, 150
	plotL, plotR           = 46, 354
	plotT, plotB           = 10, 128
	chartWindowMS  float64 = float64(chartWindow / 1e6)
)

// chartSVG draws c over the chartWindow before now (unix ms) as an SVG
// element: a polyline per device, the value range on the left, the time
// span below. Values are auto-scaled to what is in view.
func chartSVG(c chartView, now int64) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	from := float64(now) - chartWindowMS
	for _, ln := range c.Lines {
		for i, t := range ln.T {
			if float64(t) >= from {
				lo, hi = min(lo, ln.V[i]), max(hi, ln.V[i])
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, chartW, chartH, html.EscapeString(c.Fleet+" "+c.Field))
	fmt.Fprintf(&b, `<rect class="chart-plot" x="%d" y="%d" width="%d" height="%d"/>`, plotL, plotT, plotR-plotL, plotB-plotT)
	if math.IsInf(lo, 0) {
		b.WriteString(`</svg>`)
		return b.String()
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-1, hi+1
	} else {
		pad := (hi - lo) * 0.08
		lo, hi = lo-pad, hi+pad
	}
	x := func(t int64) float64 { return plotL + (float64(t)-from)/chartWindowMS*(plotR-plotL) }
	y := func(v float64) float64 { return plotB - (v-lo)/(hi-lo)*(plotB-plotT) }
	for i, ln := range c.Lines {
		var pts strings.Builder
		for j, t := range ln.T {
			if float64(t) < from {
				continue
			}
			fmt.Fprintf(&pts, "%.1f,%.1f ", x(t), y(ln.V[j]))
		}
		if pts.Len() == 0 {
			continue
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.6" points="%s"/>`, chartColors[i%len(chartColors)], strings.TrimSpace(pts.String()))
	}
	fmt.Fprintf(&b, `<text class="chart-axis" x="%d" y="%d" text-anchor="end">%s</text>`, plotL-4, plotT+8, html.EscapeString(short(hi)))
	fmt.Fprintf(&b, `<text class="chart-axis" x="%d" y="%d" text-anchor="end">%s</text>`, plotL-4, plotB, html.EscapeString(short(lo)))
	fmt.Fprintf(&b, `<text class="chart-axis" x="%d" y="%d">−%ds</text>`, plotL, chartH-6, int(chartWindowMS/1000))
	fmt.Fprintf(&b, `<text class="chart-axis" x="%d" y="%d" text-anchor="end">0</text>`, plotR, chartH-6)
	b.WriteString(`</svg>`)
	return b.String()
}

// short formats an axis value in few characters (152340.5 → 152.3k).
func short(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 1, 64) + "G"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case a >= 1e4:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// last returns a line's newest value, formatted.
func (ln lineView) last() string {
	if len(ln.V) == 0 {
		return ""
	}
	return strconv.FormatFloat(ln.V[len(ln.V)-1], 'f', -1, 64)
}
