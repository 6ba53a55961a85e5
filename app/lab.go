package app

import (
	"context"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

// redrawInterval is how often the lab page looks at the store for changes
// it did not make itself (messages, lost connections). However busy a
// topic, the page redraws at most this often.
const redrawInterval = 150 * time.Millisecond

// labPage is the lab: a list of the user's MQTT clients and the detail of
// the selected one — its connection, subscriptions, publish form and
// message log. The clients live in store.Clients, not here, so they stay
// connected while the user is on other pages.
type labPage struct {
	goapp.Compo

	lang    i18n.Lang
	prefill store.Prefill // what another page asked to fill in
}

// OnMount follows the language, brings the saved clients back on the
// first visit, takes what another page asked to fill in, and starts
// watching the store.
func (p *labPage) OnMount(ctx goapp.Context) {
	observeLang(ctx, &p.lang)
	startLab(ctx)
	p.takePrefill(ctx)
	ctx.Async(func() { watchLab(ctx) })
}

// takePrefill takes what another page (the topics page) asked the lab to
// fill in, and makes sure a client is there to use it: the selected
// client, connected if it is not, or, in an empty lab, a new client
// connected to this server's broker. The field filled in takes the focus,
// which brings it into view.
func (p *labPage) takePrefill(ctx goapp.Context) {
	pf, ok := store.Clients.TakePrefill()
	if !ok {
		return
	}
	p.prefill = pf
	var items []labItem
	for _, c := range store.Clients.List() {
		items = append(items, labItem{Name: c.Name})
	}
	name, connect, err := store.Clients.PrefillClient(nextClientName(items))
	if err != nil {
		goapp.Log("lab: " + err.Error())
		return
	}
	if connect {
		labDo(ctx, func(c context.Context) error { return store.Clients.Connect(c, name) }, nil)
	}
	focus := "lab-sub-filter"
	if pf.Filter == "" {
		focus = "lab-pub-payload"
	}
	ctx.Defer(func(goapp.Context) {
		if e := goapp.Window().GetElementByID(focus); e.Truthy() {
			e.Call("focus")
		}
	})
}

// watchLab redraws the page when the store changed, looking every
// redrawInterval until the page goes away.
func watchLab(ctx goapp.Context) {
	t := time.NewTicker(redrawInterval)
	defer t.Stop()
	seen := store.Clients.Version()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if v := store.Clients.Version(); v != seen {
			seen = v
			ctx.Dispatch(func(goapp.Context) {})
		}
	}
}

// Render draws the page inside the shell.
func (p *labPage) Render() goapp.UI {
	l := p.lang
	lab := store.Clients
	list := lab.List()
	selected := lab.Selected()
	items := make([]labItem, len(list))
	var current *store.ClientView
	for i := range list {
		c := &list[i]
		items[i] = labItem{Name: c.Name, Status: c.Status, Received: c.Counters.Received}
		if c.Name == selected {
			current = c
		}
	}
	return &shell{
		Lang:   l,
		Active: "/lab",
		Title:  l.T("lab.title"),
		Content: []goapp.UI{
			el("section", "page-intro").
				Body(
					msgEl(l, "h1", "", "lab.title"),
					msgEl(l, "p", "lead", "lab.summary"),
				),
			el("div", "lab").
				Body(
					&labClientList{Lang: l, Items: items, Selected: selected},
					p.renderDetail(l, current, lab.DefaultURL()),
				),
		},
	}
}

// renderDetail draws the selected client, or says how to start.
func (p *labPage) renderDetail(l i18n.Lang, c *store.ClientView, defaultURL string) goapp.UI {
	if c == nil {
		return el("section", "").
			ID("lab-detail").
			Class("lab-detail", "lab-empty-detail").
			Body(msgEl(l, "p", "lab-empty", "lab.no_client"))
	}
	connected := c.Status == store.Connected
	return el("section", "lab-detail").
		ID("lab-detail").
		Aria("label", c.Name).
		DataSet("client", c.Name).
		Body(
			&labClientHeader{Lang: l, Name: c.Name},
			&labConnection{
				Lang: l, Name: c.Name, Settings: c.Settings, Status: c.Status,
				Err: c.Err, Connack: c.Connack, DefaultURL: defaultURL,
			},
			el("div", "lab-columns").Body(
				&labSubscribe{Lang: l, Name: c.Name, Version: c.Settings.Version, Connected: connected, Subs: c.Subs, Prefill: p.prefill.Filter},
				&labPublish{Lang: l, Name: c.Name, Version: c.Settings.Version, Connected: connected, Prefill: p.prefill},
			),
			&labLog{Lang: l, Name: c.Name, MsgRev: c.MsgRev, View: c.View, Counters: c.Counters},
		)
}
