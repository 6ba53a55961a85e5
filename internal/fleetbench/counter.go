//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// counter is the benchmark's subscriber: one MQTT 5.0 connection over TCP
// subscribed to a filter, that counts every message and checks
// each device's sequence. It speaks MQTT through the protocol package
// directly and acknowledges in batches, so that it is not the bottleneck.
//
// Topics must end in the device number (bench/{index}) and payloads carry
// the device's counter as "n":N; a device's counter rises by one each
// message, so a jump is a loss and a repeat a duplicate.
type counter struct {
	nc       net.Conn
	received atomic.Uint64
	lost     atomic.Uint64 // gaps in the sequences
	dups     atomic.Uint64
	done     chan struct{}
	err      error

	mu   sync.Mutex
	last map[int]int64 // device → its last counter
}

// startCounter connects to addr and subscribes to filter at qos.
func startCounter(addr, filter string, qos protocol.QoS) (*counter, error) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	c := &counter{nc: nc, done: make(chan struct{}), last: map[int]int64{}}
	r := protocol.NewReader(nc)
	r.Version = protocol.V5
	send := func(p protocol.Packet) error {
		b, err := p.AppendTo(nil)
		if err == nil {
			_, err = nc.Write(b)
		}
		return err
	}
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	cp := &protocol.Connect{Version: protocol.V5, ClientID: "fleetbench-counter", CleanStart: true, KeepAlive: 0}
	cp.Props.ReceiveMaximum = protocol.Some[uint16](65535)
	if err := send(cp); err != nil {
		nc.Close()
		return nil, err
	}
	if p, err := r.ReadPacket(); err != nil || p.(*protocol.Connack).ReasonCode.IsError() {
		nc.Close()
		return nil, fmt.Errorf("counter: CONNACK %v: %v", p, err)
	}
	if err := send(&protocol.Subscribe{Version: protocol.V5, PacketID: 1, Subscriptions: []protocol.Subscription{{Filter: filter, QoS: qos}}}); err != nil {
		nc.Close()
		return nil, err
	}
	if p, err := r.ReadPacket(); err != nil || p.(*protocol.Suback).ReasonCodes[0].IsError() {
		nc.Close()
		return nil, fmt.Errorf("counter: SUBACK %v: %v", p, err)
	}
	nc.SetDeadline(time.Time{})
	go c.read(r)
	return c, nil
}

// read counts messages until the connection closes.
func (c *counter) read(r *protocol.Reader) {
	defer close(c.done)
	var pub protocol.Publish
	var acks []byte
	for {
		h, raw, err := r.Next()
		if err != nil {
			c.err = err
			return
		}
		if h.Type != protocol.PUBLISH {
			continue
		}
		if err := protocol.DecodeInto(&pub, h, raw[len(raw)-h.Remaining:], protocol.V5); err != nil {
			c.err = err
			return
		}
		c.count(&pub)
		if pub.QoS == 1 {
			acks, _ = (&protocol.Puback{Version: protocol.V5, PacketID: pub.PacketID}).AppendTo(acks)
		}
		if len(acks) > 0 && (r.Buffered() == 0 || len(acks) > 16<<10) {
			if _, err := c.nc.Write(acks); err != nil {
				c.err = err
				return
			}
			acks = acks[:0]
		}
	}
}

var nKey = []byte(`"n":`)

// count checks one message's place in its device's sequence.
func (c *counter) count(p *protocol.Publish) {
	c.received.Add(1)
	slash := -1
	for i := len(p.Topic) - 1; i >= 0; i-- {
		if p.Topic[i] == '/' {
			slash = i
			break
		}
	}
	dev, err1 := strconv.Atoi(p.Topic[slash+1:])
	i := bytes.Index(p.Payload, nKey)
	if err1 != nil || i < 0 {
		return
	}
	j := i + len(nKey)
	k := j
	for k < len(p.Payload) && p.Payload[k] >= '0' && p.Payload[k] <= '9' {
		k++
	}
	n, err := strconv.ParseInt(string(p.Payload[j:k]), 10, 64)
	if err != nil {
		return
	}
	c.mu.Lock()
	prev, seen := c.last[dev]
	switch {
	case !seen || n == prev+1:
		c.last[dev] = n
	case n <= prev:
		c.dups.Add(1)
	default:
		c.lost.Add(uint64(n - prev - 1))
		c.last[dev] = n
	}
	c.mu.Unlock()
}

// reset forgets the sequences, for a new scenario whose counters restart.
func (c *counter) reset() {
	c.mu.Lock()
	clear(c.last)
	c.mu.Unlock()
}

// waitFor waits until n messages were received or none came for quiet.
func (c *counter) waitFor(ctx context.Context, n uint64, quiet time.Duration) uint64 {
	last, lastAt := c.received.Load(), time.Now()
	for {
		got := c.received.Load()
		if got >= n || ctx.Err() != nil {
			return got
		}
		if got != last {
			last, lastAt = got, time.Now()
		} else if time.Since(lastAt) > quiet {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (c *counter) close() {
	c.nc.Close()
	<-c.done
}
