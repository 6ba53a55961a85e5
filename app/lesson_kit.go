package app

import (
	"context"
	"strconv"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
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

// makeRig makes the rig, in the browser only: the server pre-renders the
// page, it runs no client.
func (b *lessonBase) makeRig() bool {
	if !goapp.IsClient {
		return false
	}
	b.rig = newRig(store.ObserverURL(goapp.Window().URL()))
	return true
}

// startRig makes the rig and calls refresh on the UI goroutine, then
// redraws, whenever the rig or the packet log changed, until the
// experiment is dismounted.
func (b *lessonBase) startRig(ctx goapp.Context, refresh func(goapp.Context)) bool {
	if !b.makeRig() {
		return false
	}
	r := b.rig
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
			if v := r.Version() + store.Log.Version(); v != last {
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
// shows its error, if any, under the experiment; then, if given, runs on
// the UI goroutine after op succeeded.
func (b *lessonBase) do(ctx goapp.Context, op func(context.Context, *rig) error, then ...func()) {
	r := b.rig
	if r == nil {
		return
	}
	b.err = nil
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), opTimeout)
		err := op(c, r)
		cancel()
		ctx.Dispatch(func(goapp.Context) {
			b.err = err
			if err == nil && len(then) > 0 {
				then[0]()
			}
		})
	})
}

// check turns the lesson's self-check green when ok.
func (b *lessonBase) check(ctx goapp.Context, ok bool) {
	if ok && b.done != nil {
		b.done(ctx)
	}
}

// An experiment's view is data: sections of controls, lists of lines and
// sequence diagrams (the inspector's), and a checklist, drawn by renderExp. Each lesson
// says what to show; one renderer draws every lesson, which keeps the
// WebAssembly small and the experiments alike.

// expSection is one part of an experiment. With a Title it is a card.
type expSection struct {
	ID, Title string
	Controls  []expControl
	Lists     []expList
	// Diagrams are sequence diagrams, side by side.
	Diagrams []expDiagram
	// Extra is drawn last: what a lesson borrows from a page.
	Extra []goapp.UI
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

// expDiagram is the sequence diagram of one client: Name heads its
// lifeline.
type expDiagram struct {
	Name    string
	Packets []store.Packet
}

// renderExp draws an experiment: its sections, the error of the last
// operation and the checklist.
func (b *lessonBase) renderExp(secs []expSection, checks ...checkItem) goapp.UI {
	body := make([]goapp.UI, 0, len(secs)+2)
	for i := range secs {
		body = append(body, renderSection(b.lang, &secs[i]))
	}
	body = append(body, errorLine(b.lang, "lesson-exp", b.err), checkList(checks))
	return el("div", "exp").Body(body...)
}

func renderSection(lang i18n.Lang, s *expSection) goapp.UI {
	var parts []goapp.UI
	if s.Title != "" {
		parts = append(parts, textEl("h3", "", s.Title))
	}
	if len(s.Controls) > 0 {
		ctls := make([]goapp.UI, len(s.Controls))
		for i := range s.Controls {
			ctls[i] = renderControl(&s.Controls[i])
		}
		parts = append(parts, el("div", "exp-controls").Body(ctls...))
	}
	for i := range s.Lists {
		parts = append(parts, renderList(&s.Lists[i]))
	}
	if len(s.Diagrams) > 0 {
		ds := make([]goapp.UI, len(s.Diagrams))
		for i, d := range s.Diagrams {
			ds[i] = el("div", "sequence").DataSet("client", d.Name).Body(
				textEl("h3", "", d.Name),
				&sequenceDiagram{Lang: lang, Client: d.Name, Packets: d.Packets},
			)
		}
		parts = append(parts, el("div", "exp-seqs").Body(ds...))
	}
	parts = append(parts, s.Extra...)
	class := ""
	if s.Title != "" {
		class = "lab-card exp-card"
	}
	return el("div", class).ID(s.ID).Body(parts...)
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
		class := ""
		if ln.Alert {
			class = "exp-alert"
		}
		items = append(items, textEl("li", class, ln.Text))
	}
	if len(items) == 0 && x.Empty != "" {
		items = append(items, textEl("li", "lab-empty", x.Empty))
	}
	var title goapp.UI
	if x.Title != "" {
		title = textEl("p", "exp-list-title", x.Title)
	}
	return el("div", "").Body(title, el("ul", "exp-lines").ID(x.ID).Body(items...))
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
		lis[i] = textEl("li", "", mark+it.text).ID(it.id).DataSet("ok", it.ok)
	}
	return el("ul", "exp-checks").Body(lis...)
}

// lastPackets returns the packets a sequence diagram shows: the newest.
func lastPackets(pkts []store.Packet) []store.Packet {
	return pkts[max(0, len(pkts)-seqMaxPackets):]
}
