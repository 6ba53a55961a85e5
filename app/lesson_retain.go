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

// The lesson on retained messages and the will. A sensor says "online"
// (retained) when it connects and leaves a will saying "offline"
// (retained); a display that starts late gets the last known values at
// once, marked RETAIN, and the will when the sensor's connection dies.

func init() {
	registerLesson(lessonDef{Order: 9, Slug: "retained", Key: "lesson.retain", Paras: 4,
		Experiment: func() lessonExperiment { return &retainLesson{retain: true} }})
}

// The names of the lesson's clients in the packet log.
const (
	retainSensor  = "retain-sensor"
	retainDisplay = "retain-display"
)

// retainExpiry is the Message Expiry Interval of the lesson's retained
// messages: the broker forgets them by itself a while after the lesson.
const retainExpiry = 600

// retainLesson is the experiment of the retained messages lesson.
type retainLesson struct {
	lessonBase

	retain  bool // the sensor's readings are retained
	n       int  // readings published
	sensor  rigView
	display rigView
	sensLog []store.Packet
	dispLog []store.Packet
	// gotRetained: the display got a PUBLISH with RETAIN set; gotWill: it
	// got the sensor's will.
	gotRetained, gotWill bool
}

// OnMount starts the rig; the learner connects the clients.
func (e *retainLesson) OnMount(ctx goapp.Context) {
	if e.startRig(ctx, e.refresh) {
		e.rig.setReady()
	}
}

func (e *retainLesson) refresh(ctx goapp.Context) {
	r := e.rig
	if r == nil {
		return
	}
	e.sensor, e.display = r.view(retainSensor), r.view(retainDisplay)
	e.sensLog, e.dispLog = r.logOf(retainSensor, seqMaxPackets), r.logOf(retainDisplay, seqMaxPackets)
	status := r.topic("sensor/status")
	for _, p := range e.dispLog {
		if pub, ok := p.Packet.(*protocol.Publish); ok && p.Dir == client.In && pub.Retain {
			e.gotRetained = true
		}
	}
	for _, m := range e.display.Msgs {
		e.gotWill = e.gotWill || m.Topic == status && string(m.Payload) == "offline"
	}
	e.check(ctx, e.gotRetained && e.gotWill)
}

// retained is a retained QoS 1 message that expires after the lesson.
func retained(topic, payload string, retain bool) *client.Message {
	return &client.Message{Topic: topic, Payload: []byte(payload), QoS: protocol.QoS1, Retain: retain,
		Props: protocol.Properties{MessageExpiry: protocol.Some(uint32(retainExpiry))}}
}

// onConnect connects the sensor, with its will, and has it say "online".
func (e *retainLesson) onConnect(ctx goapp.Context, _ string) {
	e.do(ctx, func(c context.Context, r *rig) error {
		status := r.topic("sensor/status")
		will := &protocol.WillMessage{Topic: status, Payload: []byte("offline"), QoS: protocol.QoS1, Retain: true,
			Props: protocol.Properties{MessageExpiry: protocol.Some(uint32(retainExpiry))}}
		if err := r.add(retainSensor, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60, Will: will}}); err != nil {
			return err
		}
		if _, err := r.connect(c, retainSensor); err != nil {
			return err
		}
		return r.publish(c, retainSensor, retained(status, "online", true))
	})
}

func (e *retainLesson) onRetain(_ goapp.Context, v string) { e.retain = v == "true" }

// onPublish publishes a temperature reading.
func (e *retainLesson) onPublish(ctx goapp.Context, _ string) {
	e.n++
	m := retained(e.rig.topic("sensor/temp"), strconv.FormatFloat(20+float64(e.n)/2, 'f', 1, 64), e.retain)
	e.do(ctx, func(c context.Context, r *rig) error { return r.publish(c, retainSensor, m) })
}

// onSubscribe starts a new display, which subscribes to the sensor's
// topics.
func (e *retainLesson) onSubscribe(ctx goapp.Context, _ string) {
	e.do(ctx, func(c context.Context, r *rig) error {
		if err := r.add(retainDisplay, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}}); err != nil {
			return err
		}
		if _, err := r.connect(c, retainDisplay); err != nil {
			return err
		}
		return r.subscribe(c, retainDisplay, r.topic("sensor/#"), protocol.QoS1)
	})
}

// onDrop ends the sensor's connection without DISCONNECT.
func (e *retainLesson) onDrop(goapp.Context, string) {
	if cl := e.rig.client(retainSensor); cl != nil {
		cl.Drop()
	}
}

// Render draws the experiment.
func (e *retainLesson) Render() goapp.UI {
	l := e.lang
	up := e.sensor.Up
	prefix := ""
	if e.rig != nil {
		prefix = e.rig.topic("")
	}
	lines := make([]expLine, 0, len(e.display.Msgs))
	for _, m := range e.display.Msgs {
		text := strings.TrimPrefix(m.Topic, prefix) + " = " + string(m.Payload)
		if m.Retain {
			text += " · RETAIN"
		}
		lines = append(lines, expLine{Text: text, Alert: string(m.Payload) == "offline"})
	}
	return e.renderExp([]expSection{{
		ID: "retain-exp",
		Controls: []expControl{
			{ID: "retain-connect", Label: l.T("lesson.retain.connect"), Off: up, Do: e.onConnect},
			{Kind: ctlCheck, ID: "retain-flag", Label: l.T("lesson.retain.flag"), On: e.retain, Do: e.onRetain},
			{ID: "retain-publish", Label: l.T("lesson.retain.publish"), Off: !up, Do: e.onPublish},
			{ID: "retain-subscribe", Label: l.T("lesson.retain.subscribe"), Do: e.onSubscribe},
			{ID: "retain-drop", Label: l.T("lesson.retain.drop"), Off: !up, Do: e.onDrop},
		},
		Lists:    []expList{{ID: "retain-got", Title: l.T("lesson.retain.got"), Lines: lines, Empty: l.T("lesson.exp.none")}},
		Diagrams: []expDiagram{{retainSensor, e.sensLog}, {retainDisplay, e.dispLog}},
	}},
		checkItem{"check-retained", l.T("lesson.retain.check1"), e.gotRetained},
		checkItem{"check-will", l.T("lesson.retain.check2"), e.gotWill},
	)
}
