package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

func init() {
	registerLesson(lessonDef{Order: 4, Slug: "space-decoupling", Key: "lesson.space", Paras: 3,
		Experiment: func() lessonExperiment { return &spaceExperiment{} }})
}

// Lesson 4: a sensor publishes every second while the learner adds and
// removes subscribers; the sensor never knows, and the PUBLISH carries no
// address.

// The clients of lesson 4: the sensor, and subscribers named
// spaceAppPrefix + a number.
const (
	spaceSensor    = "l4-sensor"
	spaceAppPrefix = "l4-app-"
)

// spaceEvery is the sensor's pace.
const spaceEvery = time.Second

// spaceTopic is the sensor's topic.
func spaceTopic() string { return lessonTopic(4, "air/co2") }

// spaceExperiment is lesson 4's experiment.
type spaceExperiment struct {
	goapp.Compo
	lessonRig

	stopSensor context.CancelFunc // set while the sensor publishes
}

// OnMount connects the sensor and starts watching the broker.
func (e *spaceExperiment) OnMount(ctx goapp.Context) {
	e.observe(ctx, 4, false)
	e.watch(ctx, "l4-", spaceDone)
	e.start(ctx, lessonClient{name: spaceSensor})
}

// OnDismount stops the sensor and the observers.
func (e *spaceExperiment) OnDismount() {
	if e.stopSensor != nil {
		e.stopSensor()
	}
	e.stop()
}

// spaceApps returns the names of the lesson's subscribers in the lab.
func spaceApps() []string {
	var apps []string
	for _, n := range store.Clients.Names() {
		if strings.HasPrefix(n, spaceAppPrefix) {
			apps = append(apps, n)
		}
	}
	return apps
}

// toggle starts or stops the sensor.
func (e *spaceExperiment) toggle(ctx goapp.Context, _ goapp.Event) {
	if e.stopSensor != nil {
		e.stopSensor()
		e.stopSensor = nil
		return
	}
	cx, cancel := context.WithCancel(context.Background())
	e.stopSensor = cancel
	ctx.Async(func() {
		err := spaceSense(cx)
		ctx.Dispatch(func(goapp.Context) {
			if err != nil && cx.Err() == nil {
				e.err = err
				cancel()
				e.stopSensor = nil
			}
		})
	})
}

// spaceSense is the sensor's code: a CO₂ reading every spaceEvery, until
// ctx ends or a publish fails.
func spaceSense(ctx context.Context) error {
	t := time.NewTicker(spaceEvery)
	defer t.Stop()
	for n := 0; ; n++ {
		pctx, cancel := context.WithTimeout(ctx, opTimeout)
		ppm := strconv.Itoa(412 + n*7%40)
		err := store.Clients.Publish(pctx, spaceSensor, &client.Message{Topic: spaceTopic(), Payload: []byte(ppm + " ppm"), QoS: 1})
		cancel()
		if err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// add makes a new subscriber, connects it and subscribes it.
func (e *spaceExperiment) add(ctx goapp.Context, _ goapp.Event) {
	name := ""
	for n := 1; name == ""; n++ {
		if _, taken := store.Clients.Client(spaceAppPrefix + strconv.Itoa(n)); !taken {
			name = spaceAppPrefix + strconv.Itoa(n)
		}
	}
	e.start(ctx, lessonClient{name: name, subs: []protocol.Subscription{{Filter: spaceTopic(), QoS: 1}}})
}

// remove disconnects a subscriber and takes it out of the lab.
func (e *spaceExperiment) remove(name string) goapp.EventHandler {
	return func(ctx goapp.Context, _ goapp.Event) {
		e.run(ctx, func(context.Context) error { return store.Clients.Remove(name) })
	}
}

// spaceDone is lesson 4's self-check: while the sensor kept publishing on
// one connection, a subscriber that came after its first reading got
// readings, and another subscriber went away (unsubscribed or
// disconnected) with the sensor publishing on after it.
func spaceDone(ps []store.Packet) bool {
	var pubs, connects []int
	for i := range ps {
		p := &ps[i]
		if p.Client != spaceSensor || p.Dir != client.Out {
			continue
		}
		switch pk := p.Packet.(type) {
		case *protocol.Publish:
			if pk.Topic == spaceTopic() {
				pubs = append(pubs, i)
			}
		case *protocol.Connect:
			connects = append(connects, i)
		}
	}
	if len(pubs) < 2 {
		return false
	}
	first := pubs[0]
	// steady reports whether the sensor's publish at j went out on the
	// connection of its first reading.
	steady := func(j int) bool {
		return !slices.ContainsFunc(connects, func(c int) bool { return c > first && c < j })
	}
	added, removed := map[string]bool{}, map[string]bool{}
	for i := first + 1; i < len(ps); i++ {
		p := &ps[i]
		if !strings.HasPrefix(p.Client, spaceAppPrefix) || p.Dir != client.Out {
			continue
		}
		switch pk := p.Packet.(type) {
		case *protocol.Subscribe:
			if !slices.ContainsFunc(pk.Subscriptions, func(s protocol.Subscription) bool { return s.Filter == spaceTopic() }) {
				continue
			}
			for _, j := range pubs {
				if j > i && steady(j) && lessonReceived(ps, j+1, p.Client, ps[j].Packet.(*protocol.Publish)) >= 0 {
					added[p.Client] = true
					break
				}
			}
		case *protocol.Unsubscribe, *protocol.Disconnect:
			if slices.ContainsFunc(pubs, func(j int) bool { return j > i && steady(j) }) {
				removed[p.Client] = true
			}
		}
	}
	for a := range added {
		for r := range removed {
			if a != r {
				return true
			}
		}
	}
	return false
}

// Render draws the sensor, the subscribers, what each knows and the
// packets.
func (e *spaceExperiment) Render() goapp.UI {
	l := e.lang
	published := 0
	var last *store.Packet
	for i := range e.packets {
		p := &e.packets[i]
		if pub, ok := publishOf(p, spaceSensor, client.Out); ok && pub.Topic == spaceTopic() {
			published++
		}
		if _, ok := p.Packet.(*protocol.Publish); ok && p.Dir == client.In && strings.HasPrefix(p.Client, spaceAppPrefix) {
			last = p
		}
	}
	run := l.T("lesson.space.start")
	if e.stopSensor != nil {
		run = l.T("lesson.space.stop")
	}
	apps := spaceApps()
	parties := []goapp.UI{
		lessonParty(l, "space-sensor", l.T("lesson.space.sensor"), spaceSensor,
			publishesTo(l, spaceTopic()),
			lessonState("space-published", tf(l, "lesson.space.published", "n", strconv.Itoa(published))).
				DataSet("count", published),
			button("space-run", run, !lessonConnected(spaceSensor), e.toggle).Class("button-primary").
				Aria("pressed", e.stopSensor != nil),
		),
	}
	for _, name := range apps {
		parties = append(parties, lessonParty(l, name, tf(l, "lesson.space.app", "name", name), name,
			lessonLastMessage(l, name+"-got", name, e.packets),
			button(name+"-remove", l.T("lesson.space.remove"), false, e.remove(name)),
		))
	}
	return el("div", "lesson-lab").Body(
		lessonSteps(l, "lesson.space", 3),
		el("div", "lesson-parties").Body(parties...),
		el("div", "lesson-buttons").Body(button("space-add", l.T("lesson.space.add"), false, e.add)),
		e.renderError(),
		e.renderDiagram(),
		e.renderKnows(l, last),
		lessonTrail(l, e.packets),
	)
}

// renderKnows says what each party knows, and shows the last PUBLISH a
// subscriber received, field by field.
func (e *spaceExperiment) renderKnows(l i18n.Lang, last *store.Packet) goapp.UI {
	var packet goapp.UI = msgEl(l, "p", "empty", "lesson.space.no_packet")
	if last != nil {
		packet = el("div", "").Body(
			el("p", "caption").Body(textEl("code", "", last.Client), goapp.Text(" · "+last.Time.Local().Format("15:04:05.000"))),
			&hexView{Lang: l, Raw: last.Raw, Version: last.Version, Dir: last.Dir},
		)
	}
	return el("div", "lesson-knows").ID("space-knows").Body(
		msgEl(l, "h3", "", "lesson.space.knows_title"),
		el("ul", "").Body(
			el("li", "").Body(goapp.Text(l.T("lesson.space.broker_at")+" "), textEl("code", "", store.Clients.DefaultURL())),
			msgEl(l, "li", "", "lesson.space.knows_sensor"),
			msgEl(l, "li", "", "lesson.space.knows_app"),
			msgEl(l, "li", "", "lesson.space.knows_broker"),
		),
		msgEl(l, "h3", "", "lesson.space.packet_title"),
		packet,
		msgEl(l, "p", "caption", "lesson.space.packet_caption"),
	)
}
