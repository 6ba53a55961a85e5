//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/broker"
	"github.com/mqttlab/mqttlab/server/fleet"
)

// lab is our broker on loopback, a runner with its devices in-process,
// and the counting subscriber.
type lab struct {
	b    *broker.Broker
	addr string
	done chan struct{}
	r    *fleet.Runner
	cnt  *counter
}

// startLab starts the broker with limits that fit a benchmark of a
// million devices and one subscriber taking everything at QoS 1.
func startLab(external string) (*lab, error) {
	l := &lab{done: make(chan struct{})}
	if external == "" {
		b, err := broker.New(broker.Options{SysInterval: -1, MaxConnections: 2_000_000, MaxQueued: 1_000_000})
		if err != nil {
			return nil, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		go func() { defer close(l.done); b.Listen(ln) }()
		l.b, l.addr = b, ln.Addr().String()
	} else {
		close(l.done)
		l.addr = external
	}
	o := fleet.Options{Broker: l.b}
	if external != "" {
		o = fleet.Options{URL: "tcp://" + external}
	}
	var err error
	if l.r, err = fleet.NewRunner(o); err != nil {
		l.close()
		return nil, err
	}
	qos := protocol.QoS1
	if external != "" {
		qos = 0 // mosquitto queues little per client: count what it delivers
	}
	if l.cnt, err = startCounter(l.addr, "bench/#", qos); err != nil {
		l.close()
		return nil, fmt.Errorf("subscriber: %w", err)
	}
	return l, nil
}

func (l *lab) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if l.r != nil {
		l.r.Close(ctx)
	}
	if l.cnt != nil {
		l.cnt.close()
	}
	if l.b != nil {
		l.b.Shutdown(ctx)
	}
	<-l.done
	debug.FreeOSMemory() // so that the next phase's RSS is its own
}

// benchYAML is the load scenario's fleet with its size, interval, ramp and
// QoS set by the step.
func benchYAML(n int, interval, ramp time.Duration, qos int) string {
	return fmt.Sprintf(`name: bench
seed: 1
fleets:
  - name: b
    count: %d
    client_id: b-{index}
    topic: bench/{index}
    interval: %s
    jitter: 10%%
    ramp: %s
    keepalive: 5m
    qos: %d
    status: false
    fields:
      t: {model: random-walk, start: 21, spread: 2, min: 10, max: 35, step: 0.1, decimals: 1}
      n: {model: counter}
`, n, interval, ramp, qos)
}

// result is what one step measured.
type result struct {
	devices  int
	interval time.Duration
	connect  time.Duration // from Start until all were connected
	target   float64       // messages due per second
	received float64       // per second, at the subscriber, in the window
	sent     float64       // published per second in the window
	lost     uint64        // published and never received, or gaps
	dups     uint64
	failed   uint64
	rss      int64   // the most seen during the step
	cpu      float64 // CPU seconds of this process per second in the window
	behind   float64 // growth of the subscriber's backlog, messages per second
	ok       bool
}

func (r result) String() string {
	verdict := "sustained"
	if !r.ok {
		verdict = "NOT sustained"
	}
	perMsg := 0.0
	if r.received > 0 {
		perMsg = r.cpu / r.received * 1e6
	}
	return fmt.Sprintf("%7d devices every %-5s due %6.0f msg/s  sent %6.0f  received %6.0f msg/s  lost %d dup %d failed %d  CPU %.2f cores (%.1f µs/msg)  RSS %s  %s",
		r.devices, r.interval, r.target, r.sent, r.received, r.lost, r.dups, r.failed, r.cpu, perMsg, mib(r.rss), verdict)
}

// step runs n devices publishing every interval at qos, measures a window
// once they all publish, stops them and counts what arrived.
func (l *lab) step(ctx context.Context, n int, interval, ramp time.Duration, qos int, window time.Duration) (result, error) {
	res := result{devices: n, interval: interval, target: float64(n) / interval.Seconds()}
	base := l.cnt.received.Load()
	lost0, dups0 := l.cnt.lost.Load(), l.cnt.dups.Load()
	l.cnt.reset()
	if err := l.r.Replace("bench.yaml", []byte(benchYAML(n, interval, ramp, qos))); err != nil {
		return res, err
	}
	start := time.Now()
	if err := l.r.Start(); err != nil {
		return res, err
	}
	var rss rssPeak
	for l.r.Stats().Total.Connected < n {
		if time.Since(start) > ramp+2*time.Minute {
			return res, fmt.Errorf("%d of %d devices connected after %s", l.r.Stats().Total.Connected, n, time.Since(start).Round(time.Second))
		}
		if err := sleep(ctx, 20*time.Millisecond, &rss); err != nil {
			return res, err
		}
	}
	res.connect = time.Since(start)
	// Every device publishes within its first interval: measure after it.
	if err := sleep(ctx, interval+interval/10+time.Second, &rss); err != nil {
		return res, err
	}
	r0, p0, t0, c0 := l.cnt.received.Load(), l.r.Stats().Total.Published, time.Now(), cpuTime()
	if err := sleep(ctx, window, &rss); err != nil {
		return res, err
	}
	r1, p1, t1, c1 := l.cnt.received.Load(), l.r.Stats().Total.Published, time.Now(), cpuTime()
	res.cpu = (c1 - c0).Seconds() / t1.Sub(t0).Seconds()
	// What the subscriber has yet to receive: if it grew during the
	// window, the subscriber (or the broker) is falling behind.
	backlog0, backlog1 := int64(p0)-int64(r0-base), int64(p1)-int64(r1-base)
	res.behind = float64(backlog1-backlog0) / t1.Sub(t0).Seconds()
	res.received = float64(r1-r0) / t1.Sub(t0).Seconds()
	res.sent = float64(p1-p0) / t1.Sub(t0).Seconds()
	sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := l.r.Stop(sctx); err != nil {
		return res, err
	}
	st := l.r.Stats()
	got := l.cnt.waitFor(ctx, base+st.Total.Published, 3*time.Second) - base
	if got < st.Total.Published {
		res.lost = st.Total.Published - got
	}
	res.lost += l.cnt.lost.Load() - lost0
	res.dups = l.cnt.dups.Load() - dups0
	res.failed = st.Total.Failed
	res.rss = max(rss.max, readRSS())
	// Sustained: the devices publish on time, the subscriber keeps up
	// (its backlog grows by less than 3% of the rate), nothing is lost.
	res.ok = res.sent >= 0.97*res.target && res.behind < 0.03*res.target &&
		res.lost == 0 && res.dups == 0 && res.failed == 0
	return res, nil
}

// sleep waits d, sampling the RSS every 250 ms.
func sleep(ctx context.Context, d time.Duration, rss *rssPeak) error {
	end := time.Now().Add(d)
	for {
		rss.sample()
		left := time.Until(end)
		if left <= 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(left, 250*time.Millisecond)):
		}
	}
}

// phaseIdle connects -devices devices at once and measures connections
// per second and the memory of an idle device.
func phaseIdle(ctx context.Context, cfg *config, w io.Writer) error {
	n := cfg.devices
	fmt.Fprintf(w, "\n== idle: %d in-process devices connecting at once, then idle (publishing every hour)\n", n)
	l, err := startLab("")
	if err != nil {
		return err
	}
	defer l.close()
	m0, rss0 := memory()
	if err := l.r.Replace("idle.yaml", []byte(benchYAML(n, time.Hour, 0, 0))); err != nil {
		return err
	}
	start := time.Now()
	if err := l.r.Start(); err != nil {
		return err
	}
	for l.r.Stats().Total.Connected < n {
		if time.Since(start) > 2*time.Minute {
			return fmt.Errorf("%d of %d connected after 2 minutes", l.r.Stats().Total.Connected, n)
		}
		if err := sleep(ctx, 5*time.Millisecond, &rssPeak{}); err != nil {
			return err
		}
	}
	took := time.Since(start)
	m1, rss1 := memory()
	fmt.Fprintf(w, "connect:              %d devices in %s: %.0f connections/s\n", n, took.Round(time.Millisecond), float64(n)/took.Seconds())
	fmt.Fprintf(w, "memory per idle device: %.0f bytes of Go heap and stacks (device, connection, broker session), %.0f bytes of RSS\n",
		float64(m1-m0)/float64(n), float64(rss1-rss0)/float64(n))
	fmt.Fprintf(w, "RSS with %d idle devices: %s\n", n, mib(rss1))
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	start = time.Now()
	if err := l.r.Stop(sctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "stop (offline status, DISCONNECT): %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// phaseLoad is the reference load: -devices devices every 10 s at QoS 1.
func phaseLoad(ctx context.Context, cfg *config, w io.Writer) error {
	n := cfg.devices
	fmt.Fprintf(w, "\n== load: %d in-process devices publishing every 10 s at QoS 1 (%d msg/s), connecting over 30 s; one subscriber on bench/# at QoS 1 over TCP\n", n, n/10)
	l, err := startLab("")
	if err != nil {
		return err
	}
	defer l.close()
	res, err := l.step(ctx, n, 10*time.Second, 30*time.Second, 1, cfg.window)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, res)
	fmt.Fprintf(w, "sustained rate %.0f msg/s received (%.0f published), lost %d, duplicates %d; RSS %s (limit %s)\n",
		res.received, res.sent, res.lost, res.dups, mib(res.rss), mib(cfg.maxRSS))
	if !res.ok {
		fmt.Fprintf(w, "(the devices or the subscriber fell behind: this process got %.2f cores; %.1f µs of CPU per message would need %.2f)\n",
			res.cpu, res.cpu/res.received*1e6, res.target*res.cpu/res.received)
	}
	switch {
	case res.lost > 0 || res.dups > 0 || res.failed > 0:
		return fmt.Errorf("%d lost, %d duplicates, %d failed at QoS 1", res.lost, res.dups, res.failed)
	case res.rss > cfg.maxRSS:
		return fmt.Errorf("RSS %s above the limit %s", mib(res.rss), mib(cfg.maxRSS))
	}
	return nil
}

// phaseRates raises the rate of -devices devices until it is not
// sustained.
func phaseRates(ctx context.Context, cfg *config, w io.Writer) error {
	n := cfg.devices
	fmt.Fprintf(w, "\n== rates: %d in-process devices publishing ever faster at QoS 1 (window %s each)\n", n, cfg.window/2)
	l, err := startLab("")
	if err != nil {
		return err
	}
	defer l.close()
	best := 0.0
	for _, iv := range cfg.rates {
		res, err := l.step(ctx, n, iv, 5*time.Second, 1, cfg.window/2)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, res)
		if !res.ok {
			break
		}
		best = max(best, res.received)
	}
	fmt.Fprintf(w, "highest rate sustained: %.0f msg/s (QoS 1, one subscriber, %d CPUs)\n", best, numCPU())
	return nil
}

// phaseSizes grows the fleet until it is not sustained or its RSS passes
// four times -max-rss.
func phaseSizes(ctx context.Context, cfg *config, w io.Writer) error {
	fmt.Fprintf(w, "\n== sizes: ever more in-process devices, each publishing every 10 s at QoS 1 (window %s each, RSS budget %s)\n", cfg.window/2, mib(4*cfg.maxRSS))
	l, err := startLab("")
	if err != nil {
		return err
	}
	defer l.close()
	best := 0
	for _, n := range cfg.sizes {
		res, err := l.step(ctx, n, 10*time.Second, 10*time.Second, 1, cfg.window/2)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, res)
		if !res.ok || res.rss > 4*cfg.maxRSS {
			break
		}
		best = n
	}
	fmt.Fprintf(w, "largest fleet sustained: %d devices (%d msg/s)\n", best, best/10)
	return nil
}

// memory returns the Go heap and stacks in use after a collection, and
// the RSS.
func memory() (int64, int64) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse), readRSS()
}

func numCPU() int { return runtime.NumCPU() }
