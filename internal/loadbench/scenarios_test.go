//go:build linux

package main

import (
	"context"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/server/broker"
)

// TestMain lets the test binary play our broker process: startOurs
// re-executes the running program with childCommand.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == childCommand {
		os.Exit(runChild(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// testConfig is a small load: each scenario publishes for one second.
func testConfig() *config {
	cfg := &config{
		rounds: 1, duration: time.Second, drain: 5 * time.Second, payload: 64, batch: 16,
		faninPubs: 3, fanoutSubs: 5, pairs: 4, window: 8,
		latencyRate: 300, latencyDuration: time.Second,
		idleConns: 50, idleSettle: 10 * time.Millisecond, workers: 4, srcAddrs: 1,
		limits: limits{outBuffer: 1 << 20, queued: 1000, inflight: 100}, pubSndBuf: 64 << 10,
	}
	return cfg
}

// startInProcess starts our broker in this process on 127.0.0.1:0. Its
// session queues are deep enough that it drops no QoS 1 message in these
// short runs: a drop there is the broker's policy, not a counting error.
func startInProcess(t *testing.T, o broker.Options) target {
	t.Helper()
	o.SysInterval = -1
	if o.MaxQueued == 0 {
		o.MaxQueued = 1 << 20
	}
	b, err := broker.New(o)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- b.Listen(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := b.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("listen: %v", err)
		}
	})
	return target{addr: l.Addr().String(), stats: func(gc bool) (childStats, error) { return statsOf(b, gc), nil }}
}

func scenarioByKey(t *testing.T, key string) scenario {
	t.Helper()
	for _, sc := range allScenarios {
		if sc.key == key {
			return sc
		}
	}
	t.Fatalf("no scenario %q", key)
	return scenario{}
}

// checkCounts checks a flow's counting against itself and against the
// broker's own counters.
func checkCounts(t *testing.T, r result, perPublish uint64) {
	t.Helper()
	if r.published == 0 || r.delivered == 0 {
		t.Fatalf("nothing flowed: published %d delivered %d", r.published, r.delivered)
	}
	if r.expected != r.published*perPublish {
		t.Errorf("expected %d deliveries, want published %d × %d", r.expected, r.published, perPublish)
	}
	if r.delivered+r.lost != r.expected {
		t.Errorf("delivered %d + lost %d != expected %d", r.delivered, r.lost, r.expected)
	}
	if r.dups != 0 || r.foreign != 0 {
		t.Errorf("duplicates %d, misrouted %d: want none", r.dups, r.foreign)
	}
	if r.elapsed <= 0 {
		t.Errorf("elapsed %v", r.elapsed)
	}
	o := r.ours
	if o == nil {
		t.Fatal("no broker counters")
	}
	if o.Received != r.published {
		t.Errorf("broker received %d PUBLISH, publishers counted %d", o.Received, r.published)
	}
	if o.Sent != r.delivered {
		t.Errorf("broker sent %d PUBLISH, subscribers counted %d", o.Sent, r.delivered)
	}
	if o.Dropped != r.lost {
		t.Errorf("broker dropped %d, the benchmark counted %d lost", o.Dropped, r.lost)
	}
}

func TestScenariosInProcess(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	tests := []struct {
		key   string
		check func(t *testing.T, r result)
	}{
		{"fanin", func(t *testing.T, r result) { checkCounts(t, r, 1) }},
		{"fanout", func(t *testing.T, r result) { checkCounts(t, r, uint64(cfg.fanoutSubs)) }},
		{"qos1", func(t *testing.T, r result) {
			checkCounts(t, r, 1)
			if r.lost != 0 {
				t.Errorf("%d QoS 1 messages lost", r.lost)
			}
		}},
		{"latency", func(t *testing.T, r result) {
			checkCounts(t, r, 1)
			if r.p50 <= 0 || r.p99 < r.p50 {
				t.Errorf("latency p50 %v p99 %v", r.p50, r.p99)
			}
		}},
		{"idle", func(t *testing.T, r result) {
			if r.conns != cfg.idleConns {
				t.Errorf("%d idle connections, want %d", r.conns, cfg.idleConns)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			r, err := scenarioByKey(t, tc.key).run(context.Background(), cfg, startInProcess(t, broker.Options{}))
			if err != nil {
				t.Fatal(err)
			}
			t.Log(runLine(tc.key, r))
			tc.check(t, r)
		})
	}
}

// TestQoS0DropsCounted makes our broker drop: a subscriber buffer of
// 1 KB against publishers at full speed. Whatever it drops must show up
// as lost, message for message.
func TestQoS0DropsCounted(t *testing.T) {
	t.Parallel()
	tgt := startInProcess(t, broker.Options{MaxOutBuffer: 1024})
	cfg := testConfig()
	cfg.fanoutSubs = 20
	r, err := runFanOut(context.Background(), cfg, tgt)
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, r, uint64(cfg.fanoutSubs))
	t.Logf("published %d, delivered %d, lost %d", r.published, r.delivered, r.lost)
}

func TestRunFlowNoBroker(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = runFanIn(context.Background(), testConfig(), target{addr: addr})
	if err == nil || !strings.Contains(err.Error(), "lb-sub-0") {
		t.Errorf("error %v, want one naming the client that could not connect", err)
	}
}

// TestNoGoroutineLeft runs a flow and checks that every goroutine it
// started has ended once the broker is gone.
func TestNoGoroutineLeft(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Run("run", func(t *testing.T) {
		cfg := testConfig()
		cfg.duration = 200 * time.Millisecond
		if _, err := runPairs(context.Background(), cfg, startInProcess(t, broker.Options{})); err != nil {
			t.Fatal(err)
		}
	})
	n := 0
	for range 500 {
		if n = runtime.NumGoroutine(); n <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<20)
	t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
}
