package app

import (
	"context"
	"strconv"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// rigRedraw is how often at most an experiment looks at its rig: a
// lesson's traffic is a few packets a second.
const rigRedraw = 150 * time.Millisecond

// lessonBase is what the experiments of the lessons share: the inputs the
// lesson page gives through setup, the rig of their clients, and the error
// of the last thing the learner asked for.
type lessonBase struct {
	goapp.Compo

	lang i18n.Lang
	done func(goapp.Context)
	rig  *rig
	err  error
}

// setup takes the lesson page's inputs. The page hands the same
// experiment back on every render, which go-app does not redraw by
// itself: a new language redraws it here.
func (b *lessonBase) setup(l i18n.Lang, _ string, done func(goapp.Context)) {
	changed := b.lang != l
	b.lang, b.done = l, done
	if changed && b.Mounted() {
		b.Update()
	}
}

// startRig makes the rig, in the browser only (the server pre-renders the
// page, it runs no client), and calls refresh on the UI goroutine, then
// redraws, whenever the rig changed, until the experiment is dismounted.
func (b *lessonBase) startRig(ctx goapp.Context, refresh func(goapp.Context)) bool {
	if !goapp.IsClient {
		return false
	}
	r := newRig(store.ObserverURL(goapp.Window().URL()))
	b.rig = r
	ctx.Async(func() {
		t := time.NewTicker(rigRedraw)
		defer t.Stop()
		var last uint64
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if v := r.Version(); v != last {
				last = v
				ctx.Dispatch(refresh)
			}
		}
	})
	return true
}

// OnDismount ends the rig's clients and their sessions.
func (b *lessonBase) OnDismount() {
	if r := b.rig; r != nil {
		go r.close()
	}
	b.rig = nil
}

// do runs op away from the UI goroutine (it waits for the network) and
// shows its error, if any, under the experiment.
func (b *lessonBase) do(ctx goapp.Context, op func(context.Context, *rig) error) {
	r := b.rig
	if r == nil {
		return
	}
	b.err = nil
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), opTimeout)
		err := op(c, r)
		cancel()
		ctx.Dispatch(func(goapp.Context) { b.err = err })
	})
}

// check turns the lesson's self-check green when ok.
func (b *lessonBase) check(ctx goapp.Context, ok bool) {
	if ok && b.done != nil {
		b.done(ctx)
	}
}

// An experiment's view is data: sections of controls, lists of lines and
// a sequence diagram, and a checklist, drawn by renderExp. Each lesson
// says what to show; one renderer draws every lesson, which keeps the
// WebAssembly small and the experiments alike.

// expSection is one part of an experiment. With a Title it is a card.
type expSection struct {
	ID, Title string
	Controls  []expControl
	Lists     []expList
	// Seq is a sequence diagram, drawn when it has Heads.
	Seq expSeq
}

// expControl kinds.
const (
	ctlButton = iota
	ctlCheck
	ctlSelect
)

// expControl is a button, a checkbox or a drop-down list.
type expControl struct {
	Kind      int
	ID, Label string
	Off       bool   // disabled
	On        bool   // checked
	Value     string // selected
	Choices   []choice
	// Do acts on a click (v is ""), a tick (v is "true" or "false") or a
	// choice (v is its value).
	Do func(ctx goapp.Context, v string)
}

// expList is a titled list of lines.
type expList struct {
	ID, Title string
	Lines     []expLine
	// Empty is shown when there are no lines.
	Empty string
}

// expLine is a line of a list; Alert marks it.
type expLine struct {
	Text  string
	Alert bool
}

// expSeq is a sequence diagram: Heads names the lifelines from left to
// right (a client, the broker, maybe another client).
type expSeq struct {
	ID, Label string
	Heads     []string
	Rows      []seqRow
}

// renderExp draws an experiment: its sections, the error of the last
// operation and the checklist.
func (b *lessonBase) renderExp(secs []expSection, checks ...checkItem) goapp.UI {
	body := make([]goapp.UI, 0, len(secs)+2)
	for i := range secs {
		body = append(body, renderSection(&secs[i]))
	}
	body = append(body, errorLine(b.lang, "lesson-exp", b.err), checkList(checks))
	return goapp.Div().Class("exp").Body(body...)
}

func renderSection(s *expSection) goapp.UI {
	var parts []goapp.UI
	if s.Title != "" {
		parts = append(parts, goapp.H3().Text(s.Title))
	}
	if len(s.Controls) > 0 {
		ctls := make([]goapp.UI, len(s.Controls))
		for i := range s.Controls {
			ctls[i] = renderControl(&s.Controls[i])
		}
		parts = append(parts, goapp.Div().Class("exp-controls").Body(ctls...))
	}
	for i := range s.Lists {
		parts = append(parts, renderList(&s.Lists[i]))
	}
	if len(s.Seq.Heads) > 0 {
		parts = append(parts, seqDiagram(&s.Seq))
	}
	d := goapp.Div().ID(s.ID).Body(parts...)
	if s.Title != "" {
		d = d.Class("lab-card", "exp-card")
	}
	return d
}

func renderControl(c *expControl) goapp.UI {
	do := c.Do
	switch c.Kind {
	case ctlCheck:
		return checkField(c.ID, c.Label, c.On, func(on bool) { do(nil, strconv.FormatBool(on)) })
	case ctlSelect:
		return selectField(c.ID, c.Label, c.Value, c.Choices, func(v string) { do(nil, v) })
	}
	return button(c.ID, c.Label, c.Off, func(ctx goapp.Context, _ goapp.Event) { do(ctx, "") })
}

func renderList(x *expList) goapp.UI {
	items := make([]goapp.UI, 0, len(x.Lines)+1)
	for _, ln := range x.Lines {
		li := goapp.Li().Text(ln.Text)
		if ln.Alert {
			li = li.Class("exp-alert")
		}
		items = append(items, li)
	}
	if len(items) == 0 && x.Empty != "" {
		items = append(items, goapp.Li().Class("lab-empty").Text(x.Empty))
	}
	var title goapp.UI
	if x.Title != "" {
		title = goapp.P().Class("exp-list-title").Text(x.Title)
	}
	return goapp.Div().Body(title, goapp.Ul().ID(x.ID).Class("exp-lines").Body(items...))
}

// checkItem is one step of an experiment's checklist.
type checkItem struct {
	id, text string
	ok       bool
}

// checkList shows which steps of the experiment the packets showed done:
// each item carries data-ok.
func checkList(items []checkItem) goapp.UI {
	lis := make([]goapp.UI, len(items))
	for i, it := range items {
		mark := "○ "
		if it.ok {
			mark = "✓ "
		}
		lis[i] = goapp.Li().ID(it.id).DataSet("ok", it.ok).Text(mark + it.text)
	}
	return goapp.Ul().Class("exp-checks").Body(lis...)
}

// seqRow is one arrow of a sequence diagram: a packet between the broker
// and a client.
type seqRow struct {
	// Seq orders the arrows of several clients.
	Seq uint64
	// Lane is the gap between two lifelines the arrow crosses, from 0.
	Lane int
	// Right says the arrow points to the right.
	Right bool
	Label string
	// Mark highlights the arrow: "dup", "end" or "".
	Mark string
}

// seqMaxRows bounds a diagram to its newest arrows.
const seqMaxRows = 24

// seqDiagram draws packets as arrows between lifelines, oldest at the
// top.
func seqDiagram(d *expSeq) goapp.UI {
	rows := d.Rows
	if len(rows) > seqMaxRows {
		rows = rows[len(rows)-seqMaxRows:]
	}
	parts := make([]goapp.UI, 0, len(rows)+1)
	heads := make([]goapp.UI, len(d.Heads))
	for i, h := range d.Heads {
		heads[i] = goapp.Span().Text(h)
	}
	parts = append(parts, goapp.Div().Class("seq-heads").Body(heads...))
	for _, r := range rows {
		dir := "left"
		if r.Right {
			dir = "right"
		}
		parts = append(parts, goapp.Div().Class("seq-row").DataSet("dir", dir).DataSet("mark", r.Mark).Body(
			goapp.Span().Class("seq-arrow").Style("grid-column", strconv.Itoa(r.Lane+1)).Text(r.Label)))
	}
	return goapp.Div().ID(d.ID).Class("seq").Attr("role", "img").Aria("label", d.Label).
		Style("--lanes", strconv.Itoa(len(d.Heads)-1)).Body(parts...)
}

// seqRows turns a client's packets into the arrows of lane lane; a client
// on the left of the broker sends to the right.
func seqRows(l i18n.Lang, pkts []rigPacket, lane int, left bool) []seqRow {
	rows := make([]seqRow, 0, len(pkts))
	for _, p := range pkts {
		r := seqRow{Seq: p.Seq, Lane: lane, Right: (p.Dir == client.Out) == left, Label: packetLabel(l, p)}
		switch {
		case p.Dup:
			r.Mark = "dup"
		case p.Type == protocol.DISCONNECT && p.Dir == client.In:
			r.Mark = "end"
		}
		rows = append(rows, r)
	}
	return rows
}

// seqMerge puts the arrows of two clients, each in the order its packets
// were seen, in the order of all their packets.
func seqMerge(a, b []seqRow) []seqRow {
	rows := make([]seqRow, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].Seq < b[0].Seq {
			rows, a = append(rows, a[0]), a[1:]
		} else {
			rows, b = append(rows, b[0]), b[1:]
		}
	}
	return append(append(rows, a...), b...)
}

// packetLabel names a packet with what a lesson looks at: identifier,
// QoS, flags, topic alias, reason code.
func packetLabel(l i18n.Lang, p rigPacket) string {
	s := p.Type.String()
	id := func() {
		if p.ID != 0 {
			s += " id=" + strconv.Itoa(int(p.ID))
		}
	}
	switch p.Type {
	case protocol.PUBLISH:
		s += " QoS " + strconv.Itoa(int(p.QoS))
		id()
		if p.Dup {
			s += " DUP"
		}
		if p.Retain {
			s += " RETAIN"
		}
		if p.Alias != 0 {
			s += " alias=" + strconv.Itoa(int(p.Alias))
		}
	case protocol.PUBACK, protocol.PUBREC, protocol.PUBREL, protocol.PUBCOMP:
		id()
		if p.Code != 0 {
			s += " " + reasonCode(l, p.Code, p.Type)
		}
	case protocol.CONNACK:
		s += " Session Present=" + map[bool]string{true: "1", false: "0"}[p.SessionPresent]
		if p.Code != 0 {
			s += " " + reasonCode(l, p.Code, p.Type)
		}
	case protocol.SUBACK, protocol.DISCONNECT:
		s += " " + reasonCode(l, p.Code, p.Type)
	}
	return s + " · " + strconv.Itoa(p.Size) + " B"
}

// packetsOf returns the packets of type t among pkts that went dir.
func packetsOf(pkts []rigPacket, dir client.Direction, t protocol.Type) []rigPacket {
	var out []rigPacket
	for _, p := range pkts {
		if p.Dir == dir && p.Type == t {
			out = append(out, p)
		}
	}
	return out
}
