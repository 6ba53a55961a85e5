package fleet

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"github.com/mqttlab/mqttlab/server/broker"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// Options say where a Runner's devices connect and how.
type Options struct {
	// Broker runs the devices in-process: each device is an in-memory
	// broker.Link, a real MQTT session without a socket or a goroutine.
	Broker *broker.Broker
	// URL is an external broker (tcp://, mqtts://, ws://, wss://) used
	// when Broker is nil. Each device is then a protocol/client Client.
	URL string
	// Dial tunes the external dialer (TLS trust, WebSocket headers).
	Dial *client.DialOptions
	// Username and Password, when Username is set, replace the scenario's
	// credentials of every device.
	Username, Password string
	// QoS, when set, replaces the QoS of every data message.
	QoS protocol.Opt[protocol.QoS]
	// RetryMin and RetryMax bound the back-off of a device whose
	// connection failed (defaults 500 ms and 30 s).
	RetryMin, RetryMax time.Duration
}

// Errors of the Runner's API.
var (
	ErrClosed     = errors.New("fleet runner closed")
	ErrNoScenario = errors.New("no scenario loaded")
	ErrNoDevice   = errors.New("no such device")
	ErrNoFleet    = errors.New("no such fleet")
)

// Runner runs the devices of a scenario as real MQTT sessions, in-process
// against our broker or against any broker over the network.
//
// All devices share one scheduler goroutine: a heap of devices keyed by
// when each next needs attention (its Device.Due, its keep-alive ping or
// its reconnection). What arrives for the devices — bytes from the
// in-process broker, commands and connection events from external
// connections, calls of this API — is queued and handled by that goroutine
// too, so a Device is only ever touched by it. See RUNNER.md beside this
// file for the design.
//
// A Runner is made with NewRunner, given a scenario with SetScenario or
// Replace, started and stopped any number of times, and ended with Close.
// Its methods are safe for concurrent use.
type Runner struct {
	opts  Options
	tr    transport
	in    inbox
	wg    sync.WaitGroup // external connections' job goroutines
	ctx   context.Context
	stopC context.CancelFunc
	done  chan struct{} // closed when the scheduler goroutine has returned

	mu      sync.Mutex // guards what Stats reads: the scenario and its fleets
	scen    *scenario.Scenario
	src     []byte
	fleets  []*fleetRun
	running bool
	closed  bool
	started time.Time

	connected atomic.Int64 // of all fleets
	peak      atomic.Int64 // the most connected at once since Start

	sched sched // owned by the scheduler goroutine
}

// NewRunner returns a runner with no scenario and starts its scheduler.
func NewRunner(o Options) (*Runner, error) {
	r := &Runner{opts: o, done: make(chan struct{})}
	if o.RetryMin <= 0 {
		r.opts.RetryMin = 500 * time.Millisecond
	}
	if o.RetryMax <= 0 {
		r.opts.RetryMax = 30 * time.Second
	}
	if o.QoS.Present && o.QoS.Value > protocol.QoS2 {
		return nil, fmt.Errorf("QoS %d out of range (0 to 2)", o.QoS.Value)
	}
	switch {
	case o.Broker != nil:
		r.tr = &inProcess{r: r, b: o.Broker}
	case o.URL != "":
		dial, err := client.Dialer(o.URL, o.Dial)
		if err != nil {
			return nil, err
		}
		r.tr = &external{r: r, dial: dial}
	default:
		return nil, errors.New("fleet runner: neither a broker nor a broker URL")
	}
	r.ctx, r.stopC = context.WithCancel(context.Background())
	r.in.wake = make(chan struct{}, 1)
	r.sched.init(r)
	go r.sched.loop()
	return r, nil
}

// CheckURL reports whether rawURL is a broker URL a Runner can dial, with
// a message fit for a command line.
func CheckURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("broker URL %q: %w", rawURL, err)
	}
	if u.Host == "" {
		return fmt.Errorf("broker URL %q has no host (expected e.g. tcp://127.0.0.1:1883)", rawURL)
	}
	_, err = client.Dialer(rawURL, nil)
	return err
}

// do runs fn on the scheduler goroutine and waits for it.
func (r *Runner) do(fn func()) error {
	r.mu.Lock()
	closed := r.closed
	r.mu.Unlock()
	if closed {
		return ErrClosed
	}
	ch := make(chan struct{})
	r.in.post(schedEvent{kind: evDo, x: func() { fn(); close(ch) }})
	select {
	case <-ch:
		return nil
	case <-r.done:
		return ErrClosed
	}
}

// SetScenario replaces the scenario. When the runner is running, the old
// devices leave cleanly (goodbye and DISCONNECT) and the new ones start.
// src is the scenario's YAML, kept for the page's editor.
func (r *Runner) SetScenario(s *scenario.Scenario, src []byte) error {
	if s == nil {
		return ErrNoScenario
	}
	var err error
	derr := r.do(func() { err = r.sched.setScenario(s, src) })
	return errors.Join(derr, err)
}

// Replace validates the YAML src and, only if it is valid, makes it the
// scenario (see SetScenario). A bad scenario changes nothing: the error is
// a scenario.Errors naming every problem's line and field.
func (r *Runner) Replace(filename string, src []byte) error {
	s, err := scenario.Load(filename, src)
	if err != nil {
		return err
	}
	return r.SetScenario(s, src)
}

// Scenario returns the scenario and its YAML; nil when none is loaded.
func (r *Runner) Scenario() (*scenario.Scenario, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.scen, r.src
}

// Running reports whether the devices run.
func (r *Runner) Running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running
}

// Start starts every device of the scenario: each connects within its
// fleet's ramp. Starting a running runner does nothing.
func (r *Runner) Start() error {
	var err error
	derr := r.do(func() { err = r.sched.start() })
	return errors.Join(derr, err)
}

// Stop makes every device leave cleanly — its offline status, then
// DISCONNECT — and waits until external connections are closed or ctx
// ends. The scenario stays, ready for Start.
func (r *Runner) Stop(ctx context.Context) error {
	if err := r.do(r.sched.stop); err != nil {
		return err
	}
	return r.waitJobs(ctx, false)
}

// Close stops the devices (as Stop) and ends the scheduler. The runner
// cannot be used afterwards.
func (r *Runner) Close(ctx context.Context) error {
	err := r.do(func() {
		r.sched.stop()
		r.sched.quit = true
	})
	if errors.Is(err, ErrClosed) {
		return nil
	}
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	<-r.done
	err = r.waitJobs(ctx, true)
	r.stopC()
	return err
}

// waitJobs waits for the goroutines of external connections. When ctx
// ends first, closing abandons what still waits on the network (and
// waits for it to give up); stopping only stops waiting, as the runner
// lives on.
func (r *Runner) waitJobs(ctx context.Context, closing bool) error {
	ch := make(chan struct{})
	go func() { r.wg.Wait(); close(ch) }()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		if closing {
			r.stopC()
			<-ch
		}
		return fmt.Errorf("stopping the fleet: %w", ctx.Err())
	}
}

// Scale sets the number of devices of a fleet. New devices connect within
// the fleet's ramp; removed ones (the highest numbers) leave cleanly.
func (r *Runner) Scale(fleet string, count int) error {
	var err error
	derr := r.do(func() { err = r.sched.scale(fleet, count) })
	return errors.Join(derr, err)
}

// Offline takes a device offline now: cleanly (its offline status, then
// DISCONNECT) or, with drop, abruptly (the connection just ends and the
// broker publishes its will). It comes back after d; d ≤ 0 means the
// device's default, as its own offline command (the churn's offline time,
// else 30 s). d is capped at MaxOffline.
func (r *Runner) Offline(id string, drop bool, d time.Duration) error {
	var err error
	derr := r.do(func() { err = r.sched.offline(id, drop, d) })
	return errors.Join(derr, err)
}

// Online brings a device that is offline back now.
func (r *Runner) Online(id string) error {
	var err error
	derr := r.do(func() { err = r.sched.online(id) })
	return errors.Join(derr, err)
}

// DeviceInfo is one device as the fleet page lists it.
type DeviceInfo struct {
	ID       string    `json:"id"`
	Fleet    string    `json:"fleet"`
	Index    int       `json:"index"` // as {index} renders it
	State    string    `json:"state"` // online, offline, stopped
	Online   bool      `json:"online"`
	Topic    string    `json:"topic"`         // data topic
	Value    string    `json:"value"`         // the last values, "field=value unit, ..."
	Values   []Value   `json:"values"`        // the same, one by one
	Last     time.Time `json:"last,omitzero"` // of the last publish
	Sent     uint32    `json:"sent"`          // messages published
	Interval string    `json:"interval"`      // current publish interval
	Command  string    `json:"command_topic,omitempty"`
	Reply    string    `json:"reply_topic,omitempty"`
	Status   string    `json:"status_topic,omitempty"`
	Version  string    `json:"version"` // MQTT version: 5.0 devices answer requests on their response topic
}

// Value is a field's last value.
type Value struct {
	Field  string   `json:"field"`
	Value  string   `json:"value"`
	Unit   string   `json:"unit,omitempty"`
	Target *float64 `json:"target,omitempty"`
}

// DevicePage is a page of devices.
type DevicePage struct {
	Total   int          `json:"total"`
	Offset  int          `json:"offset"`
	Devices []DeviceInfo `json:"devices"`
}

// Devices returns up to limit devices from offset, of one fleet or (fleet
// "") of all, in scenario order.
func (r *Runner) Devices(fleet string, offset, limit int) (DevicePage, error) {
	var p DevicePage
	var err error
	derr := r.do(func() { p, err = r.sched.devices(fleet, offset, limit) })
	return p, errors.Join(derr, err)
}

// fleetRun is one fleet while it runs: its devices and its counters. The
// counters are atomic: Stats reads them from any goroutine.
type fleetRun struct {
	f         *scenario.Fleet // Count follows Scale; a copy of the scenario's fleet once scaled
	conns     []*devConn      // scheduler goroutine only
	keepAlive int64           // ns; lowered by a Server Keep Alive (scheduler goroutine only)

	count      atomic.Int64
	connected  atomic.Int64
	published  atomic.Uint64
	failed     atomic.Uint64
	reconnects atomic.Uint64
	commands   atomic.Uint64
	lastErr    atomic.Pointer[string]
	rate       rateMeter
}

// fail counts a failure and remembers why, for the page.
func (fr *fleetRun) fail(err error) {
	fr.failed.Add(1)
	if err != nil {
		s := err.Error()
		fr.lastErr.Store(&s)
	}
}

// devConn is a device and its connection, as the scheduler drives it.
type devConn struct {
	dev     *Device
	fr      *fleetRun
	hi      int32 // index in the scheduler's heap, -1 when absent
	gen     uint32
	nextID  uint16
	ctlID   uint16 // in-process: the packet identifier of a status message or reply in flight
	flags   connFlags
	retries uint8
	retryAt int64 // reconnect at (unix ns); 0: none planned
	lastOut int64 // last packet sent (unix ns), for the keep alive

	link *broker.Link // in-process
	pend []byte       // in-process: a packet not yet complete
	ext  *extConn     // external
}

type connFlags uint8

const (
	fUp      connFlags = 1 << iota // connection usable: packets may be written
	fLinking                       // connecting (external: CONNECT in progress)
	fCounted                       // counted in the fleet's connected gauge
)

// packetID returns the next packet identifier of the connection.
func (dc *devConn) packetID() uint16 {
	dc.nextID++
	if dc.nextID == 0 {
		dc.nextID = 1
	}
	return dc.nextID
}
