//go:build !js

package store

import (
	"context"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"github.com/mqttlab/mqttlab/server/broker"
)

func TestObserverURL(t *testing.T) {
	t.Parallel()
	for page, want := range map[string]string{
		"http://127.0.0.1:8080/broker":       "ws://127.0.0.1:8080/mqtt",
		"https://lab.example:443/topics?x=1": "wss://lab.example:443/mqtt",
		"http://[::1]:9000/":                 "ws://[::1]:9000/mqtt",
	} {
		u, err := url.Parse(page)
		if err != nil {
			t.Fatal(err)
		}
		if got := ObserverURL(u); got != want {
			t.Errorf("ObserverURL(%s) = %s, want %s", page, got, want)
		}
	}
}

// connectClient connects a native client for the test.
func connectClient(t *testing.T, url string, cp protocol.Connect) *client.Client {
	t.Helper()
	dial, err := client.Dialer(url, nil)
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
		t.Fatal(err)
	}
	return c
}

// TestObserverSeesTheBroker runs the broker page's store against a real
// broker: what existed before the observer connected and what happens
// after both show, and its packet log holds its connection, not the
// messages it watches.
func TestObserverSeesTheBroker(t *testing.T) {
	t.Parallel()
	url := startObservedBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// Before the page opens: a retained message and a persistent session
	// with a subscription, offline with a message waiting for it (queued,
	// or in flight if the broker sent it before it saw the DISCONNECT).
	pub := connectClient(t, url, protocol.Connect{ClientID: "pub", CleanStart: true})
	if err := pub.Publish(ctx, &client.Message{Topic: "garden/temp", Payload: []byte("21.5"), QoS: 1, Retain: true}); err != nil {
		t.Fatal(err)
	}
	sleeper := connectClient(t, url, protocol.Connect{ClientID: "sleeper", CleanStart: true,
		Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(600))}})
	if err := sleeper.SubscribeTopic(ctx, "home/#", 1, func(*client.Message) {}); err != nil {
		t.Fatal(err)
	}
	if err := sleeper.Disconnect(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := pub.Publish(ctx, &client.Message{Topic: "home/hall", Payload: []byte("on"), QoS: 1}); err != nil {
		t.Fatal(err)
	}

	state := NewBrokerState()
	log := NewPackets(100)
	obs, err := StartObserver(ObserverConfig{Name: "observer", URL: url, Filters: BrokerFilters, Log: log,
		OnMessage: func(m *client.Message) { state.Apply(m.Topic, m.Payload) }})
	if err != nil {
		t.Fatal(err)
	}
	defer obs.Close()
	state.SetSelf(obs.Status().ClientID)

	waitFor(t, "the observer to connect and subscribe", func() bool {
		return obs.Status().State == ObserverConnected && len(obs.Filters()) == len(BrokerFilters)
	})
	waitFor(t, "the state before the observer", func() bool {
		v := state.View()
		s := clientByID(v, "sleeper")
		return len(v.Retained) == 1 && v.Retained[0].Preview == "21.5" && s != nil && !s.Online && s.Queued+s.Inflight == 1 &&
			s.Subscriptions["home/#"] == -1 && v.Sys["version"] == "mqttlab test"
	})

	// After: a client with a will connects and subscribes; the counters move.
	before := state.View().Totals.Received
	w := connectClient(t, url, protocol.Connect{ClientID: "willing", CleanStart: true, KeepAlive: 20,
		Will: &protocol.WillMessage{Topic: "status/willing", Payload: []byte("gone"), QoS: 1}})
	if err := w.SubscribeTopic(ctx, "cmd/willing", 2, func(*client.Message) {}); err != nil {
		t.Fatal(err)
	}
	if err := pub.Publish(ctx, &client.Message{Topic: "home/door", Payload: []byte("open"), QoS: 1, Retain: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new client, its subscription and the new retained message", func() bool {
		v := state.View()
		c := clientByID(v, "willing")
		return c != nil && c.Online && c.KeepAlive == 20 && c.Will != nil && c.Will.Topic == "status/willing" &&
			c.Subscriptions["cmd/willing"] == 2 && len(v.Retained) == 2 && v.Totals.Received > before && len(v.Rates) > 0
	})
	if o := clientByID(state.View(), obs.Status().ClientID); o == nil || !o.Self {
		t.Errorf("the observer does not see itself: %+v", o)
	}

	// The log has the observer's CONNECT and SUBSCRIBEs, no PUBLISH.
	kinds := map[protocol.Type]int{}
	for _, p := range log.Newest(0, nil) {
		if p.Client != "observer" || p.Packet == nil {
			t.Fatalf("log entry %+v", p)
		}
		kinds[p.Packet.Type()]++
	}
	if kinds[protocol.CONNECT] != 1 || kinds[protocol.SUBSCRIBE] != len(BrokerFilters) || kinds[protocol.PUBLISH] != 0 {
		t.Errorf("logged packet types %v", kinds)
	}

	obs.Close()
	if s := obs.Status(); s.State != ObserverClosed {
		t.Errorf("status after Close: %+v", s)
	}
}

// TestObserverRetries shows a broker that is not there yet as down, and
// connects once it is.
func TestObserverRetries(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	obs, err := StartObserver(ObserverConfig{Name: "t", URL: "tcp://" + addr, OnMessage: func(*client.Message) {}})
	if err != nil {
		t.Fatal(err)
	}
	defer obs.Close()
	waitFor(t, "the observer to report the failure", func() bool {
		s := obs.Status()
		return s.State == ObserverDown && s.Err != nil
	})
	if _, err := StartObserver(ObserverConfig{Name: "t", URL: "ftp://x"}); err == nil {
		t.Error("an ftp:// URL was accepted")
	}
}

// startObservedBroker starts a broker with a fast $SYS interval for the
// observer tests; it returns its tcp:// URL.
func startObservedBroker(t *testing.T) string {
	t.Helper()
	_, url := startBroker(t, broker.Options{SysInterval: 100 * time.Millisecond, Version: "mqttlab test"})
	return url
}
