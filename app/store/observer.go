package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// Observer is a read-only MQTT client of a page: it subscribes to what the
// page draws, at QoS 0 and without a persistent session, so that watching
// the broker never makes it queue messages, and hands every message to a
// store. It connects in the background and keeps reconnecting until it is
// closed.
type Observer struct {
	cfg    ObserverConfig
	id     string
	c      *client.Client
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	status  ObserverStatus
	filters []string // subscribed now, in order
}

// ObserverConfig says what an observer watches and where its messages go.
type ObserverConfig struct {
	// Name is the observer's name in the packet log, and the start of its
	// client identifier.
	Name string
	// URL is the broker's ws:// or wss:// address (or tcp:// natively).
	URL string
	// Filters are subscribed to once connected.
	Filters []string
	// OnMessage receives every message, on the client's delivery
	// goroutine: it must be quick (a store update).
	OnMessage func(*client.Message)
	// Log, when set, records the observer's packets except PUBLISH:
	// its connection and subscriptions show in the inspector, the flood
	// of what it watches does not.
	Log *Packets
}

// ObserverState says where an observer's connection is.
type ObserverState int

// The states of an observer's connection.
const (
	ObserverConnecting ObserverState = iota
	ObserverConnected
	ObserverDown // lost or refused; it tries again
	ObserverClosed
)

// ObserverStatus is the state of an observer's connection, with the error
// that ended the last one.
type ObserverStatus struct {
	State    ObserverState
	ClientID string
	Err      error
}

// retryDelays are the waits between failed first connections; the last
// repeats.
var retryDelays = []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second}

// StartObserver makes an observer and starts connecting it.
func StartObserver(cfg ObserverConfig) (*Observer, error) {
	dial, err := client.Dialer(cfg.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("observer %s: %w", cfg.Name, err)
	}
	var r [3]byte
	rand.Read(r[:])
	o := &Observer{cfg: cfg, id: cfg.Name + "-" + hex.EncodeToString(r[:]), done: make(chan struct{})}
	o.status.ClientID = o.id
	ccfg := client.Config{
		Dial: dial,
		Connect: protocol.Connect{Version: protocol.V5, ClientID: o.id, CleanStart: true, KeepAlive: 30,
			Props: protocol.Properties{ReceiveMaximum: protocol.Some(uint16(64))}},
		DefaultHandler: cfg.OnMessage,
		Reconnect:      &client.Reconnect{MinDelay: 500 * time.Millisecond, MaxDelay: 5 * time.Second},
		OnEvent:        o.onEvent,
		ConnectTimeout: 10 * time.Second,
	}
	if cfg.Log != nil {
		tap := cfg.Log.Tap(cfg.Name)
		ccfg.Tap = func(e client.TapEvent) {
			if _, pub := e.Packet.(*protocol.Publish); !pub {
				tap(e)
			}
		}
	}
	c, err := client.New(ccfg)
	if err != nil {
		return nil, fmt.Errorf("observer %s: %w", cfg.Name, err)
	}
	o.c = c
	ctx, cancel := context.WithCancel(context.Background())
	o.cancel = cancel
	go o.run(ctx)
	return o, nil
}

// run connects, retrying a failed first connection (the client itself
// reconnects after an established one is lost), and subscribes.
func (o *Observer) run(ctx context.Context) {
	defer close(o.done)
	for attempt := 0; ; attempt++ {
		_, err := o.c.Connect(ctx)
		if err == nil {
			break
		}
		o.setStatus(ObserverDown, err)
		wait := time.NewTimer(retryDelays[min(attempt, len(retryDelays)-1)])
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case <-wait.C:
		}
		o.setStatus(ObserverConnecting, nil)
	}
	for _, f := range o.cfg.Filters {
		if err := o.Subscribe(ctx, f); err != nil {
			o.setStatus(ObserverDown, err)
		}
	}
}

func (o *Observer) onEvent(e client.Event) {
	switch e.Kind {
	case client.EventUp:
		o.setStatus(ObserverConnected, nil)
	case client.EventDown:
		if !errors.Is(e.Err, client.ErrDisconnected) && !errors.Is(e.Err, client.ErrClosed) {
			o.setStatus(ObserverDown, e.Err)
		}
	case client.EventReconnecting:
		o.setStatus(ObserverConnecting, e.Err)
	}
}

func (o *Observer) setStatus(s ObserverState, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.status.State == ObserverClosed {
		return
	}
	o.status.State, o.status.Err = s, err
}

// Status returns the state of the connection.
func (o *Observer) Status() ObserverStatus {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.status
}

// Filters returns the filters subscribed to now.
func (o *Observer) Filters() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.filters...)
}

// Dropped is the number of QoS 0 messages the observer dropped because
// its store could not take them as fast as they came.
func (o *Observer) Dropped() uint64 { return o.c.Stats().Dropped }

// Subscribe adds a filter at QoS 0, with the RETAIN flag kept as
// published so that a page can tell retained messages from live ones.
func (o *Observer) Subscribe(ctx context.Context, filter string) error {
	_, err := o.c.Subscribe(ctx, &client.SubscribeRequest{Subscriptions: []client.Subscription{{
		Subscription: protocol.Subscription{Filter: filter, RetainAsPublished: true},
	}}})
	if err != nil {
		return fmt.Errorf("subscribe %s: %w", filter, err)
	}
	o.mu.Lock()
	o.filters = append(o.filters, filter)
	o.mu.Unlock()
	return nil
}

// Unsubscribe removes a filter.
func (o *Observer) Unsubscribe(ctx context.Context, filter string) error {
	if _, err := o.c.Unsubscribe(ctx, filter); err != nil {
		return fmt.Errorf("unsubscribe %s: %w", filter, err)
	}
	o.mu.Lock()
	for i, f := range o.filters {
		if f == filter {
			o.filters = append(o.filters[:i], o.filters[i+1:]...)
			break
		}
	}
	o.mu.Unlock()
	return nil
}

// Close disconnects and stops every goroutine of the observer. It must
// not be called from OnMessage.
func (o *Observer) Close() {
	o.mu.Lock()
	o.status.State = ObserverClosed
	o.mu.Unlock()
	o.cancel()
	<-o.done
	o.c.Close()
}

// ObserverURL returns the address of the broker's /mqtt for a page loaded
// from pageURL: ws:// for an http:// page and wss:// for https://, on the
// same host.
func ObserverURL(pageURL *url.URL) string {
	scheme := "ws"
	if pageURL.Scheme == "https" {
		scheme = "wss"
	}
	return (&url.URL{Scheme: scheme, Host: pageURL.Host, Path: "/mqtt"}).String()
}
