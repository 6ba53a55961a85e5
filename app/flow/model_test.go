package flow

import (
	"fmt"
	"math"
	"testing"
	"time"
)

const L = 100 * time.Millisecond // the leg of the tests' models

func newModel(t *testing.T, cfg Config) *Model {
	t.Helper()
	cfg.Leg = L
	return New(cfg)
}

// snapshot applies a sessions snapshot listing the sessions.
func snapshot(m *Model, at time.Duration, list ...Session) {
	m.Apply(&Sessions{List: list, Sessions: len(list)}, at)
}

func sub(id string, online bool, expiry int64, queued int, filters ...string) Session {
	return Session{Client: id, Online: online, Expiry: expiry, Queued: queued, Subscriptions: filters}
}

func nodeOf(t *testing.T, nodes []Node, id string) Node {
	t.Helper()
	for _, n := range nodes {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("no node %q among %v", id, nodeIDs(nodes))
	return Node{}
}

func nodeIDs(nodes []Node) []string {
	var ids []string
	for _, n := range nodes {
		ids = append(ids, n.ID)
	}
	return ids
}

func dotsTo(s *Scene, id string) []Dot {
	var out []Dot
	for _, d := range s.Dots {
		if d.To == id {
			out = append(out, d)
		}
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func TestRouteDotsGoToTheSubscribersThatReceive(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	snapshot(m, 0, sub("a", true, 0, 0, "room/#"), sub("b", true, 0, 0, "hall/#"), sub("observer", true, 0, 0, "$SYS/lab/route"))
	m.Apply(&Route{From: "sensor", Topic: "room/1", QoS: 1, Delivered: []Target{{Client: "a", QoS: 1}}, Sampled: 1}, 0)

	s := m.Scene(L / 2)
	if got := nodeIDs(s.Subscribers); len(got) != 2 {
		t.Fatalf("subscribers %v, want a and b (the observer's $SYS subscription is not drawn)", got)
	}
	pub := nodeOf(t, s.Publishers, "sensor")
	if len(s.Dots) != 1 || s.Dots[0].Kind != DotPublish {
		t.Fatalf("half a leg in: dots %+v, want one publish dot", s.Dots)
	}
	d := s.Dots[0]
	wantY := pub.Box.Y + pub.Box.H/2
	if !near(d.Pos.Y, wantY) || !near(d.Pos.X, (pubRight+brokerLeft)/2) {
		t.Errorf("publish dot at %+v, want halfway from the publisher to the broker at y %v", d.Pos, wantY)
	}
	if pub.Sent != 1 || pub.LastTopic != "room/1" {
		t.Errorf("publisher node %+v: want 1 sent on room/1", pub)
	}

	s = m.Scene(2*L + L/2)
	a, b := nodeOf(t, s.Subscribers, "a"), nodeOf(t, s.Subscribers, "b")
	if got := dotsTo(s, "a"); len(got) != 1 || got[0].Kind != DotDeliver {
		t.Fatalf("2.5 legs in: dots to a %+v, want one delivery", got)
	}
	if got := dotsTo(s, "b"); len(got) != 0 {
		t.Errorf("dots to b %+v: b did not receive the message", got)
	}
	d = dotsTo(s, "a")[0]
	if ay := a.Box.Y + a.Box.H/2; !near(d.Pos.Y, ay) || d.Pos.X <= brokerRight || d.Pos.X >= subLeft {
		t.Errorf("delivery dot at %+v, want between the broker and a, on a's row (y %v)", d.Pos, ay)
	}
	if a.Received != 0 {
		t.Errorf("a counts %d received before the dot arrives", a.Received)
	}

	s = m.Scene(3 * L)
	if a, b = nodeOf(t, s.Subscribers, "a"), nodeOf(t, s.Subscribers, "b"); a.Received != 1 || b.Received != 0 {
		t.Errorf("after the trip: a received %d, b %d; want 1 and 0", a.Received, b.Received)
	}
	if len(s.Dots) != 0 || m.Busy(3*L) {
		t.Errorf("after the trip: dots %+v, busy %v; want none", s.Dots, m.Busy(3*L))
	}
}

func TestFanOutOneDotPerTarget(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	snapshot(m, 0, sub("a", true, 0, 0, "#"), sub("b", true, 0, 0, "#"), sub("c", true, 0, 0, "#"))
	m.Apply(&Route{From: "p", Topic: "x", Delivered: []Target{{Client: "a"}, {Client: "b"}, {Client: "c"}}, Sampled: 1}, 0)
	s := m.Scene(L + L/2)
	if len(s.Dots) != 3 {
		t.Fatalf("across the broker: %d dots, want 3 (one per subscriber)", len(s.Dots))
	}
	seen := map[string]bool{}
	for _, d := range s.Dots {
		seen[d.To] = true
		if d.Seq != s.Dots[0].Seq {
			t.Errorf("dots of one message have different Seq: %+v", s.Dots)
		}
	}
	if len(seen) != 3 {
		t.Errorf("dots go to %v, want a, b and c", seen)
	}
}

func TestQueuePilesUpWhileOfflineAndDrainsWhenBack(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	snapshot(m, 0, sub("keeper", false, 300, 0, "jobs/#"))
	for i := range 3 {
		m.Apply(&Route{From: "p", Topic: "jobs/1", QoS: 1, Queued: []string{"keeper"}, Sampled: 1}, time.Duration(i)*10*time.Millisecond)
	}
	s := m.Scene(L + L/2)
	if got := dotsTo(s, "keeper"); len(got) != 3 || got[0].Kind != DotQueue {
		t.Fatalf("dots to keeper %+v, want 3 heading for its queue", got)
	}
	for _, d := range dotsTo(s, "keeper") {
		if d.Pos.X > brokerRight {
			t.Errorf("queued dot at %+v left the broker", d.Pos)
		}
	}
	s = m.Scene(3 * L)
	k := nodeOf(t, s.Subscribers, "keeper")
	if k.Queue != 3 || k.Online || !k.Persistent || k.Received != 0 {
		t.Fatalf("keeper %+v: want offline, persistent, 3 queued, none received", k)
	}
	if len(s.Dots) != 0 {
		t.Errorf("queued messages still drawn as dots: %+v", s.Dots)
	}

	// A snapshot that counts more than the model saw (sampling, or events
	// before the page opened) wins.
	snapshot(m, 3*L, sub("keeper", false, 300, 5, "jobs/#"))
	if k = nodeOf(t, m.Scene(3*L).Subscribers, "keeper"); k.Queue != 5 {
		t.Fatalf("queue %d after a snapshot of 5", k.Queue)
	}

	// Back online: the broker sends the queue; the next snapshot says so.
	m.Apply(&ClientEvent{Event: "connected", Client: "keeper", SessionPresent: true}, 4*L)
	snapshot(m, 4*L, sub("keeper", true, 300, 0, "jobs/#"))
	s = m.Scene(4*L + L/2)
	k = nodeOf(t, s.Subscribers, "keeper")
	if k.Queue != 0 || !k.Online {
		t.Fatalf("keeper %+v after reconnecting: want online with an empty queue", k)
	}
	drains := dotsTo(s, "keeper")
	if len(drains) == 0 || drains[0].Kind != DotDrain {
		t.Fatalf("dots %+v, want the queue draining towards keeper", s.Dots)
	}
	if drains[0].Pos.X < brokerRight-8-queueSlot || drains[0].Pos.X > subLeft {
		t.Errorf("drain dot at %+v, want between the queue and the subscriber", drains[0].Pos)
	}
	s = m.Scene(10 * L)
	if k = nodeOf(t, s.Subscribers, "keeper"); k.Received != 5 {
		t.Errorf("keeper received %d after the drain, want 5", k.Received)
	}
}

func TestQueueKeepsMessagesOnTheirWay(t *testing.T) {
	t.Parallel()
	// A snapshot taken while queued dots are still crossing the broker
	// must not count them twice.
	m := newModel(t, Config{})
	snapshot(m, 0, sub("k", false, 60, 0, "#"))
	m.Apply(&Route{From: "p", Topic: "t", QoS: 1, Queued: []string{"k"}, Sampled: 1}, 0)
	snapshot(m, L/2, sub("k", false, 60, 1, "#"))
	if k := nodeOf(t, m.Scene(5*L).Subscribers, "k"); k.Queue != 1 {
		t.Errorf("queue %d, want 1", k.Queue)
	}
}

func TestSharedSubscriptionMembersTakeTurns(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	for _, w := range []string{"w1", "w2"} {
		m.Apply(&SubscriptionEvent{Event: "added", Client: w, Filter: "$share/workers/jobs/#", QoS: 1}, 0)
	}
	at := time.Duration(0)
	for i := range 4 {
		w := []string{"w1", "w2"}[i%2]
		m.Apply(&Route{From: "p", Topic: "jobs/x", QoS: 1, Delivered: []Target{{Client: w, QoS: 1, Shared: true}}, Sampled: 1}, at)
		s := m.Scene(at + 2*L + L/2)
		if got, other := dotsTo(s, w), dotsTo(s, []string{"w2", "w1"}[i%2]); len(got) != 1 || len(other) != 0 {
			t.Fatalf("message %d: dots %+v, want one to %s and none to the other member", i, s.Dots, w)
		}
		at += 4 * L
	}
	s := m.Scene(at)
	for _, w := range []string{"w1", "w2"} {
		n := nodeOf(t, s.Subscribers, w)
		if n.Received != 2 || len(n.Shared) != 1 || n.Shared[0] != "workers" {
			t.Errorf("%s: %+v, want 2 received in shared group workers", w, n)
		}
	}
}

func TestDropsSayWhy(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	snapshot(m, 0, sub("gone", false, 300, 0, "#"), sub("slow", true, 0, 0, "#"))
	m.Apply(&Route{From: "p", Topic: "t", Dropped: []Drop{
		{Client: "gone", Reason: "offline (QoS 0 is not queued)"},
		{Client: "slow", Reason: "connection buffer full (slow consumer)"},
	}, Sampled: 1}, 0)
	s := m.Scene(2*L + L/4)
	for _, id := range []string{"gone", "slow"} {
		d := dotsTo(s, id)
		if len(d) != 1 || d[0].Kind != DotDrop || d[0].Opacity >= 1 || d[0].Pos.X > (brokerRight+subLeft)/2 {
			t.Fatalf("dots to %s: %+v, want one fading drop dot short of the subscriber", id, d)
		}
	}
	s = m.Scene(3 * L)
	if len(s.Notes) != 2 {
		t.Fatalf("notes %+v, want one per dropped subscriber", s.Notes)
	}
	for _, n := range s.Notes {
		sn := nodeOf(t, s.Subscribers, n.Client)
		if n.Kind != NoteDrop || n.Count != 1 || n.Reason == "" || !near(n.Y, sn.Box.Y+sn.Box.H/2-8) {
			t.Errorf("note %+v: want a drop note with the reason on %s's row", n, n.Client)
		}
		if sn.Dropped != 1 || sn.Received != 0 {
			t.Errorf("%s: %+v, want 1 dropped, 0 received", n.Client, sn)
		}
	}
	// Notes fade and go.
	if s = m.Scene(3*L + m.cfg.NoteTTL); len(s.Notes) != 0 {
		t.Errorf("notes %+v after their time", s.Notes)
	}
}

func TestRefusedPublish(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	m.Apply(&Route{From: "intruder", Topic: "secret", Refused: "not authorized to publish", Sampled: 1}, 0)
	s := m.Scene(L / 2)
	if len(s.Dots) != 1 || s.Dots[0].Kind != DotRefused {
		t.Fatalf("dots %+v, want one refused publish", s.Dots)
	}
	s = m.Scene(L)
	if len(s.Dots) != 0 || len(s.Notes) != 1 || s.Notes[0].Kind != NoteRefused || s.Notes[0].Reason != "not authorized to publish" {
		t.Errorf("at the broker: dots %+v notes %+v, want the refusal noted", s.Dots, s.Notes)
	}
}

func TestUnroutedMessageStopsInTheBroker(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	m.Apply(&Route{From: "p", Topic: "nobody/listens", Delivered: []Target{}, Sampled: 1}, 0)
	s := m.Scene(L + L/4)
	if len(s.Dots) != 1 || s.Dots[0].Kind != DotUnrouted || s.Dots[0].Pos.X < brokerLeft {
		t.Fatalf("dots %+v, want one unrouted dot inside the broker", s.Dots)
	}
	if s = m.Scene(2 * L); len(s.Dots) != 0 {
		t.Errorf("dots %+v, want none", s.Dots)
	}
}

func TestRetainedMessagesSitOnTheirTopic(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	m.Apply(&Route{From: "door", Topic: "status/door", Retain: true, Size: 6, Delivered: []Target{}, Sampled: 1}, 0)
	s := m.Scene(L + L/2)
	if len(s.Dots) != 1 || s.Dots[0].Kind != DotRetain {
		t.Fatalf("dots %+v, want one on its way to the retained shelf", s.Dots)
	}
	s = m.Scene(2 * L)
	if len(s.Retained) != 1 || s.Retained[0].Topic != "status/door" || s.Retained[0].Size != 6 {
		t.Fatalf("retained %+v, want status/door", s.Retained)
	}
	shelf := s.Retained[0].Pos
	if shelf.X < brokerLeft || shelf.X > brokerRight || shelf.Y < s.Broker.Y || shelf.Y > s.Broker.Y+s.Broker.H {
		t.Errorf("shelf at %+v is outside the broker %+v", shelf, s.Broker)
	}

	// A new subscriber gets it from the shelf.
	m.Apply(&SubscriptionEvent{Event: "added", Client: "late", Filter: "status/#"}, 2*L)
	m.Apply(&Route{From: "door", Topic: "status/door", Retain: true, Size: 6, Replay: true,
		Delivered: []Target{{Client: "late"}}, Sampled: 1}, 2*L)
	s = m.Scene(2 * L)
	if d := dotsTo(s, "late"); len(d) != 1 || d[0].Kind != DotReplay || !near(d[0].Pos.X, shelf.X) || !near(d[0].Pos.Y, shelf.Y) {
		t.Fatalf("dots to late %+v, want a replay leaving the shelf at %+v", d, shelf)
	}
	if nodeOf(t, s.Publishers, "door").Sent != 1 {
		t.Error("a replay counted as a new publish")
	}

	m.Apply(&RetainedEvent{Event: "deleted", Topic: "status/door"}, 5*L)
	if s = m.Scene(5 * L); len(s.Retained) != 0 {
		t.Errorf("retained %+v after deletion", s.Retained)
	}
}

func TestSessionEndsAndLeaves(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	snapshot(m, 0, sub("k", false, 60, 4, "#"))
	m.Apply(&ClientEvent{Event: "session-ended", Client: "k", Reason: "session expired", Lost: 4}, L)
	s := m.Scene(L)
	k := nodeOf(t, s.Subscribers, "k")
	if !k.Ended || k.Queue != 0 {
		t.Errorf("k %+v: want ended with an empty queue", k)
	}
	if len(s.Notes) != 1 || s.Notes[0].Kind != NoteLost || s.Notes[0].Count != 4 {
		t.Errorf("notes %+v, want 4 messages lost", s.Notes)
	}
	if s = m.Scene(L + m.cfg.Linger); len(s.Subscribers) != 0 {
		t.Errorf("subscribers %v after the linger time", nodeIDs(s.Subscribers))
	}
}

func TestSnapshotEndsSessionsItNoLongerLists(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	snapshot(m, 0, sub("a", true, 0, 0, "#"), sub("b", true, 0, 0, "#"))
	snapshot(m, time.Second, sub("a", true, 0, 0, "#"))
	if b := nodeOf(t, m.Scene(time.Second).Subscribers, "b"); !b.Ended {
		t.Errorf("b %+v, want ended", b)
	}
	m.Apply(&Sessions{Truncated: true, List: []Session{sub("x", true, 0, 0, "#")}}, 2*time.Second)
	if a := nodeOf(t, m.Scene(2*time.Second).Subscribers, "a"); a.Ended {
		t.Error("a truncated snapshot ended a session it did not list")
	}
}

func TestDotsStayBoundedAndEveryMessageCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		route func(i int) *Route
		// receive and drop say whether a and b receive or drop every
		// message.
		receive, drop bool
	}{
		{"one publisher", func(i int) *Route {
			return &Route{From: "p", Topic: "t", Delivered: []Target{{Client: "a"}, {Client: "b"}}, Sampled: 1}
		}, true, false},
		{"a fleet of publishers", func(i int) *Route {
			return &Route{From: fmt.Sprintf("p%d", i%200), Topic: "t", Delivered: []Target{{Client: "a"}, {Client: "b"}}, Sampled: 1}
		}, true, false},
		{"more kinds than bundles", func(i int) *Route {
			why := fmt.Sprintf("reason %d", i%(3*maxPending))
			return &Route{From: "p", Topic: "t", Dropped: []Drop{{Client: "a", Reason: why}, {Client: "b", Reason: why}}, Sampled: 1}
		}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, Config{MaxDots: 20})
			snapshot(m, 0, sub("a", true, 0, 0, "#"), sub("b", true, 0, 0, "#"))
			const n = 3000
			maxDots := 0
			for i := range n {
				at := time.Duration(i) * time.Millisecond / 10 // 10,000 a second
				m.Apply(tt.route(i), at)
				if i%50 == 0 {
					maxDots = max(maxDots, len(m.Scene(at).Dots))
				}
			}
			end := time.Duration(n)*time.Millisecond/10 + 1000*L
			var s *Scene
			for at := time.Duration(0); at <= end; at += L / 3 {
				s = m.Scene(at)
				maxDots = max(maxDots, len(s.Dots))
			}
			if maxDots > 20 {
				t.Errorf("%d dots at once, want at most 20", maxDots)
			}
			for _, id := range []string{"a", "b"} {
				node := nodeOf(t, s.Subscribers, id)
				if got, want := node.Received, int64(vizIf(tt.receive, n, 0)); got != want {
					t.Errorf("%s received %d, want %d", id, got, want)
				}
				if got, want := node.Dropped, int64(vizIf(tt.drop, n, 0)); got != want {
					t.Errorf("%s dropped %d, want %d", id, got, want)
				}
			}
			if s.Bundled+s.Undrawn == 0 {
				t.Error("nothing was bundled: the bound was not reached")
			}
			if tt.drop && s.Undrawn == 0 {
				t.Error("nothing was counted without a dot: the bound on bundles was not reached")
			}
			var sent int64
			for _, p := range s.Publishers {
				sent += p.Sent
			}
			if sent != n {
				t.Errorf("publishers sent %d, want %d", sent, n)
			}
		})
	}
}

func vizIf(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}

func TestOthersRowCountsEachMember(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{MaxSubscribers: 1, MaxDots: 2})
	snapshot(m, 0, sub("shown", true, 0, 0, "#"))
	const n = 100
	for i := range n {
		h := fmt.Sprintf("h%d", i%5)
		m.Apply(&Route{From: "p", Topic: "t", Delivered: []Target{{Client: h}}, Sampled: 1}, time.Duration(i)*time.Millisecond)
	}
	s := m.Scene(1000 * L)
	others := s.Subscribers[len(s.Subscribers)-1]
	if others.ID != "" || others.Others != 5 || others.Received != n {
		t.Fatalf("others row %+v, want 5 clients and %d received", others, n)
	}
	if s.Bundled == 0 {
		t.Fatal("nothing was bundled")
	}
	for i := range 5 {
		if got := m.clients[fmt.Sprintf("h%d", i)].received; got != n/5 {
			t.Errorf("h%d received %d, want %d", i, got, n/5)
		}
	}
}

func TestBundleCarriesItsWeight(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{MaxDots: 1})
	snapshot(m, 0, sub("a", true, 0, 0, "#"))
	for range 5 {
		m.Apply(&Route{From: "p", Topic: "t", Delivered: []Target{{Client: "a"}}, Sampled: 1}, 0)
	}
	s := m.Scene(0)
	if len(s.Dots) != 1 || s.Dots[0].Weight != 5 {
		t.Fatalf("dots %+v, want one carrying 5 messages", s.Dots)
	}
}

func TestRowsAreBounded(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{MaxPublishers: 4, MaxSubscribers: 3})
	var list []Session
	for i := range 10 {
		list = append(list, sub(fmt.Sprintf("s%d", i), true, 0, 0, "#"))
	}
	snapshot(m, 0, list...)
	for i := range 10 {
		m.Apply(&Route{From: fmt.Sprintf("p%d", i), Topic: "t", Delivered: []Target{{Client: "s9"}}, Sampled: 1}, 0)
	}
	s := m.Scene(L / 2)
	if len(s.Publishers) != 5 || s.Publishers[4].ID != "" || s.Publishers[4].Others != 6 {
		t.Errorf("publishers %v (others %+v), want 4 and an others row for 6", nodeIDs(s.Publishers), s.Publishers[len(s.Publishers)-1])
	}
	if len(s.Subscribers) != 4 || s.Subscribers[3].Others != 7 {
		t.Errorf("subscribers %v, want 3 and an others row for 7", nodeIDs(s.Subscribers))
	}
	for _, d := range s.Dots {
		if d.Pos.Y > s.Height {
			t.Errorf("dot %+v below the diagram (height %v)", d, s.Height)
		}
	}
	s = m.Scene(5 * L)
	if got := s.Subscribers[3].Received; got != 10 {
		t.Errorf("the others row received %d, want 10 (s9 has no row)", got)
	}
}

func TestBusyClientTakesTheRowOfAnIdleOne(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{MaxSubscribers: 2, Evict: time.Second})
	snapshot(m, 0, sub("idle1", true, 0, 0, "#"), sub("idle2", true, 0, 0, "#"), sub("busy", true, 0, 0, "#"))
	m.Apply(&Route{From: "p", Topic: "t", Delivered: []Target{{Client: "busy"}}, Sampled: 1}, 500*time.Millisecond)
	if ids := nodeIDs(m.Scene(time.Second).Subscribers); len(ids) != 3 || ids[2] != "" {
		t.Fatalf("rows %v: busy must wait for a row until a client is idle long enough", ids)
	}
	m.Apply(&Route{From: "p", Topic: "t", Delivered: []Target{{Client: "busy"}}, Sampled: 1}, 2*time.Second)
	if ids := nodeIDs(m.Scene(2 * time.Second).Subscribers); ids[0] != "busy" && ids[1] != "busy" {
		t.Errorf("rows %v: busy did not take an idle client's row", ids)
	}
}

func TestPinnedClientsAlwaysHaveARow(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{MaxSubscribers: 2})
	snapshot(m, 0, sub("a", true, 0, 0, "#"), sub("b", true, 0, 0, "#"))
	m.Apply(&SubscriptionEvent{Event: "added", Client: "mine", Filter: "x"}, 0)
	m.Pin("mine", true)
	if ids := nodeIDs(m.Scene(0).Subscribers); ids[0] != "mine" && ids[1] != "mine" {
		t.Errorf("rows %v: the pinned client has none", ids)
	}
}

func TestSampledEventsStandForN(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	snapshot(m, 0, sub("a", true, 0, 0, "#"))
	m.Apply(&Route{From: "p", Topic: "t", Delivered: []Target{{Client: "a"}}, Sampled: 10}, 0)
	s := m.Scene(L / 2)
	if s.Sampled != 10 || s.Dots[0].Weight != 10 {
		t.Errorf("sampled %d, dot weight %d; want 10 and 10", s.Sampled, s.Dots[0].Weight)
	}
	if s = m.Scene(sampledTTL + L); s.Sampled != 1 || nodeOf(t, s.Subscribers, "a").Received != 10 {
		t.Errorf("later: sampled %d, received %d; want 1 and 10", s.Sampled, nodeOf(t, s.Subscribers, "a").Received)
	}
}

func TestTopicsAndClientsLimitTheDiagram(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{Topics: []string{"lesson/#"}, Clients: []string{"lesson-"}})
	snapshot(m, 0, sub("lesson-sub", true, 0, 0, "lesson/#"), sub("fleet-dash", true, 0, 0, "#"))
	m.Apply(&Route{From: "sensor", Topic: "building/1", Delivered: []Target{{Client: "fleet-dash"}}, Sampled: 1}, 0)
	m.Apply(&Route{From: "lesson-pub", Topic: "lesson/1", Delivered: []Target{{Client: "lesson-sub"}, {Client: "fleet-dash"}}, Sampled: 1}, 0)
	s := m.Scene(5 * L)
	if ids := nodeIDs(s.Subscribers); len(ids) != 1 || ids[0] != "lesson-sub" {
		t.Errorf("subscribers %v, want lesson-sub only", ids)
	}
	if ids := nodeIDs(s.Publishers); len(ids) != 1 || ids[0] != "lesson-pub" {
		t.Errorf("publishers %v, want lesson-pub only", ids)
	}
}

func TestTimeNeverGoesBack(t *testing.T) {
	t.Parallel()
	m := newModel(t, Config{})
	m.Apply(&Route{From: "p", Topic: "t", Sampled: 1}, L/2)
	a := m.Scene(L / 2).Dots
	b := m.Scene(0).Dots
	if len(a) != 1 || len(b) != 1 || a[0].Pos != b[0].Pos {
		t.Errorf("scene at an earlier time moved the dots: %+v then %+v", a, b)
	}
}
