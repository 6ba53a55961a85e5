package app

import (
	"strconv"
	"unicode/utf8"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// What the experiments of the lessons draw alike: the parties (one card
// per MQTT client), the packets they exchanged, and links to the pages
// that show the same clients in more depth.

// trailLength is how many packets an experiment lists: enough to follow
// the last few steps.
const trailLength = 14

// lessonParty draws one client of an experiment: its role, its name in
// the lab and client identifier, its connection, then what the lesson
// puts in it (controls, what the client knows).
func lessonParty(l i18n.Lang, id, role, name string, body ...goapp.UI) goapp.UI {
	status, cid := store.Disconnected, ""
	var subs goapp.UI
	if v, ok := store.Clients.Client(name); ok {
		status, cid = v.Status, v.Settings.ClientID
		if len(v.Subs) > 0 {
			line := []goapp.UI{goapp.Text(l.T("lessons.subscribed"))}
			for _, s := range v.Subs {
				line = append(line, goapp.Text(" "), goapp.Code().Text(s.Filter))
			}
			subs = goapp.P().Class("lesson-party-subs").Body(line...)
		}
	}
	return goapp.Div().ID(id).Class("lesson-party").DataSet("status", status.String()).Body(
		goapp.Div().Class("lesson-party-head").Body(
			goapp.H3().Text(role),
			goapp.Span().Class("lesson-party-status").Body(
				goapp.Span().Class("lab-badge").DataSet("status", status.String()).Aria("hidden", "true"),
				goapp.Text(" "+statusText(l, status)),
			),
		),
		goapp.P().Class("lesson-party-id").Body(
			goapp.Code().Text(name),
			goapp.Text(" · "+l.T("lessons.client_id")+" "),
			goapp.Code().Text(cid),
		),
		subs,
		goapp.Div().Class("lesson-party-body").Body(body...),
	)
}

// lessonTrail lists the newest packets of ps (oldest first), newest at
// the top: who sent or received it, its type and what it carries, as the
// client's tap saw it on the wire. Keepalive pings are left out.
func lessonTrail(l i18n.Lang, ps []store.Packet) goapp.UI {
	var rows []goapp.UI
	for i := len(ps) - 1; i >= 0 && len(rows) < trailLength; i-- {
		p := ps[i]
		if p.Packet == nil {
			continue
		}
		t := p.Packet.Type()
		if t == protocol.PINGREQ || t == protocol.PINGRESP {
			continue
		}
		dir := "lessons.dir.in"
		if p.Dir == client.Out {
			dir = "lessons.dir.out"
		}
		rows = append(rows, goapp.Li().Class("lesson-packet").DataSet("type", t.String()).DataSet("dir", p.Dir.String()).Body(
			goapp.Span().Class("lesson-packet-time").Text(p.Time.Local().Format("15:04:05.000")),
			goapp.Span().Class("lesson-packet-client").Text(p.Client),
			goapp.Span().Class("lesson-packet-dir").Text(l.T(dir)),
			goapp.Span().Class("lesson-packet-type").Text(t.String()),
			goapp.Span().Class("lesson-packet-what").Text(packetLine(l, &p)),
		))
	}
	var list goapp.UI = goapp.P().Class("empty").Text(l.T("lessons.trail.empty"))
	if len(rows) > 0 {
		list = goapp.Ol().Class("lesson-trail").Body(rows...)
	}
	return goapp.Div().ID("lesson-trail").Class("lesson-trail-box").Body(
		goapp.H3().Text(l.T("lessons.trail.title")),
		list,
		goapp.P().Class("caption").Body(
			goapp.Text(l.T("lessons.trail.more")+" "),
			goapp.A().Href("/inspector").Text(l.T("nav.inspector")),
			goapp.Text(" · "),
			goapp.A().Href("/lab").Text(l.T("nav.lab")),
		),
	)
}

// packetLine says in a few words what a packet carries: the inspector's
// summary, and what the lessons look at besides (a payload, the session
// flags).
func packetLine(l i18n.Lang, p *store.Packet) string {
	s := infoOf(p).Summary(l, 0)
	switch pk := p.Packet.(type) {
	case *protocol.Publish:
		s += " · " + payloadLine(pk.Payload)
		if rt, ok := pk.Props.ResponseTopic.Get(); ok {
			s += " · Response Topic " + rt
		}
	case *protocol.Connect:
		s += " · Clean Start " + flag(pk.CleanStart)
		if exp, ok := pk.Props.SessionExpiry.Get(); ok {
			s += " · Session Expiry " + strconv.FormatUint(uint64(exp), 10) + " s"
		}
	case *protocol.Connack:
		s += " · Session Present " + flag(pk.SessionPresent)
	}
	return s
}

// payloadLine quotes the start of a payload that is text, or says how long
// one that is not is.
func payloadLine(b []byte) string {
	if !utf8.Valid(b) {
		return strconv.Itoa(len(b)) + " bytes"
	}
	s := truncateUTF8(string(b), 40)
	if len(s) < len(b) {
		s += "…"
	}
	return strconv.Quote(s)
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// lessonSteps lists what the learner does, in order, from the messages
// key.s1, key.s2, … (n of them).
func lessonSteps(l i18n.Lang, key string, n int) goapp.UI {
	items := make([]goapp.UI, n)
	for i := range items {
		items[i] = goapp.Li().Text(l.T(key + ".s" + strconv.Itoa(i+1)))
	}
	return goapp.Ol().Class("lesson-steps").Body(items...)
}
