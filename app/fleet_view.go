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
	return el("section", "fleet-section").Body(
		el("div", "fleet-head").Body(
			el("h2", "").Body(goapp.Text(l.T("fleet.scenario")+" "), textEl("code", "", name).ID("fleet-scenario")),
			textEl("span", "badge "+badge(ov.Running), state).ID("fleet-status"),
			msgEl(l, "button", "button button-primary", "fleet.start").ID("fleet-start").Attr("disabled", ov.Running || ov.Scenario == "").OnClick(func(ctx goapp.Context, e goapp.Event) { p.act(ctx, "POST", "/start", nil) }),
			msgEl(l, "button", "button", "fleet.stop").ID("fleet-stop").Attr("disabled", !ov.Running).OnClick(func(ctx goapp.Context, e goapp.Event) { p.act(ctx, "POST", "/stop", nil) }),
		),
		goapp.If(ov.Description != "", textEl("p", "fleet-description", ov.Description)),
		textEl("p", "fleet-totals", fmt.Sprintf(l.T("fleet.totals"),
			st.Total.Connected, st.Total.Devices, st.Total.Rate, st.Total.Published, st.Total.Failed, st.Total.Reconnects)).ID("fleet-totals"),
		el("div", "table-wrap").Body(
			el("table", "data-table").ID("fleet-fleets").Body(
				tableHead(l, false, fleetCols),
				el("tbody", "").Body(rows...),
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
	failed := el("td", "num").Text(f.Failed)
	if f.LastError != "" {
		failed = failed.Title(f.LastError)
	}
	// The handlers take the fleet as scope: go-app keeps an element's
	// first handler unless its code or scope changes, and another
	// scenario puts its fleets in the rows of the one before.
	return el("tr", "").DataSet("fleet", name).Body(
		el("td", "").Body(textEl("code", "", name)),
		el("td", "num").Text(f.Devices),
		el("td", "num").Text(f.Connected),
		textEl("td", "num", fmt.Sprintf("%.1f", f.Rate)),
		el("td", "num").Text(f.Published),
		failed,
		el("td", "num").Text(f.Reconnects),
		el("td", "").Body(
			el("form", "inline-form").OnSubmit(func(ctx goapp.Context, e goapp.Event) {
				e.PreventDefault()
				n, err := strconv.Atoi(strings.TrimSpace(p.scales[name]))
				if err != nil || n < 0 {
					p.actErr = fmt.Sprintf(l.T("fleet.bad_count"), p.scales[name])
					return
				}
				delete(p.scales, name)
				p.act(ctx, "POST", "/scale", map[string]any{"fleet": name, "count": n})
			}, name).Body(
				goapp.ElemSelfClosing("input").Attr("type", "number").Attr("min", 0).Class("count-input").Attr("value", value).
					Attr("aria-label", fmt.Sprintf(l.T("fleet.scale_label"), name)).
					OnInput(func(ctx goapp.Context, e goapp.Event) {
						if p.scales == nil {
							p.scales = map[string]string{}
						}
						p.scales[name] = ctx.JSSrc().Get("value").String()
					}, name),
				msgEl(l, "button", "button button-small", "fleet.scale").Attr("type", "submit"),
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
			legend = append(legend, el("li", "").Body(
				el("span", "swatch").Style("background", chartColors[i%len(chartColors)]),
				goapp.Text(ln.Label+" "),
				textEl("span", "legend-value", ln.last()),
			))
		}
		cards = append(cards, el("figure", "chart-card").DataSet("chart", c.Fleet+"/"+c.Field).Body(
			el("figcaption", "").Body(textEl("code", "", c.Fleet), goapp.Text(" "+title)),
			goapp.Raw(chartSVG(c, now)),
			el("ul", "chart-legend").Body(legend...),
		))
	}
	body := []goapp.UI{msgEl(l, "h2", "", "fleet.charts")}
	switch {
	case p.liveErr != "":
		body = append(body, textEl("p", "notice notice-error", l.T("fleet.live_error")+" "+p.liveErr))
	case len(cards) == 0:
		body = append(body, msgEl(l, "p", "muted", "fleet.charts_empty"))
	default:
		body = append(body, msgEl(l, "p", "muted", "fleet.charts_note"), el("div", "chart-grid").ID("fleet-charts").Body(cards...))
	}
	return el("section", "fleet-section").Body(body...)
}

// renderDevices draws the page of devices, with their actions.
func (p *fleetPage) renderDevices() goapp.UI {
	l := p.lang
	fleet, offset := p.query.get()
	options := []goapp.UI{msgEl(l, "option", "", "fleet.all_fleets").Attr("value", "").Attr("selected", fleet == "")}
	for _, f := range p.ov.Stats.Fleets {
		options = append(options, textEl("option", "", f.Name).Attr("value", f.Name).Attr("selected", fleet == f.Name))
	}
	rows := make([]goapp.UI, 0, 2*len(p.devices.Devices))
	for _, d := range p.devices.Devices {
		rows = append(rows, p.renderDevice(d))
		if d.ID == p.selected {
			rows = append(rows, el("tr", "command-row").Body(
				el("td", "").Attr("colspan", 6).Body(&commandPanel{Lang: l, Device: d, Live: p.live}),
			))
		}
	}
	total := p.devices.Total
	last := min(offset+len(p.devices.Devices), total)
	return el("section", "fleet-section").Body(
		el("div", "fleet-head").Body(
			msgEl(l, "h2", "", "fleet.devices"),
			el("select", "").ID("fleet-filter").Attr("aria-label", l.T("fleet.filter")).Body(options...).
				OnChange(func(ctx goapp.Context, e goapp.Event) {
					p.query.set(ctx.JSSrc().Get("value").String(), 0)
				}),
		),
		el("div", "table-wrap").Body(
			el("table", "data-table").ID("fleet-devices").Body(
				tableHead(l, false, deviceCols),
				el("tbody", "").Body(rows...),
			),
		),
		// The pager reads the query when clicked: go-app keeps its first
		// handlers, drawn on the first page of all the fleets.
		el("div", "pager").Body(
			msgEl(l, "button", "button button-small", "fleet.prev").ID("devices-prev").Attr("disabled", offset == 0).
				OnClick(func(ctx goapp.Context, e goapp.Event) { p.turn(-devicesPerPage) }),
			textEl("span", "", fmt.Sprintf(l.T("fleet.range"), min(offset+1, total), last, total)),
			msgEl(l, "button", "button button-small", "fleet.next").ID("devices-next").Attr("disabled", last >= total).
				OnClick(func(ctx goapp.Context, e goapp.Event) { p.turn(devicesPerPage) }),
		),
	)
}

// turn moves the list of devices by delta devices.
func (p *fleetPage) turn(delta int) {
	fleet, offset := p.query.get()
	p.query.set(fleet, offset+delta)
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
	// The handlers take the device as scope: go-app keeps an element's
	// first handler unless its code or scope changes, and a row shows
	// another device once the page or the filter changed.
	actions := []goapp.UI{}
	if d.Online {
		actions = append(actions,
			msgEl(l, "button", "button button-small", "fleet.offline_clean").DataSet("action", "offline-clean").Title(l.T("fleet.offline_clean_help")).
				OnClick(func(ctx goapp.Context, e goapp.Event) {
					p.act(ctx, "POST", path+"/offline", map[string]string{"mode": "clean"})
				}, id),
			msgEl(l, "button", "button button-small", "fleet.offline_abrupt").DataSet("action", "offline-abrupt").Title(l.T("fleet.offline_abrupt_help")).
				OnClick(func(ctx goapp.Context, e goapp.Event) {
					p.act(ctx, "POST", path+"/offline", map[string]string{"mode": "abrupt"})
				}, id),
		)
	} else if d.State == "offline" {
		actions = append(actions, msgEl(l, "button", "button button-small", "fleet.online").DataSet("action", "online").
			OnClick(func(ctx goapp.Context, e goapp.Event) { p.act(ctx, "POST", path+"/online", nil) }, id))
	}
	if d.Command != "" {
		actions = append(actions, msgEl(l, "button", "button button-small", "fleet.command").DataSet("action", "command").
			Attr("aria-expanded", p.selected == id).
			OnClick(func(ctx goapp.Context, e goapp.Event) {
				if p.selected == id {
					p.selected = ""
				} else {
					p.selected = id
				}
			}, id))
	}
	return el("tr", "").DataSet("device", id).Body(
		el("td", "").Body(textEl("code", "", id), textEl("div", "muted small", d.Topic)),
		el("td", "").Body(textEl("span", "device-state badge "+badge(d.Online), state)),
		el("td", "").Body(textEl("code", "device-status", status).Title(d.Status)),
		textEl("td", "device-value", d.Value),
		textEl("td", "device-last", last),
		el("td", "actions").Body(actions...),
	)
}

// badge returns the class of a state badge: green when ok.
func badge(ok bool) string {
	if ok {
		return "badge-ok"
	}
	return "badge-muted"
}

// The columns of the page's tables: class and message key of each.
var fleetCols = [][2]string{{"", "fleet.col.fleet"}, {"num", "fleet.col.devices"}, {"num", "fleet.col.connected"}, {"num", "fleet.col.rate"}, {"num", "fleet.col.published"}, {"num", "fleet.col.failed"}, {"num", "fleet.col.reconnects"}, {"", "fleet.col.scale"}}
var deviceCols = [][2]string{{"", "fleet.col.device"}, {"", "fleet.col.state"}, {"", "fleet.col.status"}, {"", "fleet.col.value"}, {"", "fleet.col.last"}, {"", "fleet.col.actions"}}
