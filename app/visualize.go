package app

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/flow"
	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

// vizSlowMotion is the diagram's speed in slow motion.
const vizSlowMotion = 0.25

// visualizePage is /visualize: the decoupling diagram of the whole broker,
// with controls to pause and slow it, and experiment clients (vizLabPanel)
// to watch the broker queue, share out, retain and drop messages.
type visualizePage struct {
	goapp.Compo

	lang i18n.Lang
	feed *vizFeed
	lab  *vizExperiments

	paused, slow bool
}

// OnMount connects the page's observer and makes its experiments.
func (p *visualizePage) OnMount(ctx goapp.Context) {
	observeLang(ctx, &p.lang)
	url := store.ObserverURL(ctx.Page().URL())
	p.feed = newVizFeed(flow.Config{})
	p.feed.Start(url)
	p.lab = newVizExperiments(url, p.feed)
}

// OnDismount closes the page's clients.
func (p *visualizePage) OnDismount() {
	if p.lab != nil {
		p.lab.Close()
	}
	if p.feed != nil {
		p.feed.Stop()
	}
}

// Render draws the page inside the shell.
func (p *visualizePage) Render() goapp.UI {
	l := p.lang
	pause := l.T("visualize.pause")
	if p.paused {
		pause = l.T("visualize.resume")
	}
	return &shell{Lang: l, Active: "/visualize", Title: l.T("visualize.title"), Content: []goapp.UI{
		el("section", "page-intro").Body(
			msgEl(l, "h1", "", "visualize.title"),
			msgEl(l, "p", "lead", "visualize.summary"),
			msgEl(l, "p", "viz-intro", "visualize.intro"),
		),
		el("div", "viz-view-controls").Aria("label", l.T("visualize.view")).Attr("role", "group").Body(
			textEl("button", "button", pause).ID("viz-pause").Attr("type", "button").Aria("pressed", p.paused).
				OnClick(func(ctx goapp.Context, e goapp.Event) { p.paused = !p.paused; p.applyRate() }),
			msgEl(l, "button", "button", "visualize.slow_motion").ID("viz-slow").Attr("type", "button").Aria("pressed", p.slow).
				OnClick(func(ctx goapp.Context, e goapp.Event) { p.slow = !p.slow; p.applyRate() }),
		),
		&flowDiagram{Lang: l, Feed: p.feed},
		&vizLabPanel{Lang: l, Lab: p.lab},
	}}
}

// applyRate gives the diagram the speed the view controls say.
func (p *visualizePage) applyRate() {
	if p.feed == nil {
		return
	}
	switch {
	case p.paused:
		p.feed.SetRate(0)
	case p.slow:
		p.feed.SetRate(vizSlowMotion)
	default:
		p.feed.SetRate(1)
	}
}

// vizInputValue is the value of the element an event came from.
func vizInputValue(ctx goapp.Context) string { return ctx.JSSrc().Get("value").String() }

// vizInputChecked is the checked state of the checkbox an event came from.
func vizInputChecked(ctx goapp.Context) bool { return ctx.JSSrc().Get("checked").Bool() }

// vizQoSSelect is a select of the three QoS levels.
func vizQoSSelect(id, value string, l i18n.Lang, set func(string)) goapp.UI {
	return el("select", "").ID(id).OnChange(func(ctx goapp.Context, e goapp.Event) { set(vizInputValue(ctx)) }, id).Body(
		msgEl(l, "option", "", "visualize.qos0").Attr("value", "0").Attr("selected", value == "0"),
		msgEl(l, "option", "", "visualize.qos1").Attr("value", "1").Attr("selected", value == "1"),
		msgEl(l, "option", "", "visualize.qos2").Attr("value", "2").Attr("selected", value == "2"),
	)
}
