package app

import (
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

// inspectorSVGNS is the namespace every SVG element is created in: without
// it the browser makes unknown HTML elements that draw nothing.
const inspectorSVGNS = "http://www.w3.org/2000/svg"

// seqHues is how many colours tell the exchanges of a diagram apart.
const seqHues = 6

// sequenceDiagram draws the exchange of one client with the broker: two
// lifelines and an arrow per packet, the packets of each exchange (a QoS 2
// handshake, a SUBSCRIBE and its SUBACK) in one colour and joined by a
// bracket. Clicking an arrow (or Enter on it) selects its packet. Lessons
// embed it with the packets they want to show.
//
// SVG elements take no class here: go-app sets an element's class through
// the className property, which SVG elements do not let a script set. The
// stylesheet styles them by their data attributes instead.
type sequenceDiagram struct {
	goapp.Compo

	Lang i18n.Lang
	// Client is the client's name, shown at the head of its lifeline.
	Client string
	// Packets are the client's packets, in any order; the diagram shows
	// the newest seqMaxPackets.
	Packets []store.Packet
	// Selected is the Seq of the selected packet, 0 for none.
	Selected uint64
	// OnSelect is called with the Seq of a packet the user selects in the
	// diagram, as a component event (the parent redraws after it); nil
	// makes the arrows inert.
	OnSelect func(seq uint64)
}

// Render draws the diagram.
func (d *sequenceDiagram) Render() goapp.UI {
	return renderSequence(d.Lang, d.Client, layoutSequence(d.Packets, seqMaxPackets), d.Selected, d.OnSelect)
}

func inspectorSVG(tag string) goapp.HTMLElem { return goapp.Elem(tag).XMLNS(inspectorSVGNS) }

// renderSequence turns a layout into an SVG element tree.
func renderSequence(l i18n.Lang, name string, lay sequenceLayout, selected uint64, onSelect func(uint64)) goapp.UI {
	label := l.T("inspector.seq.label") + " " + name
	parts := []goapp.UI{
		inspectorSVG("title").Text(label),
		seqHead(seqClientX, name, "client"),
		seqHead(seqBrokerX, l.T("inspector.seq.broker"), "broker"),
		seqLifeline(seqClientX, lay.Height),
		seqLifeline(seqBrokerX, lay.Height),
	}
	if lay.Omitted > 0 {
		parts = append(parts, inspectorSVG("text").
			Attr("x", seqWidth/2).Attr("y", seqTop-4).Attr("text-anchor", "middle").
			DataSet("seq", "omitted").
			Text(l.T("inspector.seq.omitted")+" "+strconv.Itoa(lay.Omitted)))
	}
	for i := range lay.Flows {
		if len(lay.Flows[i].Rows) > 1 {
			parts = append(parts, seqBracket(l, &lay, i))
		}
	}
	for i := range lay.Arrows {
		a := &lay.Arrows[i]
		parts = append(parts, seqArrowUI(l, a, &lay, a.Seq == selected, onSelect))
	}
	return inspectorSVG("svg").
		Attr("viewBox", "0 0 "+strconv.Itoa(seqWidth)+" "+strconv.Itoa(lay.Height)).
		Attr("width", "100%").
		Attr("role", "group").
		Aria("label", label).
		DataSet("seq", "diagram").
		DataSet("client", name).
		Body(parts...)
}

func seqHead(x int, text, who string) goapp.UI {
	return inspectorSVG("g").DataSet("seq", "head").DataSet("who", who).Body(
		inspectorSVG("rect").Attr("x", x-56).Attr("y", 4).Attr("width", 112).Attr("height", 26).Attr("rx", 6),
		inspectorSVG("text").Attr("x", x).Attr("y", 22).Attr("text-anchor", "middle").Text(cutRunes(text, 14)),
	)
}

func seqLifeline(x, height int) goapp.UI {
	return inspectorSVG("line").DataSet("seq", "lifeline").
		Attr("x1", x).Attr("y1", 30).Attr("x2", x).Attr("y2", height-4)
}

// seqBracket joins the rows of an exchange in its lane, with a tick at
// each of its packets; an exchange still waiting for its last packet is
// dashed.
func seqBracket(l i18n.Lang, lay *sequenceLayout, i int) goapp.UI {
	f := &lay.Flows[i]
	x := laneX(f.Lane)
	y1 := lay.Arrows[f.Rows[0]].Y
	y2 := lay.Arrows[f.Rows[len(f.Rows)-1]].Y
	parts := []goapp.UI{
		inspectorSVG("title").Text(flowTitle(l, f)),
		inspectorSVG("line").Attr("x1", x).Attr("y1", y1).Attr("x2", x).Attr("y2", y2),
	}
	for _, r := range f.Rows {
		y := lay.Arrows[r].Y
		parts = append(parts, inspectorSVG("line").Attr("x1", x-5).Attr("y1", y).Attr("x2", x).Attr("y2", y))
	}
	return inspectorSVG("g").
		DataSet("seq", "flow").
		DataSet("hue", i%seqHues).
		DataSet("kind", flowName(f.Kind)).
		DataSet("complete", strconv.FormatBool(f.Complete)).
		Body(parts...)
}

// seqArrowUI draws one packet: its arrow and, above it, its type and
// summary.
func seqArrowUI(l i18n.Lang, a *seqArrow, lay *sequenceLayout, selected bool, onSelect func(uint64)) goapp.UI {
	dir := 1
	if a.X2 < a.X1 {
		dir = -1
	}
	tip := a.X2 - dir*2
	head := strconv.Itoa(tip) + "," + strconv.Itoa(a.Y) + " " +
		strconv.Itoa(tip-dir*9) + "," + strconv.Itoa(a.Y-5) + " " +
		strconv.Itoa(tip-dir*9) + "," + strconv.Itoa(a.Y+5)
	text := a.Info.TypeName()
	if s := a.Info.Summary(l, 18); s != "" {
		text += " " + s
	}
	g := inspectorSVG("g").
		DataSet("seq", "arrow").
		DataSet("seqno", a.Seq).
		DataSet("type", a.Info.TypeName()).
		DataSet("step", a.Step).
		DataSet("selected", strconv.FormatBool(selected)).
		DataSet("error", strconv.FormatBool(a.Info.Err != nil)).
		Attr("role", "button").
		Attr("tabindex", 0).
		Aria("pressed", strconv.FormatBool(selected)).
		Aria("label", text)
	if a.Flow >= 0 {
		g = g.DataSet("hue", a.Flow%seqHues)
	}
	if onSelect != nil {
		seq := a.Seq
		g = g.On("click", func(ctx goapp.Context, e goapp.Event) {
			ctx.Emit(func() { onSelect(seq) })
		}, seq).On("keydown", func(ctx goapp.Context, e goapp.Event) {
			if k := e.Get("key").String(); k == "Enter" || k == " " {
				e.PreventDefault()
				ctx.Emit(func() { onSelect(seq) })
			}
		}, seq)
	}
	mid := (seqClientX + seqBrokerX) / 2
	return g.Body(
		inspectorSVG("title").Text(text),
		// A wide invisible stroke makes the thin arrow easy to hit.
		inspectorSVG("line").DataSet("seq", "hit").
			Attr("x1", a.X1).Attr("y1", a.Y-14).Attr("x2", a.X2).Attr("y2", a.Y-14).
			Attr("stroke-width", 28),
		inspectorSVG("line").DataSet("seq", "shaft").
			Attr("x1", a.X1).Attr("y1", a.Y).Attr("x2", tip-dir*8).Attr("y2", a.Y),
		inspectorSVG("polygon").DataSet("seq", "tip").Attr("points", head),
		inspectorSVG("text").Attr("x", mid).Attr("y", a.Y-6).Attr("text-anchor", "middle").Text(cutRunes(text, 52)),
	)
}

func flowName(k flowKind) string {
	switch k {
	case flowConnect:
		return "connect"
	case flowSubscribe:
		return "subscribe"
	case flowUnsubscribe:
		return "unsubscribe"
	case flowPing:
		return "ping"
	case flowQoS1:
		return "qos1"
	case flowQoS2:
		return "qos2"
	}
	return ""
}

// flowTitle says what an exchange is, for the tooltip of its bracket.
func flowTitle(l i18n.Lang, f *seqFlow) string {
	s := l.T("inspector.flow." + flowName(f.Kind))
	if f.PacketID != 0 {
		s += " · " + l.T("inspector.sum.packet_id") + " " + strconv.Itoa(int(f.PacketID))
	}
	if !f.Complete {
		s += " · " + l.T("inspector.flow.incomplete")
	}
	return s
}
