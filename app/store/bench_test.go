package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"
)

// BenchmarkTopicTreeAdd is the cost of one message on the topics page's
// observer goroutine: the page takes what a broker sends at this pace.
func BenchmarkTopicTreeAdd(b *testing.B) {
	tr := NewTopicTree(2000)
	topics := make([]string, 1000)
	for i := range topics {
		topics[i] = fmt.Sprintf("site/%d/room/%d/temp", i%10, i)
	}
	payload := []byte(`{"t":21.5,"h":40}`)
	at := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tr.Add(topics[i%len(topics)], payload, false, at)
	}
}

// BenchmarkTopicTreeView is the cost of laying out a full tree (2000
// levels, 400 rows drawn) with a filter, done at most 5 times a second.
func BenchmarkTopicTreeView(b *testing.B) {
	tr := NewTopicTree(2000)
	at := time.Now()
	for i := range 2000 {
		tr.Add(fmt.Sprintf("site/%d/room/%d/temp", i%10, i), []byte("1"), false, at)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr.View(TreeQuery{Filter: "site/+/room/+/temp", Limit: 400})
	}
}

// BenchmarkTopicTreeSearch is the cost of laying out a full tree narrowed
// by a search, done on every key the user types.
func BenchmarkTopicTreeSearch(b *testing.B) {
	tr := NewTopicTree(2000)
	at := time.Now()
	for i := range 2000 {
		tr.Add(fmt.Sprintf("site/%d/room/%d/temp", i%10, i), []byte(`{"t":21.5,"h":40}`), false, at)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr.View(TreeQuery{Search: "room/1", Limit: 400})
	}
}

// BenchmarkBrokerStateSessions is the cost of the broker page's biggest
// message: the session list with its 500 sessions, once a second.
func BenchmarkBrokerStateSessions(b *testing.B) {
	var list []sessionJSON
	for i := range 500 {
		list = append(list, sessionJSON{Client: fmt.Sprintf("device-%d", i), Online: i%2 == 0, Version: "5.0",
			Subscriptions: []string{"cmd/device/" + fmt.Sprint(i), "broadcast/#"}, Expiry: 3600, Since: 1,
			Remote: "127.0.0.1:40000", KeepAlive: 60})
	}
	s := NewBrokerState()
	// Each list a millisecond newer than the last, without paying for its
	// encoding in the loop.
	body, err := json.Marshal(sessionsJSON{TS: 1, List: list})
	if err != nil {
		b.Fatal(err)
	}
	body = body[len(`{"ts":1`):]
	payload := make([]byte, 0, len(body)+32)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		payload = append(strconv.AppendInt(append(payload[:0], `{"ts":`...), int64(1000+i), 10), body...)
		if err := s.Apply(TopicLabSessions, payload); err != nil {
			b.Fatal(err)
		}
	}
}
