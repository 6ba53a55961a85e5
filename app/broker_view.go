package app

import (
	"strconv"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

// The sections of the broker page. Each takes its data by value, so that
// go-app redraws a section only when its data changed.

const noValue = "—"

// brokerStat is one figure of the broker with what it means.
type brokerStat struct {
	id, label, value, caption string
}

// brokerStats is the grid of the broker's figures.
type brokerStats struct {
	goapp.Compo

	Lang   i18n.Lang
	Sys    map[string]string
	Totals store.Totals
}

// Render draws the figures.
func (s *brokerStats) Render() goapp.UI {
	l := s.Lang
	v := store.BrokerView{Sys: s.Sys}
	t := s.Totals
	known := !t.At.IsZero()
	count := func(n uint64) string {
		if !known {
			return noValue
		}
		return obsCount(n)
	}
	sysBytes := func(name string) string {
		if n, ok := v.SysUint(name); ok {
			return obsBytes(n)
		}
		return noValue
	}
	sysCount := func(name string) string {
		if n, ok := v.SysUint(name); ok {
			return obsCount(n)
		}
		return noValue
	}
	uptime := noValue
	if d, ok := v.Uptime(); ok {
		uptime = obsDuration(l, d)
	}
	version := s.Sys["version"]
	if version == "" {
		version = noValue
	}
	stats := []brokerStat{
		{"uptime", l.T("broker.stat.uptime"), uptime, l.T("broker.stat.uptime.caption")},
		{"version", l.T("broker.stat.version"), version, l.T("broker.stat.version.caption")},
		{"clients", l.T("broker.stat.clients"), count(uint64(t.Clients)), l.T("broker.stat.clients.caption")},
		{"offline", l.T("broker.stat.offline"), count(uint64(max(0, t.Sessions-t.Clients))), l.T("broker.stat.offline.caption")},
		{"subscriptions", l.T("broker.stat.subscriptions"), sysCount("subscriptions/count"), l.T("broker.stat.subscriptions.caption")},
		{"retained", l.T("broker.stat.retained"), count(uint64(t.Retained)), l.T("broker.stat.retained.caption")},
		{"received", l.T("broker.stat.received"), count(t.Received), l.T("broker.stat.received.caption")},
		{"sent", l.T("broker.stat.sent"), count(t.Sent), l.T("broker.stat.sent.caption")},
		{"dropped", l.T("broker.stat.dropped"), count(t.Dropped), l.T("broker.stat.dropped.caption")},
		{"bytes-received", l.T("broker.stat.bytes_received"), sysBytes("bytes/received"), l.T("broker.stat.bytes_received.caption")},
		{"bytes-sent", l.T("broker.stat.bytes_sent"), sysBytes("bytes/sent"), l.T("broker.stat.bytes_sent.caption")},
		{"telemetry-lost", l.T("broker.stat.telemetry_lost"), count(t.TelemetryLost), l.T("broker.stat.telemetry_lost.caption")},
	}
	return el("section", "observer-section").ID("broker-stats").Aria("labelledby", "broker-stats-h").Body(
		msgEl(l, "h2", "", "broker.stats").ID("broker-stats-h"),
		msgEl(l, "p", "caption", "broker.stats.caption"),
		el("div", "stat-grid").Body(
			goapp.Range(stats).Slice(func(i int) goapp.UI {
				st := stats[i]
				return el("div", "stat").ID("stat-"+st.id).Body(
					textEl("div", "stat-label", st.label),
					textEl("div", "stat-value", st.value),
					textEl("div", "stat-caption", st.caption),
				)
			}),
		),
	)
}

// brokerRates draws the message rates of the last minute.
type brokerRates struct {
	goapp.Compo

	Lang  i18n.Lang
	Rates []store.RatePoint
}

// Render draws the chart and the current rates.
func (r *brokerRates) Render() goapp.UI {
	l := r.Lang
	in := make([]float64, len(r.Rates))
	out := make([]float64, len(r.Rates))
	for i, p := range r.Rates {
		in[i], out[i] = p.Received, p.Sent
	}
	now := func(vs []float64) string {
		if len(vs) == 0 {
			return noValue
		}
		return obsRate(vs[len(vs)-1])
	}
	series := []sparkSeries{{Name: "received", Values: in}, {Name: "sent", Values: out}}
	return el("section", "observer-section").ID("broker-rates").Aria("labelledby", "broker-rates-h").Body(
		msgEl(l, "h2", "", "broker.rates").ID("broker-rates-h"),
		msgEl(l, "p", "caption", "broker.rates.caption"),
		el("div", "rates").Body(
			el("div", "spark").Body(
				&sparkline{ID: "rates-chart", Label: l.T("broker.rates"), Series: series, Slots: 60},
				textEl("div", "spark-scale", obsRate(sparkTop(series))+" "+l.T("broker.rates.per_s")),
			),
			el("ul", "spark-legend").Body(
				el("li", "").ID("rate-received").DataSet("series", "received").Body(
					el("span", "legend-swatch").Aria("hidden", true),
					msgEl(l, "span", "legend-label", "broker.rates.received"),
					textEl("span", "legend-value", now(in)+" "+l.T("broker.rates.per_s")),
				),
				el("li", "").ID("rate-sent").DataSet("series", "sent").Body(
					el("span", "legend-swatch").Aria("hidden", true),
					msgEl(l, "span", "legend-label", "broker.rates.sent"),
					textEl("span", "legend-value", now(out)+" "+l.T("broker.rates.per_s")),
				),
			),
		),
	)
}

// brokerClients is the table of clients and sessions. Each row is a
// component of its own, redrawn only when its client changed.
type brokerClients struct {
	goapp.Compo

	Lang    i18n.Lang
	Clients []store.ClientInfo
	More    bool
}

// Render draws the table.
func (c *brokerClients) Render() goapp.UI {
	l := c.Lang
	return brokerTable(l, "clients", brokerClientCols, len(c.Clients), c.More,
		func(i int) goapp.UI { return &brokerClientRow{Lang: l, Client: c.Clients[i]} })
}

// brokerTable is a section of the broker page holding a table of n rows
// made by row, with its heading, caption, empty and "more" notices from
// the catalog's broker.{name}* messages; its id is broker-{name}.
func brokerTable(l i18n.Lang, name string, cols [][2]string, n int, more bool, row func(i int) goapp.UI) goapp.UI {
	key := "broker." + name
	body := msgEl(l, "p", "empty", key+".none")
	if n > 0 {
		body = el("div", "table-scroll").Body(
			el("table", "data-table").Body(
				tableHead(l, true, cols),
				el("tbody", "").Body(goapp.Range(make([]struct{}, n)).Slice(row)),
			),
		)
	}
	var notice goapp.UI
	if more {
		notice = msgEl(l, "p", "notice", key+".more")
	}
	return el("section", "observer-section").ID("broker-"+name).Aria("labelledby", "broker-"+name+"-h").Body(
		msgEl(l, "h2", "", key).ID("broker-"+name+"-h"),
		msgEl(l, "p", "caption", key+".caption"),
		body,
		notice,
	)
}

// brokerClientRow is one client of the table.
type brokerClientRow struct {
	goapp.Compo

	Lang   i18n.Lang
	Client store.ClientInfo
}

// Render draws the row.
func (c *brokerClientRow) Render() goapp.UI {
	l, ci := c.Lang, &c.Client
	state, stateText := "offline", l.T("broker.state.offline")
	if ci.Online {
		state, stateText = "online", l.T("broker.state.online")
	}
	var since goapp.UI
	if !ci.Since.IsZero() {
		since = textEl("span", "since", obsFillText(l.T("broker.since"), obsClock(ci.Since)))
	}
	var self, user goapp.UI
	if ci.Self {
		self = msgEl(l, "span", "badge badge-self", "broker.self")
	}
	if ci.Username != "" {
		user = textEl("span", "sub", l.T("broker.user")+" "+ci.Username)
	}
	session := l.T("broker.session.clean")
	switch {
	case ci.Expiry < 0:
		session = l.T("broker.session.never")
	case ci.Expiry > 0:
		session = l.T("broker.session.expiry") + " " + obsDuration(l, time.Duration(ci.Expiry)*time.Second)
	}
	remote, keepalive := noValue, noValue
	if ci.Online {
		remote = ci.Remote
		keepalive = l.T("broker.keepalive.off")
		if ci.KeepAlive > 0 {
			keepalive = obsFill(l.T("observer.seconds"), uint64(ci.KeepAlive))
		}
	}
	var will goapp.UI = goapp.Text(noValue)
	if ci.Will != nil {
		will = el("span", "").Body(textEl("code", "", ci.Will.Topic), goapp.Text(" · QoS "+strconv.Itoa(ci.Will.QoS)))
	}
	subs := ci.SortedSubscriptions()
	var subsUI goapp.UI = goapp.Text(noValue)
	if len(subs) > 0 {
		subsUI = el("ul", "filters").Body(
			goapp.Range(subs).Slice(func(i int) goapp.UI {
				f := subs[i]
				item := el("li", "").DataSet("filter", f)
				if q := ci.Subscriptions[f]; q >= 0 {
					return item.Body(textEl("code", "", f), textEl("span", "qos", "QoS "+strconv.Itoa(q)))
				}
				return item.Body(textEl("code", "", f))
			}),
		)
	}
	var inflight goapp.UI
	if ci.Inflight > 0 {
		inflight = textEl("span", "sub inflight", obsFill(l.T("broker.inflight"), uint64(ci.Inflight)))
	}
	queuedClass := "queued"
	if ci.Queued > 0 {
		queuedClass = "queued waiting"
	}
	return el("tr", "client-"+state).DataSet("client", ci.ID).Body(
		el("th", "").Attr("scope", "row").Body(textEl("code", "", ci.ID), self, user),
		el("td", "").Body(
			textEl("span", "badge badge-"+state, stateText),
			textEl("span", "sub", ci.Version),
			since,
		),
		textEl("td", "", session),
		textEl("td", "mono", remote),
		textEl("td", "", keepalive),
		el("td", "").Body(will),
		el("td", "").Body(subsUI),
		el("td", "num").Body(textEl("span", queuedClass, strconv.Itoa(ci.Queued)), inflight),
		textEl("td", "num dropped", obsCount(ci.Dropped)),
	)
}

// brokerRetained is the table of retained messages.
type brokerRetained struct {
	goapp.Compo

	Lang     i18n.Lang
	Retained []store.RetainedInfo
	More     bool
}

// Render draws the table.
func (r *brokerRetained) Render() goapp.UI {
	l := r.Lang
	return brokerTable(l, "retained", brokerRetainedCols, len(r.Retained), r.More,
		func(i int) goapp.UI { return &brokerRetainedRow{Lang: l, Msg: r.Retained[i]} })
}

// brokerRetainedRow is one retained message of the table.
type brokerRetainedRow struct {
	goapp.Compo

	Lang i18n.Lang
	Msg  store.RetainedInfo
}

// Render draws the row.
func (r *brokerRetainedRow) Render() goapp.UI {
	m := &r.Msg
	return el("tr", "").DataSet("topic", m.Topic).Body(
		el("th", "").Attr("scope", "row").Body(textEl("code", "", m.Topic)),
		textEl("td", "num", obsBytes(uint64(m.Size))),
		el("td", "").Body(payloadPreview(r.Lang, m.Preview, m.Binary, m.Cut)),
	)
}

// payloadPreview shows the start of a payload: text as it is, binary in
// hex with a mark saying so.
func payloadPreview(l i18n.Lang, text string, binary, cut bool) goapp.UI {
	var mark, ellipsis goapp.UI
	if binary {
		mark = msgEl(l, "span", "badge badge-hex", "observer.hex").Title(l.T("observer.hex.title"))
	}
	if cut {
		ellipsis = textEl("span", "cut", "…").Title(l.T("observer.cut.title"))
	}
	return el("span", "payload").Body(mark, textEl("code", "preview", text), ellipsis)
}

// brokerEvents lists what happened lately to clients and subscriptions.
type brokerEvents struct {
	goapp.Compo

	Lang   i18n.Lang
	Events []store.BrokerEvent
}

// Render draws the list.
func (e *brokerEvents) Render() goapp.UI {
	l := e.Lang
	var body goapp.UI
	if len(e.Events) == 0 {
		body = msgEl(l, "p", "empty", "broker.events.none")
	} else {
		body = el("ul", "event-list").Body(
			goapp.Range(e.Events).Slice(func(i int) goapp.UI {
				ev := e.Events[i]
				var detail goapp.UI
				if ev.Detail != "" {
					detail = textEl("span", "event-detail", ev.Detail)
				}
				return el("li", "").DataSet("kind", ev.Kind).Body(
					textEl("span", "event-time", obsClock(ev.At)),
					textEl("span", "badge badge-event", brokerEventLabel(l, ev.Kind)),
					textEl("code", "", ev.Client),
					detail,
				)
			}),
		)
	}
	return el("section", "observer-section").ID("broker-events").Aria("labelledby", "broker-events-h").Body(
		msgEl(l, "h2", "", "broker.events").ID("broker-events-h"),
		msgEl(l, "p", "caption", "broker.events.caption"),
		body,
	)
}

func brokerEventLabel(l i18n.Lang, kind string) string {
	switch kind {
	case "connected":
		return l.T("broker.event.connected")
	case "disconnected":
		return l.T("broker.event.disconnected")
	case "refused":
		return l.T("broker.event.refused")
	case "session-ended":
		return l.T("broker.event.session_ended")
	case "subscribed":
		return l.T("broker.event.subscribed")
	case "unsubscribed":
		return l.T("broker.event.unsubscribed")
	case "subscribe-refused":
		return l.T("broker.event.subscribe_refused")
	}
	return kind
}

// The columns of the page's tables: class and message key of each.
var brokerClientCols = [][2]string{{"", "broker.col.client"}, {"", "broker.col.state"}, {"", "broker.col.session"}, {"", "broker.col.remote"}, {"", "broker.col.keepalive"}, {"", "broker.col.will"}, {"", "broker.col.subscriptions"}, {"num", "broker.col.queued"}, {"num", "broker.col.dropped"}}
var brokerRetainedCols = [][2]string{{"", "broker.col.topic"}, {"num", "broker.col.size"}, {"", "broker.col.payload"}}
