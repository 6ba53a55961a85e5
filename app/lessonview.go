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
				line = append(line, goapp.Text(" "), textEl("code", "", s.Filter))
			}
			subs = el("p", "lesson-party-subs").Body(line...)
		}
	}
	return el("div", "lesson-party").ID(id).DataSet("status", status.String()).Body(
		el("div", "lesson-party-head").Body(
			textEl("h3", "", role),
			el("span", "lesson-party-status").Body(
				el("span", "lab-badge").DataSet("status", status.String()).Aria("hidden", "true"),
				goapp.Text(" "+statusText(l, status)),
			),
		),
		el("p", "lesson-party-id").Body(
			textEl("code", "", name),
			goapp.Text(" · "+l.T("lessons.client_id")+" "),
			textEl("code", "", cid),
		),
		subs,
		el("div", "lesson-party-body").Body(body...),
	)
}

// lessonState is a paragraph saying what a client knows or did, with id
// for the tests and the reader's eye.
func lessonState(id, text string) goapp.HTMLElem {
	return textEl("p", "lesson-state", text).ID(id)
}

// publishesTo says which topic a client publishes to.
func publishesTo(l i18n.Lang, topic string) goapp.UI {
	return el("p", "").Body(goapp.Text(l.T("lessons.publishes_to")+" "), textEl("code", "", topic))
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
		rows = append(rows, el("li", "lesson-packet").DataSet("type", t.String()).DataSet("dir", p.Dir.String()).Body(
			textEl("span", "lesson-packet-time", p.Time.Local().Format("15:04:05.000")),
			textEl("span", "lesson-packet-client", p.Client),
			textEl("span", "lesson-packet-dir", l.T(dir)),
			textEl("span", "lesson-packet-type", t.String()),
			textEl("span", "lesson-packet-what", packetLine(l, &p)),
		))
	}
	var list goapp.UI = msgEl(l, "p", "empty", "lessons.trail.empty")
	if len(rows) > 0 {
		list = el("ol", "lesson-trail").Body(rows...)
	}
	return el("div", "lesson-trail-box").ID("lesson-trail").Body(
		msgEl(l, "h3", "", "lessons.trail.title"),
		list,
		el("p", "caption").Body(
			goapp.Text(l.T("lessons.trail.more")+" "),
			msgEl(l, "a", "", "nav.inspector").Attr("href", "/inspector"),
			goapp.Text(" · "),
			msgEl(l, "a", "", "nav.lab").Attr("href", "/lab"),
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
		items[i] = textEl("li", "", l.T(key+".s"+strconv.Itoa(i+1)))
	}
	return el("ol", "lesson-steps").Body(items...)
}
