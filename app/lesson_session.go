package app

import (
	"context"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// The lesson on sessions and keepalive. A phone connects with or without
// clean start and a session expiry, goes away while a message is sent to
// it, and comes back: Session Present says whether the broker kept its
// session. A device with a short keepalive stops pinging: the broker ends
// it after one and a half keepalives and publishes its will, which a
// watcher sees along with the broker's telemetry.

func init() {
	registerLesson(lessonDef{Order: 10, Slug: "sessions", Key: "lesson.session", Paras: 4,
		Experiment: func() lessonExperiment { return &sessionLesson{clean: true, expiry: "0"} }})
}

// The names of the lesson's clients in the packet log.
const (
	sessionPhone  = "session-phone"
	sessionServer = "session-server"
	kaDevice      = "ka-device"
	kaWatcher     = "ka-watcher"
)

// kaSeconds is the device's keepalive: short, so the broker gives up on
// it three seconds after it falls silent.
const kaSeconds = 2

// sessionLesson is the experiment of the sessions lesson.
type sessionLesson struct {
	lessonBase

	clean  bool
	expiry string   // seconds
	n      int      // messages published to the phone
	sent   []string // the messages the broker took (PUBACK)

	phone, device, watcher rigView
	phoneLog, deviceLog    []store.Packet
	// present: a CONNACK said Session Present = 1; timedOut: the broker
	// ended the device for its keepalive.
	present, timedOut bool
}

// OnMount starts the rig; the learner connects the clients.
func (e *sessionLesson) OnMount(ctx goapp.Context) {
	if e.startRig(ctx, e.refresh) {
		e.rig.setReady()
	}
}

func (e *sessionLesson) refresh(ctx goapp.Context) {
	r := e.rig
	if r == nil {
		return
	}
	e.phone, e.device, e.watcher = r.view(sessionPhone), r.view(kaDevice), r.view(kaWatcher)
	e.phoneLog, e.deviceLog = r.logOf(sessionPhone, seqMaxPackets), r.logOf(kaDevice, seqMaxPackets)
	for _, p := range e.phoneLog {
		if ack, ok := p.Packet.(*protocol.Connack); ok && ack.SessionPresent {
			e.present = true
		}
	}
	for _, p := range e.deviceLog {
		if d, ok := p.Packet.(*protocol.Disconnect); ok && p.Dir == client.In && d.ReasonCode == protocol.KeepAliveTimeout {
			e.timedOut = true
		}
	}
	e.check(ctx, e.present && e.timedOut)
}

// onConnect connects the phone with the settings chosen; a phone without
// a session subscribes to its inbox.
func (e *sessionLesson) onConnect(ctx goapp.Context, _ string) {
	exp, _ := strconv.Atoi(e.expiry)
	cp := protocol.Connect{CleanStart: e.clean, KeepAlive: 60}
	if exp > 0 {
		cp.Props.SessionExpiry = protocol.Some(uint32(exp))
	}
	e.do(ctx, func(c context.Context, r *rig) error {
		if err := r.add(sessionPhone, client.Config{Connect: cp}); err != nil {
			return err
		}
		ack, err := r.connect(c, sessionPhone)
		if err != nil || ack.SessionPresent {
			return err
		}
		return r.subscribe(c, sessionPhone, r.topic("inbox"), protocol.QoS1)
	})
}

func (e *sessionLesson) onDisconnect(ctx goapp.Context, _ string) {
	e.do(ctx, func(c context.Context, r *rig) error {
		if cl := r.client(sessionPhone); cl != nil {
			return cl.Disconnect(c, nil)
		}
		return nil
	})
}

// onSend publishes a QoS 1 message to the phone's inbox from another
// client.
func (e *sessionLesson) onSend(ctx goapp.Context, _ string) {
	e.n++
	text := "message " + strconv.Itoa(e.n)
	m := &client.Message{Topic: e.rig.topic("inbox"), QoS: protocol.QoS1, Payload: []byte(text)}
	e.do(ctx, func(c context.Context, r *rig) error {
		if err := r.ensure(c, sessionServer, client.Config{Connect: protocol.Connect{CleanStart: true}}); err != nil {
			return err
		}
		return r.publish(c, sessionServer, m)
	}, func() { e.sent = append(e.sent, text) })
}

// onDevice connects the watcher, then the device with its will.
func (e *sessionLesson) onDevice(ctx goapp.Context, _ string) {
	e.do(ctx, func(c context.Context, r *rig) error {
		status := r.topic("device/status")
		if err := r.ensure(c, kaWatcher, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}}); err != nil {
			return err
		}
		for _, f := range []string{status, "$SYS/lab/clients"} {
			if err := r.subscribe(c, kaWatcher, f, protocol.QoS0); err != nil {
				return err
			}
		}
		will := &protocol.WillMessage{Topic: status, Payload: []byte("offline")}
		if err := r.add(kaDevice, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: kaSeconds, Will: will}}); err != nil {
			return err
		}
		_, err := r.connect(c, kaDevice)
		return err
	})
}

func (e *sessionLesson) onPause(goapp.Context, string) {
	if cl := e.rig.client(kaDevice); cl != nil {
		cl.PausePings(true)
	}
}

// watched lists what the watcher got about the device: its will, and the
// broker's telemetry events that name it.
func (e *sessionLesson) watched() []expLine {
	var lines []expLine
	if e.rig == nil {
		return nil
	}
	id := e.rig.clientID(kaDevice)
	for _, m := range e.watcher.Msgs {
		p := string(m.Payload)
		switch {
		case strings.HasPrefix(m.Topic, "$SYS/") && strings.Contains(p, `"`+id+`"`):
			lines = append(lines, expLine{Text: m.Topic + " " + p, Alert: strings.Contains(p, `"willFired":true`)})
		case !strings.HasPrefix(m.Topic, "$SYS/"):
			lines = append(lines, expLine{Text: strings.TrimPrefix(m.Topic, e.rig.topic("")) + " = " + p, Alert: true})
		}
	}
	return lines
}

// Render draws the experiment: the session, then the keepalive.
func (e *sessionLesson) Render() goapp.UI {
	l := e.lang
	var acks []expLine
	for _, p := range e.phoneLog {
		if ack, ok := p.Packet.(*protocol.Connack); ok {
			acks = append(acks, expLine{Text: "CONNACK · Session Present = " + map[bool]string{true: "1", false: "0"}[ack.SessionPresent], Alert: ack.SessionPresent})
		}
	}
	var inbox, sent []expLine
	for _, m := range e.phone.Msgs {
		inbox = append(inbox, expLine{Text: string(m.Payload)})
	}
	for _, s := range e.sent {
		sent = append(sent, expLine{Text: s})
	}
	return e.renderExp([]expSection{{
		ID:    "session-exp",
		Title: l.T("lesson.session.part1"),
		Controls: []expControl{
			{Kind: ctlCheck, ID: "session-clean", Label: l.T("lesson.session.clean"), On: e.clean, Do: func(_ goapp.Context, v string) { e.clean = v == "true" }},
			{Kind: ctlSelect, ID: "session-expiry", Label: l.T("lesson.session.expiry"), Value: e.expiry, Do: func(_ goapp.Context, v string) { e.expiry = v },
				Choices: []choice{{"0", l.T("lesson.session.expiry0")}, {"300", l.T("lesson.session.expiry300")}}},
			{ID: "session-connect", Label: l.T("lesson.session.connect"), Off: e.phone.Up, Do: e.onConnect},
			{ID: "session-disconnect", Label: l.T("lesson.session.disconnect"), Off: !e.phone.Up, Do: e.onDisconnect},
			{ID: "session-send", Label: l.T("lesson.session.send"), Do: e.onSend},
		},
		Lists: []expList{
			{ID: "session-connacks", Title: l.T("lesson.session.connacks"), Lines: acks, Empty: l.T("lesson.exp.none")},
			{ID: "session-sent", Title: l.T("lesson.session.sent"), Lines: sent, Empty: l.T("lesson.exp.none")},
			{ID: "session-inbox", Title: l.T("lesson.session.inbox"), Lines: inbox, Empty: l.T("lesson.exp.none")},
		},
		Diagrams: []expDiagram{{sessionPhone, e.phoneLog}},
	}, {
		ID:    "keepalive-exp",
		Title: l.T("lesson.session.part2"),
		Controls: []expControl{
			{ID: "keepalive-connect", Label: l.T("lesson.session.device"), Off: e.device.Up, Do: e.onDevice},
			{ID: "keepalive-pause", Label: l.T("lesson.session.pause"), Off: !e.device.Up, Do: e.onPause},
		},
		Lists:    []expList{{ID: "keepalive-watch", Title: l.T("lesson.session.watch"), Lines: e.watched(), Empty: l.T("lesson.exp.none")}},
		Diagrams: []expDiagram{{kaDevice, e.deviceLog}},
	}},
		checkItem{"check-session", l.T("lesson.session.check1"), e.present},
		checkItem{"check-keepalive", l.T("lesson.session.check2"), e.timedOut},
	)
}
