//go:build !js

package client

import (
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// benchClient connects a 5.0 client to br over TCP.
func benchClient(b *testing.B, br *testBroker) *Client {
	b.Helper()
	d, err := Dialer(br.tcp, nil)
	if err != nil {
		b.Fatal(err)
	}
	c, err := New(Config{Dial: d, Connect: protocol.Connect{ClientID: uniqueID(b), CleanStart: true, KeepAlive: 60}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	if _, err := c.Connect(testCtx(b)); err != nil {
		b.Fatal(err)
	}
	return c
}

// benchPublish runs a publishing benchmark against every broker.
func benchPublish(b *testing.B, qos protocol.QoS, parallel bool) {
	for _, br := range brokers(b) {
		b.Run(br.name, func(b *testing.B) { benchPublishTo(b, br, qos, parallel) })
	}
}

func benchPublishTo(b *testing.B, br *testBroker, qos protocol.QoS, parallel bool) {
	c := benchClient(b, br)
	m := &Message{Topic: "bench/" + uniqueID(b), QoS: qos, Payload: make([]byte, 64)}
	ctx := testCtx(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	if parallel {
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			m := *m
			for pb.Next() {
				if err := c.Publish(ctx, &m); err != nil {
					b.Error(err)
					return
				}
			}
		})
	} else {
		for b.Loop() {
			if err := c.Publish(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// Publishing QoS 0 messages of 64 bytes to the broker over TCP.
func BenchmarkPublishQoS0(b *testing.B) { benchPublish(b, 0, false) }

// Publishing QoS 1 messages one at a time: each waits for its PUBACK.
func BenchmarkPublishQoS1(b *testing.B) { benchPublish(b, 1, false) }

// Publishing QoS 1 messages from many goroutines, filling the broker's
// Receive Maximum window.
func BenchmarkPublishQoS1Window(b *testing.B) { benchPublish(b, 1, true) }
