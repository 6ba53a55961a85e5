package app

import (
	"context"
	"slices"
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

func init() {
	registerLesson(lessonDef{Order: 3, Slug: "publish-subscribe", Key: "lesson.pubsub", Paras: 4,
		Experiment: func() lessonExperiment { return &pubsubExperiment{} }})
}

// Lesson 3: a doorbell publishes once, and the broker hands a copy to
// each of two subscribers, a phone and a speaker, which never meet the
// doorbell.

// The clients of lesson 3.
const (
	pubsubBell    = "l3-doorbell"
	pubsubPhone   = "l3-phone"
	pubsubSpeaker = "l3-speaker"
)

// pubsubTopic is the doorbell's topic.
func pubsubTopic() string { return lessonTopic(3, "front-door/ring") }

// pubsubExperiment is lesson 3's experiment.
type pubsubExperiment struct {
	goapp.Compo
	lessonRig

	rings int
}

// OnMount connects the three clients and starts watching the broker.
func (e *pubsubExperiment) OnMount(ctx goapp.Context) {
	e.observe(ctx, 3, false)
	e.watch(ctx, "l3-", pubsubDone)
	for _, name := range []string{pubsubBell, pubsubPhone, pubsubSpeaker} {
		e.start(ctx, lessonClient{name: name})
	}
}

// OnDismount closes the observers.
func (e *pubsubExperiment) OnDismount() { e.stop() }

// pubsubDone is lesson 3's self-check: one PUBLISH of the doorbell reached
// both subscribers.
func pubsubDone(ps []store.Packet) bool {
	for i := range ps {
		out, ok := publishOf(&ps[i], pubsubBell, client.Out)
		if ok && out.Topic == pubsubTopic() &&
			lessonReceived(ps, i+1, pubsubPhone, out) >= 0 && lessonReceived(ps, i+1, pubsubSpeaker, out) >= 0 {
			return true
		}
	}
	return false
}

// Render draws the doorbell, the subscribers, the broker's view and the
// packets.
func (e *pubsubExperiment) Render() goapp.UI {
	l := e.lang
	routes, _, _ := e.tele.view("")
	return el("div", "lesson-lab").Body(
		lessonSteps(l, "lesson.pubsub", 3),
		el("div", "lesson-parties").Body(
			lessonParty(l, "pubsub-bell", l.T("lesson.pubsub.bell"), pubsubBell,
				publishesTo(l, pubsubTopic()),
				button("pubsub-ring", l.T("lesson.pubsub.ring"), !lessonConnected(pubsubBell), e.ring).Class("button-primary"),
			),
			e.renderSubscriber(l, "pubsub-phone", l.T("lesson.pubsub.phone"), pubsubPhone),
			e.renderSubscriber(l, "pubsub-speaker", l.T("lesson.pubsub.speaker"), pubsubSpeaker),
		),
		e.renderError(),
		e.renderDiagram(),
		renderRoutes(l, routes),
		lessonTrail(l, e.packets),
	)
}

// renderSubscriber draws a subscriber with its subscribe button and the
// last message it got.
func (e *pubsubExperiment) renderSubscriber(l i18n.Lang, id, role, name string) goapp.UI {
	subscribed := lessonSubscribed(name, pubsubTopic())
	label, op := l.T("lessons.subscribe"), e.subscribe
	if subscribed {
		label, op = l.T("lessons.unsubscribe"), e.unsubscribe
	}
	return lessonParty(l, id, role, name,
		button(id+"-sub", label, !lessonConnected(name), op(name)),
		lessonLastMessage(l, id+"-got", name, e.packets),
	)
}

// ring publishes one ring of the doorbell.
func (e *pubsubExperiment) ring(ctx goapp.Context, _ goapp.Event) {
	e.rings++
	e.publish(ctx, pubsubBell, &client.Message{Topic: pubsubTopic(), Payload: []byte("ring #" + strconv.Itoa(e.rings)), QoS: 1})
}

// subscribe subscribes client name to the doorbell's topic.
func (e *pubsubExperiment) subscribe(name string) goapp.EventHandler {
	return func(ctx goapp.Context, _ goapp.Event) {
		e.run(ctx, func(cx context.Context) error {
			_, err := store.Clients.Subscribe(cx, name, protocol.Subscription{Filter: pubsubTopic(), QoS: 1})
			return err
		})
	}
}

// unsubscribe unsubscribes client name from the doorbell's topic.
func (e *pubsubExperiment) unsubscribe(name string) goapp.EventHandler {
	return func(ctx goapp.Context, _ goapp.Event) {
		e.run(ctx, func(cx context.Context) error {
			_, err := store.Clients.Unsubscribe(cx, name, pubsubTopic())
			return err
		})
	}
}

// lessonSubscribed reports whether the client named name holds a
// subscription to filter.
func lessonSubscribed(name, filter string) bool {
	v, ok := store.Clients.Client(name)
	return ok && slices.ContainsFunc(v.Subs, func(s store.Sub) bool { return s.Filter == filter })
}

// lessonLastMessage says what the client named name last received, from
// the lesson's packets ps.
func lessonLastMessage(l i18n.Lang, id, name string, ps []store.Packet) goapp.UI {
	n, last := 0, ""
	for i := range ps {
		if p, ok := publishOf(&ps[i], name, client.In); ok {
			n, last = n+1, string(p.Payload)
		}
	}
	if n == 0 {
		return lessonState(id, l.T("lessons.got_none")).DataSet("count", 0)
	}
	return lessonState(id, tf(l, "lessons.got", "n", strconv.Itoa(n), "last", last)).DataSet("count", n)
}
