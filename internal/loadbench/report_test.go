//go:build linux

package main

import (
	"strings"
	"testing"
	"time"
)

func TestTable(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	rs := make(results)
	for _, v := range []struct {
		broker string
		rate   uint64 // delivered in one second
		lost   uint64
	}{{"ours", 300, 0}, {"ours", 100, 0}, {"ours", 200, 1}, {"mosquitto", 100, 0}, {"mosquitto", 100, 0}, {"mosquitto", 100, 0}} {
		rs.add("qos1", v.broker, result{delivered: v.rate, lost: v.lost, elapsed: time.Second, brokerCPU: time.Second, wall: time.Second})
	}
	rs.add("idle", "ours", result{rssPerConn: 9 << 10})
	rs.add("idle", "mosquitto", result{rssPerConn: 1 << 10})
	var b strings.Builder
	if err := writeTable(&b, cfg, rs); err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(strings.Join(strings.Fields(b.String()), " "), " |", "|")
	for _, want := range []string{
		"delivered msg/s| 200| 100| 2.00×| ≥ 1×| yes|", // median rate, ratio, met
		"lost, all rounds| 1| 0|| 0| no|",              // a total, not a median
		"connection| 9.00 KB| 1.00 KB| 9.00×| ≤ 8 KB| no|",
		"after GC| 0.00 KB| —|",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(out, "fan-in") {
		t.Errorf("table shows a scenario that did not run:\n%s", out)
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	for v, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567.4: "1,234,567", -1500: "-1,500"} {
		if got := count(v); got != want {
			t.Errorf("count(%v) = %q, want %q", v, got, want)
		}
	}
}
