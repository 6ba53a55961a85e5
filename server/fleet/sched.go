package fleet

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// transport is how the devices reach a broker: in-process links or
// external client connections. Its methods run on the scheduler goroutine.
type transport interface {
	// connect starts a connection for dc: CONNECT, SUBSCRIBE to the
	// device's commands, then its birth.
	connect(dc *devConn, now int64)
	// publish sends a message of the device; data says it counts as
	// published.
	publish(dc *devConn, m *Message, data bool, now int64)
	// reply sends a command's reply.
	reply(dc *devConn, p *protocol.Publish, now int64)
	// leave publishes goodbye (when not nil), then DISCONNECT.
	leave(dc *devConn, goodbye *Message, now int64)
	// drop ends the connection without DISCONNECT: the will fires.
	drop(dc *devConn)
	// ping sends PINGREQ; only called when pings is true.
	ping(dc *devConn, now int64)
	pings() bool
	// receive handles bytes the broker sent (in-process only).
	receive(dc *devConn, b []byte, now time.Time)
	// release forgets a connection that ended.
	release(dc *devConn)
	// retire frees what a device that will not come back holds.
	retire(dc *devConn)
}

const (
	// slack: devices due this close to now are handled in the same
	// wake-up, which bounds wake-ups to a few hundred a second whatever
	// the rate. Their ticks carry their own due times.
	slack = 2 * time.Millisecond
	// batch bounds the devices handled before the inbox is looked at
	// again, so that acknowledgements and commands are not starved.
	batch = 4096
)

// sched is the scheduler: owned by its goroutine, reached through the
// inbox.
type sched struct {
	r       *Runner
	heap    timerHeap
	running bool
	quit    bool
	fleets  []*fleetRun
	scen    *scenario.Scenario
	rnd     *rand.Rand

	buf  []byte // Tick's buffer
	out  []byte // encoded packets
	pub  protocol.Publish
	evs  []schedEvent
	data []byte
	id   []byte // client ids being compared
}

func (s *sched) init(r *Runner) {
	s.r = r
	s.rnd = rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x6d71))
	s.buf = make([]byte, 0, 512)
	s.out = make([]byte, 0, 512)
}

func (s *sched) loop() {
	defer close(s.r.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		s.drain()
		if s.quit {
			return
		}
		if s.runDue(time.Now()) {
			continue
		}
		if len(s.heap) == 0 {
			<-s.r.in.wake
			continue
		}
		wait := time.Until(time.Unix(0, s.heap[0].at))
		if wait <= 0 {
			continue
		}
		timer.Reset(wait)
		select {
		case <-s.r.in.wake:
		case <-timer.C:
		}
	}
}

// drain handles the events queued so far.
func (s *sched) drain() {
	s.evs, s.data = s.r.in.take(s.evs, s.data)
	if len(s.evs) == 0 {
		return
	}
	now := time.Now()
	for i := range s.evs {
		s.handle(&s.evs[i], now)
	}
	clear(s.evs) // let go of what the events held
	if cap(s.data) > 1<<20 {
		s.data = nil // do not keep a burst's buffer
	}
}

func (s *sched) handle(e *schedEvent, now time.Time) {
	if e.kind == evDo {
		e.x.(func())()
		return
	}
	dc := e.dc
	switch e.kind {
	case evBytes:
		if e.gen == dc.gen && dc.flags&fUp != 0 {
			s.r.tr.receive(dc, s.data[e.off:e.off+e.n], now)
		}
	case evClosed, evFailed:
		if e.gen == dc.gen && dc.flags&(fUp|fLinking) != 0 {
			err, _ := e.x.(error)
			if err == nil {
				err = errors.New("connection closed by the broker")
			}
			s.lost(dc, err, now.UnixNano())
		}
	case evUp:
		if e.gen == dc.gen && dc.flags&fLinking != 0 {
			dc.flags = dc.flags&^fLinking | fUp
			s.counted(dc)
		}
	case evCommand:
		if dc.dev.state == Online && dc.ext != nil {
			m := e.x.(*client.Message)
			p := protocol.Publish{Version: dc.dev.fleet.Version, QoS: m.QoS, Retain: m.Retain, Topic: m.Topic, Payload: m.Payload, Props: m.Props}
			s.command(dc, &p, now)
		}
	}
	s.fix(dc)
}

// counted adds a connection that the broker accepted to the gauge.
func (s *sched) counted(dc *devConn) {
	if dc.flags&fCounted == 0 {
		dc.flags |= fCounted
		dc.fr.connected.Add(1)
		n := s.r.connected.Add(1)
		for p := s.r.peak.Load(); n > p && !s.r.peak.CompareAndSwap(p, n); p = s.r.peak.Load() {
		}
	}
	dc.retries = 0
}

// runDue handles the devices due by now; true means more are due.
func (s *sched) runDue(now time.Time) bool {
	t0 := now.UnixNano()
	limit := t0 + int64(slack)
	for n := 0; len(s.heap) > 0 && s.heap[0].at <= limit; n++ {
		if n == batch {
			return true
		}
		dc, at := s.heap[0].dc, s.heap[0].at
		t := max(t0, at)
		s.step(dc, time.Unix(0, t))
		s.fix(dc)
		if dc.hi >= 0 && s.heap.when(dc) <= t {
			// Every step moves its device on; should one not, it
			// must not spin the scheduler.
			s.heap.set(dc, t+int64(time.Millisecond))
		}
	}
	return false
}

// step does what dc is due for at now: reconnect, tick, or ping.
func (s *sched) step(dc *devConn, now time.Time) {
	t := now.UnixNano()
	d := dc.dev
	if d.state == Online && dc.flags&(fUp|fLinking) == 0 && dc.retryAt != 0 && t >= dc.retryAt {
		dc.retryAt = 0
		dc.fr.reconnects.Add(1)
		s.r.tr.connect(dc, t)
	}
	if due := d.due(); due != 0 && due <= t {
		act, m := d.Tick(now, s.buf)
		s.buf = m.Buf
		s.act(dc, act, &m, t)
		return
	}
	if ka := dc.fr.keepAlive; dc.flags&fUp != 0 && ka > 0 && s.r.tr.pings() && t-dc.lastOut >= ka {
		s.r.tr.ping(dc, t)
	}
}

// act carries out what the engine asked for.
func (s *sched) act(dc *devConn, act Action, m *Message, t int64) {
	switch act {
	case ActionConnect:
		dc.retries, dc.retryAt = 0, 0
		s.r.tr.connect(dc, t)
	case ActionPublish:
		if q := s.r.opts.QoS; q.Present {
			m.QoS = q.Value
		}
		if dc.flags&(fUp|fLinking) == 0 {
			dc.fr.failed.Add(1) // the cause is the connection's failure, already recorded
			return
		}
		s.r.tr.publish(dc, m, true, t)
	case ActionDisconnect:
		s.leave(dc, t)
	case ActionDrop:
		if dc.flags&(fUp|fLinking) != 0 {
			s.r.tr.drop(dc)
			s.detach(dc)
		}
		dc.retryAt = 0
	}
}

// leave makes dc leave cleanly: goodbye, then DISCONNECT.
func (s *sched) leave(dc *devConn, t int64) {
	if dc.flags&(fUp|fLinking) != 0 {
		var goodbye *Message
		if m, ok := dc.dev.Goodbye(s.buf); ok {
			s.buf = m.Buf
			goodbye = &m
		}
		s.r.tr.leave(dc, goodbye, t)
		s.detach(dc)
	}
	dc.retryAt = 0
}

// detach forgets dc's connection: events still coming from it are ignored.
func (s *sched) detach(dc *devConn) {
	if dc.flags&fCounted != 0 {
		dc.fr.connected.Add(-1)
		s.r.connected.Add(-1)
	}
	dc.flags = 0
	dc.gen++
	s.r.tr.release(dc)
}

// lost handles a connection that failed or was lost: counted, and
// retried with back-off while the device should be online.
func (s *sched) lost(dc *devConn, err error, t int64) {
	if dc.flags&(fUp|fLinking) != 0 {
		s.r.tr.drop(dc)
	}
	s.detach(dc)
	dc.fr.fail(err)
	if dc.dev.state == Online {
		if dc.retries < 30 {
			dc.retries++
		}
		dc.retryAt = t + int64(s.backoff(dc.retries))
	}
}

// backoff is the wait before the n-th reconnection: doubling from
// RetryMin up to RetryMax, drawn from its upper half.
func (s *sched) backoff(n uint8) time.Duration {
	o := &s.r.opts
	d := o.RetryMax
	if n < 30 {
		if b := o.RetryMin << (n - 1); b > 0 && b < d {
			d = b
		}
	}
	return d/2 + time.Duration(s.rnd.Int64N(int64(d/2)+1))
}

// command applies a command a device received.
func (s *sched) command(dc *devConn, p *protocol.Publish, now time.Time) {
	reply, act, _ := dc.dev.HandleCommand(now, p)
	dc.fr.commands.Add(1)
	t := now.UnixNano()
	if reply != nil && dc.flags&(fUp|fLinking) != 0 {
		s.r.tr.reply(dc, reply, t)
	}
	s.act(dc, act, nil, t)
}

// key is when dc next needs the scheduler; 0: never.
func (s *sched) key(dc *devConn) int64 {
	d := dc.dev
	due := d.due()
	if due == 0 || d.state != Online {
		return due
	}
	if dc.flags&fUp != 0 {
		if ka := dc.fr.keepAlive; ka > 0 && s.r.tr.pings() {
			due = min(due, dc.lastOut+ka)
		}
	} else if dc.retryAt != 0 {
		due = min(due, dc.retryAt)
	}
	return due
}

// fix puts dc in its place in the heap.
func (s *sched) fix(dc *devConn) {
	k := s.key(dc)
	switch {
	case k == 0:
		if dc.hi >= 0 {
			s.heap.remove(dc)
		}
	case dc.hi < 0 || s.heap.when(dc) != k:
		s.heap.set(dc, k)
	}
}

// setScenario replaces the scenario, restarting the devices if they run.
func (s *sched) setScenario(sc *scenario.Scenario, src []byte) error {
	running := s.running
	if running {
		s.stop()
	}
	fleets := make([]*fleetRun, len(sc.Fleets))
	for i, f := range sc.Fleets {
		fleets[i] = newFleetRun(f)
	}
	s.scen, s.fleets = sc, fleets
	r := s.r
	r.mu.Lock()
	r.scen, r.src, r.fleets = sc, src, fleets
	r.mu.Unlock()
	if running {
		return s.start()
	}
	return nil
}

func newFleetRun(f *scenario.Fleet) *fleetRun {
	fr := &fleetRun{f: f, keepAlive: int64(f.KeepAlive)}
	fr.count.Store(int64(f.Count))
	return fr
}

// start creates and starts every device.
func (s *sched) start() error {
	if s.scen == nil {
		return ErrNoScenario
	}
	if s.running {
		return nil
	}
	now := time.Now()
	for _, fr := range s.fleets {
		s.startDevices(fr, now)
	}
	s.running = true
	s.r.peak.Store(s.r.connected.Load())
	s.r.mu.Lock()
	s.r.running, s.r.started = true, now
	s.r.mu.Unlock()
	return nil
}

// startDevices creates the devices of fr, all in a few allocations.
func (s *sched) startDevices(fr *fleetRun, now time.Time) {
	n := fr.f.Count
	if n == 0 {
		return
	}
	devs := NewDevices(fr.f)
	conns := make([]devConn, n)
	fr.conns = make([]*devConn, n)
	for i := range conns {
		dc := &conns[i]
		dc.dev, dc.fr, dc.hi = &devs[i], fr, -1
		fr.conns[i] = dc
		dc.dev.Start(now)
		s.fix(dc)
	}
}

// stop makes every device leave and forgets them.
func (s *sched) stop() {
	if !s.running {
		return
	}
	t := time.Now().UnixNano()
	for _, fr := range s.fleets {
		for _, dc := range fr.conns {
			s.retire(dc, t)
		}
		fr.conns = nil
	}
	s.running = false
	s.r.mu.Lock()
	s.r.running = false
	s.r.mu.Unlock()
}

// retire makes dc leave for good.
func (s *sched) retire(dc *devConn, t int64) {
	s.leave(dc, t)
	dc.dev.Stop()
	if dc.hi >= 0 {
		s.heap.remove(dc)
	}
	s.r.tr.retire(dc)
}

// scale sets the device count of a fleet.
func (s *sched) scale(name string, n int) error {
	var fr *fleetRun
	others := 0
	for _, f := range s.fleets {
		if f.f.Name == name {
			fr = f
		} else {
			others += f.f.Count
		}
	}
	if fr == nil {
		return fmt.Errorf("%w %q", ErrNoFleet, name)
	}
	if n < 0 || others+n > scenario.MaxDevices {
		return fmt.Errorf("fleet %q: %d devices out of range (0 to %d with the other fleets)", name, n, scenario.MaxDevices-others)
	}
	old := fr.f.Count
	if n == old {
		return nil
	}
	nf := *fr.f
	nf.Count = n
	if n > old {
		if err := distinct(&nf); err != nil {
			return err
		}
	}
	fr.f = &nf
	fr.count.Store(int64(n))
	if !s.running {
		return nil
	}
	now := time.Now()
	if n < old {
		t := now.UnixNano()
		for _, dc := range fr.conns[n:] {
			s.retire(dc, t)
		}
		clear(fr.conns[n:])
		fr.conns = fr.conns[:n]
		return nil
	}
	for i := old; i < n; i++ {
		dc := &devConn{dev: NewDevice(&nf, i), fr: fr, hi: -1}
		fr.conns = append(fr.conns, dc)
		dc.dev.Start(now)
		s.fix(dc)
	}
	return nil
}

// distinct checks that a grown fleet still gives each device its own
// client id, status topic and command topic.
func distinct(f *scenario.Fleet) error {
	check := func(what string, t *scenario.Template) error {
		if t != nil && !t.HasIndex(f) && !t.Distinct(f) {
			return fmt.Errorf("fleet %q: its %s %q would be the same for several of %d devices (add {index} to it in the scenario)", f.Name, what, t.String(), f.Count)
		}
		return nil
	}
	err := check("client_id", f.ClientID)
	if err == nil && f.Status != nil {
		err = check("status topic", f.Status.Topic)
	}
	if err == nil && f.Commands != nil {
		err = check("command topic", f.Commands.Topic)
	}
	return err
}

// find returns the running device whose client id is id.
func (s *sched) find(id string) (*devConn, error) {
	for _, fr := range s.fleets {
		for _, dc := range fr.conns {
			d := dc.dev
			s.id = d.fleet.ClientID.Append(s.id[:0], d.fleet, int(d.index))
			if string(s.id) == id {
				return dc, nil
			}
		}
	}
	if !s.running {
		return nil, fmt.Errorf("%w %q: the fleet is not running", ErrNoDevice, id)
	}
	return nil, fmt.Errorf("%w %q", ErrNoDevice, id)
}

// offline takes a device offline as its offline command would.
func (s *sched) offline(id string, drop bool, away time.Duration) error {
	dc, err := s.find(id)
	if err != nil {
		return err
	}
	c := command{name: "offline", drop: drop}
	if away > 0 {
		c.dur = away.String()
	}
	now := time.Now().UnixNano()
	var rep Reply
	act, err := dc.dev.apply(now, c, &rep)
	if err != nil {
		return conflictError{err}
	}
	s.act(dc, act, nil, now)
	s.fix(dc)
	return nil
}

// online brings an offline device back now.
func (s *sched) online(id string) error {
	dc, err := s.find(id)
	if err != nil {
		return err
	}
	now := time.Now().UnixNano()
	var rep Reply
	act, err := dc.dev.apply(now, command{name: "online"}, &rep)
	if err != nil {
		return conflictError{err}
	}
	s.act(dc, act, nil, now)
	s.fix(dc)
	return nil
}

// MaxPage bounds the devices of one page.
const MaxPage = 1000

// devices returns a page of devices.
func (s *sched) devices(fleet string, offset, limit int) (DevicePage, error) {
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	offset = max(offset, 0)
	p := DevicePage{Offset: offset, Devices: []DeviceInfo{}}
	found := fleet == ""
	for _, fr := range s.fleets {
		if fleet != "" && fr.f.Name != fleet {
			continue
		}
		found = true
		n := len(fr.conns)
		lo, hi := max(offset-p.Total, 0), min(max(offset+limit-p.Total, 0), n)
		for i := lo; i < hi; i++ {
			p.Devices = append(p.Devices, info(fr.conns[i].dev))
		}
		p.Total += n
	}
	if !found {
		return p, fmt.Errorf("%w %q", ErrNoFleet, fleet)
	}
	return p, nil
}

// info describes a device for the page.
func info(d *Device) DeviceInfo {
	f, i := d.fleet, int(d.index)
	sn := d.Snapshot()
	di := DeviceInfo{
		ID: sn.ClientID, Fleet: f.Name, Index: f.FirstIndex + i,
		State: sn.State.String(), Online: sn.State == Online,
		Topic: f.Topic.Expand(f, i), Last: sn.LastSent, Sent: sn.Sent,
		Interval: sn.Interval.String(), Values: make([]Value, 0, len(sn.Readings)), Version: f.Version.String(),
	}
	if c := f.Commands; c != nil {
		di.Command = c.Topic.Expand(f, i)
		if c.ReplyTopic != nil {
			di.Reply = c.ReplyTopic.Expand(f, i)
		}
	}
	if f.Status != nil {
		di.Status = f.Status.Topic.Expand(f, i)
	}
	var b []byte
	for _, rd := range sn.Readings {
		if rd.Value == "" {
			continue
		}
		di.Values = append(di.Values, Value{Field: rd.Field, Value: rd.Value, Unit: rd.Unit, Target: rd.Target})
		if len(b) > 0 {
			b = append(b, ", "...)
		}
		b = append(b, rd.Field...)
		b = append(b, '=')
		b = append(b, rd.Value...)
		if rd.Unit != "" {
			b = append(b, ' ')
			b = append(b, rd.Unit...)
		}
	}
	di.Value = string(b)
	return di
}
