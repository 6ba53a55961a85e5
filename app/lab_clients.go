package app

import (
	"context"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

// labItem is one client in the list.
type labItem struct {
	Name     string
	Status   store.Status
	Received uint64
}

// labClientList is the list of the lab's clients, which selects the one
// shown, and the form that adds one.
type labClientList struct {
	goapp.Compo

	Lang     i18n.Lang
	Items    []labItem
	Selected string

	name string // typed in the add form
	err  error
}

// Render draws the list and the add form.
func (c *labClientList) Render() goapp.UI {
	l := c.Lang
	return el("aside", "lab-clients").
		Aria("labelledby", "lab-clients-heading").
		Body(
			msgEl(l, "h2", "", "lab.clients").ID("lab-clients-heading"),
			goapp.If(len(c.Items) == 0, msgEl(l, "p", "lab-empty", "lab.clients.none")),
			el("ul", "lab-client-list").
				ID("lab-clients").
				Body(goapp.Range(c.Items).Slice(func(i int) goapp.UI {
					return c.renderItem(l, c.Items[i])
				})),
			el("form", "lab-add").
				ID("lab-add-form").
				OnSubmit(c.add).
				Body(
					msgEl(l, "label", "", "lab.add.name").Attr("for", "lab-add-name"),
					el("div", "lab-inline").Body(
						goapp.ElemSelfClosing("input").
							Attr("type", "text").
							ID("lab-add-name").
							Attr("value", c.name).
							Attr("placeholder", nextClientName(c.Items)).
							Attr("maxlength", store.MaxNameLen).
							Attr("autocomplete", "off").
							OnInput(func(ctx goapp.Context, e goapp.Event) { c.name = inputValue(ctx) }),
						msgEl(l, "button", "", "lab.add").
							Attr("type", "submit").
							ID("lab-add").
							Class("button", "button-primary"),
					),
					errorLine(l, "lab-add-name", c.err),
				),
		)
}

func (c *labClientList) renderItem(l i18n.Lang, it labItem) goapp.UI {
	b := el("button", "lab-client").
		Attr("type", "button").
		DataSet("name", it.Name).
		DataSet("status", it.Status.String()).
		// The name as scope, so that the item that takes a removed one's
		// place selects its own client (see labSubscribe.renderSubs).
		OnClick(func(ctx goapp.Context, e goapp.Event) {
			store.Clients.Select(it.Name)
			labChanged(ctx)
		}, it.Name).
		Body(
			el("span", "lab-badge").DataSet("status", it.Status.String()).Aria("hidden", true),
			textEl("span", "lab-client-name", it.Name),
			textEl("span", "lab-client-status", statusText(l, it.Status)),
			textEl("span", "lab-client-count", strconv.FormatUint(it.Received, 10)).
				Title(l.T("lab.count.received")),
		)
	if it.Name == c.Selected {
		b = b.Aria("current", "true")
	}
	return el("li", "").Body(b)
}

// add adds a client by the typed name, or by the next free one.
func (c *labClientList) add(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	name := strings.TrimSpace(c.name)
	if name == "" {
		name = nextClientName(c.Items)
	}
	c.err = store.Clients.Add(name)
	if c.err == nil {
		c.name = ""
	}
	labChanged(ctx)
}

// nextClientName proposes a name for a new client: the first free letter,
// then client-N.
func nextClientName(items []labItem) string {
	taken := map[string]bool{}
	for _, it := range items {
		taken[it.Name] = true
	}
	for r := 'A'; r <= 'Z'; r++ {
		if !taken[string(r)] {
			return string(r)
		}
	}
	for n := len(items) + 1; ; n++ {
		if name := "client-" + strconv.Itoa(n); !taken[name] {
			return name
		}
	}
}

// statusText is a connection status in words.
func statusText(l i18n.Lang, s store.Status) string {
	switch s {
	case store.Connecting:
		return l.T("lab.status.connecting")
	case store.Connected:
		return l.T("lab.status.connected")
	}
	return l.T("lab.status.disconnected")
}

// labClientHeader is the heading of the selected client with its rename
// and remove buttons.
type labClientHeader struct {
	goapp.Compo

	Lang i18n.Lang
	Name string

	renaming bool
	newName  string
	err      error
	shownFor string
}

// Render draws the heading, or the rename form.
func (h *labClientHeader) Render() goapp.UI {
	l := h.Lang
	if h.shownFor != h.Name {
		h.shownFor, h.renaming, h.err = h.Name, false, nil
	}
	if h.renaming {
		return el("form", "").
			Class("lab-client-header", "lab-rename").
			OnSubmit(h.rename).
			Body(
				msgEl(l, "label", "", "lab.rename.name").Attr("for", "lab-rename-name"),
				el("div", "lab-inline").Body(
					goapp.ElemSelfClosing("input").
						Attr("type", "text").
						ID("lab-rename-name").
						Attr("value", h.newName).
						Attr("maxlength", store.MaxNameLen).
						Attr("autocomplete", "off").
						OnInput(func(ctx goapp.Context, e goapp.Event) { h.newName = inputValue(ctx) }),
					msgEl(l, "button", "button button-primary", "lab.rename.save").Attr("type", "submit").ID("lab-rename-save"),
					button("lab-rename-cancel", l.T("lab.cancel"), false, func(ctx goapp.Context, e goapp.Event) {
						h.renaming, h.err = false, nil
					}),
				),
				errorLine(l, "lab-rename-name", h.err),
			)
	}
	return el("div", "lab-client-header").
		Body(
			textEl("h2", "", h.Name).ID("lab-client-title"),
			el("div", "lab-actions").Body(
				button("lab-rename", l.T("lab.rename"), false, func(ctx goapp.Context, e goapp.Event) {
					h.renaming, h.newName, h.err = true, h.Name, nil
				}),
				button("lab-remove", l.T("lab.remove"), false, func(ctx goapp.Context, e goapp.Event) {
					name := h.Name
					labDo(ctx, func(_ context.Context) error { return store.Clients.Remove(name) }, nil)
				}).Title(l.T("lab.remove.hint")),
			),
		)
}

// rename renames the client to the typed name.
func (h *labClientHeader) rename(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	name := strings.TrimSpace(h.newName)
	if h.err = store.Clients.Rename(h.Name, name); h.err == nil {
		h.renaming = false
	}
	labChanged(ctx)
}
