package app

import (
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
)

// How many messages the log draws: the store keeps more, but drawing is
// what costs on a busy topic.
const (
	logShown     = 50
	logShownMore = 200
)

// labLog is a client's message log, newest first, with a switch for how
// payloads are shown (text, pretty JSON, hex, base64), a pause that holds
// the view still on a busy topic, and the client's counters. It redraws
// when MsgRev changes, which the page checks a few times a second at most.
type labLog struct {
	goapp.Compo

	Lang     i18n.Lang
	Name     string
	MsgRev   uint64
	View     store.PayloadView
	Counters store.Counters

	more     bool
	paused   bool
	frozen   []store.Message // what the log showed when paused
	shown    []store.Message // what the log shows
	shownFor string
}

// Render draws the log.
func (g *labLog) Render() goapp.UI {
	l := g.Lang
	if g.shownFor != g.Name {
		g.shownFor, g.paused, g.frozen = g.Name, false, nil
	}
	limit := logShown
	if g.more {
		limit = logShownMore
	}
	msgs := g.frozen
	if !g.paused {
		msgs = store.Clients.Messages(g.Name, limit)
	}
	g.shown = msgs
	return el("section", "").
		Class("lab-card", "lab-log-card").
		Aria("labelledby", "lab-log-heading").
		Body(
			el("div", "lab-log-head").Body(
				msgEl(l, "h3", "", "lab.log").ID("lab-log-heading"),
				textEl("p", "lab-counters", tf(l, "lab.log.counters",
					"received", strconv.FormatUint(g.Counters.Received, 10),
					"published", strconv.FormatUint(g.Counters.Published, 10),
					"evicted", strconv.FormatUint(g.Counters.Evicted, 10))).ID("lab-counters"),
			),
			el("div", "lab-log-tools").Body(
				el("div", "lab-segmented").
					Attr("role", "group").
					Aria("label", l.T("lab.log.view")).
					Body(goapp.Range(store.PayloadViews).Slice(func(i int) goapp.UI {
						v := store.PayloadViews[i]
						return textEl("button", "", l.T("lab.view."+v.String())).
							Attr("type", "button").
							ID("lab-view-%s", v).
							Aria("pressed", v == g.View).
							OnClick(func(ctx goapp.Context, e goapp.Event) {
								store.Clients.SetView(g.Name, v)
								labChanged(ctx)
							})
					})),
				msgEl(l, "button", "button", "lab.log.pause").
					Attr("type", "button").
					ID("lab-log-pause").
					Aria("pressed", g.paused).
					// It freezes what the log shows now: go-app keeps
					// the first handler, so a closure over msgs would
					// freeze what the log showed first.
					OnClick(func(ctx goapp.Context, e goapp.Event) {
						g.paused = !g.paused
						g.frozen = nil
						if g.paused {
							g.frozen = g.shown
						}
					}),
				textEl("button", "button", tf(l, "lab.log.more", "n", strconv.Itoa(logShownMore))).
					Attr("type", "button").
					ID("lab-log-more").
					Aria("pressed", g.more).
					OnClick(func(ctx goapp.Context, e goapp.Event) { g.more = !g.more }),
				msgEl(l, "button", "button", "lab.log.clear").
					Attr("type", "button").
					ID("lab-log-clear").
					OnClick(func(ctx goapp.Context, e goapp.Event) {
						store.Clients.ClearMessages(g.Name)
						g.frozen = nil
						labChanged(ctx)
					}),
			),
			g.renderMessages(l, msgs),
		)
}

func (g *labLog) renderMessages(l i18n.Lang, msgs []store.Message) goapp.UI {
	if len(msgs) == 0 {
		return msgEl(l, "p", "lab-empty", "lab.log.empty").ID("lab-log-empty")
	}
	return el("ol", "lab-log").
		ID("lab-log").
		Aria("label", l.T("lab.log")).
		Body(goapp.Range(msgs).Slice(func(i int) goapp.UI { return g.renderMessage(l, &msgs[i]) }))
}

func (g *labLog) renderMessage(l i18n.Lang, m *store.Message) goapp.UI {
	shown := formatPayload(m.Payload, g.View)
	note := ""
	if shown.Note != "" {
		note = l.T(shown.Note)
	}
	if shown.Truncated {
		if note != "" {
			note += " "
		}
		note += tf(l, "lab.log.truncated", "shown", strconv.Itoa(maxShownPayload), "total", strconv.Itoa(len(m.Payload)))
	}
	return el("li", "lab-msg").
		DataSet("seq", m.Seq).
		Body(
			el("div", "lab-msg-head").Body(
				textEl("time", "lab-msg-time", m.Time.Format("15:04:05.000")),
				textEl("code", "lab-msg-topic", m.Topic),
				textEl("span", "lab-msg-qos", tf(l, "lab.log.qos", "qos", strconv.Itoa(int(m.QoS)))),
				goapp.If(m.Retain, msgEl(l, "span", "lab-msg-retain", "lab.log.retained")),
				goapp.If(m.Dup, msgEl(l, "span", "lab-msg-dup", "lab.log.dup")),
				textEl("span", "lab-msg-size", tf(l, "lab.log.bytes", "n", strconv.Itoa(len(m.Payload)))),
			),
			renderProps(l, &m.Props),
			textEl("pre", "lab-msg-payload", shown.Text),
			goapp.If(note != "", textEl("p", "lab-msg-note", note)),
		)
}

// renderProps lists the MQTT 5.0 properties of a received message.
func renderProps(l i18n.Lang, p *protocol.Properties) goapp.UI {
	type prop struct{ k, v string }
	var props []prop
	if v, ok := p.PayloadFormat.Get(); ok {
		text := l.T("lab.prop.format.bytes")
		if v == 1 {
			text = l.T("lab.prop.format.utf8")
		}
		props = append(props, prop{l.T("lab.prop.format"), text})
	}
	if v, ok := p.ContentType.Get(); ok {
		props = append(props, prop{l.T("lab.prop.content_type"), v})
	}
	if v, ok := p.ResponseTopic.Get(); ok {
		props = append(props, prop{l.T("lab.prop.response_topic"), v})
	}
	if v, ok := p.CorrelationData.Get(); ok {
		props = append(props, prop{l.T("lab.prop.correlation"), formatPayload(v, store.ViewText).Text})
	}
	if v, ok := p.MessageExpiry.Get(); ok {
		props = append(props, prop{l.T("lab.prop.expiry"), tf(l, "lab.seconds", "n", strconv.FormatUint(uint64(v), 10))})
	}
	if len(p.SubscriptionIDs) > 0 {
		ids := make([]string, len(p.SubscriptionIDs))
		for i, id := range p.SubscriptionIDs {
			ids[i] = strconv.FormatUint(uint64(id), 10)
		}
		props = append(props, prop{l.T("lab.prop.sub_ids"), strings.Join(ids, ", ")})
	}
	if v, ok := p.TopicAlias.Get(); ok {
		props = append(props, prop{l.T("lab.prop.alias"), strconv.Itoa(int(v))})
	}
	for _, u := range p.User {
		props = append(props, prop{l.T("lab.prop.user"), u.Key + " = " + u.Value})
	}
	if len(props) == 0 {
		return nil
	}
	return el("dl", "lab-msg-props").
		Body(goapp.Range(props).Slice(func(i int) goapp.UI {
			return el("div", "").Body(textEl("dt", "", props[i].k), textEl("dd", "", props[i].v))
		}))
}
