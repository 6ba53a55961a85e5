package app

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// brokerPage is /broker: the broker seen from the inside, drawn from what
// it publishes about itself on $SYS topics, received over MQTT by a
// read-only observer client of the page.
type brokerPage struct {
	goapp.Compo

	lang   i18n.Lang
	obs    *store.Observer
	err    error // the observer could not start
	view   store.BrokerView
	status store.ObserverStatus
}

// OnMount follows the language and, in the browser, starts the observer
// and the redraw loop.
func (p *brokerPage) OnMount(ctx goapp.Context) {
	observeLang(ctx, &p.lang)
	if !goapp.IsClient {
		return
	}
	state := store.NewBrokerState()
	obs, err := store.StartObserver(store.ObserverConfig{
		Name:    "observer",
		URL:     store.ObserverURL(goapp.Window().URL()),
		Filters: store.BrokerFilters,
		// Its connection and subscriptions show in the inspector; the
		// $SYS messages it receives (dozens a second) would push the
		// user's own packets out of the log, so they do not.
		Log:       store.Log,
		OnMessage: func(m *client.Message) { state.Apply(m.Topic, m.Payload) },
	})
	if err != nil {
		p.err = err
		return
	}
	p.obs = obs
	p.status = obs.Status()
	state.SetSelf(p.status.ClientID)
	observerLoop(ctx, obs, state.Version, nil, func(ctx goapp.Context, st store.ObserverStatus) {
		p.view, p.status = state.View(), st
	})
}

// OnDismount closes the observer.
func (p *brokerPage) OnDismount() {
	closeObserver(p.obs)
	p.obs = nil
}

// Render draws the page.
func (p *brokerPage) Render() goapp.UI {
	l := p.lang
	v := &p.view
	return &shell{Lang: l, Active: "/broker", Title: l.T("broker.title"), Content: []goapp.UI{
		el("section", "page-intro").Body(
			msgEl(l, "h1", "", "broker.title"),
			msgEl(l, "p", "lead", "broker.lead"),
			&observerStatus{Lang: l, Status: p.status, Err: p.err, Watching: store.BrokerFilters},
			p.renderBad(),
		),
		&brokerStats{Lang: l, Sys: v.Sys, Totals: v.Totals},
		&brokerRates{Lang: l, Rates: v.Rates},
		&brokerClients{Lang: l, Clients: v.Clients, More: v.ClientsMore},
		&brokerRetained{Lang: l, Retained: v.Retained, More: v.RetainedMore},
		&brokerEvents{Lang: l, Events: v.Events},
	}}
}

// renderBad says when telemetry could not be read, rather than showing
// a page that is silently wrong.
func (p *brokerPage) renderBad() goapp.UI {
	if p.view.Bad == 0 {
		return nil
	}
	return textEl("p", "notice notice-error", obsFill(p.lang.T("broker.bad"), uint64(p.view.Bad))+" "+p.view.BadErr).ID("broker-bad").Attr("role", "alert")
}
