package app

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// counted sums what the experiment clients counted, so the page knows
// when its controls show stale figures.
func (x *vizExperiments) counted() int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	var n int64
	for _, s := range x.subs {
		n += s.Received()
	}
	if x.pub != nil {
		n += x.pub.Sent() + x.pub.Failed()
	}
	return n
}

// vizRefresh is how often the panel redraws while its clients count
// messages.
const vizRefresh = 250 * time.Millisecond

// vizLabPanel is the part of /visualize where the user makes experiment
// clients: subscribers to add and then take offline, bring back or slow
// down, and a publisher. It redraws itself as its clients count messages,
// so that the page around it does not.
type vizLabPanel struct {
	goapp.Compo

	// Lang is the language to render in.
	Lang i18n.Lang
	// Lab holds the clients; nil before the page has mounted.
	Lab *vizExperiments

	subFilter     string
	subQoS        string
	subPersistent bool
	subErr        string

	pubTopic  string
	pubQoS    string
	pubRetain bool
	pubRate   float64
	pubErr    string

	redraw atomic.Bool                    // a redraw is dispatched and not done yet
	labRef atomic.Pointer[vizExperiments] // Lab, for the refresh goroutine
}

// OnInit sets the forms' defaults, on the server too.
func (p *vizLabPanel) OnInit() {
	p.subFilter, p.subQoS, p.subPersistent = "viz/#", "1", true
	p.pubTopic, p.pubQoS, p.pubRate = "viz/hello", "1", 1
}

// OnMount has the panel redrawn when its clients change, and while they
// count messages.
func (p *vizLabPanel) OnMount(ctx goapp.Context) {
	p.follow(ctx)
	ctx.Async(func() { p.refresh(ctx) })
}

// OnUpdate follows a new Lab from the page.
func (p *vizLabPanel) OnUpdate(ctx goapp.Context) { p.follow(ctx) }

func (p *vizLabPanel) follow(ctx goapp.Context) {
	p.labRef.Store(p.Lab)
	if p.Lab != nil {
		p.Lab.onChange(func() { p.requestRedraw(ctx) })
	}
}

// OnDismount stops the redraws.
func (p *vizLabPanel) OnDismount() {
	if p.Lab != nil {
		p.Lab.onChange(nil)
	}
}

// requestRedraw asks for one redraw, however many goroutines ask before
// it is done.
func (p *vizLabPanel) requestRedraw(ctx goapp.Context) {
	if p.redraw.Swap(true) {
		return
	}
	ctx.Dispatch(func(goapp.Context) { p.redraw.Store(false) })
}

// refresh redraws the panel while its clients count messages.
func (p *vizLabPanel) refresh(ctx goapp.Context) {
	t := time.NewTicker(vizRefresh)
	defer t.Stop()
	var last int64
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		lab := p.labRef.Load()
		if lab == nil {
			continue
		}
		if n := lab.counted(); n != last {
			last = n
			p.requestRedraw(ctx)
		}
	}
}

// Render draws the subscribers' and the publisher's panels.
func (p *vizLabPanel) Render() goapp.UI {
	return el("div", "viz-panels").Body(
		p.renderSubscribers(),
		p.renderPublisher(),
	)
}

// renderSubscribers is the panel that adds experiment subscribers and
// lists them with what can be done to each.
func (p *vizLabPanel) renderSubscribers() goapp.UI {
	l := p.Lang
	var subs []*vizSubscriber
	if p.Lab != nil {
		subs = p.Lab.Subscribers()
	}
	items := make([]goapp.UI, 0, len(subs))
	for _, s := range subs {
		items = append(items, p.renderSubscriber(s))
	}
	var list goapp.UI = msgEl(l, "p", "viz-empty", "visualize.subs.none")
	if len(items) > 0 {
		list = el("ul", "viz-subs").ID("viz-subs").Body(items...)
	}
	return el("section", "viz-panel").Aria("labelledby", "viz-subs-heading").Body(
		msgEl(l, "h2", "", "visualize.subs.title").ID("viz-subs-heading"),
		msgEl(l, "p", "viz-help", "visualize.subs.help"),
		el("form", "viz-form").
			OnSubmit(func(ctx goapp.Context, e goapp.Event) { e.PreventDefault(); p.addSubscriber() }).
			Body(
				msgEl(l, "label", "", "visualize.subs.filter").Attr("for", "viz-sub-filter"),
				goapp.ElemSelfClosing("input").ID("viz-sub-filter").Attr("type", "text").Attr("value", p.subFilter).
					Attr("spellcheck", "false").Attr("autocomplete", "off").
					OnInput(func(ctx goapp.Context, e goapp.Event) { p.subFilter = vizInputValue(ctx) }),
				msgEl(l, "label", "", "visualize.qos").Attr("for", "viz-sub-qos"),
				vizQoSSelect("viz-sub-qos", p.subQoS, l, func(v string) { p.subQoS = v }),
				el("label", "viz-check").Body(
					goapp.ElemSelfClosing("input").ID("viz-sub-persistent").Attr("type", "checkbox").Attr("checked", p.subPersistent).
						OnChange(func(ctx goapp.Context, e goapp.Event) { p.subPersistent = vizInputChecked(ctx) }),
					goapp.Text(l.T("visualize.subs.persistent")),
				),
				msgEl(l, "button", "button button-primary", "visualize.subs.add").ID("viz-add-sub").Attr("type", "submit"),
			),
		goapp.If(p.subErr != "", textEl("p", "viz-error", p.subErr).Attr("role", "alert")),
		list,
	)
}

func (p *vizLabPanel) addSubscriber() {
	l := p.Lang
	qos, err := vizQoS(p.subQoS)
	if err == nil {
		err = p.Lab.AddSubscriber(strings.TrimSpace(p.subFilter), qos, p.subPersistent)
	}
	p.subErr = ""
	if err != nil {
		p.subErr = fmt.Sprintf(l.T("visualize.subs.error"), err)
	}
}

func (p *vizLabPanel) renderSubscriber(s *vizSubscriber) goapp.UI {
	l := p.Lang
	state, err := s.State()
	session := l.T("visualize.subs.clean")
	if s.Persistent {
		session = l.T("visualize.subs.kept")
	}
	var stateText string
	switch state {
	case vizSubOnline:
		stateText = l.T("visualize.subs.online")
	case vizSubOffline:
		stateText = l.T("visualize.subs.offline")
	case vizSubFailed:
		stateText = fmt.Sprintf(l.T("visualize.subs.failed"), err)
	default:
		stateText = l.T("visualize.subs.connecting")
	}
	id := s.ID
	slow := s.Slow()
	// go-app keeps an element's handler when the new one comes from the
	// same function literal: the scope (which subscriber, which action,
	// which way the toggle goes) makes it take the new one.
	button := func(class, text string, fn func()) goapp.HTMLElem {
		return textEl("button", "button "+class, text).Attr("type", "button").
			OnClick(func(ctx goapp.Context, e goapp.Event) { fn() }, id, class, slow)
	}
	var actions []goapp.UI
	if state == vizSubOnline {
		actions = append(actions,
			button("viz-offline", l.T("visualize.subs.disconnect"), func() { p.Lab.Offline(id, false) }).
				Title(l.T("visualize.subs.disconnect_tip")),
			button("viz-drop", l.T("visualize.subs.drop"), func() { p.Lab.Offline(id, true) }).
				Title(l.T("visualize.subs.drop_tip")),
		)
	}
	if state == vizSubOffline || state == vizSubFailed {
		actions = append(actions, button("viz-online", l.T("visualize.subs.reconnect"), func() { p.Lab.Online(id) }))
	}
	actions = append(actions,
		button("viz-slow", l.T("visualize.subs.slow"), func() { p.Lab.SetSlow(id, !slow) }).
			Aria("pressed", slow).Title(l.T("visualize.subs.slow_tip")),
		button("viz-remove", l.T("visualize.subs.remove"), func() { p.Lab.Remove(id) }),
	)
	return el("li", "").DataSet("sub", id).DataSet("state", state.String()).Body(
		el("div", "viz-sub-head").Body(
			textEl("code", "viz-sub-id", id),
			textEl("span", "viz-sub-state", stateText).DataSet("state", state.String()),
		),
		el("div", "viz-sub-info").Body(
			textEl("code", "", s.Filter),
			goapp.Text(" · "+fmt.Sprintf(l.T("visualize.subs.qos"), s.QoS)+" · "+session+" · "),
			textEl("span", "viz-sub-received", fmt.Sprintf(l.T("visualize.subs.received"), s.Received())),
		),
		el("div", "viz-actions").Body(actions...),
	)
}

// renderPublisher is the panel of the page's publisher.
func (p *vizLabPanel) renderPublisher() goapp.UI {
	l := p.Lang
	var pub *vizPublisher
	if p.Lab != nil {
		pub, _ = p.Lab.current()
	}
	running := pub != nil && pub.Running()
	start := l.T("visualize.pub.start")
	if running {
		start = l.T("visualize.pub.stop")
	}
	status := l.T("visualize.pub.idle")
	if pub != nil {
		status = fmt.Sprintf(l.T("visualize.pub.sent"), pub.ID, pub.Sent())
	}
	errText := p.pubErr
	if errText == "" && pub != nil && pub.Err() != nil {
		errText = fmt.Sprintf(l.T("visualize.pub.error"), pub.Err())
	}
	rates := make([]goapp.UI, 0, len(vizRates))
	for _, r := range vizRates {
		v := strconv.FormatFloat(r, 'f', -1, 64)
		rates = append(rates, textEl("option", "", fmt.Sprintf(l.T("visualize.pub.rate_n"), v)).Attr("value", v).Attr("selected", r == p.pubRate))
	}
	return el("section", "viz-panel").Aria("labelledby", "viz-pub-heading").Body(
		msgEl(l, "h2", "", "visualize.pub.title").ID("viz-pub-heading"),
		msgEl(l, "p", "viz-help", "visualize.pub.help"),
		el("div", "viz-form").Body(
			msgEl(l, "label", "", "visualize.pub.topic").Attr("for", "viz-pub-topic"),
			goapp.ElemSelfClosing("input").ID("viz-pub-topic").Attr("type", "text").Attr("value", p.pubTopic).
				Attr("spellcheck", "false").Attr("autocomplete", "off").
				OnInput(func(ctx goapp.Context, e goapp.Event) { p.pubTopic = vizInputValue(ctx) }),
			msgEl(l, "label", "", "visualize.qos").Attr("for", "viz-pub-qos"),
			vizQoSSelect("viz-pub-qos", p.pubQoS, l, func(v string) { p.pubQoS = v }),
			msgEl(l, "label", "", "visualize.pub.rate").Attr("for", "viz-pub-rate"),
			el("select", "").ID("viz-pub-rate").
				OnChange(func(ctx goapp.Context, e goapp.Event) {
					if r, err := strconv.ParseFloat(vizInputValue(ctx), 64); err == nil && r > 0 {
						p.pubRate = r
					}
				}).
				Body(rates...),
			el("label", "viz-check").Body(
				goapp.ElemSelfClosing("input").ID("viz-pub-retain").Attr("type", "checkbox").Attr("checked", p.pubRetain).
					OnChange(func(ctx goapp.Context, e goapp.Event) { p.pubRetain = vizInputChecked(ctx) }),
				goapp.Text(l.T("visualize.pub.retain")),
			),
			el("div", "viz-actions").Body(
				textEl("button", "button button-primary", start).ID("viz-pub-start").Attr("type", "button").
					Aria("pressed", running).
					OnClick(func(ctx goapp.Context, e goapp.Event) { p.togglePublishing(ctx) }),
				msgEl(l, "button", "button", "visualize.pub.once").ID("viz-pub-once").Attr("type", "button").
					OnClick(func(ctx goapp.Context, e goapp.Event) { p.publishOnce(ctx) }),
			),
		),
		textEl("p", "viz-pub-status", status).ID("viz-pub-status"),
		goapp.If(errText != "", textEl("p", "viz-error", errText).Attr("role", "alert")),
	)
}

// current returns the publisher if the page made one.
func (x *vizExperiments) current() (*vizPublisher, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.pub, x.pub != nil
}

// message is the message the publisher form describes, or why it cannot
// be sent.
func (p *vizLabPanel) message() (client.Message, error) {
	qos, err := vizQoS(p.pubQoS)
	if err != nil {
		return client.Message{}, err
	}
	topic := strings.TrimSpace(p.pubTopic)
	if err := protocol.ValidTopicName(topic); err != nil {
		return client.Message{}, err
	}
	return client.Message{Topic: topic, QoS: qos, Retain: p.pubRetain}, nil
}

func (p *vizLabPanel) publisher() (*vizPublisher, client.Message, bool) {
	p.pubErr = ""
	m, err := p.message()
	var pub *vizPublisher
	if err == nil {
		pub, err = p.Lab.Publisher()
	}
	if err != nil {
		p.pubErr = fmt.Sprintf(p.Lang.T("visualize.pub.error"), err)
		return nil, m, false
	}
	return pub, m, true
}

func (p *vizLabPanel) togglePublishing(ctx goapp.Context) {
	if pub, ok := p.Lab.current(); ok && pub.Running() {
		pub.Stop()
		return
	}
	pub, m, ok := p.publisher()
	if !ok {
		return
	}
	pub.Start(m, p.pubRate, func() { p.requestRedraw(ctx) })
}

func (p *vizLabPanel) publishOnce(ctx goapp.Context) {
	pub, m, ok := p.publisher()
	if !ok {
		return
	}
	l := p.Lang
	go func() {
		err := pub.Once(m)
		ctx.Dispatch(func(goapp.Context) {
			p.pubErr = ""
			if err != nil {
				p.pubErr = fmt.Sprintf(l.T("visualize.pub.error"), err)
			}
		})
	}()
}
