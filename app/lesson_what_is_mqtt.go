package app

import (
	"bytes"
	"context"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

func init() {
	registerLesson(lessonDef{Order: 1, Slug: "what-is-mqtt", Key: "lesson.intro", Paras: 4,
		Experiment: func() lessonExperiment { return &introExperiment{} }})
}

// Lesson 1: a greenhouse sensor sends its readings up to a cloud service,
// and the cloud sends the sensor's fan a command down, which the device's
// own code carries out and reports.

// The clients of lesson 1.
const (
	introDevice = "l1-device"
	introCloud  = "l1-cloud"
)

// introTopic is a topic of this page's greenhouse device.
func introTopic(rest string) string { return "greenhouse/" + lessonSite + "/" + rest }

// introExperiment is lesson 1's experiment.
type introExperiment struct {
	goapp.Compo
	lessonRig

	reading string
}

// OnInit starts with a plausible reading.
func (e *introExperiment) OnInit() { e.reading = "21.5" }

// OnMount connects the device and the cloud.
func (e *introExperiment) OnMount(ctx goapp.Context) {
	e.watch(ctx, "l1-", introDone)
	e.start(ctx, lessonClient{name: introDevice, handler: introFirmware,
		subs: []protocol.Subscription{{Filter: introTopic("fan/set"), QoS: 1}}})
	e.start(ctx, lessonClient{name: introCloud, subs: []protocol.Subscription{
		{Filter: "greenhouse/+/temperature", QoS: 1},
		{Filter: "greenhouse/+/fan", QoS: 1},
	}})
}

// OnDismount stops the device's code.
func (e *introExperiment) OnDismount() { e.stop() }

// introFirmware is the device's code: a command "on" or "off" on its
// fan/set topic switches the fan, and the device reports the fan's new
// state on its fan topic.
func introFirmware(m store.Message) {
	cmd := string(m.Payload)
	if m.Topic != introTopic("fan/set") || (cmd != "on" && cmd != "off") {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	store.Clients.Publish(ctx, introDevice, &client.Message{Topic: introTopic("fan"), Payload: m.Payload, QoS: 1})
}

// introDone is lesson 1's self-check: a reading of the device reached the
// cloud, and a command of the cloud reached the device, which answered
// with the fan's new state, which reached the cloud.
func introDone(ps []store.Packet) bool {
	if lessonDelivered(ps, 0, introDevice, introCloud, topicIs(introTopic("temperature"))) < 0 {
		return false
	}
	for i := range ps {
		out, ok := publishOf(&ps[i], introCloud, client.Out)
		if !ok || out.Topic != introTopic("fan/set") {
			continue
		}
		got := lessonReceived(ps, i+1, introDevice, out)
		if got >= 0 && lessonDelivered(ps, got+1, introDevice, introCloud, func(p *protocol.Publish) bool {
			return p.Topic == introTopic("fan") && bytes.Equal(p.Payload, out.Payload)
		}) >= 0 {
			return true
		}
	}
	return false
}

// Render draws the device, the cloud and the packets between them.
func (e *introExperiment) Render() goapp.UI {
	l := e.lang
	reading, fan := "", ""
	for _, p := range e.packets {
		if pub, ok := publishOf(&p, introCloud, client.In); ok && pub.Topic == introTopic("temperature") {
			reading = string(pub.Payload)
		}
		if pub, ok := publishOf(&p, introDevice, client.Out); ok && pub.Topic == introTopic("fan") {
			fan = string(pub.Payload)
		}
	}
	lastReading := l.T("lesson.intro.no_reading")
	if reading != "" {
		lastReading = strings.ReplaceAll(l.T("lesson.intro.last_reading"), "{v}", reading)
	}
	fanText := l.T("lesson.intro.fan_off")
	if fan == "on" {
		fanText = l.T("lesson.intro.fan_on")
	} else {
		fan = "off"
	}
	device, cloud := lessonConnected(introDevice), lessonConnected(introCloud)
	return el("div", "lesson-lab").Body(
		lessonSteps(l, "lesson.intro", 3),
		el("div", "lesson-parties lesson-pair").Body(
			lessonParty(l, "intro-device", l.T("lesson.intro.device"), introDevice,
				textField(l, "intro-reading", l.T("lesson.intro.reading"), e.reading, nil, true, func(s string) { e.reading = s }),
				button("intro-publish", l.T("lesson.intro.publish"), !device, e.publishReading).Class("button-primary"),
				lessonState("intro-fan", fanText).DataSet("fan", fan),
				msgEl(l, "p", "caption", "lesson.intro.firmware"),
			),
			msgEl(l, "div", "lesson-broker", "lessons.broker").Aria("hidden", "true"),
			lessonParty(l, "intro-cloud", l.T("lesson.intro.cloud"), introCloud,
				lessonState("intro-last-reading", lastReading),
				el("div", "lesson-buttons").Body(
					button("intro-fan-on", l.T("lesson.intro.cmd_on"), !cloud, e.command("on")),
					button("intro-fan-off", l.T("lesson.intro.cmd_off"), !cloud, e.command("off")),
				),
			),
		),
		e.renderError(),
		lessonTrail(l, e.packets),
	)
}

// publishReading publishes the typed reading from the device.
func (e *introExperiment) publishReading(ctx goapp.Context, _ goapp.Event) {
	v := strings.TrimSpace(e.reading)
	if _, err := strconv.ParseFloat(v, 64); err != nil {
		e.err = errInput("lesson.intro.bad_reading")
		return
	}
	e.publish(ctx, introDevice, &client.Message{Topic: introTopic("temperature"), Payload: []byte(v), QoS: 1})
}

// command sends the fan a command from the cloud.
func (e *introExperiment) command(cmd string) goapp.EventHandler {
	return func(ctx goapp.Context, _ goapp.Event) {
		e.publish(ctx, introCloud, &client.Message{Topic: introTopic("fan/set"), Payload: []byte(cmd), QoS: 1})
	}
}
