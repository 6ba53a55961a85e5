package app

import (
	"context"
	"slices"
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/store"
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
	// armed is the packet log's Version when the learner asked the
	// receiver to withhold its next acknowledgement, 0 when not asked.
	armed            uint64
	sender, receiver rigView
	sentLog, recvLog []store.Packet
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
		if err := r.subscribe(c, qosReceiver, r.topic("qos"), protocol.QoS2); err != nil {
			return err
		}
		r.setReady()
		return nil
	})
}

// refresh reads the rig and checks the lesson.
func (e *qosLesson) refresh(ctx goapp.Context) {
	r := e.rig
	if r == nil {
		return
	}
	e.sender, e.receiver = r.view(qosSender), r.view(qosReceiver)
	e.sentLog, e.recvLog = r.logOf(qosSender, seqMaxPackets), r.logOf(qosReceiver, 0)
	if e.armed != 0 && slices.ContainsFunc(e.recvLog, func(p store.Packet) bool {
		pub, ok := p.Packet.(*protocol.Publish)
		return ok && p.Seq > e.armed && p.Dir == client.In && pub.QoS > 0
	}) {
		e.armed = 0 // the acknowledgement of that message was withheld
	}
	now := qosCheck(e.receiver.Msgs, e.recvLog)
	e.got.dup1 = e.got.dup1 || now.dup1
	e.got.once2 = e.got.once2 || now.once2
	e.check(ctx, e.got.dup1 && e.got.once2)
}

// qosCheck reads what a receiver's application got (msgs) and its
// packets show.
func qosCheck(msgs []client.Message, pkts []store.Packet) qosResult {
	var res qosResult
	seen := map[string]int{}
	for _, m := range msgs {
		seen[strconv.Itoa(int(m.QoS))+string(m.Payload)]++
	}
	twice2 := false
	for _, m := range msgs {
		n := seen[strconv.Itoa(int(m.QoS))+string(m.Payload)]
		res.dup1 = res.dup1 || m.QoS == protocol.QoS1 && m.Dup && n > 1
		twice2 = twice2 || m.QoS == protocol.QoS2 && n > 1
	}
	resent := map[uint16]bool{} // QoS 2 identifiers sent again with DUP
	for _, p := range pkts {
		switch pk := p.Packet.(type) {
		case *protocol.Publish:
			if p.Dir == client.In && pk.QoS == protocol.QoS2 && pk.Dup {
				resent[pk.PacketID] = true
			}
		case *protocol.Pubcomp:
			res.once2 = res.once2 || p.Dir == client.Out && resent[pk.PacketID] && !twice2
		}
	}
	return res
}

func (e *qosLesson) ready() bool {
	return e.rig != nil && e.rig.isReady() && e.sender.Up && e.receiver.Up
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
		e.armed = max(store.Log.Version(), 1)
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
		Lists:    []expList{{ID: "qos-delivered", Title: l.T("lesson.qos.app"), Lines: e.delivered(), Empty: l.T("lesson.exp.none")}},
		Diagrams: []expDiagram{{qosSender, e.sentLog}, {qosReceiver, lastPackets(e.recvLog)}},
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
