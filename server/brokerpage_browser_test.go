//go:build !js

package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/internal/browsertest"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// labClient connects a native MQTT client to the lab's /mqtt, as any
// program outside the browser would, and closes it when the test ends.
func labClient(t *testing.T, lab *labServer, cp protocol.Connect) *client.Client {
	t.Helper()
	dial, err := client.Dialer(lab.WS, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Config{Dial: dial, Connect: cp})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Connect(ctx); err != nil {
		t.Fatalf("connect %s: %v", cp.ClientID, err)
	}
	return c
}

// publish sends a message and fails the test if the broker refuses it.
func publish(t *testing.T, c *client.Client, topic, payload string, qos protocol.QoS, retain bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Publish(ctx, &client.Message{Topic: topic, Payload: []byte(payload), QoS: qos, Retain: retain}); err != nil {
		t.Fatalf("publish %s: %v", topic, err)
	}
}

// checkPageClean fails the test on console errors of the tab and on any
// request that tried to leave the machine.
func checkPageClean(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	if errs := tab.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
	if esc := browsertest.Escaped(); len(esc) > 0 {
		t.Errorf("requests left the machine: %v", esc)
	}
}

func TestBrokerPage(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t)
	lab := startPages(t, "-scenario", "none", "-sys-interval", "1s")

	// Before the page opens: a persistent session with a subscription, a
	// client with a will, and a retained message.
	sleeper := labClient(t, lab, protocol.Connect{ClientID: "sleeper", CleanStart: true, KeepAlive: 60,
		Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(600))}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sleeper.SubscribeTopic(ctx, "home/+/temp", 1, func(*client.Message) {}); err != nil {
		t.Fatal(err)
	}
	sensor := labClient(t, lab, protocol.Connect{ClientID: "sensor", CleanStart: true, KeepAlive: 30,
		Will: &protocol.WillMessage{Topic: "status/sensor", Payload: []byte("offline"), QoS: 1, Retain: true}})
	publish(t, sensor, "home/kitchen/temp", "21.5", 1, true)

	tab.Navigate(lab.URL + "/broker")
	tab.WaitApp(appReady)
	tab.WaitText("#observer-status", "observer-")

	// The clients, with what they said in CONNECT and SUBSCRIBE.
	row := `#broker-clients tr[data-client="sensor"]`
	tab.WaitText(row, "status/sensor")
	if got := tab.Text(row); !containsAll(got, "online", "127.0.0.1:", "30 s", "QoS 1", "5.0") {
		t.Errorf("sensor row reads %q", got)
	}
	tab.WaitText(`#broker-clients tr[data-client="sleeper"]`, "home/+/temp")
	tab.WaitText("#broker-clients", "this page")

	// The retained message, with its payload.
	tab.WaitText(`#broker-retained tr[data-topic="home/kitchen/temp"]`, "21.5")

	// The counters move when messages flow.
	tab.WaitFunc(`document.querySelector("#stat-received .stat-value").innerText !== "—"`)
	before := tab.Text("#stat-received .stat-value")
	for i := range 5 {
		publish(t, sensor, "home/hall/temp", fmt.Sprint(19+i), 0, false)
	}
	tab.WaitFunc(fmt.Sprintf(`document.querySelector("#stat-received .stat-value").innerText !== %q`, before))
	tab.WaitFunc(`document.querySelector("#rates-chart polyline[data-series=received]").getAttribute("points").includes(" ")`)

	// A persistent client goes away; QoS 1 messages for it wait in its
	// session, and the page shows how many.
	if err := sleeper.Disconnect(ctx, nil); err != nil {
		t.Fatal(err)
	}
	offline := `#broker-clients tr[data-client="sleeper"]`
	tab.WaitText(offline, "offline")
	for i := range 3 {
		publish(t, sensor, "home/hall/temp", fmt.Sprint(20+i), 1, false)
	}
	tab.WaitText(offline+" .queued", "3")
	if got := tab.Text(offline); !containsAll(got, "home/+/temp", "10m") {
		t.Errorf("offline sleeper reads %q: want its subscription and its 10 minute expiry", got)
	}

	// A retained message set while the page is open, and the events.
	publish(t, sensor, "home/hall/light", "on", 0, true)
	tab.WaitText(`#broker-retained tr[data-topic="home/hall/light"]`, "on")
	tab.WaitText("#broker-events", "sleeper")

	// The same page in Chinese.
	tab.Click("#lang-zh")
	tab.WaitText("#broker-clients h2", "客户端与会话")
	tab.WaitText(offline, "离线")

	checkPageClean(t, tab)
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
