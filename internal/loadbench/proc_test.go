//go:build linux

package main

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	t.Parallel()
	tick := time.Second / time.Duration(clockTicks())
	tests := []struct {
		name string
		stat string
		want time.Duration
		bad  bool
	}{
		{name: "plain", stat: "42 (mosquitto) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 100 1000 200",
			want: 300 * tick},
		{name: "name with spaces and parentheses", stat: "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 1 1",
			want: 7 * tick},
		{name: "truncated", stat: "7 (x) R 1 7", bad: true},
		{name: "no name", stat: "7 x R", bad: true},
	}
	for _, tc := range tests {
		got, err := parseStatCPU([]byte(tc.stat))
		if tc.bad {
			if err == nil {
				t.Errorf("%s: no error", tc.name)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

func TestParseVmRSS(t *testing.T) {
	t.Parallel()
	got, err := parseVmRSS([]byte("Name:\tmosquitto\nVmPeak:\t  9000 kB\nVmRSS:\t    5584 kB\nThreads:\t1\n"))
	if err != nil || got != 5584*1024 {
		t.Errorf("parseVmRSS = %d, %v", got, err)
	}
	if _, err := parseVmRSS([]byte("Name:\tx\n")); err == nil {
		t.Error("no VmRSS line: want an error")
	}
}

func TestClockTicks(t *testing.T) {
	t.Parallel()
	if n := clockTicks(); n <= 0 || n > 10000 {
		t.Errorf("clock ticks %d", n)
	}
}

// TestBrokerProcesses starts each broker as the benchmark does, runs a
// short fan-in and idle run against it, and checks that the process was
// measured and stopped.
func TestBrokerProcesses(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.idleConns = 200
	tests := []struct {
		name  string
		start func() (*brokerProc, error)
	}{
		{"ours", func() (*brokerProc, error) { return startOurs(cfg.limits, "") }},
		{"mosquitto", func() (*brokerProc, error) { return startMosquitto(mosquittoPath(t), cfg.limits) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := tc.start()
			if err != nil {
				t.Fatal(err)
			}
			stopped := false
			t.Cleanup(func() {
				if !stopped {
					p.stop()
				}
			})
			tgt := target{addr: p.addr, proc: p}
			if tc.name == "ours" {
				tgt.stats = p.goStats
			}
			r, err := runFanIn(context.Background(), cfg, tgt)
			if err != nil {
				t.Fatal(err)
			}
			if r.published == 0 || r.delivered+r.lost != r.expected || r.dups != 0 || r.foreign != 0 {
				t.Errorf("counts: published %d expected %d delivered %d lost %d dups %d misrouted %d",
					r.published, r.expected, r.delivered, r.lost, r.dups, r.foreign)
			}
			if r.brokerCPU <= 0 {
				t.Errorf("broker CPU %v after delivering %d messages", r.brokerCPU, r.delivered)
			}
			if tc.name == "ours" && (r.ours == nil || r.ours.Received != r.published) {
				t.Errorf("our broker's counters %+v, published %d", r.ours, r.published)
			}
			ri, err := runIdle(context.Background(), cfg, tgt)
			if err != nil {
				t.Fatal(err)
			}
			if ri.conns != cfg.idleConns {
				t.Errorf("%d idle connections, want %d", ri.conns, cfg.idleConns)
			}
			stopped = true
			if err := p.stop(); err != nil {
				t.Error(err)
			}
			if p.cmd.ProcessState == nil {
				t.Errorf("%s (pid %d) not reaped after stop", tc.name, p.pid())
			}
		})
	}
}

func mosquittoPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/mosquitto", "mosquitto"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("mosquitto is not installed (apt-get install mosquitto)")
	return ""
}

func TestMosquittoConfig(t *testing.T) {
	t.Parallel()
	c := mosquittoConfig(1884, limits{queued: 777, inflight: 55})
	for _, want := range []string{"listener 1884 127.0.0.1\n", "allow_anonymous true\n", "persistence false\n",
		"max_queued_messages 777\n", "max_inflight_messages 55\n"} {
		if !strings.Contains(c, want) {
			t.Errorf("config lacks %q:\n%s", want, c)
		}
	}
}
