package app

import (
	"math"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"
)

const svgNS = "http://www.w3.org/2000/svg"

// Size of a sparkline's drawing, in its own units (the SVG scales to the
// width of its box).
const (
	sparkWidth  = 300
	sparkHeight = 60
	sparkPad    = 2 // room for the stroke at the top and bottom
)

// sparkSeries is one line of a sparkline.
type sparkSeries struct {
	// Name tells the series apart in CSS: [data-series="…"].
	Name   string
	Values []float64
}

// sparkline is a small SVG chart of a few series of the same unit, drawn
// by our code (no chart library): newest values on the right, Slots values
// across, scaled from 0 to the largest value shown, or with Fit from the
// smallest to the largest.
type sparkline struct {
	goapp.Compo

	// ID of the chart's element.
	ID string
	// Label is the chart's accessible name.
	Label  string
	Series []sparkSeries
	// Slots is how many values fit across.
	Slots int
	// Fit scales the chart to the values shown (for readings like a
	// temperature, whose changes would be flat seen from 0) and leaves
	// out the axis.
	Fit bool
}

// Render draws the chart.
func (s *sparkline) Render() goapp.UI {
	bottom, top := 0.0, sparkTop(s.Series)
	lines := make([]goapp.UI, 0, len(s.Series)+1)
	if s.Fit {
		bottom, top = sparkFit(s.Series)
	} else {
		lines = append(lines, el("line", "").XMLNS(svgNS).
			Attr("x1", 0).Attr("x2", sparkWidth).
			Attr("y1", sparkHeight-sparkPad).Attr("y2", sparkHeight-sparkPad).
			Attr("data-series", "axis"))
	}
	for _, series := range s.Series {
		lines = append(lines, el("polyline", "").XMLNS(svgNS).
			Attr("points", sparkPoints(series.Values, bottom, top, s.Slots)).
			Attr("fill", "none").
			Attr("data-series", series.Name))
	}
	svg := el("svg", "").XMLNS(svgNS)
	if s.ID != "" {
		svg = svg.ID(s.ID)
	}
	return svg.
		Attr("viewBox", "0 0 "+strconv.Itoa(sparkWidth)+" "+strconv.Itoa(sparkHeight)).
		Attr("preserveAspectRatio", "none").
		Attr("role", "img").
		Aria("label", s.Label).
		DataSet("bottom", strconv.FormatFloat(bottom, 'f', -1, 64)).
		DataSet("top", strconv.FormatFloat(top, 'f', -1, 64)).
		Body(lines...)
}

// sparkTop is the value at the top of the chart: the largest shown, at
// least 1, so that a quiet broker draws a flat line at the bottom rather
// than noise blown up to full height.
func sparkTop(series []sparkSeries) float64 {
	top := 1.0
	for _, s := range series {
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	return top
}

// sparkFit is the range of a chart scaled to its values: the smallest
// and largest value, or a range of 2 around a flat line, which is then
// drawn across the middle.
func sparkFit(series []sparkSeries) (bottom, top float64) {
	bottom, top = math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s.Values {
			bottom, top = min(bottom, v), max(top, v)
		}
	}
	switch {
	case bottom > top: // no values
		return 0, 1
	case bottom == top:
		return bottom - 1, top + 1
	}
	return bottom, top
}

// sparkPoints lays values out as the points of an SVG polyline: slots
// values across the width, the newest at the right edge, bottom at the
// bottom and top at the top. Values beyond slots (the oldest) are left
// out; values out of the range are drawn at its edge.
func sparkPoints(values []float64, bottom, top float64, slots int) string {
	if slots < 2 {
		slots = 2
	}
	if len(values) > slots {
		values = values[len(values)-slots:]
	}
	if top <= bottom {
		top = bottom + 1
	}
	step := float64(sparkWidth) / float64(slots-1)
	start := slots - len(values)
	var b strings.Builder
	for i, v := range values {
		x := float64(start+i) * step
		y := sparkHeight - sparkPad - (max(bottom, min(v, top))-bottom)/(top-bottom)*(sparkHeight-2*sparkPad)
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(x, 'f', 1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(y, 'f', 1, 64))
	}
	return b.String()
}
