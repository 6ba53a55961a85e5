package app

import (
	"context"
	"slices"
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// The lesson on QoS 0, 1 and 2. A sender publishes to a receiver whose
// session the broker keeps. The receiver can be made to fail before it
// acknowledges a message, and its link cut and made again: the broker
// sends again what it never saw acknowledged, with DUP. At QoS 1 the
// application gets the message twice; at QoS 2 the client knows the packet
// identifier and the application gets it once.

func init() {
	registerLesson(lessonDef{Order: 8, Slug: "qos", Key: "lesson.qos", Paras: 4,
		Experiment: func() lessonExperiment { return &qosLesson{qos: protocol.QoS1} }})
}

// The names of the lesson's clients in the packet log.
const (
	qosSender   = "qos-sender"
	qosReceiver = "qos-receiver"
)

// qosLesson is the experiment of the QoS lesson.
type qosLesson struct {
	lessonBase

	qos protocol.QoS
	n   int // messages published
	// armed is the rig's last packet when the learner asked the receiver
	// to withhold its next acknowledgement, 0 when not asked.
	armed            uint64
	sender, receiver rigView
	got              qosResult
}

// qosResult is what the receiver's packets and messages have shown so far.
type qosResult struct {
	// dup1: a QoS 1 message came again with DUP and the application got
	// it twice.
	dup1 bool
	// once2: a QoS 2 message came again with DUP, its handshake completed,
	// and the application got it once.
	once2 bool
}

// OnMount connects the sender and the receiver, which subscribes at QoS 2
// so that the sender's QoS decides.
func (e *qosLesson) OnMount(ctx goapp.Context) {
	if !e.startRig(ctx, e.refresh) {
		return
	}
	e.do(ctx, func(c context.Context, r *rig) error {
		if err := r.add(qosSender, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}}); err != nil {
			return err
		}
		if err := r.add(qosReceiver, client.Config{Connect: protocol.Connect{KeepAlive: 60,
			Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(300))}}}); err != nil {
			return err
		}
		if _, err := r.connect(c, qosSender); err != nil {
			return err
		}
		if _, err := r.connect(c, qosReceiver); err != nil {
			return err
		}
		return r.subscribe(c, qosReceiver, r.topic("qos"), protocol.QoS2)
	})
}

// refresh reads the rig and checks the lesson.
func (e *qosLesson) refresh(ctx goapp.Context) {
	r := e.rig
	if r == nil {
		return
	}
	e.sender, e.receiver = r.view(qosSender), r.view(qosReceiver)
	if e.armed != 0 && slices.ContainsFunc(e.receiver.Packets, func(p rigPacket) bool {
		return p.Seq > e.armed && p.Dir == client.In && p.Type == protocol.PUBLISH && p.QoS > 0
	}) {
		e.armed = 0 // the acknowledgement of that message was withheld
	}
	now := qosCheck(e.receiver)
	e.got.dup1 = e.got.dup1 || now.dup1
	e.got.once2 = e.got.once2 || now.once2
	e.check(ctx, e.got.dup1 && e.got.once2)
}

// qosCheck reads what a receiver's packets and messages show.
func qosCheck(v rigView) qosResult {
	var res qosResult
	seen := map[string]int{}
	for _, m := range v.Msgs {
		seen[strconv.Itoa(int(m.QoS))+string(m.Payload)]++
	}
	for _, m := range v.Msgs {
		if m.QoS == protocol.QoS1 && m.Dup && seen["1"+string(m.Payload)] > 1 {
			res.dup1 = true
		}
	}
	for i, p := range v.Packets {
		if p.Dir != client.In || p.Type != protocol.PUBLISH || p.QoS != protocol.QoS2 || !p.Dup {
			continue
		}
		completed := slices.ContainsFunc(v.Packets[i:], func(q rigPacket) bool {
			return q.Dir == client.Out && q.Type == protocol.PUBCOMP && q.ID == p.ID
		})
		twice := false
		for k, n := range seen {
			twice = twice || k[0] == '2' && n > 1
		}
		res.once2 = res.once2 || completed && !twice
	}
	return res
}

func (e *qosLesson) ready() bool {
	return e.sender.Up && e.receiver.Up && len(packetsOf(e.receiver.Packets, client.In, protocol.SUBACK)) > 0
}

func (e *qosLesson) onQoS(_ goapp.Context, v string) {
	if q, err := strconv.Atoi(v); err == nil && q >= 0 && q <= 2 {
		e.qos = protocol.QoS(q)
	}
}

func (e *qosLesson) onWithhold(_ goapp.Context, v string) {
	on := v == "true"
	cl := e.rig.client(qosReceiver)
	if cl == nil {
		return
	}
	if on {
		cl.WithholdAcks(1)
		e.armed = max(e.rig.lastSeq(), 1)
		return
	}
	cl.WithholdAcks(0)
	e.armed = 0
}

func (e *qosLesson) onPublish(ctx goapp.Context, _ string) {
	e.n++
	m := &client.Message{Topic: e.rig.topic("qos"), QoS: e.qos, Payload: []byte("message " + strconv.Itoa(e.n))}
	e.do(ctx, func(c context.Context, r *rig) error { return r.publish(c, qosSender, m) })
}

// onCut drops the receiver's connection, as a network failure would, and
// connects it again: its session resumes.
func (e *qosLesson) onCut(ctx goapp.Context, _ string) {
	e.do(ctx, func(c context.Context, r *rig) error {
		if cl := r.client(qosReceiver); cl != nil {
			cl.Drop()
		}
		_, err := r.connect(c, qosReceiver)
		return err
	})
}

func (e *qosLesson) onClear(goapp.Context, string) {
	if e.rig != nil {
		e.rig.clear()
	}
}

// Render draws the experiment.
func (e *qosLesson) Render() goapp.UI {
	l := e.lang
	off := !e.ready()
	return e.renderExp([]expSection{{
		ID: "qos-exp",
		Controls: []expControl{
			{Kind: ctlSelect, ID: "qos-level", Label: l.T("lesson.qos.level"), Value: strconv.Itoa(int(e.qos)), Choices: qosChoices(l), Do: e.onQoS},
			{Kind: ctlCheck, ID: "qos-withhold", Label: l.T("lesson.qos.withhold"), On: e.armed != 0, Do: e.onWithhold},
			{ID: "qos-publish", Label: tf(l, "lesson.qos.publish", "n", strconv.Itoa(e.n+1)), Off: off, Do: e.onPublish},
			{ID: "qos-cut", Label: l.T("lesson.qos.cut"), Off: off, Do: e.onCut},
			{ID: "qos-clear", Label: l.T("lesson.exp.clear"), Do: e.onClear},
		},
		Lists: []expList{{ID: "qos-delivered", Title: l.T("lesson.qos.app"), Lines: e.delivered(), Empty: l.T("lesson.exp.none")}},
		Seq: expSeq{ID: "qos-seq", Label: l.T("lesson.exp.diagram"),
			Heads: []string{l.T("lesson.qos.sender"), l.T("lesson.exp.broker"), l.T("lesson.qos.receiver")},
			Rows:  seqMerge(seqRows(l, e.sender.Packets, 0, true), seqRows(l, e.receiver.Packets, 1, false))},
	}},
		checkItem{"check-qos1-dup", l.T("lesson.qos.check1"), e.got.dup1},
		checkItem{"check-qos2-once", l.T("lesson.qos.check2"), e.got.once2},
	)
}

// delivered lists the messages the receiver's application got, marking
// the second delivery of a message.
func (e *qosLesson) delivered() []expLine {
	counts := map[string]int{}
	lines := make([]expLine, 0, len(e.receiver.Msgs))
	for _, m := range e.receiver.Msgs {
		key := strconv.Itoa(int(m.QoS)) + string(m.Payload)
		counts[key]++
		ln := expLine{Text: string(m.Payload) + " · QoS " + strconv.Itoa(int(m.QoS))}
		if m.Dup {
			ln.Text += " · DUP"
		}
		if counts[key] > 1 {
			ln.Text += " — " + e.lang.T("lesson.qos.again")
			ln.Alert = true
		}
		lines = append(lines, ln)
	}
	return lines
}
