//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/internal/browsertest"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

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

func js(s string) string {
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
	vizEval[bool](p, `(() => { const e = document.querySelector(`+js(selector)+`); e.`+prop+` = `+string(v)+`;
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

// node is the selector of subscriber id's node in the diagram.
func node(id string) string {
	return `g[data-role="subscriber"][data-client="` + id + `"]`
}

// waitNode waits until subscriber id's node in the diagram has data
// attribute attr equal to want.
func (p *vizPage) waitNode(id, attr, want string) {
	p.t.Helper()
	p.tab.WaitFunc(`(() => { const e = document.querySelector(` + js(node(id)) + `); return !!e && e.dataset.` + attr + ` === ` + js(want) + `; })()`)
}

// nodeData returns the data attributes of subscriber id's node.
func (p *vizPage) nodeData(id string) map[string]string {
	p.t.Helper()
	return vizEval[map[string]string](p, `Object.assign({}, (document.querySelector(`+js(node(id))+`) || {}).dataset)`)
}

// clickSub clicks the button of class action in subscriber id's row of
// the controls.
func (p *vizPage) clickSub(id, action string) {
	p.t.Helper()
	p.tab.Click(`li[data-sub="` + id + `"] .` + action)
}

func (p *vizPage) waitSubState(id, state string) {
	p.t.Helper()
	p.tab.WaitFunc(`!!document.querySelector(` + js(`li[data-sub="`+id+`"][data-state="`+state+`"]`) + `)`)
}

// nativeClient connects a client of the test to the lab over WebSocket.
func nativeClient(t *testing.T, lab *labServer, id string) *client.Client {
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

func publish(t *testing.T, c *client.Client, topic string, qos protocol.QoS, payload string) {
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
	lab := startPages(t)
	p := openVisualizer(t, lab)

	a := p.addSubscriber("viz/a/#", 0, false)
	b := p.addSubscriber("viz/+/b", 1, true)
	if d := p.nodeData(b); d["pinned"] != "true" {
		t.Errorf("the page's own subscriber %s is not pinned in the diagram: %v", b, d)
	}

	pub := nativeClient(t, lab, "native-pub")
	publish(t, pub, "viz/a/x", protocol.QoS1, "for a")    // a only
	publish(t, pub, "viz/a/b", protocol.QoS1, "for both") // a and b
	publish(t, pub, "viz/c/x", protocol.QoS1, "nobody")   // neither
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
		publish(t, pub, "viz/q/b", protocol.QoS1, fmt.Sprintf("queued %d", i))
	}
	p.waitNode(b, "queue", "3")
	p.tab.WaitFunc(`(() => { const q = document.querySelector(` + js(`g[data-role="queue"][data-client="`+b+`"]`) + `); return !!q && q.dataset.count === "3"; })()`)
	if d := p.nodeData(b); d["received"] != "1" {
		t.Errorf("offline subscriber received %s, want still 1", d["received"])
	}
	// QoS 0 for an offline session is dropped, and the diagram says why.
	publish(t, pub, "viz/q/b", protocol.QoS0, "dropped")
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
	lab := startPages(t)
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
	pubID := vizEval[string](p, `document.querySelector('g[data-role="publisher"][data-pinned="true"]').dataset.client`)
	p.tab.WaitFunc(`document.querySelector(` + js(`g[data-role="publisher"][data-client="`+pubID+`"]`) + `).dataset.sent === "2"`)
	p.tab.WaitFunc(`document.querySelectorAll('[data-layer="dots"] circle').length > 0`)
	pos := vizEval[string](p, `[...document.querySelectorAll('[data-layer="dots"] circle')].map(c => c.getAttribute("cx")).join()`)
	time.Sleep(300 * time.Millisecond) // time for dots to move, were they not paused
	if again := vizEval[string](p, `[...document.querySelectorAll('[data-layer="dots"] circle')].map(c => c.getAttribute("cx")).join()`); again != pos {
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
	pub := nativeClient(t, lab, "native-jobs")
	for i := range 4 {
		publish(t, pub, "viz/jobs", protocol.QoS1, fmt.Sprintf("job %d", i))
	}
	p.tab.WaitFunc(`(() => { const n = id => +(document.querySelector('g[data-role="subscriber"][data-client="' + id + '"]') || {dataset: {}}).dataset.received || 0;
		return n(` + js(w1) + `) + n(` + js(w2) + `) === 4; })()`)
	for _, w := range []string{w1, w2} {
		if d := p.nodeData(w); d["received"] == "0" || d["shared"] != "true" {
			t.Errorf("shared member %s: %v, want some of the jobs and marked shared", w, d)
		}
	}
	p.checkClean()
}
