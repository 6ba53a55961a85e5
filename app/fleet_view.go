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
	return goapp.Section().Class("fleet-section").Body(
		goapp.Div().Class("fleet-head").Body(
			goapp.H2().Body(goapp.Text(l.T("fleet.scenario")+" "), goapp.Code().ID("fleet-scenario").Text(name)),
			goapp.Span().ID("fleet-status").Class("badge", badge(ov.Running)).Text(state),
			goapp.Button().ID("fleet-start").Class("button", "button-primary").Disabled(ov.Running || ov.Scenario == "").
				Text(l.T("fleet.start")).OnClick(func(ctx goapp.Context, e goapp.Event) { p.act(ctx, "POST", "/start", nil) }),
			goapp.Button().ID("fleet-stop").Class("button").Disabled(!ov.Running).
				Text(l.T("fleet.stop")).OnClick(func(ctx goapp.Context, e goapp.Event) { p.act(ctx, "POST", "/stop", nil) }),
		),
		goapp.If(ov.Description != "", goapp.P().Class("fleet-description").Text(ov.Description)),
		goapp.P().ID("fleet-totals").Class("fleet-totals").Text(fmt.Sprintf(l.T("fleet.totals"),
			st.Total.Connected, st.Total.Devices, st.Total.Rate, st.Total.Published, st.Total.Failed, st.Total.Reconnects)),
		goapp.Div().Class("table-wrap").Body(
			goapp.Table().ID("fleet-fleets").Class("data-table").Body(
				goapp.THead().Body(goapp.Tr().Body(
					goapp.Th().Text(l.T("fleet.col.fleet")),
					goapp.Th().Class("num").Text(l.T("fleet.col.devices")),
					goapp.Th().Class("num").Text(l.T("fleet.col.connected")),
					goapp.Th().Class("num").Text(l.T("fleet.col.rate")),
					goapp.Th().Class("num").Text(l.T("fleet.col.published")),
					goapp.Th().Class("num").Text(l.T("fleet.col.failed")),
					goapp.Th().Class("num").Text(l.T("fleet.col.reconnects")),
					goapp.Th().Text(l.T("fleet.col.scale")),
				)),
				goapp.TBody().Body(rows...),
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
	failed := goapp.Td().Class("num").Text(f.Failed)
	if f.LastError != "" {
		failed = failed.Title(f.LastError)
	}
	return goapp.Tr().DataSet("fleet", name).Body(
		goapp.Td().Body(goapp.Code().Text(name)),
		goapp.Td().Class("num").Text(f.Devices),
		goapp.Td().Class("num").Text(f.Connected),
		goapp.Td().Class("num").Text(fmt.Sprintf("%.1f", f.Rate)),
		goapp.Td().Class("num").Text(f.Published),
		failed,
		goapp.Td().Class("num").Text(f.Reconnects),
		goapp.Td().Body(
			goapp.Form().Class("inline-form").OnSubmit(func(ctx goapp.Context, e goapp.Event) {
				e.PreventDefault()
				n, err := strconv.Atoi(strings.TrimSpace(p.scales[name]))
				if err != nil || n < 0 {
					p.err = fmt.Sprintf(l.T("fleet.bad_count"), p.scales[name])
					return
				}
				delete(p.scales, name)
				p.act(ctx, "POST", "/scale", map[string]any{"fleet": name, "count": n})
			}).Body(
				goapp.Input().Type("number").Min(0).Class("count-input").Value(value).
					Attr("aria-label", fmt.Sprintf(l.T("fleet.scale_label"), name)).
					OnInput(func(ctx goapp.Context, e goapp.Event) {
						if p.scales == nil {
							p.scales = map[string]string{}
						}
						p.scales[name] = ctx.JSSrc().Get("value").String()
					}),
				goapp.Button().Type("submit").Class("button", "button-small").Text(l.T("fleet.scale")),
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
			legend = append(legend, goapp.Li().Body(
				goapp.Span().Class("swatch").Style("background", chartColors[i%len(chartColors)]),
				goapp.Text(ln.Label+" "),
				goapp.Span().Class("legend-value").Text(ln.last()),
			))
		}
		cards = append(cards, goapp.Figure().Class("chart-card").DataSet("chart", c.Fleet+"/"+c.Field).Body(
			goapp.FigCaption().Body(goapp.Code().Text(c.Fleet), goapp.Text(" "+title)),
			goapp.Raw(chartSVG(c, now)),
			goapp.Ul().Class("chart-legend").Body(legend...),
		))
	}
	body := []goapp.UI{goapp.H2().Text(l.T("fleet.charts"))}
	switch {
	case p.liveErr != "":
		body = append(body, goapp.P().Class("notice", "notice-error").Text(l.T("fleet.live_error")+" "+p.liveErr))
	case len(cards) == 0:
		body = append(body, goapp.P().Class("muted").Text(l.T("fleet.charts_empty")))
	default:
		body = append(body, goapp.P().Class("muted").Text(l.T("fleet.charts_note")), goapp.Div().ID("fleet-charts").Class("chart-grid").Body(cards...))
	}
	return goapp.Section().Class("fleet-section").Body(body...)
}

// renderDevices draws the page of devices, with their actions.
func (p *fleetPage) renderDevices() goapp.UI {
	l := p.lang
	fleet, offset := p.query.get()
	options := []goapp.UI{goapp.Option().Value("").Selected(fleet == "").Text(l.T("fleet.all_fleets"))}
	for _, f := range p.ov.Stats.Fleets {
		options = append(options, goapp.Option().Value(f.Name).Selected(fleet == f.Name).Text(f.Name))
	}
	rows := make([]goapp.UI, 0, 2*len(p.devices.Devices))
	for _, d := range p.devices.Devices {
		rows = append(rows, p.renderDevice(d))
		if d.ID == p.selected {
			rows = append(rows, goapp.Tr().Class("command-row").Body(
				goapp.Td().ColSpan(6).Body(&commandPanel{Lang: l, Device: d, Live: p.live}),
			))
		}
	}
	total := p.devices.Total
	last := min(offset+len(p.devices.Devices), total)
	return goapp.Section().Class("fleet-section").Body(
		goapp.Div().Class("fleet-head").Body(
			goapp.H2().Text(l.T("fleet.devices")),
			goapp.Select().ID("fleet-filter").Attr("aria-label", l.T("fleet.filter")).Body(options...).
				OnChange(func(ctx goapp.Context, e goapp.Event) {
					p.query.set(ctx.JSSrc().Get("value").String(), 0)
				}),
		),
		goapp.Div().Class("table-wrap").Body(
			goapp.Table().ID("fleet-devices").Class("data-table").Body(
				goapp.THead().Body(goapp.Tr().Body(
					goapp.Th().Text(l.T("fleet.col.device")),
					goapp.Th().Text(l.T("fleet.col.state")),
					goapp.Th().Text(l.T("fleet.col.status")),
					goapp.Th().Text(l.T("fleet.col.value")),
					goapp.Th().Text(l.T("fleet.col.last")),
					goapp.Th().Text(l.T("fleet.col.actions")),
				)),
				goapp.TBody().Body(rows...),
			),
		),
		goapp.Div().Class("pager").Body(
			goapp.Button().ID("devices-prev").Class("button", "button-small").Disabled(offset == 0).Text(l.T("fleet.prev")).
				OnClick(func(ctx goapp.Context, e goapp.Event) { p.query.set(fleet, offset-devicesPerPage) }),
			goapp.Span().Text(fmt.Sprintf(l.T("fleet.range"), min(offset+1, total), last, total)),
			goapp.Button().ID("devices-next").Class("button", "button-small").Disabled(last >= total).Text(l.T("fleet.next")).
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
			goapp.Button().Class("button", "button-small").DataSet("action", "offline-clean").Title(l.T("fleet.offline_clean_help")).
				Text(l.T("fleet.offline_clean")).
				OnClick(func(ctx goapp.Context, e goapp.Event) {
					p.act(ctx, "POST", path+"/offline", map[string]string{"mode": "clean"})
				}),
			goapp.Button().Class("button", "button-small").DataSet("action", "offline-abrupt").Title(l.T("fleet.offline_abrupt_help")).
				Text(l.T("fleet.offline_abrupt")).
				OnClick(func(ctx goapp.Context, e goapp.Event) {
					p.act(ctx, "POST", path+"/offline", map[string]string{"mode": "abrupt"})
				}),
		)
	} else if d.State == "offline" {
		actions = append(actions, goapp.Button().Class("button", "button-small").DataSet("action", "online").Text(l.T("fleet.online")).
			OnClick(func(ctx goapp.Context, e goapp.Event) { p.act(ctx, "POST", path+"/online", nil) }))
	}
	if d.Command != "" {
		actions = append(actions, goapp.Button().Class("button", "button-small").DataSet("action", "command").
			Attr("aria-expanded", p.selected == id).Text(l.T("fleet.command")).
			OnClick(func(ctx goapp.Context, e goapp.Event) {
				if p.selected == id {
					p.selected = ""
				} else {
					p.selected = id
				}
			}))
	}
	return goapp.Tr().DataSet("device", id).Body(
		goapp.Td().Body(goapp.Code().Text(id), goapp.Div().Class("muted", "small").Text(d.Topic)),
		goapp.Td().Body(goapp.Span().Class("device-state", "badge", badge(d.Online)).Text(state)),
		goapp.Td().Body(goapp.Code().Class("device-status").Title(d.Status).Text(status)),
		goapp.Td().Class("device-value").Text(d.Value),
		goapp.Td().Class("device-last").Text(last),
		goapp.Td().Class("actions").Body(actions...),
	)
}

// badge returns the class of a state badge: green when ok.
func badge(ok bool) string {
	if ok {
		return "badge-ok"
	}
	return "badge-muted"
}
