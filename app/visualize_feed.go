package app

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/mqttlab/mqttlab/app/flow"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// vizFeedState says how the feed's observer connection is doing.
type vizFeedState uint8

const (
	vizConnecting vizFeedState = iota
	vizLive
	vizDown
)

// vizFeed is a read-only observer of the broker's routing telemetry (a
// store.Observer of the $SYS/lab topics) feeding a flow.Model, which a
// flowDiagram draws. The page (or lesson) that shows a diagram makes a
// feed, starts it in OnMount and stops it in OnDismount; the diagram only
// reads it. Safe for concurrent use: the observer's delivery goroutine
// writes, the UI goroutine reads.
type vizFeed struct {
	mu     sync.Mutex
	model  *flow.Model
	clock  flow.Clock
	obs    *store.Observer
	err    error // why the observer could not start
	bad    int   // telemetry messages that did not decode
	badErr error // why the last one did not
	seen   vizFeedState
	// rev counts changes of the feed the model does not see: the speed,
	// the connection state, unreadable telemetry. The diagram redraws
	// when the model's version plus rev moved.
	rev uint64
}

// newVizFeed returns a feed whose model has configuration cfg.
func newVizFeed(cfg flow.Config) *vizFeed {
	f := &vizFeed{model: flow.New(cfg)}
	f.clock.Start(time.Now())
	return f
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
// background; it reconnects by itself if the connection drops. Its
// connection and subscriptions show in the inspector, not the telemetry
// it receives.
func (f *vizFeed) Start(brokerURL string) {
	obs, err := store.StartObserver(store.ObserverConfig{
		Name:      "visualize",
		URL:       brokerURL,
		Filters:   flow.Topics,
		Log:       store.Log,
		OnMessage: f.handle,
	})
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rev++
	f.obs, f.err = obs, err
}

// Stop closes the observer connection, in the background: closing waits
// for the goodbye, and the UI must not.
func (f *vizFeed) Stop() {
	f.mu.Lock()
	obs := f.obs
	f.obs = nil
	f.mu.Unlock()
	closeObserver(obs)
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
	if f.model.Version()+f.rev != last || f.state() != f.seen {
		return true
	}
	return f.clock.Rate() != 0 && f.model.Busy(f.clock.Now(time.Now()))
}

// vizFeedStatus is how a feed is doing, for its diagram to say.
type vizFeedStatus struct {
	State vizFeedState
	// Err is why the connection is down, or could not start.
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
	st := vizFeedStatus{State: f.state(), Err: f.err, Unread: f.bad, UnreadErr: f.badErr}
	if f.obs != nil && st.State == vizDown {
		st.Err = f.obs.Status().Err
	}
	f.seen = st.State
	return st
}

// state maps the observer's state; f.mu is held.
func (f *vizFeed) state() vizFeedState {
	switch {
	case f.err != nil:
		return vizDown
	case f.obs == nil:
		return vizConnecting
	}
	switch f.obs.Status().State {
	case store.ObserverConnected:
		return vizLive
	case store.ObserverDown:
		return vizDown
	}
	return vizConnecting
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
