package app

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"
)

// renderFleets draws the scenario's state, start and stop, and a row per
// fleet with its counters and its scale control.
func (p *fleetPage) renderFleets() goapp.UI {
	l, ov := p.lang, p.ov
	st := ov.Stats
	state := l.T("fleet.stopped")
	if ov.Running {
		state = l.T("fleet.running")
	}
	name := ov.Scenario
	if name == "" {
		name = l.T("fleet.none")
	}
	rows := make([]goapp.UI, 0, len(st.Fleets))
	for _, f := range st.Fleets {
		rows = append(rows, p.renderFleetRow(f))
	}
	return goapp.Elem("section").Class("fleet-section").Body(
		goapp.Div().Class("fleet-head").Body(
			goapp.Elem("h2").Body(goapp.Text(l.T("fleet.scenario")+" "), goapp.Code().ID("fleet-scenario").Text(name)),
			goapp.Elem("span").ID("fleet-status").Class("badge", badge(ov.Running)).Text(state),
			goapp.Elem("button").ID("fleet-start").Class("button", "button-primary").Attr("disabled", ov.Running || ov.Scenario == "").
				Text(l.T("fleet.start")).OnClick(func(ctx goapp.Context, e goapp.Event) { p.act(ctx, "POST", "/start", nil) }),
			goapp.Elem("button").ID("fleet-stop").Class("button").Attr("disabled", !ov.Running).
				Text(l.T("fleet.stop")).OnClick(func(ctx goapp.Context, e goapp.Event) { p.act(ctx, "POST", "/stop", nil) }),
		),
		goapp.If(ov.Description != "", goapp.P().Class("fleet-description").Text(ov.Description)),
		goapp.P().ID("fleet-totals").Class("fleet-totals").Text(fmt.Sprintf(l.T("fleet.totals"),
			st.Total.Connected, st.Total.Devices, st.Total.Rate, st.Total.Published, st.Total.Failed, st.Total.Reconnects)),
		goapp.Div().Class("table-wrap").Body(
			goapp.Elem("table").ID("fleet-fleets").Class("data-table").Body(
				goapp.Elem("thead").Body(goapp.Elem("tr").Body(
					goapp.Elem("th").Text(l.T("fleet.col.fleet")),
					goapp.Elem("th").Class("num").Text(l.T("fleet.col.devices")),
					goapp.Elem("th").Class("num").Text(l.T("fleet.col.connected")),
					goapp.Elem("th").Class("num").Text(l.T("fleet.col.rate")),
					goapp.Elem("th").Class("num").Text(l.T("fleet.col.published")),
					goapp.Elem("th").Class("num").Text(l.T("fleet.col.failed")),
					goapp.Elem("th").Class("num").Text(l.T("fleet.col.reconnects")),
					goapp.Elem("th").Text(l.T("fleet.col.scale")),
				)),
				goapp.Elem("tbody").Body(rows...),
			),
		),
	)
}

func (p *fleetPage) renderFleetRow(f fleetCounts) goapp.UI {
	l := p.lang
	name := f.Name
	value, typed := p.scales[name]
	if !typed {
		value = strconv.Itoa(f.Devices)
	}
	failed := goapp.Elem("td").Class("num").Text(f.Failed)
	if f.LastError != "" {
		failed = failed.Title(f.LastError)
	}
	return goapp.Elem("tr").DataSet("fleet", name).Body(
		goapp.Elem("td").Body(goapp.Code().Text(name)),
		goapp.Elem("td").Class("num").Text(f.Devices),
		goapp.Elem("td").Class("num").Text(f.Connected),
		goapp.Elem("td").Class("num").Text(fmt.Sprintf("%.1f", f.Rate)),
		goapp.Elem("td").Class("num").Text(f.Published),
		failed,
		goapp.Elem("td").Class("num").Text(f.Reconnects),
		goapp.Elem("td").Body(
			goapp.Elem("form").Class("inline-form").OnSubmit(func(ctx goapp.Context, e goapp.Event) {
				e.PreventDefault()
				n, err := strconv.Atoi(strings.TrimSpace(p.scales[name]))
				if err != nil || n < 0 {
					p.err = fmt.Sprintf(l.T("fleet.bad_count"), p.scales[name])
					return
				}
				delete(p.scales, name)
				p.act(ctx, "POST", "/scale", map[string]any{"fleet": name, "count": n})
			}).Body(
				goapp.ElemSelfClosing("input").Attr("type", "number").Attr("min", 0).Class("count-input").Attr("value", value).
					Attr("aria-label", fmt.Sprintf(l.T("fleet.scale_label"), name)).
					OnInput(func(ctx goapp.Context, e goapp.Event) {
						if p.scales == nil {
							p.scales = map[string]string{}
						}
						p.scales[name] = ctx.JSSrc().Get("value").String()
					}),
				goapp.Elem("button").Attr("type", "submit").Class("button", "button-small").Text(l.T("fleet.scale")),
			),
		),
	)
}

// renderCharts draws a chart per (fleet, field) the page has heard.
func (p *fleetPage) renderCharts() goapp.UI {
	l := p.lang
	now := time.Now().UnixMilli()
	fleet, _ := p.query.get()
	cards := make([]goapp.UI, 0, chartsShown)
	for _, c := range p.charts {
		if len(cards) == chartsShown {
			break
		}
		if fleet != "" && c.Fleet != fleet {
			continue
		}
		title := c.Field
		if c.Unit != "" {
			title += " (" + c.Unit + ")"
		}
		legend := make([]goapp.UI, 0, len(c.Lines))
		for i, ln := range c.Lines {
			legend = append(legend, goapp.Elem("li").Body(
				goapp.Elem("span").Class("swatch").Style("background", chartColors[i%len(chartColors)]),
				goapp.Text(ln.Label+" "),
				goapp.Elem("span").Class("legend-value").Text(ln.last()),
			))
		}
		cards = append(cards, goapp.Elem("figure").Class("chart-card").DataSet("chart", c.Fleet+"/"+c.Field).Body(
			goapp.Elem("figcaption").Body(goapp.Code().Text(c.Fleet), goapp.Text(" "+title)),
			goapp.Raw(chartSVG(c, now)),
			goapp.Elem("ul").Class("chart-legend").Body(legend...),
		))
	}
	body := []goapp.UI{goapp.Elem("h2").Text(l.T("fleet.charts"))}
	switch {
	case p.liveErr != "":
		body = append(body, goapp.P().Class("notice", "notice-error").Text(l.T("fleet.live_error")+" "+p.liveErr))
	case len(cards) == 0:
		body = append(body, goapp.P().Class("muted").Text(l.T("fleet.charts_empty")))
	default:
		body = append(body, goapp.P().Class("muted").Text(l.T("fleet.charts_note")), goapp.Div().ID("fleet-charts").Class("chart-grid").Body(cards...))
	}
	return goapp.Elem("section").Class("fleet-section").Body(body...)
}

// renderDevices draws the page of devices, with their actions.
func (p *fleetPage) renderDevices() goapp.UI {
	l := p.lang
	fleet, offset := p.query.get()
	options := []goapp.UI{goapp.Elem("option").Attr("value", "").Attr("selected", fleet == "").Text(l.T("fleet.all_fleets"))}
	for _, f := range p.ov.Stats.Fleets {
		options = append(options, goapp.Elem("option").Attr("value", f.Name).Attr("selected", fleet == f.Name).Text(f.Name))
	}
	rows := make([]goapp.UI, 0, 2*len(p.devices.Devices))
	for _, d := range p.devices.Devices {
		rows = append(rows, p.renderDevice(d))
		if d.ID == p.selected {
			rows = append(rows, goapp.Elem("tr").Class("command-row").Body(
				goapp.Elem("td").Attr("colspan", 6).Body(&commandPanel{Lang: l, Device: d, Live: p.live}),
			))
		}
	}
	total := p.devices.Total
	last := min(offset+len(p.devices.Devices), total)
	return goapp.Elem("section").Class("fleet-section").Body(
		goapp.Div().Class("fleet-head").Body(
			goapp.Elem("h2").Text(l.T("fleet.devices")),
			goapp.Elem("select").ID("fleet-filter").Attr("aria-label", l.T("fleet.filter")).Body(options...).
				OnChange(func(ctx goapp.Context, e goapp.Event) {
					p.query.set(ctx.JSSrc().Get("value").String(), 0)
				}),
		),
		goapp.Div().Class("table-wrap").Body(
			goapp.Elem("table").ID("fleet-devices").Class("data-table").Body(
				goapp.Elem("thead").Body(goapp.Elem("tr").Body(
					goapp.Elem("th").Text(l.T("fleet.col.device")),
					goapp.Elem("th").Text(l.T("fleet.col.state")),
					goapp.Elem("th").Text(l.T("fleet.col.status")),
					goapp.Elem("th").Text(l.T("fleet.col.value")),
					goapp.Elem("th").Text(l.T("fleet.col.last")),
					goapp.Elem("th").Text(l.T("fleet.col.actions")),
				)),
				goapp.Elem("tbody").Body(rows...),
			),
		),
		goapp.Div().Class("pager").Body(
			goapp.Elem("button").ID("devices-prev").Class("button", "button-small").Attr("disabled", offset == 0).Text(l.T("fleet.prev")).
				OnClick(func(ctx goapp.Context, e goapp.Event) { p.query.set(fleet, offset-devicesPerPage) }),
			goapp.Elem("span").Text(fmt.Sprintf(l.T("fleet.range"), min(offset+1, total), last, total)),
			goapp.Elem("button").ID("devices-next").Class("button", "button-small").Attr("disabled", last >= total).Text(l.T("fleet.next")).
				OnClick(func(ctx goapp.Context, e goapp.Event) { p.query.set(fleet, offset+devicesPerPage) }),
		),
	)
}

func (p *fleetPage) renderDevice(d fleetDevice) goapp.UI {
	l := p.lang
	id := d.ID
	state := l.T("fleet.state." + d.State)
	status, heard := p.statuses[d.Status]
	if !heard {
		status = "—"
	}
	last := "—"
	if !d.Last.IsZero() {
		last = d.Last.Local().Format("15:04:05")
	}
	path := "/devices/" + url.PathEscape(id)
	actions := []goapp.UI{}
	if d.Online {
		actions = append(actions,
			goapp.Elem("button").Class("button", "button-small").DataSet("action", "offline-clean").Title(l.T("fleet.offline_clean_help")).
				Text(l.T("fleet.offline_clean")).
				OnClick(func(ctx goapp.Context, e goapp.Event) {
					p.act(ctx, "POST", path+"/offline", map[string]string{"mode": "clean"})
				}),
			goapp.Elem("button").Class("button", "button-small").DataSet("action", "offline-abrupt").Title(l.T("fleet.offline_abrupt_help")).
				Text(l.T("fleet.offline_abrupt")).
				OnClick(func(ctx goapp.Context, e goapp.Event) {
					p.act(ctx, "POST", path+"/offline", map[string]string{"mode": "abrupt"})
				}),
		)
	} else if d.State == "offline" {
		actions = append(actions, goapp.Elem("button").Class("button", "button-small").DataSet("action", "online").Text(l.T("fleet.online")).
			OnClick(func(ctx goapp.Context, e goapp.Event) { p.act(ctx, "POST", path+"/online", nil) }))
	}
	if d.Command != "" {
		actions = append(actions, goapp.Elem("button").Class("button", "button-small").DataSet("action", "command").
			Attr("aria-expanded", p.selected == id).Text(l.T("fleet.command")).
			OnClick(func(ctx goapp.Context, e goapp.Event) {
				if p.selected == id {
					p.selected = ""
				} else {
					p.selected = id
				}
			}))
	}
	return goapp.Elem("tr").DataSet("device", id).Body(
		goapp.Elem("td").Body(goapp.Code().Text(id), goapp.Div().Class("muted", "small").Text(d.Topic)),
		goapp.Elem("td").Body(goapp.Elem("span").Class("device-state", "badge", badge(d.Online)).Text(state)),
		goapp.Elem("td").Body(goapp.Code().Class("device-status").Title(d.Status).Text(status)),
		goapp.Elem("td").Class("device-value").Text(d.Value),
		goapp.Elem("td").Class("device-last").Text(last),
		goapp.Elem("td").Class("actions").Body(actions...),
	)
}

// badge returns the class of a state badge: green when ok.
func badge(ok bool) string {
	if ok {
		return "badge-ok"
	}
	return "badge-muted"
}
