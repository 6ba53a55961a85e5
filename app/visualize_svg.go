package app

import (
	"cmp"
	"fmt"
	"sort"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/flow"
	"github.com/mqttlab/mqttlab/app/i18n"
)

// svgEl makes an SVG element. go-app sets "class" as the className
// property, which SVG elements do not have: the drawing is styled by
// data attributes instead (see app.css, section visualize).
func svgEl(tag string) goapp.HTMLElem { return goapp.Elem(tag).XMLNS(svgNS) }

// num formats a coordinate; one decimal is finer than a pixel and keeps
// attribute updates few.
func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func svgText(x, y float64, s string) goapp.HTMLElem {
	return svgEl("text").Attr("x", num(x)).Attr("y", num(y)).Text(s)
}

// vizClip shortens s to n characters, marking the cut.
func vizClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// vizDrawing is the SVG of one scene.
type vizDrawing struct {
	lang i18n.Lang
	s    *flow.Scene
	// pubs and subs are the clients to draw, which may be a few frames
	// older than s (their figures are drawn less often than the dots).
	pubs, subs []flow.Node
}

func (v vizDrawing) render() goapp.UI {
	s, l := v.s, v.lang
	var pubs, subs, queues []goapp.UI
	for _, n := range v.pubs {
		pubs = append(pubs, &vizNodeView{Lang: l, Role: "publisher", Node: n})
	}
	for _, n := range v.subs {
		subs = append(subs, &vizNodeView{Lang: l, Role: "subscriber", Node: n})
		if n.Queue > 0 {
			queues = append(queues, v.queue(n))
		}
	}
	dots, bundles := v.dots()
	var notes []goapp.UI
	for _, n := range s.Notes {
		anchor := "middle"
		if n.Kind == flow.NoteRefused {
			anchor = "start"
		}
		notes = append(notes, svgText(n.X, n.Y, vizClip(v.note(n), vizNoteChars(v.lang))).
			Attr("text-anchor", anchor).Attr("opacity", num(n.Opacity)).
			DataSet("kind", vizNoteKinds[n.Kind]).DataSet("client", n.Client))
	}
	viewBox := "0 0 " + num(s.Width) + " " + num(s.Height)
	// Two drawings, one on the other: what moves every frame (the dots)
	// on top, in a layer of its own, so that the browser does not paint
	// the clients and the broker again at every frame.
	back := svgEl("svg").
		Attr("viewBox", viewBox).
		Attr("role", "img").
		Attr("aria-label", l.T("visualize.diagram.label")).
		Body(
			svgEl("g").DataSet("layer", "headings").Body(
				svgText(12, 22, l.T("visualize.diagram.publishers")),
				svgText(s.Broker.X+s.Broker.W/2, 22, l.T("visualize.diagram.broker")).Attr("text-anchor", "middle"),
				svgText(s.Width-12, 22, l.T("visualize.diagram.subscribers")).Attr("text-anchor", "end"),
			),
			svgEl("rect").DataSet("part", "broker").
				Attr("x", num(s.Broker.X)).Attr("y", num(s.Broker.Y)).
				Attr("width", num(s.Broker.W)).Attr("height", num(s.Broker.H)).Attr("rx", "12"),
			svgEl("path").DataSet("part", "lanes").Attr("d", v.lanes()),
			v.shelf(),
			svgEl("g").DataSet("layer", "publishers").Body(pubs...),
			svgEl("g").DataSet("layer", "subscribers").Body(subs...),
			svgEl("g").DataSet("layer", "queues").Body(queues...),
		)
	front := svgEl("svg").
		Attr("viewBox", viewBox).
		Aria("hidden", true).
		DataSet("layer", "moving").
		Body(
			svgEl("g").DataSet("layer", "dots").Body(dots...),
			svgEl("g").DataSet("layer", "bundles").Body(bundles...),
			svgEl("g").DataSet("layer", "notes").Body(notes...),
		)
	return el("div", "viz-canvas").Body(back, front)
}

// vizDotLayer is the key of one path of dots: all dots of a kind, size
// and (faded) opacity are one path, so that a frame updates a few
// attributes however many dots move.
type vizDotLayer struct {
	kind    flow.DotKind
	big     bool
	opacity int // quarters
}

// vizMaxLabels bounds the "×N" labels of bundled dots drawn at once.
const vizMaxLabels = 12

// dots draws the scene's dots as one path per layer, and labels the
// biggest bundles with the number of messages they carry.
func (v vizDrawing) dots() (paths, labels []goapp.UI) {
	var order []vizDotLayer
	d := map[vizDotLayer][]byte{}
	for _, dot := range v.s.Dots {
		k := vizDotLayer{kind: dot.Kind, big: dot.Bundled > 1, opacity: int(dot.Opacity*4 + 0.5)}
		if k.opacity == 0 {
			continue
		}
		b, ok := d[k]
		if !ok {
			order = append(order, k)
		}
		// A circle as two arcs: the shape of <circle>, in a path.
		r, arcs := 4.0, "a4 4 0 1 0 8 0a4 4 0 1 0 -8 0"
		if k.big {
			r, arcs = 5.5, "a5.5 5.5 0 1 0 11 0a5.5 5.5 0 1 0 -11 0"
		}
		b = append(b, 'M')
		b = strconv.AppendFloat(b, dot.Pos.X-r, 'f', 1, 64)
		b = append(b, ' ')
		b = strconv.AppendFloat(b, dot.Pos.Y, 'f', 1, 64)
		d[k] = append(b, arcs...)
	}
	// The same layers in the same order every frame: go-app then updates
	// one attribute per path rather than replacing elements.
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(b.opacity, a.opacity), cmp.Compare(vizBool(a.big), vizBool(b.big))) < 0
	})
	for _, k := range order {
		p := svgEl("path").Attr("d", string(d[k])).DataSet("kind", k.kind.String())
		if k.opacity < 4 {
			p = p.Attr("opacity", num(float64(k.opacity)/4))
		}
		paths = append(paths, p)
	}
	var big []flow.Dot
	for _, dot := range v.s.Dots {
		if dot.Bundled > 1 && dot.Opacity == 1 {
			big = append(big, dot)
		}
	}
	sort.Slice(big, func(i, j int) bool { return big[i].Weight > big[j].Weight })
	for _, dot := range big[:min(len(big), vizMaxLabels)] {
		labels = append(labels, svgText(dot.Pos.X+7, dot.Pos.Y-5, "×"+strconv.FormatInt(dot.Weight, 10)))
	}
	return paths, labels
}

func vizBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lanes is the path of the lines from each publisher to the broker and
// from the broker to each subscriber.
func (v vizDrawing) lanes() string {
	var b strings.Builder
	for _, n := range v.pubs {
		y := num(n.Box.Y + n.Box.H/2)
		fmt.Fprintf(&b, "M%s %sH%s", num(n.Box.X+n.Box.W), y, num(v.s.Broker.X))
	}
	for _, n := range v.subs {
		y := num(n.Box.Y + n.Box.H/2)
		fmt.Fprintf(&b, "M%s %sH%s", num(v.s.Broker.X+v.s.Broker.W), y, num(n.Box.X))
	}
	return b.String()
}

func (v vizDrawing) shelf() goapp.UI {
	s, l := v.s, v.lang
	items := []goapp.UI{svgText(s.RetainedLabel.X, s.RetainedLabel.Y, l.T("visualize.diagram.retained")).DataSet("part", "label")}
	for _, r := range s.Retained {
		items = append(items, svgEl("g").DataSet("part", "retained").DataSet("topic", r.Topic).Body(
			svgEl("circle").Attr("cx", num(r.Pos.X)).Attr("cy", num(r.Pos.Y-4)).Attr("r", "3.5").DataSet("kind", "retain"),
			svgText(r.Pos.X+9, r.Pos.Y, vizClip(r.Topic, 30)),
			svgEl("title").Text(fmt.Sprintf(l.T("visualize.diagram.retained_topic"), r.Topic, r.Size)),
		))
	}
	if s.RetainedMore > 0 {
		items = append(items, svgText(s.RetainedMorePos.X, s.RetainedMorePos.Y,
			fmt.Sprintf(l.T("visualize.diagram.retained_more"), s.RetainedMore)).DataSet("part", "label"))
	}
	if len(items) == 1 {
		items = append(items, svgText(s.RetainedLabel.X+4, s.RetainedLabel.Y+16, l.T("visualize.diagram.retained_none")).DataSet("part", "label"))
	}
	return svgEl("g").DataSet("layer", "retained").Body(items...)
}

// nodeBody draws a node's box and texts: a title and a count on the
// first line, details and a state word on the second.
func nodeBody(b flow.Box, title, count, detail, state, tip string) []goapp.UI {
	return []goapp.UI{
		svgEl("title").Text(tip),
		svgEl("rect").Attr("x", num(b.X)).Attr("y", num(b.Y)).Attr("width", num(b.W)).Attr("height", num(b.H)).Attr("rx", "8"),
		svgText(b.X+10, b.Y+18, vizClip(title, 18)).DataSet("part", "name"),
		svgText(b.X+b.W-10, b.Y+18, count).Attr("text-anchor", "end").DataSet("part", "count"),
		svgText(b.X+10, b.Y+35, detail).DataSet("part", "detail"),
		svgText(b.X+b.W-10, b.Y+35, state).Attr("text-anchor", "end").DataSet("part", "state"),
	}
}

func vizNodeState(n flow.Node) string {
	switch {
	case n.ID == "":
		return "others"
	case n.Ended:
		return "ended"
	case !n.Online:
		return "offline"
	}
	return "online"
}

func (v vizDrawing) stateWord(n flow.Node) string {
	l := v.lang
	switch vizNodeState(n) {
	case "ended":
		return l.T("visualize.node.ended")
	case "offline":
		return l.T("visualize.node.offline")
	}
	if n.Persistent {
		return l.T("visualize.node.persistent")
	}
	return ""
}

// vizNodeView is one client of the diagram. It is a component so that
// go-app draws again only the clients whose figures changed since the
// last frame, not all of them at every frame.
type vizNodeView struct {
	goapp.Compo

	Lang i18n.Lang
	// Role is "publisher" or "subscriber".
	Role string
	Node flow.Node
}

// Render draws the node's box, name, count, detail and state.
func (c *vizNodeView) Render() goapp.UI {
	n, l := c.Node, c.Lang
	v := vizDrawing{lang: l}
	g := svgEl("g").DataSet("role", c.Role).DataSet("client", n.ID).DataSet("state", vizNodeState(n)).
		DataSet("pinned", n.Pinned)
	if c.Role == "publisher" {
		title, detail := n.ID, vizClip(n.LastTopic, 20)
		if n.ID == "" {
			title = fmt.Sprintf(l.T("visualize.node.more_publishers"), n.Others)
			detail = ""
		}
		tip := fmt.Sprintf(l.T("visualize.node.publisher_tip"), title, n.Sent, n.LastTopic)
		return g.DataSet("sent", n.Sent).
			Body(nodeBody(n.Box, title, strconv.FormatInt(n.Sent, 10), detail, v.stateWord(n), tip)...)
	}
	title, detail := n.ID, vizClip(strings.Join(n.Filters, ", "), 20)
	if n.ID == "" {
		title = fmt.Sprintf(l.T("visualize.node.more_subscribers"), n.Others)
		detail = ""
	}
	tip := fmt.Sprintf(l.T("visualize.node.subscriber_tip"), title, strings.Join(n.Filters, ", "), n.Received, n.Dropped, n.Queue)
	if len(n.Shared) > 0 {
		tip += "\n" + fmt.Sprintf(l.T("visualize.node.shared"), strings.Join(n.Shared, ", "))
	}
	return g.DataSet("shared", len(n.Shared) > 0).
		DataSet("received", n.Received).DataSet("dropped", n.Dropped).DataSet("queue", n.Queue).
		Body(nodeBody(n.Box, title, strconv.FormatInt(n.Received, 10), detail, v.stateWord(n), tip)...)
}

// queue draws the messages the broker holds for a subscriber as a stack
// of slots leftwards from the broker's edge, with their count.
func (v vizDrawing) queue(n flow.Node) goapp.UI {
	var b strings.Builder
	for i := range min(n.Queue, flow.QueueShown) {
		x := n.QueueEnd.X - float64(i+1)*flow.QueueSlot
		fmt.Fprintf(&b, "M%s %sh5v10h-5z", num(x), num(n.QueueEnd.Y-5))
	}
	return svgEl("g").DataSet("role", "queue").DataSet("client", n.ID).DataSet("count", n.Queue).Body(
		svgEl("path").Attr("d", b.String()).DataSet("kind", "queue"),
		svgText(n.QueueEnd.X, n.QueueEnd.Y-9, fmt.Sprintf(v.lang.T("visualize.node.queued"), n.Queue)).
			Attr("text-anchor", "end"),
	)
}

// vizNoteChars is how many characters of a note fit in flow.NoteWidth:
// Chinese characters are about twice as wide as Latin ones.
func vizNoteChars(l i18n.Lang) int {
	if l == i18n.Zh {
		return flow.NoteWidth / 10
	}
	return flow.NoteWidth / 7
}

var vizNoteKinds = map[flow.NoteKind]string{flow.NoteDrop: "drop", flow.NoteRefused: "refused", flow.NoteLost: "lost"}

// note says what a note means, with the broker's reason in the reader's
// language when the catalog knows it.
func (v vizDrawing) note(n flow.Note) string {
	l := v.lang
	why := vizReason(l, n.Reason)
	switch n.Kind {
	case flow.NoteRefused:
		return fmt.Sprintf(l.T("visualize.note.refused"), why)
	case flow.NoteLost:
		return fmt.Sprintf(l.T("visualize.note.lost"), n.Count, why)
	}
	return fmt.Sprintf(l.T("visualize.note.dropped"), n.Count, why)
}

// vizReasons maps the broker's reasons (server/broker/TELEMETRY.md) to
// messages; a reason starting with a key's text is that reason.
var vizReasons = []struct{ prefix, key string }{
	{"offline (QoS 0 is not queued)", "visualize.reason.offline_qos0"},
	{"session queue full", "visualize.reason.queue_full"},
	{"connection buffer full", "visualize.reason.slow_consumer"},
	{"larger than the client's maximum packet size", "visualize.reason.too_large"},
	{"message expired", "visualize.reason.expired"},
	{"not authorized to read", "visualize.reason.read_denied"},
	{"not authorized to publish", "visualize.reason.publish_denied"},
	{"clients cannot publish to $SYS", "visualize.reason.sys_topic"},
	{"payload is not the UTF-8", "visualize.reason.bad_utf8"},
	{"session expired", "visualize.reason.session_expired"},
	{"clean session ended", "visualize.reason.clean_ended"},
	{"replaced by a clean start", "visualize.reason.clean_start"},
}

func vizReason(l i18n.Lang, reason string) string {
	for _, r := range vizReasons {
		if strings.HasPrefix(reason, r.prefix) {
			return l.T(r.key)
		}
	}
	return reason
}
