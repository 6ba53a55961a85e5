package app

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// vizRates are the rates the publisher offers, in messages a second.
var vizRates = []float64{0.5, 1, 2, 5, 10, 20, 50}

// vizPublisher is the page's publisher: it publishes at a chosen rate to
// a chosen topic, or once.
type vizPublisher struct {
	ID string
	c  *client.Client

	sent   atomic.Int64
	failed atomic.Int64

	connMu  sync.Mutex // one Connect at a time
	mu      sync.Mutex
	stop    chan struct{}
	done    chan struct{}
	lastErr error
}

// Publisher returns the page's publisher, making (and connecting) it on
// first use.
func (x *vizExperiments) Publisher() (*vizPublisher, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil, errors.New("the page is closing")
	}
	if x.pub != nil {
		return x.pub, nil
	}
	dial, err := client.Dialer(x.url, nil)
	if err != nil {
		return nil, err
	}
	p := &vizPublisher{ID: vizClientID("pub")}
	p.c, err = client.New(client.Config{
		Dial:      dial,
		Connect:   protocol.Connect{ClientID: p.ID, CleanStart: true, KeepAlive: 30},
		Reconnect: &client.Reconnect{MaxDelay: 5 * time.Second},
		Tap:       store.Log.Tap(p.ID),
	})
	if err != nil {
		return nil, err
	}
	x.pub = p
	x.feed.Pin(p.ID, true)
	return p, nil
}

// Sent and Failed count the publisher's messages.
func (p *vizPublisher) Sent() int64   { return p.sent.Load() }
func (p *vizPublisher) Failed() int64 { return p.failed.Load() }

// Running reports whether the publisher publishes at a rate.
func (p *vizPublisher) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stop != nil
}

// Err returns the last publish error.
func (p *vizPublisher) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastErr
}

// Once publishes one message m, connecting first if need be.
func (p *vizPublisher) Once(m client.Message) error {
	ctx, cancel := context.WithTimeout(context.Background(), vizOpTimeout)
	defer cancel()
	if err := p.connect(ctx); err != nil {
		p.note(err)
		return err
	}
	n := p.sent.Add(1)
	m.Payload = []byte(`{"n":` + strconv.FormatInt(n, 10) + `}`)
	if err := p.c.Publish(ctx, &m); err != nil {
		p.sent.Add(-1)
		p.failed.Add(1)
		p.note(err)
		return err
	}
	p.note(nil)
	return nil
}

// connect connects the publisher unless it is connected (or reconnecting
// by itself).
func (p *vizPublisher) connect(ctx context.Context) error {
	p.connMu.Lock()
	defer p.connMu.Unlock()
	if p.c.Connected() {
		return nil
	}
	if _, err := p.c.Connect(ctx); err != nil && !errors.Is(err, client.ErrAlreadyConnected) {
		return err
	}
	return nil
}

func (p *vizPublisher) note(err error) {
	p.mu.Lock()
	p.lastErr = err
	p.mu.Unlock()
}

// Start publishes m rate times a second until Stop, calling changed after
// each message (the page redraws at most a few times a second anyway).
func (p *vizPublisher) Start(m client.Message, rate float64, changed func()) {
	p.Stop()
	stop, done := make(chan struct{}), make(chan struct{})
	p.mu.Lock()
	p.stop, p.done = stop, done
	p.mu.Unlock()
	every := time.Duration(float64(time.Second) / rate)
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			p.Once(m)
			changed()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends publishing at a rate; the message being published, if any,
// still goes. It returns at once: the UI must not wait for the network.
func (p *vizPublisher) Stop() { p.halt() }

// halt ends publishing at a rate and returns a channel closed when the
// last message is out.
func (p *vizPublisher) halt() <-chan struct{} {
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.stop, p.done = nil, nil
	p.mu.Unlock()
	if stop == nil {
		return nil
	}
	close(stop)
	return done
}

func (p *vizPublisher) close() {
	if done := p.halt(); done != nil {
		<-done
	}
	p.c.Close()
}
