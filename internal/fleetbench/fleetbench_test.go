//go:build linux

package main

import (
	"context"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// TestSmallStep runs the benchmark's step at a small scale: 500 devices
// every 100 ms at QoS 1, counted by the subscriber, none lost.
func TestSmallStep(t *testing.T) {
	l, err := startLab("")
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := l.step(ctx, 500, 100*time.Millisecond, 200*time.Millisecond, 1, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.lost != 0 || res.dups != 0 || res.failed != 0 || res.received == 0 || res.connect <= 0 {
		t.Fatalf("%v", res)
	}
	// A second step on the same lab: the subscriber's sequences restart.
	if res, err = l.step(ctx, 200, 50*time.Millisecond, 0, 1, time.Second); err != nil || res.lost != 0 || res.dups != 0 {
		t.Fatalf("%v, %v", res, err)
	}
}

// TestCounterSequences: the subscriber tells losses and duplicates by
// each device's counter.
func TestCounterSequences(t *testing.T) {
	c := &counter{last: map[int]int64{}}
	for _, m := range []struct{ topic, payload string }{
		{"bench/1", `{"t":1,"n":5}`}, {"bench/1", `{"t":1,"n":6}`}, {"bench/2", `{"n":1}`},
		{"bench/1", `{"n":9}`}, {"bench/1", `{"n":9}`}, {"bench/2", `{"n":2}`},
	} {
		c.count(publishOf(m.topic, m.payload))
	}
	if c.received.Load() != 6 || c.lost.Load() != 2 || c.dups.Load() != 1 {
		t.Fatalf("received %d lost %d dups %d", c.received.Load(), c.lost.Load(), c.dups.Load())
	}
}

func publishOf(topic, payload string) *protocol.Publish {
	return &protocol.Publish{Topic: topic, Payload: []byte(payload)}
}
