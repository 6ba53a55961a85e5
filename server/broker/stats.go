package broker

import (
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// counters are the broker's statistics, updated without locks.
type counters struct {
	received       atomic.Uint64 // PUBLISH packets received
	sent           atomic.Uint64 // PUBLISH packets sent
	bytesReceived  atomic.Uint64
	bytesSent      atomic.Uint64
	dropped        atomic.Uint64 // messages not delivered to a subscriber (see delivery)
	connects       atomic.Uint64
	refused        atomic.Uint64 // connections refused or closed before CONNACK
	protocolErrors atomic.Uint64
	wills          atomic.Uint64
	throttled      atomic.Uint64 // publishes delayed by the rate limit
	inflight       atomic.Int64
}

// Stats is a snapshot of the broker's statistics.
type Stats struct {
	Uptime           time.Duration
	ClientsConnected int
	Sessions         int // clients total: connected and offline persistent sessions
	Subscriptions    int
	Retained         int
	MessagesReceived uint64
	MessagesSent     uint64
	MessagesDropped  uint64
	Inflight         int64
	BytesReceived    uint64
	BytesSent        uint64
	Connects         uint64
	Refused          uint64
	ProtocolErrors   uint64
	WillsPublished   uint64
}

// Stats returns the broker's statistics.
func (b *Broker) Stats() Stats {
	b.mu.Lock()
	sessions := len(b.sessions)
	b.mu.Unlock()
	return Stats{
		Uptime:           time.Since(b.started),
		ClientsConnected: int(b.connected.Load()),
		Sessions:         sessions,
		Subscriptions:    b.tree.size(),
		Retained:         b.retained.size(),
		MessagesReceived: b.stats.received.Load(),
		MessagesSent:     b.stats.sent.Load(),
		MessagesDropped:  b.stats.dropped.Load(),
		Inflight:         b.stats.inflight.Load(),
		BytesReceived:    b.stats.bytesReceived.Load(),
		BytesSent:        b.stats.bytesSent.Load(),
		Connects:         b.stats.connects.Load(),
		Refused:          b.stats.refused.Load(),
		ProtocolErrors:   b.stats.protocolErrors.Load(),
		WillsPublished:   b.stats.wills.Load(),
	}
}

// sysState remembers what $SYS last said, to publish only changes, and the
// load averages.
type sysState struct {
	last    map[string]string
	prev    Stats
	prevAt  time.Time
	loads   map[string]*[3]float64 // per rate: 1, 5 and 15 minute averages
	maxConn int
}

var loadWindows = [3]struct {
	name string
	span time.Duration
}{{"1min", time.Minute}, {"5min", 5 * time.Minute}, {"15min", 15 * time.Minute}}

// publishSys publishes the statistics under mosquitto's $SYS names, as
// retained messages, each only when its value changed.
func (b *Broker) publishSys(now time.Time) {
	st := &b.sys
	s := b.Stats()
	if st.last == nil {
		st.last = make(map[string]string)
		st.loads = make(map[string]*[3]float64)
		st.prev, st.prevAt = s, now
	}
	st.maxConn = max(st.maxConn, s.ClientsConnected)
	u := func(x uint64) string { return strconv.FormatUint(x, 10) }
	i := func(x int) string { return strconv.Itoa(x) }
	values := map[string]string{
		"$SYS/broker/version":                   b.opts.Version,
		"$SYS/broker/uptime":                    strconv.FormatInt(int64(s.Uptime/time.Second), 10) + " seconds",
		"$SYS/broker/clients/connected":         i(s.ClientsConnected),
		"$SYS/broker/clients/active":            i(s.ClientsConnected),
		"$SYS/broker/clients/disconnected":      i(s.Sessions - s.ClientsConnected),
		"$SYS/broker/clients/inactive":          i(s.Sessions - s.ClientsConnected),
		"$SYS/broker/clients/total":             i(s.Sessions),
		"$SYS/broker/clients/maximum":           i(st.maxConn),
		"$SYS/broker/messages/received":         u(s.MessagesReceived),
		"$SYS/broker/messages/sent":             u(s.MessagesSent),
		"$SYS/broker/messages/inflight":         strconv.FormatInt(s.Inflight, 10),
		"$SYS/broker/publish/messages/received": u(s.MessagesReceived),
		"$SYS/broker/publish/messages/sent":     u(s.MessagesSent),
		"$SYS/broker/publish/messages/dropped":  u(s.MessagesDropped),
		"$SYS/broker/bytes/received":            u(s.BytesReceived),
		"$SYS/broker/bytes/sent":                u(s.BytesSent),
		"$SYS/broker/subscriptions/count":       i(s.Subscriptions),
		"$SYS/broker/retained messages/count":   i(s.Retained),
		"$SYS/broker/store/messages/count":      i(s.Retained),
		"$SYS/broker/connections/socket/count":  i(s.ClientsConnected),
		"$SYS/broker/protocol errors":           u(s.ProtocolErrors),
		"$SYS/broker/will messages/published":   u(s.WillsPublished),
	}
	if dt := now.Sub(st.prevAt); dt > 0 {
		perMin := func(cur, prev uint64) float64 { return float64(cur-prev) / dt.Minutes() }
		rates := map[string]float64{
			"messages/received": perMin(s.MessagesReceived, st.prev.MessagesReceived),
			"messages/sent":     perMin(s.MessagesSent, st.prev.MessagesSent),
			"publish/dropped":   perMin(s.MessagesDropped, st.prev.MessagesDropped),
			"bytes/received":    perMin(s.BytesReceived, st.prev.BytesReceived),
			"bytes/sent":        perMin(s.BytesSent, st.prev.BytesSent),
			"connections":       perMin(s.Connects, st.prev.Connects),
			"publish/received":  perMin(s.MessagesReceived, st.prev.MessagesReceived),
			"publish/sent":      perMin(s.MessagesSent, st.prev.MessagesSent),
		}
		for name, rate := range rates {
			avg := st.loads[name]
			if avg == nil {
				avg = &[3]float64{rate, rate, rate}
				st.loads[name] = avg
			}
			for k, w := range loadWindows {
				alpha := math.Exp(-dt.Seconds() / w.span.Seconds())
				avg[k] = avg[k]*alpha + rate*(1-alpha)
				values["$SYS/broker/load/"+name+"/"+w.name] = strconv.FormatFloat(avg[k], 'f', 2, 64)
			}
		}
		st.prev, st.prevAt = s, now
	}
	for topic, v := range values {
		if st.last[topic] == v {
			continue
		}
		st.last[topic] = v
		m := message{topic: topic, payload: []byte(v), qos: protocol.QoS0, retain: true}
		b.publishInternal(&m)
	}
}
