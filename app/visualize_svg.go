package app

import (
	"fmt"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/flow"
	"github.com/mqttlab/mqttlab/app/i18n"
)

const svgNS = "http://www.w3.org/2000/svg"

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
}

func (v vizDrawing) render() goapp.UI {
	s, l := v.s, v.lang
	var pubs, subs, queues []goapp.UI
	for _, n := range s.Publishers {
		pubs = append(pubs, v.publisher(n))
	}
	for _, n := range s.Subscribers {
		subs = append(subs, v.subscriber(n))
		if n.Queue > 0 {
			queues = append(queues, v.queue(n))
		}
	}
	dots := make([]goapp.UI, 0, len(s.Dots))
	var bundles []goapp.UI
	for _, d := range s.Dots {
		r := 4.0
		if d.Weight > 1 {
			r = 5.5
			bundles = append(bundles, svgText(d.Pos.X+7, d.Pos.Y-5, "×"+strconv.FormatInt(d.Weight, 10)))
		}
		c := svgEl("circle").Attr("cx", num(d.Pos.X)).Attr("cy", num(d.Pos.Y)).Attr("r", num(r)).
			DataSet("kind", d.Kind.String()).DataSet("to", d.To)
		if d.Opacity < 1 {
			c = c.Attr("opacity", num(d.Opacity))
		}
		dots = append(dots, c)
	}
	var notes []goapp.UI
	for _, n := range s.Notes {
		notes = append(notes, svgText(n.X, n.Y, v.note(n)).
			Attr("text-anchor", "middle").Attr("opacity", num(n.Opacity)).
			DataSet("kind", vizNoteKinds[n.Kind]).DataSet("client", n.Client))
	}
	return svgEl("svg").
		Attr("viewBox", "0 0 "+num(s.Width)+" "+num(s.Height)).
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
			svgEl("g").DataSet("layer", "dots").Body(dots...),
			svgEl("g").DataSet("layer", "bundles").Body(bundles...),
			svgEl("g").DataSet("layer", "notes").Body(notes...),
		)
}

// lanes is the path of the lines from each publisher to the broker and
// from the broker to each subscriber.
func (v vizDrawing) lanes() string {
	var b strings.Builder
	for _, n := range v.s.Publishers {
		y := num(n.Box.Y + n.Box.H/2)
		fmt.Fprintf(&b, "M%s %sH%s", num(n.Box.X+n.Box.W), y, num(v.s.Broker.X))
	}
	for _, n := range v.s.Subscribers {
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

func (v vizDrawing) publisher(n flow.Node) goapp.UI {
	l := v.lang
	title, detail := n.ID, vizClip(n.LastTopic, 20)
	if n.ID == "" {
		title = fmt.Sprintf(l.T("visualize.node.more_publishers"), n.Others)
		detail = ""
	}
	count := strconv.FormatInt(n.Sent, 10)
	tip := fmt.Sprintf(l.T("visualize.node.publisher_tip"), title, n.Sent, n.LastTopic)
	return svgEl("g").
		DataSet("role", "publisher").DataSet("client", n.ID).DataSet("state", vizNodeState(n)).
		DataSet("pinned", n.Pinned).DataSet("sent", n.Sent).
		Body(nodeBody(n.Box, title, count, detail, v.stateWord(n), tip)...)
}

func (v vizDrawing) subscriber(n flow.Node) goapp.UI {
	l := v.lang
	title, detail := n.ID, vizClip(strings.Join(n.Filters, ", "), 20)
	if n.ID == "" {
		title = fmt.Sprintf(l.T("visualize.node.more_subscribers"), n.Others)
		detail = ""
	}
	tip := fmt.Sprintf(l.T("visualize.node.subscriber_tip"), title, strings.Join(n.Filters, ", "), n.Received, n.Dropped, n.Queue)
	if len(n.Shared) > 0 {
		tip += "\n" + fmt.Sprintf(l.T("visualize.node.shared"), strings.Join(n.Shared, ", "))
	}
	return svgEl("g").
		DataSet("role", "subscriber").DataSet("client", n.ID).DataSet("state", vizNodeState(n)).
		DataSet("pinned", n.Pinned).DataSet("shared", len(n.Shared) > 0).
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
