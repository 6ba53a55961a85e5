package app

import (
	"bytes"
	"context"
	"strconv"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

func init() {
	registerLesson(lessonDef{Order: 6, Slug: "sync-decoupling", Key: "lesson.sync", Paras: 4,
		Experiment: func() lessonExperiment { return &syncExperiment{} }})
}

// Lesson 6: a smart meter publishes at its own pace to an archive that
// handles each reading slowly, while an app asks a tariff service and
// waits for the answer (MQTT 5.0 request/response).

// The clients of lesson 6.
const (
	syncMeter   = "l6-meter"
	syncArchive = "l6-archive"
	syncApp     = "l6-app"
	syncService = "l6-tariff"
)

// The pace of the experiment: the meter's burst, and how long the archive
// and the tariff service take over each message.
const (
	syncBurst = 10
	syncEvery = 200 * time.Millisecond
	syncSlow  = 800 * time.Millisecond
	// syncGap splits the meter's publishes into bursts.
	syncGap = time.Second
)

// The lesson's topics.
func syncReadings() string { return lessonTopic(6, "meter/power") }
func syncTariff() string   { return lessonTopic(6, "tariff/get") }

// syncExperiment is lesson 6's experiment.
type syncExperiment struct {
	goapp.Compo
	lessonRig

	cancel  context.CancelFunc // ends the burst under way on dismount
	sending bool
	asking  bool
}

// OnMount connects the four clients, the archive and the service with
// their slow code.
func (e *syncExperiment) OnMount(ctx goapp.Context) {
	e.observe(ctx, 6, false)
	e.watch(ctx, "l6-", syncDone)
	e.start(ctx, lessonClient{name: syncMeter})
	e.start(ctx, lessonClient{name: syncArchive, handler: syncStore,
		subs: []protocol.Subscription{{Filter: lessonTopic(6, "meter/#"), QoS: 1}}})
	e.start(ctx, lessonClient{name: syncApp})
	e.start(ctx, lessonClient{name: syncService, handler: syncAnswer,
		subs: []protocol.Subscription{{Filter: syncTariff(), QoS: 1}}})
}

// OnDismount ends a burst under way and releases the clients' code.
func (e *syncExperiment) OnDismount() {
	if e.cancel != nil {
		e.cancel()
	}
	e.stop()
}

// syncStore is the archive's code: storing a reading takes syncSlow. It
// runs on the archive's delivery goroutine, so the archive acknowledges
// each reading only once stored.
func syncStore(store.Message) { time.Sleep(syncSlow) }

// syncAnswer is the tariff service's code: it looks the tariff up
// (syncSlow) and answers the request.
func syncAnswer(m store.Message) {
	time.Sleep(syncSlow)
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	req := m.Message
	store.Clients.Respond(ctx, syncService, &req, &client.Message{Payload: []byte("0.27 EUR/kWh"), QoS: 1})
}

// burst publishes syncBurst readings of the meter, one every syncEvery.
func (e *syncExperiment) burst(ctx goapp.Context, _ goapp.Event) {
	cx, cancel := context.WithCancel(context.Background())
	e.cancel, e.sending = cancel, true
	ctx.Async(func() {
		err := syncPublish(cx)
		ctx.Dispatch(func(goapp.Context) {
			e.sending, e.err = false, err
			cancel()
		})
	})
}

// syncPublish is the meter's code: it publishes at its pace, waiting only
// for the broker's PUBACK of each reading.
func syncPublish(ctx context.Context) error {
	t := time.NewTicker(syncEvery)
	defer t.Stop()
	for n := 1; n <= syncBurst; n++ {
		pctx, cancel := context.WithTimeout(ctx, opTimeout)
		kw := strconv.FormatFloat(1.2+float64(n%7)/10, 'f', 2, 64)
		err := store.Clients.Publish(pctx, syncMeter, &client.Message{Topic: syncReadings(), Payload: []byte(kw + " kW #" + strconv.Itoa(n)), QoS: 1})
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
	return nil
}

// ask sends the tariff service a request and waits for its answer.
func (e *syncExperiment) ask(ctx goapp.Context, _ goapp.Event) {
	e.asking = true
	ctx.Async(func() {
		cx, cancel := context.WithTimeout(context.Background(), opTimeout)
		_, err := store.Clients.Request(cx, syncApp, &client.Message{Topic: syncTariff(), Payload: []byte("tariff now?"), QoS: 1})
		cancel()
		ctx.Dispatch(func(goapp.Context) { e.asking, e.err = false, err })
	})
}

// syncPace is what the packets say of the meter's last burst and the
// archive's handling of it.
type syncPace struct {
	sent, handled int
	// The rates, in messages a second, over the burst's publishes and
	// over the archive's acknowledgements of them.
	pubRate, handledRate float64
	// When each was sent and handled, from the burst's first PUBLISH.
	sentAt, handledAt []time.Duration
}

// syncMeasure reads the meter's last burst (its publishes with no gap of
// syncGap) and, for each of its readings the archive received, when the
// archive acknowledged it: its PUBACK goes out once the archive's code
// has handled it.
func syncMeasure(ps []store.Packet) syncPace {
	var run []int
	for i := range ps {
		if out, ok := publishOf(&ps[i], syncMeter, client.Out); ok && out.Topic == syncReadings() {
			if len(run) > 0 && ps[i].Time.Sub(ps[run[len(run)-1]].Time) > syncGap {
				run = run[:0]
			}
			run = append(run, i)
		}
	}
	var pace syncPace
	if len(run) == 0 {
		return pace
	}
	t0 := ps[run[0]].Time
	for _, i := range run {
		pace.sentAt = append(pace.sentAt, ps[i].Time.Sub(t0))
		got := lessonReceived(ps, i+1, syncArchive, ps[i].Packet.(*protocol.Publish))
		if got < 0 {
			continue
		}
		id := ps[got].Packet.(*protocol.Publish).PacketID
		for k := got + 1; k < len(ps); k++ {
			if ack, ok := ps[k].Packet.(*protocol.Puback); ok && ps[k].Client == syncArchive && ps[k].Dir == client.Out && ack.PacketID == id {
				pace.handledAt = append(pace.handledAt, ps[k].Time.Sub(t0))
				break
			}
		}
	}
	pace.sent, pace.handled = len(pace.sentAt), len(pace.handledAt)
	pace.pubRate = rate(pace.sentAt)
	pace.handledRate = rate(pace.handledAt)
	return pace
}

// rate is the number of events a second over times (in order); 0 for
// fewer than two.
func rate(times []time.Duration) float64 {
	if len(times) < 2 || times[len(times)-1] <= times[0] {
		return 0
	}
	return float64(len(times)-1) / (times[len(times)-1] - times[0]).Seconds()
}

// syncRoundTrip finds the app's last answered request: the time between
// the request going out (with a response topic and correlation data) and
// the answer coming in on that topic with the same correlation data.
func syncRoundTrip(ps []store.Packet) (time.Duration, string, bool) {
	for i := len(ps) - 1; i >= 0; i-- {
		req, ok := publishOf(&ps[i], syncApp, client.Out)
		if !ok {
			continue
		}
		rt, hasRT := req.Props.ResponseTopic.Get()
		cd, hasCD := req.Props.CorrelationData.Get()
		if !hasRT || !hasCD {
			continue
		}
		for j := i + 1; j < len(ps); j++ {
			if in, ok := publishOf(&ps[j], syncApp, client.In); ok && in.Topic == rt && bytes.Equal(in.Props.CorrelationData.Value, cd) {
				return ps[j].Time.Sub(ps[i].Time), string(in.Payload), true
			}
		}
	}
	return 0, "", false
}

// syncDone is lesson 6's self-check: over a burst of at least five
// readings the meter published at least twice as fast as the archive
// handled them (three handled at least), and a request got its answer.
func syncDone(ps []store.Packet) bool {
	pace := syncMeasure(ps)
	_, _, answered := syncRoundTrip(ps)
	return answered && pace.sent >= 5 && pace.handled >= 3 && pace.pubRate >= 2*pace.handledRate
}

// Render draws the four clients, the measured pace and the packets.
func (e *syncExperiment) Render() goapp.UI {
	l := e.lang
	pace := syncMeasure(e.packets)
	rtt, answer, answered := syncRoundTrip(e.packets)
	burst := button("sync-burst", l.T("lesson.sync.burst"), e.sending || !lessonConnected(syncMeter), e.burst).Class("button-primary")
	if e.sending {
		burst = burst.Text(l.T("lesson.sync.sending"))
	}
	ask := button("sync-ask", l.T("lesson.sync.ask"), e.asking || !lessonConnected(syncApp), e.ask).Class("button-primary")
	if e.asking {
		ask = ask.Text(l.T("lesson.sync.waiting"))
	}
	result := lessonState("sync-answer", l.T("lesson.sync.no_answer"))
	if answered {
		result = lessonState("sync-answer", tf(l, "lesson.sync.answer", "s", seconds(rtt), "payload", answer)).
			DataSet("ms", rtt.Milliseconds())
	}
	return el("div", "lesson-lab").Body(
		lessonSteps(l, "lesson.sync", 3),
		el("div", "lesson-parties").Body(
			lessonParty(l, "sync-meter", l.T("lesson.sync.meter"), syncMeter,
				publishesTo(l, syncReadings()),
				burst,
			),
			lessonParty(l, "sync-archive", l.T("lesson.sync.archive"), syncArchive,
				lessonState("sync-handled", tf(l, "lesson.sync.received", "n", strconv.Itoa(syncReceived(e.packets)), "m", strconv.Itoa(pace.handled))).
					DataSet("handled", pace.handled),
			),
			lessonParty(l, "sync-app", l.T("lesson.sync.app"), syncApp, ask, result),
			lessonParty(l, "sync-tariff", l.T("lesson.sync.service"), syncService),
		),
		e.renderError(),
		renderPace(l, pace),
		e.renderDiagram(),
		lessonTrail(l, e.packets),
	)
}

// syncReceived counts the readings the archive received.
func syncReceived(ps []store.Packet) int {
	n := 0
	for i := range ps {
		if p, ok := publishOf(&ps[i], syncArchive, client.In); ok && p.Topic == syncReadings() {
			n++
		}
	}
	return n
}

// seconds writes d in seconds with two decimals.
func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) }

// renderPace says who kept whose pace in the last burst, in words and on a
// time line: the meter's PUBLISH packets above, the archive's PUBACK
// packets below.
func renderPace(l i18n.Lang, pace syncPace) goapp.UI {
	box := el("div", "lesson-pace").ID("sync-pace")
	if pace.sent == 0 {
		return box.Body(msgEl(l, "h3", "", "lesson.sync.pace_title"), msgEl(l, "p", "empty", "lesson.sync.no_burst"))
	}
	rateText := func(r float64) string { return strconv.FormatFloat(r, 'f', 1, 64) }
	const width, left, right = 640.0, 150.0, 10.0
	span := max(pace.sentAt[len(pace.sentAt)-1], time.Second)
	if n := len(pace.handledAt); n > 0 {
		span = max(span, pace.handledAt[n-1])
	}
	x := func(d time.Duration) string {
		return strconv.FormatFloat(left+float64(d)/float64(span)*(width-left-right), 'f', 1, 64)
	}
	marks := []goapp.UI{
		svgText(4, 24, l.T("lesson.sync.axis_sent")),
		svgText(4, 64, l.T("lesson.sync.axis_handled")),
	}
	for _, d := range pace.sentAt {
		marks = append(marks, svgLine(x(d), 10, 30, "sent"))
	}
	for _, d := range pace.handledAt {
		marks = append(marks, svgLine(x(d), 50, 70, "handled"))
	}
	marks = append(marks, svgText(left, 88, "0 s"), svgText(width-right-40, 88, seconds(span)+" s"))
	return box.Body(
		msgEl(l, "h3", "", "lesson.sync.pace_title"),
		textEl("p", "", tf(l, "lesson.sync.pub_rate", "n", strconv.Itoa(pace.sent), "r", rateText(pace.pubRate))).ID("sync-pub-rate"),
		textEl("p", "", tf(l, "lesson.sync.sub_rate", "m", strconv.Itoa(pace.handled),
			"r", rateText(pace.handledRate), "k", strconv.Itoa(pace.sent-pace.handled))).ID("sync-sub-rate"),
		el("div", "lesson-pace-chart").Body(
			svgEl("svg").Attr("viewBox", "0 0 640 92").Attr("role", "img").Aria("label", l.T("lesson.sync.pace_title")).
				Body(marks...),
		),
	)
}

// svgLine is a vertical tick at x from y1 to y2.
func svgLine(x string, y1, y2 int, series string) goapp.UI {
	return svgEl("line").Attr("x1", x).Attr("x2", x).Attr("y1", y1).Attr("y2", y2).Attr("data-series", series)
}
