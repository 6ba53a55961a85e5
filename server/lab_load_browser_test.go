//go:build !js

package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/internal/browsertest"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// loadRate is the messages per second the load test sends to a page
// client, for at least loadFor while it clicks.
const (
	loadRate = 1000
	loadFor  = 5 * time.Second
)

// TestLabClickLatencyUnderLoad measures how long a click takes to show on
// the lab page while loadRate messages a second flow into a subscribed
// client, against the same clicks without load. The figures are logged,
// not asserted (the machine is shared); what is asserted is that every
// click shows and that the messages reach the page. It does not run in
// parallel with the other tests, so that it measures the page alone.
func TestLabClickLatencyUnderLoad(t *testing.T) {
	lab := startPages(t, "-scenario", "none")
	lt := openLab(t, lab)
	lt.add("idle")
	lt.add("L")
	lt.connect()
	lt.subscribe("load/#", "0")

	quiet := lt.measureClicks(10)

	load := startLoad(t, lab.WS, loadRate)
	lt.WaitFunc(`(parseInt(document.getElementById("lab-counters")?.innerText) || 0) > 200`)
	start, startCount := time.Now(), lt.received()
	var busy latencies
	for time.Since(start) < loadFor && len(busy) < 300 {
		busy = append(busy, lt.measureClicks(4)...)
	}
	elapsed, got := time.Since(start), lt.received()-startCount
	sent := load.stop()

	t.Logf("click to visible without load:      %s", quiet)
	t.Logf("click to visible at %d msg/s:     %s", loadRate, busy)
	t.Logf("the page received %d messages in %.1f s (%.0f msg/s) while %d were sent; broker dropped %d",
		got, elapsed.Seconds(), float64(got)/elapsed.Seconds(), sent, lab.Broker.Stats().MessagesDropped)
	if got == 0 {
		t.Error("no message reached the page during the measurement")
	}
}

// latencies are the times from clicks to what they show, in milliseconds.
type latencies []float64

func (l latencies) String() string {
	s := slices.Sorted(slices.Values(l))
	if len(s) == 0 {
		return "no clicks"
	}
	return fmt.Sprintf("median %.0f ms, max %.0f ms over %d clicks", s[len(s)/2], s[len(s)-1], len(s))
}

// measureClicks clicks through the payload views and between the two
// clients, timing each click to the frame after the page shows its effect.
func (lt *labTab) measureClicks(rounds int) latencies {
	lt.t.Helper()
	var out latencies
	views := []string{"hex", "json", "base64", "text"}
	for i := range rounds {
		if i%2 == 0 {
			v := views[i/2%len(views)]
			out = append(out, lt.clickLatency("#lab-view-"+v, `#lab-view-`+v+`[aria-pressed="true"]`))
			continue
		}
		out = append(out, lt.clickLatency(clientItem("idle"), `#lab-detail[data-client="idle"]`))
		out = append(out, lt.clickLatency(clientItem("L"), `#lab-detail[data-client="L"] .lab-log-card`))
	}
	return out
}

// clickLimit bounds the wait for one click to show, within the browser
// step timeout.
var clickLimit = browsertest.Timeout / 2

// clickLatency clicks the element matching selector and returns the
// milliseconds until an element matches shown, counted to the next frame.
func (lt *labTab) clickLatency(selector, shown string) float64 {
	lt.t.Helper()
	js := `((sel, shown, limit) => new Promise(resolve => {
		const t0 = performance.now();
		let settled = false;
		const finish = ms => { if (!settled) { settled = true; obs.disconnect(); resolve(ms); } };
		const check = () => { if (!settled && document.querySelector(shown)) requestAnimationFrame(() => finish(performance.now() - t0)); };
		const obs = new MutationObserver(check);
		obs.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
		setTimeout(() => finish(-1), limit);
		document.querySelector(sel).click();
		check();
	}))(` + jsQuote(selector) + `, ` + jsQuote(shown) + `, ` + strconv.Itoa(int(clickLimit/time.Millisecond)) + `)`
	ms, err := browsertest.Eval[float64](lt.Tab, js)
	if err != nil {
		lt.t.Fatalf("clicking %s: %v", selector, err)
	}
	if ms < 0 {
		lt.t.Fatalf("clicking %s: %s did not show within %v", selector, shown, clickLimit)
	}
	return ms
}

// received reads how many messages the page's selected client received.
func (lt *labTab) received() int {
	lt.t.Helper()
	text := lt.Text("#lab-counters")
	n, err := strconv.Atoi(strings.Fields(text)[0])
	if err != nil {
		lt.t.Fatalf("counters %q: %v", text, err)
	}
	return n
}

// load publishes to load/... at a steady rate from a native client.
type load struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	sent   int
}

// startLoad publishes rate QoS 0 messages a second to url over
// WebSocket, in bursts every 10 ms, until stop.
func startLoad(t *testing.T, url string, rate int) *load {
	t.Helper()
	c := nativeClient(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	l := &load{cancel: cancel}
	t.Cleanup(func() { l.stop() })
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		start := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			due := int(time.Since(start).Seconds() * float64(rate))
			for ; l.sent < due; l.sent++ {
				m := &client.Message{
					Topic:   "load/sensor/" + strconv.Itoa(l.sent%10),
					Payload: []byte(`{"seq":` + strconv.Itoa(l.sent) + `,"t":21.5,"unit":"C"}`),
				}
				if err := c.Publish(ctx, m); err != nil {
					return
				}
			}
		}
	}()
	return l
}

// stop ends the load and returns how many messages it sent.
func (l *load) stop() int {
	l.cancel()
	l.wg.Wait()
	return l.sent
}
