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
	return goapp.Elem("section").ID("broker-stats").Class("observer-section").Aria("labelledby", "broker-stats-h").Body(
		goapp.Elem("h2").ID("broker-stats-h").Text(l.T("broker.stats")),
		goapp.P().Class("caption").Text(l.T("broker.stats.caption")),
		goapp.Div().Class("stat-grid").Body(
			goapp.Range(stats).Slice(func(i int) goapp.UI {
				st := stats[i]
				return goapp.Div().ID("stat-"+st.id).Class("stat").Body(
					goapp.Div().Class("stat-label").Text(st.label),
					goapp.Div().Class("stat-value").Text(st.value),
					goapp.Div().Class("stat-caption").Text(st.caption),
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
	return goapp.Elem("section").ID("broker-rates").Class("observer-section").Aria("labelledby", "broker-rates-h").Body(
		goapp.Elem("h2").ID("broker-rates-h").Text(l.T("broker.rates")),
		goapp.P().Class("caption").Text(l.T("broker.rates.caption")),
		goapp.Div().Class("rates").Body(
			goapp.Div().Class("spark").Body(
				&sparkline{ID: "rates-chart", Label: l.T("broker.rates"), Series: series, Slots: 60},
				goapp.Div().Class("spark-scale").Text(obsRate(sparkTop(series))+" "+l.T("broker.rates.per_s")),
			),
			goapp.Elem("ul").Class("spark-legend").Body(
				goapp.Elem("li").ID("rate-received").DataSet("series", "received").Body(
					goapp.Elem("span").Class("legend-swatch").Aria("hidden", true),
					goapp.Elem("span").Class("legend-label").Text(l.T("broker.rates.received")),
					goapp.Elem("span").Class("legend-value").Text(now(in)+" "+l.T("broker.rates.per_s")),
				),
				goapp.Elem("li").ID("rate-sent").DataSet("series", "sent").Body(
					goapp.Elem("span").Class("legend-swatch").Aria("hidden", true),
					goapp.Elem("span").Class("legend-label").Text(l.T("broker.rates.sent")),
					goapp.Elem("span").Class("legend-value").Text(now(out)+" "+l.T("broker.rates.per_s")),
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
	var body goapp.UI
	if len(c.Clients) == 0 {
		body = goapp.P().Class("empty").Text(l.T("broker.clients.none"))
	} else {
		body = goapp.Div().Class("table-scroll").Body(
			goapp.Elem("table").Class("data-table").Body(
				goapp.Elem("thead").Body(goapp.Elem("tr").Body(
					goapp.Elem("th").Attr("scope", "col").Text(l.T("broker.col.client")),
					goapp.Elem("th").Attr("scope", "col").Text(l.T("broker.col.state")),
					goapp.Elem("th").Attr("scope", "col").Text(l.T("broker.col.session")),
					goapp.Elem("th").Attr("scope", "col").Text(l.T("broker.col.remote")),
					goapp.Elem("th").Attr("scope", "col").Text(l.T("broker.col.keepalive")),
					goapp.Elem("th").Attr("scope", "col").Text(l.T("broker.col.will")),
					goapp.Elem("th").Attr("scope", "col").Text(l.T("broker.col.subscriptions")),
					goapp.Elem("th").Attr("scope", "col").Class("num").Text(l.T("broker.col.queued")),
					goapp.Elem("th").Attr("scope", "col").Class("num").Text(l.T("broker.col.dropped")),
				)),
				goapp.Elem("tbody").Body(
					goapp.Range(c.Clients).Slice(func(i int) goapp.UI { return &brokerClientRow{Lang: l, Client: c.Clients[i]} }),
				),
			),
		)
	}
	var more goapp.UI
	if c.More {
		more = goapp.P().Class("notice").Text(l.T("broker.clients.more"))
	}
	return goapp.Elem("section").ID("broker-clients").Class("observer-section").Aria("labelledby", "broker-clients-h").Body(
		goapp.Elem("h2").ID("broker-clients-h").Text(l.T("broker.clients")),
		goapp.P().Class("caption").Text(l.T("broker.clients.caption")),
		body,
		more,
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
		since = goapp.Elem("span").Class("since").Text(obsFillText(l.T("broker.since"), obsClock(ci.Since)))
	}
	var self, user goapp.UI
	if ci.Self {
		self = goapp.Elem("span").Class("badge", "badge-self").Text(l.T("broker.self"))
	}
	if ci.Username != "" {
		user = goapp.Elem("span").Class("sub").Text(l.T("broker.user") + " " + ci.Username)
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
		will = goapp.Elem("span").Body(goapp.Code().Text(ci.Will.Topic), goapp.Text(" · QoS "+strconv.Itoa(ci.Will.QoS)))
	}
	subs := ci.SortedSubscriptions()
	var subsUI goapp.UI = goapp.Text(noValue)
	if len(subs) > 0 {
		subsUI = goapp.Elem("ul").Class("filters").Body(
			goapp.Range(subs).Slice(func(i int) goapp.UI {
				f := subs[i]
				item := goapp.Elem("li").DataSet("filter", f)
				if q := ci.Subscriptions[f]; q >= 0 {
					return item.Body(goapp.Code().Text(f), goapp.Elem("span").Class("qos").Text("QoS "+strconv.Itoa(q)))
				}
				return item.Body(goapp.Code().Text(f))
			}),
		)
	}
	var inflight goapp.UI
	if ci.Inflight > 0 {
		inflight = goapp.Elem("span").Class("sub", "inflight").Text(obsFill(l.T("broker.inflight"), uint64(ci.Inflight)))
	}
	queuedClass := "queued"
	if ci.Queued > 0 {
		queuedClass = "queued waiting"
	}
	return goapp.Elem("tr").DataSet("client", ci.ID).Class("client-"+state).Body(
		goapp.Elem("th").Attr("scope", "row").Body(goapp.Code().Text(ci.ID), self, user),
		goapp.Elem("td").Body(
			goapp.Elem("span").Class("badge", "badge-"+state).Text(stateText),
			goapp.Elem("span").Class("sub").Text(ci.Version),
			since,
		),
		goapp.Elem("td").Text(session),
		goapp.Elem("td").Class("mono").Text(remote),
		goapp.Elem("td").Text(keepalive),
		goapp.Elem("td").Body(will),
		goapp.Elem("td").Body(subsUI),
		goapp.Elem("td").Class("num").Body(goapp.Elem("span").Class(queuedClass).Text(strconv.Itoa(ci.Queued)), inflight),
		goapp.Elem("td").Class("num", "dropped").Text(obsCount(ci.Dropped)),
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
	var body goapp.UI
	if len(r.Retained) == 0 {
		body = goapp.P().Class("empty").Text(l.T("broker.retained.none"))
	} else {
		body = goapp.Div().Class("table-scroll").Body(
			goapp.Elem("table").Class("data-table").Body(
				goapp.Elem("thead").Body(goapp.Elem("tr").Body(
					goapp.Elem("th").Attr("scope", "col").Text(l.T("broker.col.topic")),
					goapp.Elem("th").Attr("scope", "col").Class("num").Text(l.T("broker.col.size")),
					goapp.Elem("th").Attr("scope", "col").Text(l.T("broker.col.payload")),
				)),
				goapp.Elem("tbody").Body(
					goapp.Range(r.Retained).Slice(func(i int) goapp.UI { return &brokerRetainedRow{Lang: l, Msg: r.Retained[i]} }),
				),
			),
		)
	}
	var more goapp.UI
	if r.More {
		more = goapp.P().Class("notice").Text(l.T("broker.retained.more"))
	}
	return goapp.Elem("section").ID("broker-retained").Class("observer-section").Aria("labelledby", "broker-retained-h").Body(
		goapp.Elem("h2").ID("broker-retained-h").Text(l.T("broker.retained")),
		goapp.P().Class("caption").Text(l.T("broker.retained.caption")),
		body,
		more,
	)
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
	return goapp.Elem("tr").DataSet("topic", m.Topic).Body(
		goapp.Elem("th").Attr("scope", "row").Body(goapp.Code().Text(m.Topic)),
		goapp.Elem("td").Class("num").Text(obsBytes(uint64(m.Size))),
		goapp.Elem("td").Body(payloadPreview(r.Lang, m.Preview, m.Binary, m.Cut)),
	)
}

// payloadPreview shows the start of a payload: text as it is, binary in
// hex with a mark saying so.
func payloadPreview(l i18n.Lang, text string, binary, cut bool) goapp.UI {
	var mark, ellipsis goapp.UI
	if binary {
		mark = goapp.Elem("span").Class("badge", "badge-hex").Title(l.T("observer.hex.title")).Text(l.T("observer.hex"))
	}
	if cut {
		ellipsis = goapp.Elem("span").Class("cut").Title(l.T("observer.cut.title")).Text("…")
	}
	return goapp.Elem("span").Class("payload").Body(mark, goapp.Code().Class("preview").Text(text), ellipsis)
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
		body = goapp.P().Class("empty").Text(l.T("broker.events.none"))
	} else {
		body = goapp.Elem("ul").Class("event-list").Body(
			goapp.Range(e.Events).Slice(func(i int) goapp.UI {
				ev := e.Events[i]
				var detail goapp.UI
				if ev.Detail != "" {
					detail = goapp.Elem("span").Class("event-detail").Text(ev.Detail)
				}
				return goapp.Elem("li").DataSet("kind", ev.Kind).Body(
					goapp.Elem("span").Class("event-time").Text(obsClock(ev.At)),
					goapp.Elem("span").Class("badge", "badge-event").Text(brokerEventLabel(l, ev.Kind)),
					goapp.Code().Text(ev.Client),
					detail,
				)
			}),
		)
	}
	return goapp.Elem("section").ID("broker-events").Class("observer-section").Aria("labelledby", "broker-events-h").Body(
		goapp.Elem("h2").ID("broker-events-h").Text(l.T("broker.events")),
		goapp.P().Class("caption").Text(l.T("broker.events.caption")),
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
