//go:build !js

package protocol_test

import (
	"testing"

	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"
	"github.com/mochi-mqtt/server/v2/hooks/auth"

	"github.com/mqttlab/mqttlab/protocol"
)

// matchFilters and matchTopics are the topic matching workload: ten
// filters with '+' and '#' against eight topics, 80 pairs of which 10
// match. No pair exercises a rule the peers do not implement ($ topics
// against leading wildcards, "a/#" matching "a"), so all three count the
// same matches.
var (
	matchFilters = []string{
		"sensors/+/temperature",
		"sensors/#",
		"sensors/building-3/+/+/temperature",
		"+/building-3/#",
		"home/+/+/state",
		"home/kitchen/#",
		"factory/line-1/+/speed",
		"devices/+/status",
		"a/b/c/d/e/f/g",
		"sensors/building-3/floor-2/room-14/humidity",
	}
	matchTopics = []string{
		benchTopic,
		"sensors/k1/temperature",
		"home/kitchen/lamp/state",
		"home/garage/door/state",
		"factory/line-1/m7/speed",
		"devices/d42/status",
		"weather/berlin/wind",
		"a/b/c/d/e/f/h",
	}
)

// countMatches counts the (filter, topic) pairs that match.
func countMatches(match func(filter, topic string) bool) int {
	n := 0
	for _, f := range matchFilters {
		for _, t := range matchTopics {
			if match(f, t) {
				n++
			}
		}
	}
	return n
}

// mochiMatch is mochi's exported matcher (the one its ACL ledger uses).
func mochiMatch(filter, topic string) bool {
	_, ok := auth.MatchTopic(filter, topic)
	return ok
}

// pahoRouter is paho's exported topic matching: a StandardRouter with one
// handler per filter, routing each topic. Its matcher itself is
// unexported. The handlers count the matches.
func pahoRouter(n *int) (*paho.StandardRouter, []*packets.Publish) {
	r := paho.NewStandardRouter()
	for _, f := range matchFilters {
		r.RegisterHandler(f, func(*paho.Publish) { *n++ })
	}
	pubs := make([]*packets.Publish, len(matchTopics))
	for i, t := range matchTopics {
		pubs[i] = &packets.Publish{Topic: t, Properties: &packets.Properties{}}
	}
	return r, pubs
}

const wantMatches = 10

func TestCompareMatchAgrees(t *testing.T) {
	t.Parallel()
	if n := countMatches(protocol.Match); n != wantMatches {
		t.Errorf("mqttlab matched %d pairs, want %d", n, wantMatches)
	}
	if n := countMatches(mochiMatch); n != wantMatches {
		t.Errorf("mochi matched %d pairs, want %d", n, wantMatches)
	}
	var n int
	r, pubs := pahoRouter(&n)
	for _, p := range pubs {
		r.Route(p)
	}
	if n != wantMatches {
		t.Errorf("paho's router matched %d pairs, want %d", n, wantMatches)
	}
}

// BenchmarkTopicMatch matches the ten filters against the eight topics:
// one op is all 80 pairs. mqttlab and mochi call a matcher per pair;
// paho routes each topic through a StandardRouter holding the filters,
// which adds a lock, a Publish conversion and the handler calls.
func BenchmarkTopicMatch(b *testing.B) {
	const name = "10filters-8topics"
	b.Run(name+"/mqttlab", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink += countMatches(protocol.Match)
		}
	})
	b.Run(name+"/paho-router", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		r, pubs := pahoRouter(&n)
		for b.Loop() {
			for _, p := range pubs {
				r.Route(p)
			}
		}
		sink += n
	})
	b.Run(name+"/mochi", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink += countMatches(mochiMatch)
		}
	})
}
