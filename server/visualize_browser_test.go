//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/internal/browsertest"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// vizNoFleet serves the lab without the demo fleet, whose devices would
// add their messages to those a test counts.
var vizNoFleet = []string{"-scenario", "none"}

// vizPage is the /visualize page open in a tab of a test.
type vizPage struct {
	t   *testing.T
	tab *browsertest.Tab
}

// openVisualizer opens /visualize and waits for its observer to be live.
func openVisualizer(t *testing.T, lab *labServer) *vizPage {
	t.Helper()
	tab := browsertest.NewTab(t)
	tab.Navigate(lab.URL + "/visualize")
	tab.WaitApp(appReady)
	tab.WaitVisible(".viz-state.viz-live")
	return &vizPage{t: t, tab: tab}
}

func vizJS(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// eval runs a JavaScript expression and decodes its value.
func vizEval[T any](p *vizPage, expr string) T {
	p.t.Helper()
	v, err := browsertest.Eval[T](p.tab, expr)
	if err != nil {
		p.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// set gives a form field a value as a user would: the value, then the
// input and change events the page listens to.
func (p *vizPage) set(selector string, value any) {
	p.t.Helper()
	prop := "value"
	if _, ok := value.(bool); ok {
		prop = "checked"
	}
	v, _ := json.Marshal(value)
	vizEval[bool](p, `(() => { const e = document.querySelector(`+vizJS(selector)+`); e.`+prop+` = `+string(v)+`;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
}

// addSubscriber adds an experiment subscriber with the page's form and
// returns its client identifier once it is online.
func (p *vizPage) addSubscriber(filter string, qos int, persistent bool) string {
	p.t.Helper()
	before := vizEval[int](p, `document.querySelectorAll("li[data-sub]").length`)
	p.set("#viz-sub-filter", filter)
	p.set("#viz-sub-qos", strconv.Itoa(qos))
	p.set("#viz-sub-persistent", persistent)
	p.tab.Click("#viz-add-sub")
	p.tab.WaitFunc(fmt.Sprintf(`document.querySelectorAll('li[data-sub][data-state="online"]').length > %d`, before))
	ids := vizEval[[]string](p, `[...document.querySelectorAll("li[data-sub]")].map(e => e.dataset.sub)`)
	id := ids[len(ids)-1]
	p.waitNode(id, "state", "online")
	return id
}

// vizNode is the selector of subscriber id's node in the diagram.
func vizNode(id string) string {
	return `g[data-role="subscriber"][data-client="` + id + `"]`
}

// waitNode waits until subscriber id's node in the diagram has data
// attribute attr equal to want.
func (p *vizPage) waitNode(id, attr, want string) {
	p.t.Helper()
	p.tab.WaitFunc(`(() => { const e = document.querySelector(` + vizJS(vizNode(id)) + `); return !!e && e.dataset.` + attr + ` === ` + vizJS(want) + `; })()`)
}

// nodeData returns the data attributes of subscriber id's node.
func (p *vizPage) nodeData(id string) map[string]string {
	p.t.Helper()
	return vizEval[map[string]string](p, `Object.assign({}, (document.querySelector(`+vizJS(vizNode(id))+`) || {}).dataset)`)
}

// clickSub clicks the button of class action in subscriber id's row of
// the controls.
func (p *vizPage) clickSub(id, action string) {
	p.t.Helper()
	p.tab.Click(`li[data-sub="` + id + `"] .` + action)
}

func (p *vizPage) waitSubState(id, state string) {
	p.t.Helper()
	p.tab.WaitFunc(`!!document.querySelector(` + vizJS(`li[data-sub="`+id+`"][data-state="`+state+`"]`) + `)`)
}

// vizNativeClient connects a client of the test to the lab over WebSocket.
func vizNativeClient(t *testing.T, lab *labServer, id string) *client.Client {
	t.Helper()
	dial, err := client.Dialer(lab.WS, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Config{Dial: dial, Connect: protocol.Connect{ClientID: id, CleanStart: true}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

func vizPublish(t *testing.T, c *client.Client, topic string, qos protocol.QoS, payload string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Publish(ctx, &client.Message{Topic: topic, QoS: qos, Payload: []byte(payload)}); err != nil {
		t.Fatalf("publish to %s: %v", topic, err)
	}
}

func (p *vizPage) checkClean() {
	p.t.Helper()
	if errs := p.tab.ConsoleErrors(); len(errs) > 0 {
		p.t.Errorf("console errors: %q", errs)
	}
	if esc := browsertest.Escaped(); len(esc) > 0 {
		p.t.Errorf("requests left the machine: %v", esc)
	}
}

func TestVisualizeRoutesQueuesAndDrains(t *testing.T) {
	t.Parallel()
	lab := startPages(t, vizNoFleet...)
	p := openVisualizer(t, lab)

	a := p.addSubscriber("viz/a/#", 0, false)
	b := p.addSubscriber("viz/+/b", 1, true)
	if d := p.nodeData(b); d["pinned"] != "true" {
		t.Errorf("the page's own subscriber %s is not pinned in the diagram: %v", b, d)
	}

	pub := vizNativeClient(t, lab, "native-pub")
	vizPublish(t, pub, "viz/a/x", protocol.QoS1, "for a")    // a only
	vizPublish(t, pub, "viz/a/b", protocol.QoS1, "for both") // a and b
	vizPublish(t, pub, "viz/c/x", protocol.QoS1, "nobody")   // neither
	p.waitNode(a, "received", "2")
	p.waitNode(b, "received", "1")
	p.tab.WaitFunc(`(() => { const e = document.querySelector('g[data-role="publisher"][data-client="native-pub"]'); return !!e && e.dataset.sent === "3"; })()`)
	p.tab.WaitText(`li[data-sub="`+a+`"] .viz-sub-received`, "2")
	p.tab.WaitText(`li[data-sub="`+b+`"] .viz-sub-received`, "1")

	// Offline, the persistent subscriber's messages pile up in the broker.
	p.clickSub(b, "viz-offline")
	p.waitSubState(b, "offline")
	p.waitNode(b, "state", "offline")
	for i := range 3 {
		vizPublish(t, pub, "viz/q/b", protocol.QoS1, fmt.Sprintf("queued %d", i))
	}
	p.waitNode(b, "queue", "3")
	p.tab.WaitFunc(`(() => { const q = document.querySelector(` + vizJS(`g[data-role="queue"][data-client="`+b+`"]`) + `); return !!q && q.dataset.count === "3"; })()`)
	if d := p.nodeData(b); d["received"] != "1" {
		t.Errorf("offline subscriber received %s, want still 1", d["received"])
	}
	// QoS 0 for an offline session is dropped, and the diagram says why.
	vizPublish(t, pub, "viz/q/b", protocol.QoS0, "dropped")
	p.tab.WaitFunc(`[...document.querySelectorAll('[data-layer="notes"] text[data-kind="drop"]')].some(e => e.textContent.includes("QoS 0"))`)

	// Back online, the queue drains into the subscriber.
	p.clickSub(b, "viz-online")
	p.waitSubState(b, "online")
	p.waitNode(b, "queue", "0")
	p.waitNode(b, "received", "4")
	p.waitNode(b, "state", "online")
	p.tab.WaitText(`li[data-sub="`+b+`"] .viz-sub-received`, "4")
	if d := p.nodeData(a); d["received"] != "2" {
		t.Errorf("subscriber a received %s, want 2: viz/q/b does not match viz/a/#", d["received"])
	}
	p.checkClean()
}

func TestVisualizePublisherControlAndPause(t *testing.T) {
	t.Parallel()
	lab := startPages(t, vizNoFleet...)
	p := openVisualizer(t, lab)
	a := p.addSubscriber("viz/hello", 1, false)
	p.tab.Click("#viz-pub-once")
	p.waitNode(a, "received", "1")

	// Paused, a message is counted by the broker's view of the publisher
	// but its dot does not move, so it does not reach the subscriber.
	p.tab.Click("#viz-pause")
	p.tab.WaitText(".viz-status", "Paused")
	p.tab.Click("#viz-pub-once")
	p.tab.WaitText("#viz-pub-status", "2")
	p.tab.WaitFunc(`!!document.querySelector('g[data-role="publisher"][data-pinned="true"]')`)
	pubID := vizEval[string](p, `document.querySelector('g[data-role="publisher"][data-pinned="true"]').dataset.client`)
	p.tab.WaitFunc(`(document.querySelector(` + vizJS(`g[data-role="publisher"][data-client="`+pubID+`"]`) + `) || {dataset: {}}).dataset.sent === "2"`)
	p.tab.WaitFunc(`document.querySelectorAll('[data-layer="dots"] path').length > 0`)
	pos := vizEval[string](p, `[...document.querySelectorAll('[data-layer="dots"] path')].map(c => c.getAttribute("d")).join()`)
	time.Sleep(300 * time.Millisecond) // time for dots to move, were they not paused
	if again := vizEval[string](p, `[...document.querySelectorAll('[data-layer="dots"] path')].map(c => c.getAttribute("d")).join()`); again != pos {
		t.Errorf("dots moved while paused: %s, then %s", pos, again)
	}
	if d := p.nodeData(a); d["received"] != "1" {
		t.Errorf("received %s while paused, want 1", d["received"])
	}
	p.tab.Click("#viz-pause")
	p.waitNode(a, "received", "2")

	// Shared subscription members take turns.
	w1 := p.addSubscriber("$share/g/viz/jobs", 1, false)
	w2 := p.addSubscriber("$share/g/viz/jobs", 1, false)
	pub := vizNativeClient(t, lab, "native-jobs")
	for i := range 4 {
		vizPublish(t, pub, "viz/jobs", protocol.QoS1, fmt.Sprintf("job %d", i))
	}
	p.tab.WaitFunc(`(() => { const n = id => +(document.querySelector('g[data-role="subscriber"][data-client="' + id + '"]') || {dataset: {}}).dataset.received || 0;
		return n(` + vizJS(w1) + `) + n(` + vizJS(w2) + `) === 4; })()`)
	for _, w := range []string{w1, w2} {
		if d := p.nodeData(w); d["received"] == "0" || d["shared"] != "true" {
			t.Errorf("shared member %s: %v, want some of the jobs and marked shared", w, d)
		}
	}
	p.checkClean()
}

// vizClickToEffect clicks the element matching selector in the page and
// returns the milliseconds until the JavaScript condition holds, polled at
// every animation frame: what a user sees between clicking and the page
// answering.
func vizClickToEffect(p *vizPage, selector, condition string) float64 {
	p.t.Helper()
	return vizEval[float64](p, `(async () => {
		const t0 = performance.now();
		document.querySelector(`+vizJS(selector)+`).click();
		const limit = t0 + 30000;
		while (!(`+condition+`)) {
			if (performance.now() > limit) throw new Error("no effect within 30 s: " + `+vizJS(condition)+`);
			await new Promise(r => requestAnimationFrame(r));
		}
		return performance.now() - t0;
	})()`)
}

// vizFrames measures the page for ms milliseconds: animation frames a
// second (the browser's smoothness), long tasks (main thread blocked over
// 50 ms), and the diagram's own frames a second and largest number of dots.
type vizFrames struct {
	RAF       float64 `json:"raf"`
	LongTasks int     `json:"longTasks"`
	LongestMS float64 `json:"longestMS"`
	Diagram   float64 `json:"diagram"`
	MaxDots   int     `json:"maxDots"`
	Sampled   string  `json:"sampled"`
}

func vizMeasure(p *vizPage, ms int) vizFrames {
	p.t.Helper()
	return vizEval[vizFrames](p, `new Promise(resolve => {
		const d = document.querySelector(".viz-diagram");
		let frames = 0, maxDots = 0, longTasks = 0, longest = 0;
		const obs = new PerformanceObserver(list => list.getEntries().forEach(e => { longTasks++; longest = Math.max(longest, e.duration); }));
		try { obs.observe({type: "longtask"}); } catch (e) {}
		const t0 = performance.now();
		const tick = () => {
			frames++;
			maxDots = Math.max(maxDots, +d.dataset.dots);
			if (performance.now() - t0 < `+strconv.Itoa(ms)+`) { requestAnimationFrame(tick); return; }
			obs.disconnect();
			const s = document.querySelector("#viz-sampled");
			resolve({raf: frames * 1000 / (performance.now() - t0), longTasks, longestMS: longest,
				diagram: +d.dataset.fps, maxDots, sampled: s ? s.textContent : ""});
		};
		requestAnimationFrame(tick);
	})`)
}

// TestVisualizeFigures measures the visualizer with the demo fleet
// running, then with twenty more devices publishing 1,000 messages a
// second, and logs the figures; it asserts
// nothing about speed (the machine is shared), only that the page keeps
// working: the broker's sampling shows, the dots stay bounded.
func TestVisualizeFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("measures for a while: not in -short")
	}
	lab := startPages(t)
	p := openVisualizer(t, lab)

	// The demo fleet alone: click to effect of the controls.
	idle := vizControlFigures(p, 1)
	quiet := vizMeasure(p, 2000)

	// Load: 20 devices at 50 messages a second each, received by a
	// native subscriber (a dashboard outside the page).
	dashboard := vizNativeClient(t, lab, "dashboard")
	var dashboardGot atomic.Int64
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	if err := dashboard.SubscribeTopic(sctx, "load/#", protocol.QoS0, func(*client.Message) { dashboardGot.Add(1) }); err != nil {
		t.Fatal(err)
	}
	scancel()
	ctx, stop := context.WithCancel(context.Background())
	var sent atomic.Int64
	done := make(chan struct{})
	const devices, perDevice = 20, 50
	for i := range devices {
		c := vizNativeClient(t, lab, fmt.Sprintf("device-%02d", i))
		go func() {
			defer func() { done <- struct{}{} }()
			tick := time.NewTicker(time.Second / perDevice)
			defer tick.Stop()
			m := &client.Message{Topic: fmt.Sprintf("load/device-%02d/telemetry", i), Payload: []byte(`{"t":21.5}`)}
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				if c.Publish(ctx, m) == nil {
					sent.Add(1)
				}
			}
		}()
	}
	stopLoad := func() {
		stop()
		for range devices {
			<-done
		}
	}
	defer stopLoad()
	start := time.Now()
	p.tab.WaitVisible("#viz-sampled")
	loaded := vizMeasure(p, 3000)

	// And a subscriber in the page that receives them all too.
	p.set("#viz-sub-filter", "load/#")
	p.set("#viz-sub-qos", "0")
	p.set("#viz-sub-persistent", false)
	p.tab.Click("#viz-add-sub")
	p.tab.WaitFunc(`document.querySelectorAll('li[data-sub][data-state="online"]').length === 2`)
	inPage := vizMeasure(p, 3000)
	busy := vizControlFigures(p, 3)
	rate := float64(sent.Load()) / time.Since(start).Seconds()
	if avg, err := os.ReadFile("/proc/loadavg"); err == nil {
		t.Logf("figures depend on the machine: load average %s", strings.TrimSpace(string(avg)))
	}
	t.Logf("demo fleet only: %.1f animation frames/s, diagram %.1f frames/s, %d long tasks (longest %.0f ms)",
		quiet.RAF, quiet.Diagram, quiet.LongTasks, quiet.LongestMS)
	t.Logf("under load (%.0f msg/s from %d devices to a native subscriber): "+
		"%.1f animation frames/s, diagram %.1f frames/s, %d long tasks (longest %.0f ms), at most %d dots, %q",
		rate, devices, loaded.RAF, loaded.Diagram, loaded.LongTasks, loaded.LongestMS, loaded.MaxDots, loaded.Sampled)
	t.Logf("same, and a subscriber in the page receives them all: "+
		"%.1f animation frames/s, diagram %.1f frames/s, %d long tasks (longest %.0f ms), at most %d dots, %q",
		inPage.RAF, inPage.Diagram, inPage.LongTasks, inPage.LongestMS, inPage.MaxDots, inPage.Sampled)
	for _, f := range idle {
		t.Logf("click to effect, demo fleet: %-48s %6.0f ms", f.what, f.ms)
	}
	for _, f := range busy {
		t.Logf("click to effect, loaded:     %-48s %6.0f ms", f.what, f.ms)
	}
	if n := max(loaded.MaxDots, inPage.MaxDots); n > 160 {
		t.Errorf("%d dots at once, over the bound of 160", n)
	}
	if dashboardGot.Load() == 0 {
		t.Error("the dashboard received nothing")
	}
	if loaded.Sampled == "" {
		t.Error("the broker sampled its route events, and the page did not say so")
	}
	p.checkClean()
}

type vizFigure struct {
	what string
	ms   float64
}

// vizControlFigures measures click to effect for the page's controls:
// the pause button, adding a subscriber (its node shows in the diagram)
// and publishing once (the page's first subscriber, on viz/#, counts it;
// the first time also the publisher's dot leaves). pinned is how many
// subscribers of the page the diagram shows after the new one.
func vizControlFigures(p *vizPage, pinned int) []vizFigure {
	p.t.Helper()
	var out []vizFigure
	measure := func(what, selector, condition string) {
		out = append(out, vizFigure{what, vizClickToEffect(p, selector, condition)})
	}
	measure("pause (badge shows)", "#viz-pause", `document.querySelector(".viz-paused")`)
	measure("resume (badge goes)", "#viz-pause", `!document.querySelector(".viz-paused")`)
	p.set("#viz-sub-filter", "viz/#")
	p.set("#viz-sub-qos", "1")
	measure("add subscriber (its node shows)", "#viz-add-sub",
		fmt.Sprintf(`document.querySelectorAll('g[data-role="subscriber"][data-pinned="true"]').length === %d`, pinned))
	p.tab.WaitFunc(fmt.Sprintf(`document.querySelectorAll('li[data-sub][data-state="online"]').length === %d`, pinned))
	received := `parseInt((document.querySelector("li[data-sub] .viz-sub-received") || {}).textContent)`
	before := vizEval[int](p, received)
	if pinned == 1 {
		p.tab.Click("#viz-pub-once") // makes and connects the publisher
		before++
		p.tab.WaitFunc(fmt.Sprintf(`%s === %d`, received, before))
		sent := `(document.querySelector('g[data-role="publisher"][data-pinned="true"]') || {dataset: {}}).dataset.sent`
		p.tab.WaitFunc(`(` + sent + `) === "1"`)
		measure("publish once (its dot leaves the publisher)", "#viz-pub-once", sent+` === "2"`)
		before++
		p.tab.WaitFunc(fmt.Sprintf(`%s === %d`, received, before))
	}
	measure("publish once (the page's subscriber receives it)", "#viz-pub-once", fmt.Sprintf(`%s === %d`, received, before+1))
	return out
}

func TestVisualizeSlowSubscriberQueues(t *testing.T) {
	t.Parallel()
	lab := startPages(t, vizNoFleet...)
	p := openVisualizer(t, lab)
	s := p.addSubscriber("viz/slow", 1, false)
	p.clickSub(s, "viz-slow")
	p.tab.WaitFunc(`document.querySelector(` + vizJS(`li[data-sub="`+s+`"] .viz-slow`) + `).getAttribute("aria-pressed") === "true"`)

	// The subscriber takes its time over each message, so its window
	// (Receive Maximum 4) fills and the broker queues the rest, then
	// sends them one by one as acknowledgements come.
	pub := vizNativeClient(t, lab, "native-fast")
	const n = 8
	for i := range n {
		vizPublish(t, pub, "viz/slow", protocol.QoS1, fmt.Sprintf("job %d", i))
	}
	p.tab.WaitFunc(`+(document.querySelector(` + vizJS(vizNode(s)) + `) || {dataset: {}}).dataset.queue > 0`)
	p.waitNode(s, "received", strconv.Itoa(n))
	p.waitNode(s, "queue", "0")
	p.tab.WaitText(`li[data-sub="`+s+`"] .viz-sub-received`, strconv.Itoa(n))
	p.checkClean()
}

func TestVisualizeAbruptDropAndBack(t *testing.T) {
	t.Parallel()
	lab := startPages(t, vizNoFleet...)
	p := openVisualizer(t, lab)
	s := p.addSubscriber("viz/drop", 0, false)

	// Dropped without DISCONNECT, a clean session ends with its
	// connection: the node says so and keeps its row (the page's own).
	p.clickSub(s, "viz-drop")
	p.waitSubState(s, "offline")
	p.waitNode(s, "state", "ended")

	// Back, it starts a new session and subscribes again.
	p.clickSub(s, "viz-online")
	p.waitSubState(s, "online")
	p.waitNode(s, "state", "online")
	pub := vizNativeClient(t, lab, "native-after")
	vizPublish(t, pub, "viz/drop", protocol.QoS0, "after")
	p.waitNode(s, "received", "1")
	p.tab.WaitText(`li[data-sub="`+s+`"] .viz-sub-received`, "1")

	// Removed, it leaves the diagram.
	p.clickSub(s, "viz-remove")
	p.tab.WaitFunc(`!document.querySelector(` + vizJS(vizNode(s)) + `)`)
	p.checkClean()
}
