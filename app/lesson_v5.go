package app

import (
	"context"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// The lesson on what MQTT 5.0 adds: reason codes and properties, seen in
// four small experiments: workers sharing a subscription, topic aliases
// measured in bytes, a request and its response, and a message that
// expires.

func init() {
	registerLesson(lessonDef{Order: 11, Slug: "mqtt5", Key: "lesson.v5", Paras: 5,
		Experiment: func() lessonExperiment { return &v5Lesson{shared: true} }})
}

// The names of the lesson's clients in the packet log.
const (
	v5Boss      = "v5-boss"
	v5Meter     = "v5-meter"
	v5Dashboard = "v5-dashboard"
	v5Asker     = "v5-asker"
	v5Responder = "v5-responder"
	v5Reader    = "v5-reader"
)

// v5Workers are the members of the shared subscription.
var v5Workers = []string{"v5-worker-1", "v5-worker-2", "v5-worker-3"}

// Sizes of the experiments: jobs per click, readings per click, and the
// expiry of the expiring message, in seconds.
const (
	v5Jobs     = 9
	v5Readings = 5
	v5Expiry   = 10
)

// v5Lesson is the experiment of the MQTT 5.0 lesson.
type v5Lesson struct {
	lessonBase

	shared bool
	filter string // the workers' subscription
	jobs   int    // jobs sent
	// split: the jobs of a round went to several members, each to one.
	split bool
	// aliased: a PUBLISH went with a topic alias and no topic.
	aliased bool

	workers    [3]rigView
	bossLog    []store.Packet
	meterLog   []store.Packet
	dashLog    []store.Packet
	askerLog   []store.Packet
	reader     rigView
	reads      int
	answer     string
	answerCorr string
}

// OnMount starts the rig; the learner starts the clients.
func (e *v5Lesson) OnMount(ctx goapp.Context) {
	if e.startRig(ctx, e.refresh) {
		e.rig.setReady()
	}
}

func (e *v5Lesson) refresh(ctx goapp.Context) {
	r := e.rig
	if r == nil {
		return
	}
	for i, w := range v5Workers {
		e.workers[i] = r.view(w)
	}
	e.reader = r.view(v5Reader)
	e.bossLog, e.askerLog = r.logOf(v5Boss, seqMaxPackets), r.logOf(v5Asker, seqMaxPackets)
	e.meterLog, e.dashLog = r.logOf(v5Meter, 0), r.logOf(v5Dashboard, 0)
	e.split = e.split || v5Split(e.workers[:])
	for _, log := range [][]store.Packet{e.meterLog, e.dashLog} {
		_, _, _, aliased := aliasTotals(log)
		e.aliased = e.aliased || aliased
	}
	e.check(ctx, e.split && e.aliased)
}

// v5Split reports whether the members' messages show a shared
// subscription at work: several members got some, and none got a
// message another one got.
func v5Split(members []rigView) bool {
	seen := map[string]bool{}
	busy := 0
	for _, m := range members {
		if len(m.Msgs) > 0 {
			busy++
		}
		for _, msg := range m.Msgs {
			if seen[string(msg.Payload)] {
				return false
			}
			seen[string(msg.Payload)] = true
		}
	}
	return busy >= 2
}

// aliasTotals reads the PUBLISH packets of one client's log: how many,
// their bytes on the wire, their bytes had every topic been written out
// with no alias, and whether one carried an alias instead of its topic.
func aliasTotals(log []store.Packet) (n, wire, plain int, aliased bool) {
	topics := map[uint16]string{} // what each alias stands for
	for _, p := range log {
		pub, ok := p.Packet.(*protocol.Publish)
		if !ok {
			continue
		}
		n++
		wire += len(p.Raw)
		a, ok := pub.Props.TopicAlias.Get()
		if !ok {
			plain += len(p.Raw)
			continue
		}
		cp := *pub
		cp.Props.TopicAlias = protocol.Opt[uint16]{}
		// The raw bytes say whether the topic was sent: the client writes
		// the topic an incoming alias stands for into the packet it acts
		// on.
		if _, k, err := protocol.ParseVarint(p.Raw[1:]); err == nil && len(p.Raw) >= 3+k && p.Raw[1+k]|p.Raw[2+k] == 0 {
			aliased = true
			if cp.Topic == "" {
				cp.Topic = topics[a]
			}
		} else {
			topics[a] = cp.Topic
		}
		b, err := cp.AppendTo(nil)
		if err != nil || cp.Topic == "" {
			b = p.Raw
		}
		plain += len(b)
	}
	return n, wire, plain, aliased
}

// onWorkers (re)starts the workers, subscribed to the jobs, shared or
// not.
func (e *v5Lesson) onWorkers(ctx goapp.Context, _ string) {
	filter := e.rig.topic("jobs")
	if e.shared {
		filter = protocol.SharePrefix + "workers/" + filter
	}
	e.do(ctx, func(c context.Context, r *rig) error {
		for _, w := range v5Workers {
			if err := r.add(w, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}}); err != nil {
				return err
			}
			if _, err := r.connect(c, w); err != nil {
				return err
			}
			if err := r.subscribe(c, w, filter, protocol.QoS1); err != nil {
				return err
			}
		}
		return nil
	}, func() { e.filter = filter })
}

// onJobs sends a round of jobs at QoS 1.
func (e *v5Lesson) onJobs(ctx goapp.Context, _ string) {
	first := e.jobs + 1
	e.jobs += v5Jobs
	e.do(ctx, func(c context.Context, r *rig) error {
		if err := r.ensure(c, v5Boss, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}}); err != nil {
			return err
		}
		for i := range v5Jobs {
			m := &client.Message{Topic: r.topic("jobs"), QoS: protocol.QoS1, Payload: []byte("job " + strconv.Itoa(first+i))}
			if err := r.publish(c, v5Boss, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// onReadings has the meter publish readings with topic aliases, to a
// dashboard that accepts aliases from the broker too.
func (e *v5Lesson) onReadings(ctx goapp.Context, _ string) {
	e.do(ctx, func(c context.Context, r *rig) error {
		topic := r.topic("plant/building-7/line-3/meter/energy")
		dash := client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60,
			Props: protocol.Properties{TopicAliasMaximum: protocol.Some(uint16(10))}}}
		if err := r.ensure(c, v5Dashboard, dash); err != nil {
			return err
		}
		if err := r.subscribe(c, v5Dashboard, topic, protocol.QoS0); err != nil {
			return err
		}
		meter := client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}, TopicAliases: true}
		if err := r.ensure(c, v5Meter, meter); err != nil {
			return err
		}
		for i := range v5Readings {
			kwh := strconv.FormatFloat(1200+float64(time.Now().UnixMilli()%1000)/10+float64(i), 'f', 1, 64)
			if err := r.publish(c, v5Meter, &client.Message{Topic: topic, Payload: []byte(kwh)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// onRequest asks the responder for the time and waits for the answer.
func (e *v5Lesson) onRequest(ctx goapp.Context, _ string) {
	var answer, corr string
	e.do(ctx, func(c context.Context, r *rig) error {
		topic := r.topic("time/request")
		if r.client(v5Responder) == nil || !r.client(v5Responder).Connected() {
			respond := func(m *client.Message) {
				rc, cancel := context.WithTimeout(context.Background(), opTimeout)
				defer cancel()
				if cl := r.client(v5Responder); cl != nil {
					cl.Respond(rc, m, &client.Message{Payload: []byte(time.Now().Format("15:04:05"))})
				}
			}
			cfg := client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}, DefaultHandler: respond}
			if err := r.ensure(c, v5Responder, cfg); err != nil {
				return err
			}
			if err := r.subscribe(c, v5Responder, topic, protocol.QoS1); err != nil {
				return err
			}
		}
		if err := r.ensure(c, v5Asker, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}}); err != nil {
			return err
		}
		resp, err := r.client(v5Asker).Request(c, &client.Message{Topic: topic, QoS: protocol.QoS1, Payload: []byte("what time is it?")})
		if err != nil {
			return err
		}
		answer, corr = string(resp.Payload), hex.EncodeToString(resp.Props.CorrelationData.Value)
		return nil
	}, func() { e.answer, e.answerCorr = answer, corr })
}

// onExpiring publishes a retained message that expires.
func (e *v5Lesson) onExpiring(ctx goapp.Context, _ string) {
	e.do(ctx, func(c context.Context, r *rig) error {
		if err := r.ensure(c, v5Asker, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}}); err != nil {
			return err
		}
		return r.publish(c, v5Asker, &client.Message{Topic: r.topic("expiring"), QoS: protocol.QoS1, Retain: true,
			Payload: []byte("gone in " + strconv.Itoa(v5Expiry) + " s"),
			Props:   protocol.Properties{MessageExpiry: protocol.Some(uint32(v5Expiry))}})
	})
}

// onRead subscribes the reader to the expiring message's topic, which
// brings the retained message if it is still there, and unsubscribes.
func (e *v5Lesson) onRead(ctx goapp.Context, _ string) {
	e.reads++
	e.do(ctx, func(c context.Context, r *rig) error {
		if err := r.ensure(c, v5Reader, client.Config{Connect: protocol.Connect{CleanStart: true, KeepAlive: 60}}); err != nil {
			return err
		}
		topic := r.topic("expiring")
		if err := r.subscribe(c, v5Reader, topic, protocol.QoS1); err != nil {
			return err
		}
		_, err := r.client(v5Reader).Unsubscribe(c, topic)
		return err
	})
}

// Render draws the four experiments.
func (e *v5Lesson) Render() goapp.UI {
	l := e.lang
	// Shared subscription: jobs per worker, and the broker's last PUBACK.
	var counts []expLine
	if e.filter != "" {
		counts = append(counts, expLine{Text: l.T("lesson.v5.filter") + " " + e.filter})
	}
	for i, w := range e.workers {
		var jobs []string
		for _, m := range w.Msgs {
			jobs = append(jobs, strings.TrimPrefix(string(m.Payload), "job "))
		}
		counts = append(counts, expLine{Text: tf(l, "lesson.v5.worker_got", "name", v5Workers[i],
			"n", strconv.Itoa(len(jobs)), "jobs", strings.Join(jobs, ", "))})
	}
	for k := len(e.bossLog) - 1; k >= 0; k-- {
		if ack, ok := e.bossLog[k].Packet.(*protocol.Puback); ok {
			counts = append(counts, expLine{Text: l.T("lesson.v5.puback") + " " + reasonCode(l, ack.ReasonCode, protocol.PUBACK),
				Alert: ack.ReasonCode != protocol.Success})
			break
		}
	}
	// Topic aliases: sizes of what the meter sent and the dashboard got.
	var sizes []expLine
	for _, side := range []struct {
		key string
		log []store.Packet
	}{{"lesson.v5.alias_out", e.meterLog}, {"lesson.v5.alias_in", e.dashLog}} {
		if n, wire, plain, _ := aliasTotals(side.log); n > 0 {
			sizes = append(sizes, expLine{Text: tf(l, side.key, "n", strconv.Itoa(n), "wire", strconv.Itoa(wire),
				"plain", strconv.Itoa(plain), "saved", strconv.Itoa(plain-wire))})
		}
	}
	// Request/response: the request as sent, and the answer.
	var rr []expLine
	for k := len(e.askerLog) - 1; k >= 0; k-- {
		p := e.askerLog[k]
		if pub, ok := p.Packet.(*protocol.Publish); ok && p.Dir == client.Out && pub.Props.ResponseTopic.Present {
			rr = append(rr, expLine{Text: l.T("lesson.v5.response_topic") + ": " + pub.Props.ResponseTopic.Value},
				expLine{Text: l.T("lesson.v5.correlation") + ": " + hex.EncodeToString(pub.Props.CorrelationData.Value)})
			break
		}
	}
	if e.answer != "" {
		rr = append(rr, expLine{Text: tf(l, "lesson.v5.answer", "answer", e.answer, "corr", e.answerCorr)})
	}
	// Message expiry: each message the reader got, with the time it had
	// left.
	reads := []expLine{{Text: tf(l, "lesson.v5.reads", "reads", strconv.Itoa(e.reads), "got", strconv.Itoa(len(e.reader.Msgs)))}}
	for _, m := range e.reader.Msgs {
		reads = append(reads, expLine{Text: tf(l, "lesson.v5.read", "payload", string(m.Payload),
			"left", strconv.Itoa(int(m.Props.MessageExpiry.Value)))})
	}
	return e.renderExp([]expSection{{
		ID: "v5-share", Title: l.T("lesson.v5.share"),
		Controls: []expControl{
			{Kind: ctlCheck, ID: "v5-shared", Label: l.T("lesson.v5.shared"), On: e.shared, Do: func(_ goapp.Context, v string) { e.shared = v == "true" }},
			{ID: "v5-workers", Label: l.T("lesson.v5.workers"), Do: e.onWorkers},
			{ID: "v5-jobs", Label: tf(l, "lesson.v5.jobs", "n", strconv.Itoa(v5Jobs)), Do: e.onJobs},
		},
		Lists: []expList{{ID: "v5-counts", Lines: counts}},
	}, {
		ID: "v5-alias", Title: l.T("lesson.v5.alias"),
		Controls: []expControl{{ID: "v5-readings", Label: tf(l, "lesson.v5.readings", "n", strconv.Itoa(v5Readings)), Do: e.onReadings}},
		Lists:    []expList{{ID: "v5-sizes", Lines: sizes, Empty: l.T("lesson.exp.none")}},
		Diagrams: []expDiagram{{v5Meter, lastPackets(e.meterLog)}},
	}, {
		ID: "v5-rr", Title: l.T("lesson.v5.rr"),
		Controls: []expControl{{ID: "v5-request", Label: l.T("lesson.v5.request"), Do: e.onRequest}},
		Lists:    []expList{{ID: "v5-answer", Lines: rr, Empty: l.T("lesson.exp.none")}},
	}, {
		ID: "v5-expiry", Title: l.T("lesson.v5.expiry"),
		Controls: []expControl{
			{ID: "v5-expiring", Label: tf(l, "lesson.v5.expiring", "n", strconv.Itoa(v5Expiry)), Do: e.onExpiring},
			{ID: "v5-read", Label: l.T("lesson.v5.read_now"), Do: e.onRead},
		},
		Lists: []expList{{ID: "v5-reads", Lines: reads}},
	}},
		checkItem{"check-shared", l.T("lesson.v5.check1"), e.split},
		checkItem{"check-alias", l.T("lesson.v5.check2"), e.aliased},
	)
}
