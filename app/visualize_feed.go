package app

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sync"
	"time"

	"github.com/mqttlab/mqttlab/app/flow"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// vizFeedState says how the feed's observer connection is doing.
type vizFeedState uint8

const (
	vizConnecting vizFeedState = iota
	vizLive
	vizDown
)

// vizFeed is a read-only observer of the broker's routing telemetry: one
// MQTT connection that subscribes to the $SYS/lab topics and feeds a
// flow.Model, which a flowDiagram draws. The page (or lesson) that shows a
// diagram makes a feed, starts it in OnMount and stops it in OnDismount;
// the diagram only reads it. Safe for concurrent use: the client's
// delivery goroutine writes, the UI goroutine reads.
type vizFeed struct {
	mu      sync.Mutex
	model   *flow.Model
	clock   flow.Clock
	state   vizFeedState
	err     error
	bad     int   // telemetry messages that did not decode
	badErr  error // why the last one did not
	c       *client.Client
	stopped bool
	// rev counts changes of the feed the model does not see: the speed,
	// the connection state. The diagram redraws when the model's version
	// plus rev moved.
	rev uint64
}

// newVizFeed returns a feed whose model has configuration cfg.
func newVizFeed(cfg flow.Config) *vizFeed {
	f := &vizFeed{model: flow.New(cfg)}
	f.clock.Start(time.Now())
	return f
}

// vizBrokerURL is the URL of this server's MQTT over WebSocket for a page
// at u: wss:// when the page came over https.
func vizBrokerURL(u *url.URL) string {
	scheme := "ws"
	if u.Scheme == "https" {
		scheme = "wss"
	}
	return scheme + "://" + u.Host + "/mqtt"
}

// vizClientID makes a client identifier for one of the page's clients:
// the role and a random suffix, so that two tabs do not take over each
// other's sessions.
func vizClientID(role string) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := []byte("viz-" + role + "-")
	for range 4 {
		b = append(b, digits[rand.IntN(len(digits))])
	}
	return string(b)
}

// Start connects the observer to the broker at brokerURL in the
// background; it reconnects by itself if the connection drops.
func (f *vizFeed) Start(brokerURL string) {
	dial, err := client.Dialer(brokerURL, nil)
	if err != nil {
		f.fail(fmt.Errorf("broker %s: %w", brokerURL, err))
		return
	}
	c, err := client.New(client.Config{
		Dial:      dial,
		Connect:   protocol.Connect{ClientID: vizClientID("observer"), CleanStart: true, KeepAlive: 30},
		Reconnect: &client.Reconnect{MaxDelay: 5 * time.Second},
		QueueSize: 4096,
		OnEvent:   f.onEvent,
	})
	if err != nil {
		f.fail(err)
		return
	}
	f.mu.Lock()
	if f.stopped {
		f.mu.Unlock()
		c.Close()
		return
	}
	f.c = c
	f.mu.Unlock()
	go f.connect(c)
}

func (f *vizFeed) connect(c *client.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if _, err := c.Connect(ctx); err != nil {
		f.fail(fmt.Errorf("connecting the observer: %w", err))
		return
	}
	req := &client.SubscribeRequest{}
	for _, t := range flow.Topics {
		req.Subscriptions = append(req.Subscriptions, client.Subscription{
			Subscription: protocol.Subscription{Filter: t, QoS: protocol.QoS0},
			Handler:      f.handle,
		})
	}
	if _, err := c.Subscribe(ctx, req); err != nil {
		f.fail(fmt.Errorf("subscribing to the broker's telemetry: %w", err))
	}
}

// Stop closes the observer connection, in the background: Close waits
// for the goodbye, and the UI must not.
func (f *vizFeed) Stop() {
	f.mu.Lock()
	c := f.c
	f.c, f.stopped = nil, true
	f.mu.Unlock()
	if c != nil {
		go c.Close()
	}
}

func (f *vizFeed) onEvent(e client.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rev++
	switch e.Kind {
	case client.EventUp:
		f.state, f.err = vizLive, nil
	case client.EventDown, client.EventReconnecting:
		if f.state == vizLive {
			f.state = vizConnecting
		}
		if e.Err != nil && !errors.Is(e.Err, client.ErrDisconnected) {
			f.err = e.Err
		}
	}
}

func (f *vizFeed) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rev++
	f.state, f.err = vizDown, err
}

// handle applies one telemetry message to the model.
func (f *vizFeed) handle(m *client.Message) {
	ev, err := flow.Decode(m.Topic, m.Payload)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		f.bad++
		f.badErr = err
		f.rev++
		return
	}
	f.model.Apply(ev, f.clock.Now(time.Now()))
}

// Scene returns the scene to draw now and the feed's version.
func (f *vizFeed) Scene() (*flow.Scene, uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.model.Scene(f.clock.Now(time.Now())), f.model.Version() + f.rev
}

// Changed reports cheaply whether a scene now would differ from the one
// of version last: the model changed, or something moves.
func (f *vizFeed) Changed(last uint64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.model.Version()+f.rev != last {
		return true
	}
	return f.clock.Rate() != 0 && f.model.Busy(f.clock.Now(time.Now()))
}

// vizFeedStatus is how a feed is doing, for its diagram to say.
type vizFeedStatus struct {
	State vizFeedState
	// Err is why the connection is down or was lost.
	Err error
	// Unread counts telemetry messages that did not decode; UnreadErr
	// says why the last one did not.
	Unread    int
	UnreadErr error
}

// Status says how the observer connection is.
func (f *vizFeed) Status() vizFeedStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return vizFeedStatus{State: f.state, Err: f.err, Unread: f.bad, UnreadErr: f.badErr}
}

// SetRate sets the speed of the diagram: 1 real time, 0 paused.
func (f *vizFeed) SetRate(rate float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rev++
	f.clock.SetRate(time.Now(), rate)
}

// Pin keeps a row for client id in the diagram (the page's own clients).
func (f *vizFeed) Pin(id string, pinned bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.model.Pin(id, pinned)
}

// Rate returns the speed of the diagram.
func (f *vizFeed) Rate() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clock.Rate()
}
