package store

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// apply feeds messages to s and fails the test on an error.
func apply(t *testing.T, s *BrokerState, msgs ...[2]string) {
	t.Helper()
	for _, m := range msgs {
		if err := s.Apply(m[0], []byte(m[1])); err != nil {
			t.Fatal(err)
		}
	}
}

func clientByID(v BrokerView, id string) *ClientInfo {
	for i := range v.Clients {
		if v.Clients[i].ID == id {
			return &v.Clients[i]
		}
	}
	return nil
}

func TestBrokerStateSys(t *testing.T) {
	t.Parallel()
	s := NewBrokerState()
	apply(t, s,
		[2]string{"$SYS/broker/version", "mqttlab 0.1"},
		[2]string{"$SYS/broker/uptime", "3725 seconds"},
		[2]string{"$SYS/broker/bytes/received", "1234"},
		[2]string{"$SYS/broker/load/messages/received/1min", "12.50"},
		[2]string{"elsewhere/topic", "ignored"},
	)
	v := s.View()
	if up, ok := v.Uptime(); !ok || up != 3725*time.Second {
		t.Errorf("uptime %v %v, want 1h2m5s", up, ok)
	}
	if n, ok := v.SysUint("bytes/received"); !ok || n != 1234 {
		t.Errorf("bytes/received %d %v", n, ok)
	}
	if v.Sys["version"] != "mqttlab 0.1" || v.Sys["load/messages/received/1min"] != "12.50" || len(v.Sys) != 4 {
		t.Errorf("sys values %v", v.Sys)
	}
	if _, ok := (&BrokerView{}).Uptime(); ok {
		t.Error("uptime read from nothing")
	}
	// The $SYS values are bounded.
	for i := range 2 * maxSysValues {
		apply(t, s, [2]string{fmt.Sprintf("$SYS/broker/x/%d", i), "1"})
	}
	if n := len(s.View().Sys); n != maxSysValues {
		t.Errorf("%d $SYS values kept, want at most %d", n, maxSysValues)
	}
}

func TestBrokerStateClientsAndSubscriptions(t *testing.T) {
	t.Parallel()
	s := NewBrokerState()
	s.SetSelf("observer-1")
	apply(t, s,
		[2]string{TopicLabClients, `{"ts":1000,"event":"connected","client":"k1","username":"alice","version":"5.0","remote":"127.0.0.1:5555","clean":true,"keepalive":60,"will":{"topic":"status/k1","qos":1}}`},
		[2]string{TopicLabClients, `{"ts":1001,"event":"connected","client":"observer-1","version":"5.0","remote":"127.0.0.1:6000","clean":true,"keepalive":30}`},
		[2]string{TopicLabSubs, `{"ts":1002,"event":"added","client":"k1","filter":"sensors/+/temp","qos":1}`},
		[2]string{TopicLabSubs, `{"ts":1003,"event":"added","client":"k1","filter":"cmd/k1","qos":2}`},
		[2]string{TopicLabSubs, `{"ts":1004,"event":"removed","client":"k1","filter":"cmd/k1","qos":0}`},
		[2]string{TopicLabSubs, `{"ts":1005,"event":"refused: Not authorized","client":"k1","filter":"secret/#","qos":1}`},
	)
	v := s.View()
	k1 := clientByID(v, "k1")
	if k1 == nil || !k1.Online || k1.Username != "alice" || k1.Remote != "127.0.0.1:5555" || k1.KeepAlive != 60 ||
		k1.Will == nil || k1.Will.Topic != "status/k1" || k1.Will.QoS != 1 || !k1.Since.Equal(time.UnixMilli(1000)) || k1.Self {
		t.Fatalf("k1: %+v", k1)
	}
	if subs := k1.SortedSubscriptions(); len(subs) != 1 || subs[0] != "sensors/+/temp" || k1.Subscriptions["sensors/+/temp"] != 1 {
		t.Errorf("k1 subscriptions %v", k1.Subscriptions)
	}
	if o := clientByID(v, "observer-1"); o == nil || !o.Self {
		t.Errorf("the observer is not marked as the page's own: %+v", o)
	}
	if len(v.Events) != 6 || v.Events[0].Kind != "subscribe-refused" || v.Events[0].Detail != "secret/# · Not authorized" {
		t.Errorf("events (newest first): %+v", v.Events)
	}

	apply(t, s, [2]string{TopicLabClients, `{"ts":2000,"event":"disconnected","client":"k1","reason":"connection lost","willFired":true}`})
	k1 = clientByID(s.View(), "k1")
	if k1.Online || k1.Remote != "" || k1.Will != nil || !k1.Since.Equal(time.UnixMilli(2000)) || len(k1.Subscriptions) != 1 {
		t.Errorf("k1 after disconnecting: %+v", k1)
	}
	if e := s.View().Events[0]; e.Kind != "disconnected" || e.Detail != "connection lost · will" {
		t.Errorf("disconnect event %+v", e)
	}
	// A connection that does not resume the session starts without
	// subscriptions.
	apply(t, s, [2]string{TopicLabClients, `{"ts":3000,"event":"connected","client":"k1","version":"3.1.1","sessionPresent":false}`})
	if k1 = clientByID(s.View(), "k1"); len(k1.Subscriptions) != 0 || k1.Version != "3.1.1" {
		t.Errorf("k1 after a fresh session: %+v", k1)
	}
	apply(t, s, [2]string{TopicLabClients, `{"ts":4000,"event":"session-ended","client":"k1","reason":"session expired","lost":3}`})
	if clientByID(s.View(), "k1") != nil {
		t.Error("k1 still listed after its session ended")
	}
	if e := s.View().Events[0]; e.Detail != "session expired · 3 lost" {
		t.Errorf("session end event %+v", e)
	}
}

func TestBrokerStateSessions(t *testing.T) {
	t.Parallel()
	s := NewBrokerState()
	apply(t, s,
		[2]string{TopicLabSubs, `{"ts":900,"event":"added","client":"off","filter":"room/#","qos":1}`},
		[2]string{TopicLabClients, `{"ts":950,"event":"connected","client":"gone"}`},
		[2]string{TopicLabSessions, `{"ts":1000,"clients":1,"sessions":2,"retained":3,"received":100,"sent":50,"dropped":1,"telemetryLost":0,
			"list":[{"client":"off","online":false,"version":"5.0","queued":5,"inflight":0,"dropped":2,"subscriptions":["room/#","b"],"expiry":3600,"since":990},
			        {"client":"on","online":true,"version":"3.1.1","queued":0,"inflight":1,"dropped":0,"subscriptions":[],"expiry":-1,"since":995,
			         "remote":"127.0.0.1:1","keepalive":30,"will":{"topic":"w","qos":0}}]}`},
	)
	v := s.View()
	if len(v.Clients) != 2 || v.Clients[0].ID != "on" || v.Clients[1].ID != "off" {
		t.Fatalf("clients %+v: want on, then off (online first); gone is not in the list", v.Clients)
	}
	off, on := v.Clients[1], v.Clients[0]
	if off.Queued != 5 || off.Dropped != 2 || off.Expiry != 3600 || off.Subscriptions["room/#"] != 1 || off.Subscriptions["b"] != -1 {
		t.Errorf("off: %+v (QoS of room/# comes from its event, b has none)", off)
	}
	if on.Remote != "127.0.0.1:1" || on.KeepAlive != 30 || on.Will.Topic != "w" || on.Inflight != 1 || on.Expiry != -1 {
		t.Errorf("on: %+v", on)
	}
	if v.Totals.Received != 100 || v.Totals.Sessions != 2 || len(v.Rates) != 0 {
		t.Errorf("totals %+v, %d rates (none from one list)", v.Totals, len(v.Rates))
	}

	list := func(ts, received, sent int) [2]string {
		return [2]string{TopicLabSessions, fmt.Sprintf(`{"ts":%d,"received":%d,"sent":%d,"list":[],"truncated":true}`, ts, received, sent)}
	}
	apply(t, s, list(3000, 300, 50), list(2000, 999, 999), list(4000, 350, 150))
	v = s.View()
	if len(v.Rates) != 2 || v.Rates[0].Received != 100 || v.Rates[0].Sent != 0 || v.Rates[1].Received != 50 || v.Rates[1].Sent != 100 {
		t.Errorf("rates %+v; want 100/s and 0/s, then 50/s and 100/s (the older list ignored)", v.Rates)
	}
	if len(v.Clients) != 2 || !v.ClientsMore {
		t.Errorf("a truncated list removed clients or did not say more exist: %+v", v.Clients)
	}
	// A gap too long for a rate, and counters going back (a restarted
	// broker), start the rates afresh rather than draw a lie.
	apply(t, s, list(60000, 400, 200), list(61000, 10, 10), list(62000, 20, 30))
	v = s.View()
	if n := len(v.Rates); n != 3 || v.Rates[2].Received != 10 || v.Rates[2].Sent != 20 {
		t.Errorf("rates %+v", v.Rates)
	}
	for i := range 2 * maxRatePoints {
		apply(t, s, list(100000+1000*i, 100+i, 100+i))
	}
	if n := len(s.View().Rates); n != maxRatePoints {
		t.Errorf("%d rate points kept, want %d", n, maxRatePoints)
	}
	apply(t, s, [2]string{TopicLabSessions, `{"ts":999999999,"list":[]}`})
	if v = s.View(); len(v.Clients) != 0 || v.ClientsMore {
		t.Errorf("a complete empty list left clients: %+v", v.Clients)
	}
}

func TestBrokerStateRetained(t *testing.T) {
	t.Parallel()
	s := NewBrokerState()
	apply(t, s,
		[2]string{TopicLabRetained, `{"ts":1,"event":"set","topic":"stale","size":1,"preview":"x"}`},
		[2]string{TopicLabRetained, `{"ts":2,"event":"snapshot","list":[{"topic":"b","size":2,"preview":"hi"},{"topic":"a","size":100,"preview":"00ff","binary":true}]}`},
		[2]string{TopicLabRetained, `{"ts":3,"event":"set","topic":"c","size":4,"preview":"21.5"}`},
		[2]string{TopicLabRetained, `{"ts":4,"event":"replaced","topic":"b","size":3,"preview":"hey"}`},
		[2]string{TopicLabRetained, `{"ts":5,"event":"deleted","topic":"c","size":0}`},
	)
	v := s.View()
	if len(v.Retained) != 2 || v.Retained[0].Topic != "a" || v.Retained[1].Topic != "b" {
		t.Fatalf("retained %+v: want a and b (the snapshot replaced stale, c deleted)", v.Retained)
	}
	if a := v.Retained[0]; !a.Binary || !a.Cut || a.Size != 100 {
		t.Errorf("a: %+v", a)
	}
	if b := v.Retained[1]; b.Preview != "hey" || b.Cut || !b.Set.Equal(time.UnixMilli(4)) {
		t.Errorf("b: %+v", b)
	}
	for i := range maxRetainedKept + 5 {
		apply(t, s, [2]string{TopicLabRetained, fmt.Sprintf(`{"ts":9,"event":"set","topic":"t/%d","size":1}`, i)})
	}
	if v = s.View(); len(v.Retained) != maxRetainedKept || !v.RetainedMore {
		t.Errorf("%d retained kept (more: %v), want %d and more", len(v.Retained), v.RetainedMore, maxRetainedKept)
	}
}

func TestBrokerStateBadMessages(t *testing.T) {
	t.Parallel()
	s := NewBrokerState()
	for _, m := range [][2]string{
		{TopicLabClients, `{"ts":1,"event":"connected"`},
		{TopicLabClients, `{"ts":1,"event":"teleported","client":"x"}`},
		{TopicLabClients, `{"ts":1,"event":"connected"}`},
		{TopicLabSubs, `{"ts":1,"event":"added","client":"x"}`},
		{TopicLabRetained, `{"ts":1,"event":"set"}`},
		{TopicLabSessions, `{"list":[]}`},
		{TopicLabSessions, `[]`},
	} {
		v0 := s.Version()
		if err := s.Apply(m[0], []byte(m[1])); err == nil || !strings.Contains(err.Error(), m[0]) {
			t.Errorf("Apply(%s, %s) = %v, want an error naming the topic", m[0], m[1], err)
		}
		if s.Version() == v0 {
			t.Error("a bad message left the version alone: the page would not show the error")
		}
	}
	v := s.View()
	if v.Bad != 7 || !strings.Contains(v.BadErr, TopicLabSessions) || len(v.Clients) != 0 {
		t.Errorf("bad %d, last error %q, clients %v", v.Bad, v.BadErr, v.Clients)
	}
}
