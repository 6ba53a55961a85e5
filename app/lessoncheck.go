package app

import (
	"bytes"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// The self-checks read the packets the lesson's clients really sent and
// received, oldest first, as their taps logged them: a packet out of a
// client is logged before it is written, so a packet another client
// receives because of it always comes later in the log.

// publishOf returns p's PUBLISH if client name sent (dir Out) or received
// (dir In) it.
func publishOf(p *store.Packet, name string, dir client.Direction) (*protocol.Publish, bool) {
	if p.Client != name || p.Dir != dir {
		return nil, false
	}
	pub, ok := p.Packet.(*protocol.Publish)
	return pub, ok
}

// lessonDelivered finds, from index start of ps on, a PUBLISH that client
// from sent and match accepts, and a later PUBLISH client to received with
// the same topic and payload. It returns the receipt's index, -1 if there
// is none.
func lessonDelivered(ps []store.Packet, start int, from, to string, match func(*protocol.Publish) bool) int {
	for i := max(start, 0); i < len(ps); i++ {
		out, ok := publishOf(&ps[i], from, client.Out)
		if !ok || !match(out) {
			continue
		}
		if j := lessonReceived(ps, i+1, to, out); j >= 0 {
			return j
		}
	}
	return -1
}

// lessonReceived finds, from index start on, the first PUBLISH client to
// received with out's topic and payload; -1 if there is none.
func lessonReceived(ps []store.Packet, start int, to string, out *protocol.Publish) int {
	for j := max(start, 0); j < len(ps); j++ {
		if in, ok := publishOf(&ps[j], to, client.In); ok && in.Topic == out.Topic && bytes.Equal(in.Payload, out.Payload) {
			return j
		}
	}
	return -1
}

// topicIs matches a PUBLISH on topic.
func topicIs(topic string) func(*protocol.Publish) bool {
	return func(p *protocol.Publish) bool { return p.Topic == topic }
}
