//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// target is the broker a scenario runs against.
type target struct {
	addr string
	// proc is the broker's process, measured from /proc; nil when the
	// broker runs inside this process (the unit tests), which is then
	// not measured.
	proc *brokerProc
	// stats reads our broker's own figures (gc: after a collection); nil
	// for mosquitto.
	stats func(gc bool) (childStats, error)
	// heapProfile, for our broker, is where to write a heap profile at
	// the end of a run (the idle run: while the connections sit idle);
	// "" for none.
	heapProfile string
}

// result is what one run of one scenario against one broker measured.
type result struct {
	published uint64 // messages the publishers wrote (QoS 1: and had acknowledged)
	expected  uint64 // deliveries the subscriptions call for: published × subscribers that match
	delivered uint64 // unique messages received
	lost      uint64 // expected − delivered, counted by sequence number
	dups      uint64 // messages received more than once
	foreign   uint64 // messages a subscriber should not have got, or could not read
	elapsed   time.Duration

	brokerCPU time.Duration // CPU time of the broker process over the run
	genCPU    time.Duration // CPU time of this process over the run
	wall      time.Duration // wall time over which the CPU times were taken

	p50, p99 time.Duration // one-way latency, when measured

	// idle connections
	conns        int
	rssPerConn   float64 // bytes
	heapPerConn  float64 // bytes of live Go heap, after a collection (ours only)
	stackPerConn float64 // bytes of goroutine stacks (ours only)

	// our broker's own counters over the run, to cross-check the counting
	ours *childStats
}

// rate is the delivered messages per second.
func (r result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.delivered) / r.elapsed.Seconds()
}

// scenario is one load, run the same way against each broker.
type scenario struct {
	key   string // for -scenarios
	title string
	run   func(ctx context.Context, cfg *config, t target) (result, error)
}

var allScenarios = []scenario{
	{"fanin", "fan-in", runFanIn},
	{"fanout", "fan-out", runFanOut},
	{"qos1", "QoS 1 pairs", runPairs},
	{"latency", "latency", runLatency},
	{"idle", "idle connections", runIdle},
}

// runFanIn: cfg.faninPubs publishers on bench/<i>/data, one subscriber
// on bench/+/data, QoS 0, as fast as the broker takes them.
func runFanIn(ctx context.Context, cfg *config, t target) (result, error) {
	f := flow{qos: protocol.QoS0, mode: blast, duration: cfg.duration}
	sub := subSpec{filter: "bench/+/data"}
	for i := range cfg.faninPubs {
		f.pubTopics = append(f.pubTopics, fmt.Sprintf("bench/%d/data", i))
		sub.hears = append(sub.hears, i)
	}
	f.subs = []subSpec{sub}
	return runFlow(ctx, cfg, t, f)
}

// runFanOut: one publisher on bench/fanout, cfg.fanoutSubs subscribers
// of that topic, QoS 0, as fast as the broker takes them.
func runFanOut(ctx context.Context, cfg *config, t target) (result, error) {
	f := flow{qos: protocol.QoS0, mode: blast, duration: cfg.duration, pubTopics: []string{"bench/fanout"}}
	for range cfg.fanoutSubs {
		f.subs = append(f.subs, subSpec{filter: "bench/fanout", hears: []int{0}})
	}
	return runFlow(ctx, cfg, t, f)
}

// runPairs: cfg.pairs publisher/subscriber pairs, each on its own topic,
// QoS 1 both ways, each publisher keeping cfg.window messages in flight.
func runPairs(ctx context.Context, cfg *config, t target) (result, error) {
	f := flow{qos: protocol.QoS1, mode: windowed, duration: cfg.duration}
	for i := range cfg.pairs {
		topic := fmt.Sprintf("bench/pair/%d", i)
		f.pubTopics = append(f.pubTopics, topic)
		f.subs = append(f.subs, subSpec{filter: topic, hears: []int{i}})
	}
	return runFlow(ctx, cfg, t, f)
}

// runLatency: the fan-in topology at a light constant rate, so that the
// latency measured is the broker's and not the time spent in queues.
func runLatency(ctx context.Context, cfg *config, t target) (result, error) {
	f := flow{qos: protocol.QoS0, mode: paced, duration: cfg.latencyDuration, latency: true,
		rate: cfg.latencyRate / float64(cfg.faninPubs)}
	sub := subSpec{filter: "lat/+/data"}
	for i := range cfg.faninPubs {
		f.pubTopics = append(f.pubTopics, fmt.Sprintf("lat/%d/data", i))
		sub.hears = append(sub.hears, i)
	}
	f.subs = []subSpec{sub}
	return runFlow(ctx, cfg, t, f)
}

type pubMode int

const (
	blast    pubMode = iota // QoS 0, as fast as possible
	paced                   // QoS 0, constant rate
	windowed                // QoS 1, a window of messages in flight
)

// flow is a set of publishers and subscriptions.
type flow struct {
	pubTopics []string // one publisher per topic; its index is its position
	subs      []subSpec
	qos       protocol.QoS
	mode      pubMode
	rate      float64 // paced: messages per second per publisher
	duration  time.Duration
	latency   bool
}

// subSpec is one subscriber: its filter and the publishers it hears.
type subSpec struct {
	filter string
	hears  []int
}

// runFlow connects the subscribers, then the publishers, publishes for
// f.duration, waits until every message arrived or nothing arrived for
// cfg.drain, and counts.
func runFlow(ctx context.Context, cfg *config, t target, f flow) (res result, err error) {
	var conns []*mqttConn
	defer func() {
		for _, c := range conns {
			c.close()
		}
	}()
	subs := make([]*subscriber, len(f.subs))
	for i, ss := range f.subs {
		c, err := dial(t.addr, fmt.Sprintf("lb-sub-%d", i), cfg.srcAddr(i), busyReadBuf)
		if err != nil {
			return res, err
		}
		conns = append(conns, c)
		if err := c.subscribe(ss.filter, f.qos); err != nil {
			return res, err
		}
		subs[i] = newSubscriber(c, len(f.pubTopics), f.latency)
	}
	pubs := make([]*publisher, len(f.pubTopics))
	for i, topic := range f.pubTopics {
		tmpl, err := newTemplate(topic, f.qos, cfg.payload)
		if err != nil {
			return res, err
		}
		c, err := dial(t.addr, fmt.Sprintf("lb-pub-%d", i), cfg.srcAddr(len(f.subs)+i), busyReadBuf)
		if err != nil {
			return res, err
		}
		conns = append(conns, c)
		if cfg.pubSndBuf > 0 {
			if err := c.nc.(*net.TCPConn).SetWriteBuffer(cfg.pubSndBuf); err != nil {
				return res, err
			}
		}
		pubs[i] = &publisher{c: c, idx: uint32(i), tmpl: tmpl}
	}

	before, err := snapshot(t)
	if err != nil {
		return res, err
	}
	t0 := monotonic()
	start := time.Now()
	var subWG, pubWG sync.WaitGroup
	for _, s := range subs {
		subWG.Go(s.run)
	}
	defer func() {
		// On every path: no subscriber goroutine outlives the run.
		for _, s := range subs {
			s.stop()
		}
		subWG.Wait()
	}()
	var stop atomic.Bool
	for i, p := range pubs {
		switch f.mode {
		case blast:
			pubWG.Go(func() { p.blast(&stop, cfg.batch) })
		case paced:
			// Publishers are spread evenly over one interval.
			phase := time.Duration(float64(time.Second) / f.rate * float64(i) / float64(len(pubs)))
			pubWG.Go(func() { p.paced(&stop, f.rate, start.Add(phase), cfg.batch) })
		case windowed:
			pubWG.Go(func() { p.windowed(&stop, cfg.window) })
		}
	}
	select {
	case <-time.After(f.duration):
	case <-ctx.Done():
	}
	stop.Store(true)
	pubWG.Wait()
	var errs []error
	for _, p := range pubs {
		res.published += p.sent
		errs = append(errs, p.err)
	}
	for _, ss := range f.subs {
		for _, i := range ss.hears {
			res.expected += pubs[i].sent
		}
	}
	waitDelivered(subs, res.expected, cfg.drain)
	after, err := snapshot(t)
	if err != nil {
		return res, err
	}
	if t.heapProfile != "" && t.proc != nil {
		if err := t.proc.heapProfile(t.heapProfile); err != nil {
			return res, err
		}
	}
	for _, s := range subs {
		s.stop()
	}
	subWG.Wait()
	if err := ctx.Err(); err != nil {
		return res, err
	}

	last := t0
	var lat latencies
	for si, s := range subs {
		errs = append(errs, s.err)
		heard := make([]bool, len(pubs))
		for _, i := range f.subs[si].hears {
			heard[i] = true
			set := &s.pubs[i]
			res.delivered += set.unique
			res.dups += set.dups
			res.lost += set.lostBelow(pubs[i].sent)
		}
		res.foreign += s.foreign
		for i := range s.pubs {
			if !heard[i] {
				res.foreign += s.pubs[i].unique + s.pubs[i].dups
			}
		}
		last = max(last, s.lastRecv.Load())
		lat = append(lat, s.lat...)
	}
	if err := errors.Join(errs...); err != nil {
		return res, err
	}
	res.elapsed = time.Duration(last - t0)
	if f.latency {
		res.p50, res.p99 = lat.percentile(50), lat.percentile(99)
	}
	before.fill(&res, after)
	return res, nil
}

// waitDelivered waits until the subscribers have expected messages
// between them, or none arrived for quiet.
func waitDelivered(subs []*subscriber, expected uint64, quiet time.Duration) {
	total := func() uint64 {
		var n uint64
		for _, s := range subs {
			n += s.received.Load()
		}
		return n
	}
	last, since := total(), time.Now()
	for last < expected {
		time.Sleep(10 * time.Millisecond)
		if n := total(); n != last {
			last, since = n, time.Now()
		} else if time.Since(since) >= quiet {
			return
		}
	}
}

// usage is the CPU time of both sides and our broker's counters at one
// moment.
type usage struct {
	at        time.Time
	brokerCPU time.Duration
	genCPU    time.Duration
	ours      *childStats
}

func snapshot(t target) (usage, error) {
	u := usage{at: time.Now(), genCPU: selfCPU()}
	if t.proc != nil {
		var err error
		if u.brokerCPU, err = t.proc.cpuTime(); err != nil {
			return u, fmt.Errorf("reading the CPU time of %s: %w", t.proc.name, err)
		}
	}
	if t.stats != nil {
		st, err := t.stats(false)
		if err != nil {
			return u, err
		}
		u.ours = &st
	}
	return u, nil
}

// fill sets the CPU figures and our broker's counters over the interval
// from u to after.
func (u usage) fill(r *result, after usage) {
	r.wall = after.at.Sub(u.at)
	r.genCPU = after.genCPU - u.genCPU
	r.brokerCPU = after.brokerCPU - u.brokerCPU
	if u.ours != nil && after.ours != nil {
		r.ours = &childStats{Received: after.ours.Received - u.ours.Received,
			Sent: after.ours.Sent - u.ours.Sent, Dropped: after.ours.Dropped - u.ours.Dropped,
			Mallocs: after.ours.Mallocs - u.ours.Mallocs}
	}
}

// selfCPU is the CPU time this process has used, user and system.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runIdle connects cfg.idleConns clients, each subscribed to a topic of
// its own, lets them sit idle, and measures what they cost the broker.
func runIdle(ctx context.Context, cfg *config, t target) (res result, err error) {
	n := cfg.idleConns
	time.Sleep(200 * time.Millisecond) // the broker's own start-up settles
	var rss0 int64
	var heap0 childStats
	if t.proc != nil {
		if rss0, err = t.proc.rss(); err != nil {
			return res, err
		}
	}
	if t.stats != nil {
		if heap0, err = t.stats(true); err != nil {
			return res, err
		}
	}
	conns := make([]*mqttConn, n)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.close()
			}
		}
	}()
	var next atomic.Int64
	var failed atomic.Bool
	errs := make([]error, cfg.workers)
	var wg sync.WaitGroup
	for w := range cfg.workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil || failed.Load() {
					return
				}
				c, err := dial(t.addr, fmt.Sprintf("lb-idle-%d", i), cfg.srcAddr(i), idleReadBuf)
				if err == nil {
					conns[i] = c
					err = c.subscribe(fmt.Sprintf("idle/%d", i), protocol.QoS0)
				}
				if err != nil {
					errs[w] = fmt.Errorf("idle connection %d of %d: %w%s", i+1, n, err, portHint(err))
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(append(errs, ctx.Err())...); err != nil {
		return res, err
	}
	select {
	case <-time.After(cfg.idleSettle):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	res.conns = n
	if t.proc != nil {
		rss1, err := t.proc.rss()
		if err != nil {
			return res, err
		}
		res.rssPerConn = float64(rss1-rss0) / float64(n)
	}
	if t.stats != nil {
		heap1, err := t.stats(true)
		if err != nil {
			return res, err
		}
		if heap1.Clients < n {
			return res, fmt.Errorf("our broker counts %d clients connected, the benchmark opened %d", heap1.Clients, n)
		}
		res.heapPerConn = (float64(heap1.HeapAlloc) - float64(heap0.HeapAlloc)) / float64(n)
		res.stackPerConn = (float64(heap1.StackInuse) - float64(heap0.StackInuse)) / float64(n)
	}
	if t.heapProfile != "" && t.proc != nil {
		if err := t.proc.heapProfile(t.heapProfile); err != nil {
			return res, err
		}
	}
	return res, nil
}

// portHint explains the errors of running out of local ports or file
// descriptors.
func portHint(err error) string {
	switch {
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return " (out of local ports: spread the connections over more source addresses with -src-addrs)"
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return " (out of file descriptors: raise the hard limit, ulimit -Hn, or lower -idle-conns)"
	}
	return ""
}

// srcAddr is the local address of the i-th connection: spread over
// 127.0.0.1 to 127.0.0.N for -src-addrs N, so that many connections do not
// exhaust one address's ephemeral ports; nil (the kernel's choice) for 1.
func (cfg *config) srcAddr(i int) *net.TCPAddr {
	if cfg.srcAddrs <= 1 {
		return nil
	}
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+i%cfg.srcAddrs))}
}
