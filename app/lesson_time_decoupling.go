package app

import (
	"context"
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

func init() {
	registerLesson(lessonDef{Order: 5, Slug: "time-decoupling", Key: "lesson.time", Paras: 3,
		Experiment: func() lessonExperiment { return &timeExperiment{} }})
}

// Lesson 5: a phone with a persistent session goes offline, the broker
// holds the door sensor's alerts for it and delivers them when it comes
// back; a retained status reaches a tablet that subscribes later.

// The clients of lesson 5.
const (
	timeSensor = "l5-door"
	timePhone  = "l5-phone"
	timeTablet = "l5-tablet"
)

// timeExpiry is the phone's Session Expiry Interval, in seconds.
const timeExpiry = 300

// The door's topics: alerts (QoS 1, held for the offline phone) and
// status (retained).
func timeAlerts() string { return lessonTopic(5, "door/alerts") }
func timeStatus() string { return lessonTopic(5, "door/status") }

// timeExperiment is lesson 5's experiment.
type timeExperiment struct {
	goapp.Compo
	lessonRig

	alerts int
	locked bool
}

// OnMount connects the door sensor and the phone, with its persistent
// session.
func (e *timeExperiment) OnMount(ctx goapp.Context) {
	e.observe(ctx, 5, true)
	e.watch(ctx, "l5-", timeDone)
	e.start(ctx, lessonClient{name: timeSensor})
	e.start(ctx, lessonClient{name: timePhone,
		edit: func(s *store.Settings) { s.CleanStart, s.SessionExpiry = false, timeExpiry },
		subs: []protocol.Subscription{{Filter: timeAlerts(), QoS: 1}}})
}

// OnDismount closes the observers.
func (e *timeExperiment) OnDismount() { e.stop() }

// timeDone is lesson 5's self-check: an alert published while the phone
// was offline (after its DISCONNECT, before it connected again with Clean
// Start 0) reached it after a CONNACK with Session Present 1.
func timeDone(ps []store.Packet) bool {
	for d := range ps {
		if ps[d].Client != timePhone || ps[d].Dir != client.Out {
			continue
		}
		if _, ok := ps[d].Packet.(*protocol.Disconnect); !ok {
			continue
		}
		back, ack := -1, -1
		for i := d + 1; i < len(ps) && ack < 0; i++ {
			if ps[i].Client != timePhone {
				continue
			}
			switch p := ps[i].Packet.(type) {
			case *protocol.Connect:
				if p.CleanStart {
					return false
				}
				back = i
			case *protocol.Connack:
				if back >= 0 && p.SessionPresent {
					ack = i
				}
			}
		}
		if ack < 0 {
			continue
		}
		for p := d + 1; p < back; p++ {
			if out, ok := publishOf(&ps[p], timeSensor, client.Out); ok && out.Topic == timeAlerts() && lessonReceived(ps, ack+1, timePhone, out) >= 0 {
				return true
			}
		}
	}
	return false
}

// Render draws the door sensor, the phone, the tablet, the broker's queue
// and the packets.
func (e *timeExperiment) Render() goapp.UI {
	l := e.lang
	phone, _ := store.Clients.Client(timePhone)
	routes, session, known := e.tele.view(phone.Settings.ClientID)
	present := ""
	if phone.Connack != nil {
		present = tf(l, "lesson.time.present", "v", flag(phone.Connack.SessionPresent))
	}
	online := phone.Status == store.Connected
	toggle := button("time-offline", l.T("lesson.time.offline"), !online, e.offline)
	if phone.Status == store.Disconnected {
		toggle = button("time-online", l.T("lesson.time.online"), false, e.online).Class("button-primary")
	}
	held := lessonState("time-held", l.T("lesson.time.held_unknown"))
	if known {
		held = lessonState("time-held", tf(l, "lesson.time.held", "n", strconv.Itoa(session.Queued))).
			DataSet("queued", session.Queued)
	}
	_, tablet := store.Clients.Client(timeTablet)
	return el("div", "lesson-lab").Body(
		lessonSteps(l, "lesson.time", 4),
		el("div", "lesson-parties").Body(
			lessonParty(l, "time-door", l.T("lesson.time.sensor"), timeSensor,
				publishesTo(l, timeAlerts()),
				button("time-alert", l.T("lesson.time.alert"), !lessonConnected(timeSensor), e.alert).Class("button-primary"),
				button("time-status", l.T("lesson.time.status"), !lessonConnected(timeSensor), e.status),
			),
			lessonParty(l, "time-phone", l.T("lesson.time.phone"), timePhone,
				msgEl(l, "p", "caption", "lesson.time.session"),
				textEl("p", "", present).ID("time-present"),
				toggle,
				lessonLastMessage(l, "time-phone-got", timePhone, e.packets),
			),
			e.renderTablet(l, tablet),
		),
		e.renderError(),
		el("div", "lesson-queue").ID("time-queue").Body(
			msgEl(l, "h3", "", "lesson.time.queue_title"),
			held,
			msgEl(l, "p", "caption", "lesson.time.queue_caption"),
		),
		e.renderDiagram(),
		renderRoutes(l, routes),
		lessonTrail(l, e.packets),
	)
}

// renderTablet draws the late subscriber, or the button that adds it.
func (e *timeExperiment) renderTablet(l i18n.Lang, added bool) goapp.UI {
	if !added {
		return el("div", "lesson-party lesson-party-later").Body(
			msgEl(l, "h3", "", "lesson.time.tablet"),
			button("time-late", l.T("lesson.time.late"), false, e.late),
		)
	}
	got := lessonState("time-tablet-got", l.T("lessons.got_none"))
	for i := len(e.packets) - 1; i >= 0; i-- {
		if p, ok := publishOf(&e.packets[i], timeTablet, client.In); ok {
			got = lessonState("time-tablet-got", tf(l, "lesson.time.tablet_got", "payload", string(p.Payload), "retain", flag(p.Retain))).
				DataSet("retain", p.Retain)
			break
		}
	}
	return lessonParty(l, "time-tablet", l.T("lesson.time.tablet"), timeTablet, got)
}

// alert publishes an alert of the door sensor, at QoS 1: the broker holds
// it for the offline phone.
func (e *timeExperiment) alert(ctx goapp.Context, _ goapp.Event) {
	e.alerts++
	e.publish(ctx, timeSensor, &client.Message{Topic: timeAlerts(), Payload: []byte("door opened #" + strconv.Itoa(e.alerts)), QoS: 1})
}

// status publishes the door's state as a retained message.
func (e *timeExperiment) status(ctx goapp.Context, _ goapp.Event) {
	e.locked = !e.locked
	state := "unlocked"
	if e.locked {
		state = "locked"
	}
	e.publish(ctx, timeSensor, &client.Message{Topic: timeStatus(), Payload: []byte(state), QoS: 1, Retain: true})
}

// offline disconnects the phone normally: the broker keeps its session.
func (e *timeExperiment) offline(ctx goapp.Context, _ goapp.Event) {
	e.run(ctx, func(cx context.Context) error { return store.Clients.Disconnect(cx, timePhone) })
}

// online connects the phone again, resuming its session.
func (e *timeExperiment) online(ctx goapp.Context, _ goapp.Event) {
	e.run(ctx, func(cx context.Context) error { return store.Clients.Connect(cx, timePhone) })
}

// late adds the tablet, which subscribes to the door's status.
func (e *timeExperiment) late(ctx goapp.Context, _ goapp.Event) {
	e.start(ctx, lessonClient{name: timeTablet, subs: []protocol.Subscription{{Filter: timeStatus(), QoS: 1}}})
}
