package broker

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"
)

// The broker against a real MQTT 5.0 client, Eclipse Paho's paho.golang,
// over TCP and over WebSocket. Every test runs on both transports against a
// broker of its own.

// pahoTransport dials the broker one way.
type pahoTransport struct {
	name string
	dial func(t *testing.T) net.Conn
}

// pahoStart starts a broker reachable over TCP and over WebSocket.
func pahoStart(t *testing.T, o Options) (*Broker, []pahoTransport) {
	t.Helper()
	b, addr := startBroker(t, o)
	srv := httptest.NewServer(pahoWebSocket(b))
	t.Cleanup(srv.Close) // before the broker's shutdown: cleanups run last first
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt"
	return b, []pahoTransport{
		{"tcp", func(t *testing.T) net.Conn {
			t.Helper()
			nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			return nc
		}},
		{"ws", func(t *testing.T) net.Conn {
			t.Helper()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"mqtt"}})
			if err != nil {
				t.Fatal(err)
			}
			return websocket.NetConn(context.Background(), c, websocket.MessageBinary)
		}},
	}
}

// pahoWebSocket is a minimal MQTT-over-WebSocket acceptor for these tests
// (the command's own, with its Origin checks, is tested in package main).
func pahoWebSocket(b *Broker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"mqtt"}})
		if err != nil {
			return
		}
		if c.Subprotocol() != "mqtt" {
			c.Close(websocket.StatusPolicyViolation, `subprotocol "mqtt" required`)
			return
		}
		b.Serve(websocket.NetConn(context.Background(), c, websocket.MessageBinary))
	})
}

// pahoClient is a connected paho client with what it received.
type pahoClient struct {
	*paho.Client
	t    *testing.T
	raw  net.Conn // the connection under paho, to end it abruptly
	ack  *paho.Connack
	msgs chan *paho.Publish
	lost atomic.Int64 // messages msgs had no room for
	disc chan *paho.Disconnect
}

// pahoConnect dials tr and connects with cp; cfg, if given, adjusts the
// client's configuration before it starts.
func pahoConnect(t *testing.T, tr pahoTransport, cp *paho.Connect, cfg ...func(*paho.ClientConfig)) *pahoClient {
	t.Helper()
	c, err := pahoTryConnect(t, tr, cp, cfg...)
	if err != nil {
		t.Fatalf("connect %q over %s: %v", cp.ClientID, tr.name, err)
	}
	return c
}

func pahoTryConnect(t *testing.T, tr pahoTransport, cp *paho.Connect, cfg ...func(*paho.ClientConfig)) (*pahoClient, error) {
	t.Helper()
	raw := tr.dial(t)
	c := &pahoClient{t: t, raw: raw, msgs: make(chan *paho.Publish, 1024), disc: make(chan *paho.Disconnect, 1)}
	conf := paho.ClientConfig{
		Conn: packets.NewThreadSafeConn(raw), // paho writes a packet in several Writes
		OnPublishReceived: []func(paho.PublishReceived) (bool, error){func(pr paho.PublishReceived) (bool, error) {
			select {
			case c.msgs <- pr.Packet:
			default:
				c.lost.Add(1)
			}
			return true, nil
		}},
		OnServerDisconnect: func(d *paho.Disconnect) {
			select {
			case c.disc <- d:
			default:
			}
		},
		OnClientError: func(error) {},
	}
	for _, f := range cfg {
		f(&conf)
	}
	c.Client = paho.NewClient(conf)
	if cp.KeepAlive == 0 {
		cp.KeepAlive = 30
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ack, err := c.Connect(ctx, cp)
	c.ack = ack
	if err != nil {
		raw.Close()
		return c, err
	}
	t.Cleanup(func() {
		c.Disconnect(&paho.Disconnect{})
		<-c.Done()
		if n := c.lost.Load(); n > 0 {
			t.Errorf("%s: %d messages did not fit the test's buffer", c.ClientID(), n)
		}
	})
	return c, nil
}

// next returns the next message the client received.
func (c *pahoClient) next() *paho.Publish {
	c.t.Helper()
	select {
	case p := <-c.msgs:
		return p
	case <-time.After(5 * time.Second):
		c.t.Fatalf("%s: no message within 5 s", c.ClientID())
		return nil
	}
}

// expect returns the next message and checks its topic and payload.
func (c *pahoClient) expect(topic, payload string) *paho.Publish {
	c.t.Helper()
	p := c.next()
	if p.Topic != topic || string(p.Payload) != payload {
		c.t.Fatalf("%s got %q %q, want %q %q", c.ClientID(), p.Topic, p.Payload, topic, payload)
	}
	return p
}

// expectNone checks that nothing arrives for a while; used only where the
// absence of a message cannot be proved by a later marker.
func (c *pahoClient) expectNone(d time.Duration) {
	c.t.Helper()
	select {
	case p := <-c.msgs:
		c.t.Fatalf("%s: unexpected message %q %q", c.ClientID(), p.Topic, p.Payload)
	case <-time.After(d):
	}
}

func (c *pahoClient) subscribe(subs ...paho.SubscribeOptions) *paho.Suback {
	c.t.Helper()
	return c.subscribeWith(nil, subs...)
}

func (c *pahoClient) subscribeWith(props *paho.SubscribeProperties, subs ...paho.SubscribeOptions) *paho.Suback {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ack, err := c.Subscribe(ctx, &paho.Subscribe{Subscriptions: subs, Properties: props})
	if err != nil {
		c.t.Fatalf("%s subscribe %v: %v", c.ClientID(), subs, err)
	}
	return ack
}

func (c *pahoClient) publish(p *paho.Publish) *paho.PublishResponse {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, err := c.Publish(ctx, p)
	if err != nil {
		c.t.Fatalf("%s publish %q: %v", c.ClientID(), p.Topic, err)
	}
	return r
}

// pahoWaitFor polls cond until it holds, for at most 5 s.
func pahoWaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("still waiting after 5 s for %s", what)
}

// pahoWaitOffline waits until the broker has seen client id go: its
// session is offline or gone.
func pahoWaitOffline(t *testing.T, b *Broker, id string) {
	t.Helper()
	pahoWaitFor(t, id+" offline", func() bool {
		b.mu.Lock()
		s := b.sessions[id]
		b.mu.Unlock()
		return s == nil || !s.online.Load()
	})
}

// pahoU32 shows an optional property.
func pahoU32(p *uint32) string {
	if p == nil {
		return "absent"
	}
	return fmt.Sprint(*p)
}

// pahoEach runs f once per transport, in parallel.
func pahoEach(t *testing.T, trs []pahoTransport, f func(t *testing.T, tr pahoTransport)) {
	for _, tr := range trs {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			f(t, tr)
		})
	}
}

func TestPahoConnectProperties(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{MaxInflight: 20, TopicAliasMax: 8, MaxPacketSize: 64 << 10})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		c := pahoConnect(t, tr, &paho.Connect{ClientID: "", CleanStart: true})
		p := c.ack.Properties
		switch {
		case c.ack.ReasonCode != 0 || c.ack.SessionPresent:
			t.Fatalf("CONNACK %v", c.ack)
		case p == nil || p.AssignedClientID == "" || c.ClientID() != p.AssignedClientID:
			t.Fatalf("no assigned client identifier for an empty one [MQTT-3.2.2-16]: %v", c.ack)
		case p.ReceiveMaximum == nil || *p.ReceiveMaximum != 20:
			t.Fatalf("Receive Maximum %v, want 20", p.ReceiveMaximum)
		case p.TopicAliasMaximum == nil || *p.TopicAliasMaximum != 8:
			t.Fatalf("Topic Alias Maximum %v, want 8", p.TopicAliasMaximum)
		case p.MaximumPacketSize == nil || *p.MaximumPacketSize != 64<<10:
			t.Fatalf("Maximum Packet Size %v, want %d", p.MaximumPacketSize, 64<<10)
		}

		// Two clients cannot be given the same identifier.
		c2 := pahoConnect(t, tr, &paho.Connect{ClientID: "", CleanStart: true})
		if c2.ClientID() == c.ClientID() {
			t.Fatalf("two clients assigned %q", c.ClientID())
		}
	})
}

// TestPahoClientMaximumPacketSize checks that a message larger than the
// client's Maximum Packet Size is not sent to it [MQTT-3.1.2-25].
func TestPahoClientMaximumPacketSize(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "mps/" + tr.name
		small := pahoConnect(t, tr, &paho.Connect{ClientID: "mps-small-" + tr.name, CleanStart: true,
			Properties: &paho.ConnectProperties{MaximumPacketSize: paho.Uint32(128)}})
		small.subscribe(paho.SubscribeOptions{Topic: topic, QoS: 1})
		pub := pahoConnect(t, tr, &paho.Connect{ClientID: "mps-pub-" + tr.name, CleanStart: true})
		pub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: bytes.Repeat([]byte("x"), 500)})
		pub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: []byte("fits")})
		small.expect(topic, "fits")
	})
}

// TestPahoBrokerMaximumPacketSize sends a packet larger than the broker
// announced: DISCONNECT 0x95 [MQTT-3.2.2-15], §4.13.
func TestPahoBrokerMaximumPacketSize(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{MaxPacketSize: 4 << 10})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		c := pahoConnect(t, tr, &paho.Connect{ClientID: "big-" + tr.name, CleanStart: true})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c.Publish(ctx, &paho.Publish{Topic: "big", QoS: 0, Payload: bytes.Repeat([]byte("x"), 5<<10)})
		if err := c.serverDisconnect(0x95); err != nil {
			t.Fatalf("packet over the maximum packet size: %v", err)
		}
	})
}

// serverDisconnect waits for the server to end the connection and checks
// that it said why with DISCONNECT code first.
func (c *pahoClient) serverDisconnect(code byte) error {
	var d *paho.Disconnect
	select {
	case d = <-c.disc:
	case <-c.Done():
		select {
		case d = <-c.disc: // paho calls OnServerDisconnect after Done is closed
		case <-time.After(time.Second):
			return fmt.Errorf("%s: connection closed without DISCONNECT %#x", c.ClientID(), code)
		}
	case <-time.After(5 * time.Second):
		return fmt.Errorf("%s: still connected after 5 s, want DISCONNECT %#x", c.ClientID(), code)
	}
	if d.ReasonCode != code {
		return fmt.Errorf("%s: DISCONNECT %#x, want %#x", c.ClientID(), d.ReasonCode, code)
	}
	return nil
}

func TestPahoQoS(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "qos/" + tr.name
		sub2 := pahoConnect(t, tr, &paho.Connect{ClientID: "qos-sub2-" + tr.name, CleanStart: true})
		if ack := sub2.subscribe(paho.SubscribeOptions{Topic: topic + "/#", QoS: 2}); !bytes.Equal(ack.Reasons, []byte{2}) {
			t.Fatalf("SUBACK %v, want granted QoS 2", ack.Reasons)
		}
		sub1 := pahoConnect(t, tr, &paho.Connect{ClientID: "qos-sub1-" + tr.name, CleanStart: true})
		if ack := sub1.subscribe(paho.SubscribeOptions{Topic: topic + "/#", QoS: 1}); !bytes.Equal(ack.Reasons, []byte{1}) {
			t.Fatalf("SUBACK %v, want granted QoS 1", ack.Reasons)
		}
		pub := pahoConnect(t, tr, &paho.Connect{ClientID: "qos-pub-" + tr.name, CleanStart: true})
		for qos := byte(0); qos <= 2; qos++ {
			payload := fmt.Sprintf("at QoS %d", qos)
			r := pub.publish(&paho.Publish{Topic: topic + "/m", QoS: qos, Payload: []byte(payload)})
			if qos > 0 && r.ReasonCode != 0 {
				t.Fatalf("QoS %d publish answered %#x, want 0 Success", qos, r.ReasonCode)
			}
			if p := sub2.expect(topic+"/m", payload); p.QoS != qos {
				t.Fatalf("QoS 2 subscriber got QoS %d, want %d", p.QoS, qos)
			}
			if p := sub1.expect(topic+"/m", payload); p.QoS != min(qos, 1) {
				t.Fatalf("QoS 1 subscriber got QoS %d, want %d [MQTT-3.8.4-8]", p.QoS, min(qos, 1))
			}
		}
		// Nobody subscribed: accepted, and said so (§3.4.2.1).
		for qos := byte(1); qos <= 2; qos++ {
			if r := pub.publish(&paho.Publish{Topic: "nobody/" + tr.name, QoS: qos, Payload: []byte("x")}); qos == 1 && r.ReasonCode != 0x10 {
				t.Fatalf("QoS 1 publish without subscribers answered %#x, want 0x10 No matching subscribers", r.ReasonCode)
			}
		}
	})
}

// TestPahoReceiveMaximum holds acknowledgements back: the broker never has
// more unacknowledged QoS 1 messages towards the client than its Receive
// Maximum [MQTT-3.3.4-9], and sends the rest as they are acknowledged.
func TestPahoReceiveMaximum(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "rm/" + tr.name
		sub := pahoConnect(t, tr, &paho.Connect{ClientID: "rm-sub-" + tr.name, CleanStart: true,
			Properties: &paho.ConnectProperties{ReceiveMaximum: paho.Uint16(3)}},
			func(c *paho.ClientConfig) { c.EnableManualAcknowledgment = true })
		sub.subscribe(paho.SubscribeOptions{Topic: topic, QoS: 1})
		pub := pahoConnect(t, tr, &paho.Connect{ClientID: "rm-pub-" + tr.name, CleanStart: true})
		for i := range 8 {
			pub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: fmt.Appendf(nil, "m%d", i)})
		}
		var held []*paho.Publish
		for i := range 3 {
			held = append(held, sub.expect(topic, fmt.Sprintf("m%d", i)))
		}
		sub.expectNone(300 * time.Millisecond)
		for i := 3; i < 8; i++ {
			for _, p := range held {
				if err := sub.Ack(p); err != nil {
					t.Fatal(err)
				}
			}
			held = []*paho.Publish{sub.expect(topic, fmt.Sprintf("m%d", i))}
		}
		sub.Ack(held[0])
	})
}

func TestPahoRetained(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "ret/" + tr.name
		live := pahoConnect(t, tr, &paho.Connect{ClientID: "ret-live-" + tr.name, CleanStart: true})
		live.subscribe(paho.SubscribeOptions{Topic: topic + "/#", QoS: 1})
		pub := pahoConnect(t, tr, &paho.Connect{ClientID: "ret-pub-" + tr.name, CleanStart: true})
		pub.publish(&paho.Publish{Topic: topic + "/state", QoS: 1, Retain: true, Payload: []byte("on")})
		if p := live.expect(topic+"/state", "on"); p.Retain {
			t.Fatal("RETAIN set on a message sent to an existing subscription [MQTT-3.3.1-12]")
		}

		late := pahoConnect(t, tr, &paho.Connect{ClientID: "ret-late-" + tr.name, CleanStart: true})
		late.subscribe(paho.SubscribeOptions{Topic: topic + "/#", QoS: 1})
		if p := late.expect(topic+"/state", "on"); !p.Retain || p.QoS != 1 {
			t.Fatalf("retained message sent on subscribe with RETAIN %v QoS %d, want RETAIN and QoS 1 [MQTT-3.3.1-9]", p.Retain, p.QoS)
		}

		// An empty retained message deletes the retained one
		// [MQTT-3.3.1-10] and is delivered like any other [MQTT-3.3.1-11].
		pub.publish(&paho.Publish{Topic: topic + "/state", QoS: 1, Retain: true})
		live.expect(topic+"/state", "")
		late.expect(topic+"/state", "")
		after := pahoConnect(t, tr, &paho.Connect{ClientID: "ret-after-" + tr.name, CleanStart: true})
		after.subscribe(paho.SubscribeOptions{Topic: topic + "/#", QoS: 1})
		pub.publish(&paho.Publish{Topic: topic + "/marker", QoS: 1, Payload: []byte("marker")})
		after.expect(topic+"/marker", "marker") // retained messages would have come first [MQTT-3.8.4-4]
	})
}

func TestPahoSharedSubscription(t *testing.T) {
	t.Parallel()
	b, trs := pahoStart(t, Options{})
	for _, leave := range []string{"disconnect", "offline session"} {
		t.Run(leave, func(t *testing.T) {
			t.Parallel()
			pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
				name := strings.ReplaceAll(leave, " ", "-") + "-" + tr.name
				filter := "$share/g/shared/" + name
				topic := "shared/" + name
				var members []*pahoClient
				for i := range 3 {
					cp := &paho.Connect{ClientID: fmt.Sprintf("share-%s-%d", name, i), CleanStart: true}
					if leave == "offline session" {
						cp.Properties = &paho.ConnectProperties{SessionExpiryInterval: paho.Uint32(300)}
					}
					m := pahoConnect(t, tr, cp)
					m.subscribe(paho.SubscribeOptions{Topic: filter, QoS: 1})
					members = append(members, m)
				}
				pub := pahoConnect(t, tr, &paho.Connect{ClientID: "share-pub-" + name, CleanStart: true})
				counts := pahoShare(t, pub, topic, 30, members)
				for i, n := range counts {
					if n == 0 {
						t.Fatalf("member %d got none of 30 messages: %v", i, counts)
					}
				}

				gone := members[2].ClientID()
				members[2].Disconnect(&paho.Disconnect{})
				pahoWaitOffline(t, b, gone)
				counts = pahoShare(t, pub, topic, 20, members[:2])
				t.Logf("after %s left: %v", gone, counts)
			})
		})
	}
}

// pahoShare publishes n messages and checks that the members together
// receive each exactly once; it returns how many each got.
func pahoShare(t *testing.T, pub *pahoClient, topic string, n int, members []*pahoClient) []int {
	t.Helper()
	for i := range n {
		pub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: fmt.Appendf(nil, "%d", i)})
	}
	counts := make([]int, len(members))
	seen := map[string]bool{}
	deadline := time.Now().Add(5 * time.Second)
	for total := 0; total < n; {
		got := false
		for i, m := range members {
			select {
			case p := <-m.msgs:
				if seen[string(p.Payload)] {
					t.Fatalf("message %s delivered twice in the share group", p.Payload)
				}
				seen[string(p.Payload)] = true
				counts[i]++
				total++
				got = true
			default:
			}
		}
		if !got {
			if time.Now().After(deadline) {
				t.Fatalf("share group got %d of %d messages: %v", total, n, counts)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return counts
}

func TestPahoSubscriptionIdentifiers(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "sid/" + tr.name
		c := pahoConnect(t, tr, &paho.Connect{ClientID: "sid-" + tr.name, CleanStart: true})
		seven := 7
		c.subscribeWith(&paho.SubscribeProperties{SubscriptionIdentifier: &seven},
			paho.SubscribeOptions{Topic: topic + "/with/+", QoS: 1})
		c.subscribe(paho.SubscribeOptions{Topic: topic + "/without/+", QoS: 1})
		pub := pahoConnect(t, tr, &paho.Connect{ClientID: "sid-pub-" + tr.name, CleanStart: true})
		pub.publish(&paho.Publish{Topic: topic + "/with/x", QoS: 1, Payload: []byte("a")})
		pub.publish(&paho.Publish{Topic: topic + "/without/x", QoS: 0, Payload: []byte("b")})
		p := c.expect(topic+"/with/x", "a")
		if p.Properties == nil || p.Properties.SubscriptionIdentifier == nil || *p.Properties.SubscriptionIdentifier != 7 {
			t.Fatalf("subscription identifier %v, want 7 [MQTT-3.3.4-3]", p.Properties)
		}
		p = c.expect(topic+"/without/x", "b")
		if p.Properties != nil && p.Properties.SubscriptionIdentifier != nil {
			t.Fatalf("subscription identifier %d on a subscription without one", *p.Properties.SubscriptionIdentifier)
		}
	})
}

func TestPahoNoLocal(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "nl/" + tr.name
		c := pahoConnect(t, tr, &paho.Connect{ClientID: "nl-" + tr.name, CleanStart: true})
		c.subscribe(paho.SubscribeOptions{Topic: topic, QoS: 1, NoLocal: true})
		other := pahoConnect(t, tr, &paho.Connect{ClientID: "nl-other-" + tr.name, CleanStart: true})
		c.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: []byte("mine")})
		other.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: []byte("theirs")})
		c.expect(topic, "theirs") // its own message would have come first [MQTT-3.8.3-3]
	})
}

// TestPahoPropertiesPassThrough checks that the broker forwards what a
// publisher attaches, untouched (§3.3.2.3).
func TestPahoPropertiesPassThrough(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "props/" + tr.name
		sub := pahoConnect(t, tr, &paho.Connect{ClientID: "props-sub-" + tr.name, CleanStart: true})
		sub.subscribe(paho.SubscribeOptions{Topic: topic, QoS: 1})
		pub := pahoConnect(t, tr, &paho.Connect{ClientID: "props-pub-" + tr.name, CleanStart: true})
		user := paho.UserProperties{{Key: "k", Value: "1"}, {Key: "z", Value: "ü"}, {Key: "k", Value: "2"}}
		sent := &paho.PublishProperties{
			ContentType:     "application/json",
			ResponseTopic:   "reply/" + tr.name,
			CorrelationData: []byte{0, 1, 2, 0xff},
			PayloadFormat:   paho.Byte(1),
			User:            user,
		}
		pub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: []byte(`{"t":21.5}`), Properties: sent})
		p := sub.expect(topic, `{"t":21.5}`)
		got := p.Properties
		switch {
		case got == nil:
			t.Fatal("no properties forwarded")
		case got.ContentType != sent.ContentType:
			t.Fatalf("content type %q, want %q [MQTT-3.3.2-20]", got.ContentType, sent.ContentType)
		case got.ResponseTopic != sent.ResponseTopic:
			t.Fatalf("response topic %q, want %q [MQTT-3.3.2-15]", got.ResponseTopic, sent.ResponseTopic)
		case !bytes.Equal(got.CorrelationData, sent.CorrelationData):
			t.Fatalf("correlation data % x, want % x [MQTT-3.3.2-16]", got.CorrelationData, sent.CorrelationData)
		case got.PayloadFormat == nil || *got.PayloadFormat != 1:
			t.Fatalf("payload format %v, want 1 [MQTT-3.3.2-4]", got.PayloadFormat)
		case !slices.Equal(got.User, user):
			t.Fatalf("user properties %v, want %v in order [MQTT-3.3.2-17] [MQTT-3.3.2-18]", got.User, user)
		case got.MessageExpiry != nil:
			t.Fatalf("message expiry %d on a message sent without one", *got.MessageExpiry)
		}
	})
}

// TestPahoMessageExpiry checks that the broker forwards what is left of a
// message's expiry interval and drops a message that expired while its
// subscriber was away (§3.3.2.3.3).
func TestPahoMessageExpiry(t *testing.T) {
	t.Parallel()
	b, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "exp/" + tr.name
		id := "exp-sub-" + tr.name
		persistent := &paho.ConnectProperties{SessionExpiryInterval: paho.Uint32(300)}
		sub := pahoConnect(t, tr, &paho.Connect{ClientID: id, CleanStart: true, Properties: persistent})
		sub.subscribe(paho.SubscribeOptions{Topic: topic, QoS: 1})
		pub := pahoConnect(t, tr, &paho.Connect{ClientID: "exp-pub-" + tr.name, CleanStart: true})

		pub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: []byte("now"),
			Properties: &paho.PublishProperties{MessageExpiry: paho.Uint32(60)}})
		p := sub.expect(topic, "now")
		if e := p.Properties.MessageExpiry; e == nil || *e == 0 || *e > 60 {
			t.Fatalf("message expiry %v, want 1 to 60 [MQTT-3.3.2-6]", pahoU32(e))
		}

		sub.Disconnect(&paho.Disconnect{})
		pahoWaitOffline(t, b, id)
		pub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: []byte("short"),
			Properties: &paho.PublishProperties{MessageExpiry: paho.Uint32(1)}})
		pub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: []byte("long"),
			Properties: &paho.PublishProperties{MessageExpiry: paho.Uint32(60)}})
		time.Sleep(2100 * time.Millisecond) // "short" expires, "long" has less than 58 s left

		sub = pahoConnect(t, tr, &paho.Connect{ClientID: id, CleanStart: false, Properties: persistent})
		if !sub.ack.SessionPresent {
			t.Fatal("session not present")
		}
		p = sub.expect(topic, "long") // "short" expired on the way
		// "short" expired, so the broker's clock moved on by more than a
		// second: what is left of "long" went down with it.
		if e := p.Properties.MessageExpiry; e == nil || *e == 0 || *e > 59 {
			t.Fatalf("message expiry %v after 2.1 s in the queue, want 1 to 59 [MQTT-3.3.2-6]", pahoU32(e))
		}
	})
}

func TestPahoTopicAliasFromClient(t *testing.T) {
	t.Parallel()
	_, trs := pahoStart(t, Options{TopicAliasMax: 4})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "alias/" + tr.name + "/a/rather/long/topic/name"
		sub := pahoConnect(t, tr, &paho.Connect{ClientID: "alias-sub-" + tr.name, CleanStart: true})
		sub.subscribe(paho.SubscribeOptions{Topic: topic, QoS: 1})
		pub := pahoConnect(t, tr, &paho.Connect{ClientID: "alias-pub-" + tr.name, CleanStart: true})
		alias := &paho.PublishProperties{TopicAlias: paho.Uint16(4)}
		pub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: []byte("set"), Properties: alias})
		pub.publish(&paho.Publish{Topic: "", QoS: 1, Payload: []byte("used"), Properties: alias})
		sub.expect(topic, "set")
		sub.expect(topic, "used") // the subscriber sees the topic, never the publisher's alias
	})
}

func TestPahoWill(t *testing.T) {
	t.Parallel()
	b, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "will/" + tr.name
		sub := pahoConnect(t, tr, &paho.Connect{ClientID: "will-sub-" + tr.name, CleanStart: true})
		sub.subscribe(paho.SubscribeOptions{Topic: topic, QoS: 1})
		withWill := func(id string) *pahoClient {
			return pahoConnect(t, tr, &paho.Connect{ClientID: id, CleanStart: true,
				WillMessage: &paho.WillMessage{Topic: topic, QoS: 1, Payload: []byte(id + " is gone")},
				// paho.golang v0.23.0 encodes only the user properties and
				// the will delay of a will's properties.
				WillProperties: &paho.WillProperties{User: paho.UserProperties{{Key: "who", Value: id}}}})
		}

		// The connection ends without DISCONNECT: the will is published
		// [MQTT-3.1.2-8], with its properties.
		w := withWill("will-abrupt-" + tr.name)
		w.raw.Close()
		p := sub.expect(topic, "will-abrupt-"+tr.name+" is gone")
		if p.Properties == nil || !slices.Equal(p.Properties.User, paho.UserProperties{{Key: "who", Value: "will-abrupt-" + tr.name}}) {
			t.Fatalf("will properties %+v, want its user property [MQTT-3.1.3-10]", p.Properties)
		}

		// DISCONNECT 0x04 asks for the will.
		w = withWill("will-asked-" + tr.name)
		w.Disconnect(&paho.Disconnect{ReasonCode: 0x04})
		sub.expect(topic, "will-asked-"+tr.name+" is gone")

		// A normal DISCONNECT deletes it [MQTT-3.1.2-10].
		w = withWill("will-normal-" + tr.name)
		id := w.ClientID()
		w.Disconnect(&paho.Disconnect{})
		pahoWaitFor(t, id+" gone", func() bool {
			b.mu.Lock()
			defer b.mu.Unlock()
			return b.sessions[id] == nil
		})
		sub.publish(&paho.Publish{Topic: topic, QoS: 1, Payload: []byte("marker")})
		sub.expect(topic, "marker") // the will would have come first
	})
}

// TestPahoSessionResume checks that QoS 1 messages published while a
// client with a persistent session was away are delivered, in order, when
// it comes back with clean start 0 (§4.1, [MQTT-3.2.2-3], [MQTT-4.6.0-6]).
func TestPahoSessionResume(t *testing.T) {
	t.Parallel()
	b, trs := pahoStart(t, Options{})
	pahoEach(t, trs, func(t *testing.T, tr pahoTransport) {
		topic := "resume/" + tr.name
		id := "resume-" + tr.name
		persistent := &paho.ConnectProperties{SessionExpiryInterval: paho.Uint32(300)}
		c := pahoConnect(t, tr, &paho.Connect{ClientID: id, CleanStart: true, Properties: persistent})
		if c.ack.SessionPresent {
			t.Fatal("session present after clean start [MQTT-3.2.2-2]")
		}
		c.subscribe(paho.SubscribeOptions{Topic: topic + "/#", QoS: 1})
		c.Disconnect(&paho.Disconnect{})
		pahoWaitOffline(t, b, id)

		pub := pahoConnect(t, tr, &paho.Connect{ClientID: "resume-pub-" + tr.name, CleanStart: true})
		const n = 10
		for i := range n {
			r := pub.publish(&paho.Publish{Topic: topic + "/m", QoS: 1, Payload: fmt.Appendf(nil, "m%d", i)})
			if r.ReasonCode != 0 {
				t.Fatalf("publish to an offline session's subscription answered %#x, want 0", r.ReasonCode)
			}
			if i == n/2 {
				// Routed before the next PUBACK comes back, so while the
				// subscriber is still away.
				pub.publish(&paho.Publish{Topic: topic + "/q0", QoS: 0, Payload: []byte("not queued")})
			}
		}

		c = pahoConnect(t, tr, &paho.Connect{ClientID: id, CleanStart: false, Properties: persistent})
		if !c.ack.SessionPresent {
			t.Fatal("session not present on resume [MQTT-3.2.2-3]")
		}
		for i := range n {
			if p := c.expect(topic+"/m", fmt.Sprintf("m%d", i)); p.QoS != 1 {
				t.Fatalf("resumed message at QoS %d, want 1", p.QoS)
			}
		}
		// The subscription survived: a new message arrives too. The QoS 0
		// message published while the client was away was not queued: the
		// broker's choice, which the specification allows (§3.1.2.4).
		pub.publish(&paho.Publish{Topic: topic + "/m", QoS: 1, Payload: []byte("live")})
		c.expect(topic+"/m", "live")
	})
}

// TestPahoServerShutdown stops the broker under connected 5.0 clients:
// each gets DISCONNECT 0x8B (Server shutting down) before the connection
// closes, over TCP and over WebSocket alike.
func TestPahoServerShutdown(t *testing.T) {
	t.Parallel()
	b, err := New(Options{SysInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listening := make(chan error, 1)
	go func() { listening <- b.Listen(l) }()
	srv := httptest.NewServer(pahoWebSocket(b))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt"
	trs := []pahoTransport{
		{"tcp", func(t *testing.T) net.Conn {
			nc, err := net.DialTimeout("tcp", l.Addr().String(), 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			return nc
		}},
		{"ws", func(t *testing.T) net.Conn {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"mqtt"}})
			if err != nil {
				t.Fatal(err)
			}
			return websocket.NetConn(context.Background(), c, websocket.MessageBinary)
		}},
	}
	var clients []*pahoClient
	for _, tr := range trs {
		for i := range 10 {
			clients = append(clients, pahoConnect(t, tr, &paho.Connect{ClientID: fmt.Sprintf("shutdown-%s-%d", tr.name, i), CleanStart: true}))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := <-listening; err != nil {
		t.Errorf("Listen: %v", err)
	}
	for _, c := range clients {
		if err := c.serverDisconnect(0x8B); err != nil { // Server shutting down
			t.Error(err)
		}
	}
}
