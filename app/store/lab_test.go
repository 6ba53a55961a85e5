package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

func TestLabRegistry(t *testing.T) {
	t.Parallel()
	l := NewLab(NewPackets(10), 10)
	v0 := l.Version()
	for _, name := range []string{"A", "B", "C"} {
		if err := l.Add(name); err != nil {
			t.Fatalf("Add(%q): %v", name, err)
		}
	}
	if l.Version() == v0 {
		t.Error("Add left the version alone")
	}
	if got := l.Selected(); got != "C" {
		t.Errorf("selected %q after adding C, want C", got)
	}
	for _, tc := range []struct {
		name string
		want error
	}{
		{"A", ErrNameTaken},
		{"", ErrNameEmpty},
		{"  ", ErrNameEmpty},
		{strings.Repeat("名", MaxNameLen+1), ErrNameTooLong},
	} {
		if err := l.Add(tc.name); !errors.Is(err, tc.want) {
			t.Errorf("Add(%q) = %v, want %v", tc.name, err, tc.want)
		}
	}
	if err := l.Add(strings.Repeat("名", MaxNameLen)); err != nil {
		t.Errorf("a name of %d characters: %v", MaxNameLen, err)
	}
	if err := l.Rename("B", "A"); !errors.Is(err, ErrNameTaken) {
		t.Errorf("Rename(B, A) = %v, want ErrNameTaken", err)
	}
	if err := l.Rename("B", "B"); err != nil {
		t.Errorf("Rename(B, B) = %v, want nil", err)
	}
	if err := l.Select("B"); err != nil {
		t.Fatal(err)
	}
	if err := l.Rename("B", "bee"); err != nil {
		t.Fatal(err)
	}
	if got := l.Selected(); got != "bee" {
		t.Errorf("selected %q after renaming the selected client, want bee", got)
	}
	if err := l.Remove("bee"); err != nil {
		t.Fatal(err)
	}
	if got := l.Selected(); got != "C" {
		t.Errorf("selected %q after removing bee, want the next one, C", got)
	}
	if err := l.Remove("bee"); !errors.Is(err, ErrNoClient) {
		t.Errorf("removing twice: %v, want ErrNoClient", err)
	}
	if got := strings.Join(l.Names()[:2], ","); got != "A,C" {
		t.Errorf("names %q, want A,C first", got)
	}

	s := l.DefaultSettings("x")
	s.KeepAlive = 5
	rev := mustClient(t, l, "A").Rev
	if err := l.SetSettings("A", s); err != nil {
		t.Fatal(err)
	}
	if v := mustClient(t, l, "A"); v.Settings.KeepAlive != 5 || v.Rev == rev {
		t.Errorf("after SetSettings: keepalive %d, rev %d (was %d)", v.Settings.KeepAlive, v.Rev, rev)
	}
	if err := l.SetView("A", ViewHex); err != nil {
		t.Fatal(err)
	}
	if v := mustClient(t, l, "A"); v.View != ViewHex {
		t.Errorf("view %v, want hex", v.View)
	}
}

func mustClient(t *testing.T, l *Lab, name string) ClientView {
	t.Helper()
	v, ok := l.Client(name)
	if !ok {
		t.Fatalf("no client %q", name)
	}
	return v
}

func TestNewClientID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, prefix string }{
		{"A", "labA-"},
		{"sensor one/two", "labsensoron-"},
		{"温度", "lab-"},
	} {
		id := NewClientID(tc.name)
		if !strings.HasPrefix(id, tc.prefix) || len(id) != len(tc.prefix)+6 || len(id) > 23 {
			t.Errorf("NewClientID(%q) = %q, want %q and 6 hex digits, at most 23 bytes", tc.name, id, tc.prefix)
		}
	}
	if a, b := NewClientID("A"), NewClientID("A"); a == b {
		t.Errorf("two identifiers for A are equal: %q", a)
	}
}

func TestLabMessagesBoundedNewestFirst(t *testing.T) {
	t.Parallel()
	l := NewLab(NewPackets(10), 3)
	if err := l.Add("A"); err != nil {
		t.Fatal(err)
	}
	c := l.clients[0]
	rev := mustClient(t, l, "A").MsgRev
	for i := range 5 {
		l.received(c, c.gen, &client.Message{Topic: "t", Payload: []byte{byte(i)}})
	}
	l.received(c, c.gen+1, &client.Message{Topic: "stale"})
	got := l.Messages("A", 0)
	if len(got) != 3 {
		t.Fatalf("%d messages kept, want 3", len(got))
	}
	for i, want := range []uint64{5, 4, 3} {
		if got[i].Seq != want || got[i].Payload[0] != byte(want-1) {
			t.Errorf("message %d: seq %d payload %v, want seq %d", i, got[i].Seq, got[i].Payload, want)
		}
	}
	if got := l.Messages("A", 2); len(got) != 2 || got[0].Seq != 5 {
		t.Errorf("newest 2: %+v", got)
	}
	v := mustClient(t, l, "A")
	if v.Counters.Received != 5 || v.Counters.Evicted != 2 || v.MsgRev == rev {
		t.Errorf("counters %+v, msgRev %d (was %d)", v.Counters, v.MsgRev, rev)
	}
	if err := l.ClearMessages("A"); err != nil {
		t.Fatal(err)
	}
	if got := l.Messages("A", 0); len(got) != 0 {
		t.Errorf("%d messages after Clear", len(got))
	}
}

func TestLabPersist(t *testing.T) {
	t.Parallel()
	l := NewLab(NewPackets(10), 10)
	var saved []byte
	saves := 0
	l.SetSaver(func(b []byte) { saved, saves = b, saves+1 })
	if err := l.Add("A"); err != nil {
		t.Fatal(err)
	}
	s := l.DefaultSettings("B")
	s.Version = protocol.V311
	s.URL = "ws://broker.example:8080/mqtt"
	s.Username, s.Password = "alice", "secret"
	s.Will = &Will{Topic: "status/b", Payload: "offline", QoS: 1, Retain: true}
	if err := l.AddWith("B", s); err != nil {
		t.Fatal(err)
	}
	if err := l.SetView("B", ViewJSON); err != nil {
		t.Fatal(err)
	}
	if err := l.Select("A"); err != nil {
		t.Fatal(err)
	}
	if saves != 4 {
		t.Errorf("saved %d times, want 4 (add, add, view, select)", saves)
	}
	if strings.Contains(string(saved), "secret") {
		t.Errorf("the password is saved: %s", saved)
	}

	r := NewLab(NewPackets(10), 10)
	if err := r.Add("B"); err != nil { // already there: the saved B is skipped
		t.Fatal(err)
	}
	err := r.Restore(saved)
	if !errors.Is(err, ErrNameTaken) {
		t.Errorf("Restore over an existing B: %v, want ErrNameTaken", err)
	}
	if got := strings.Join(r.Names(), ","); got != "B,A" {
		t.Errorf("names %q after Restore, want B,A", got)
	}
	if got := r.Selected(); got != "A" {
		t.Errorf("selected %q, want A", got)
	}

	r2 := NewLab(NewPackets(10), 10)
	if err := r2.Restore(saved); err != nil {
		t.Fatal(err)
	}
	b := mustClient(t, r2, "B")
	want := s
	want.Password = ""
	if !settingsEqual(b.Settings, want) || b.View != ViewJSON || b.Status != Disconnected {
		t.Errorf("restored B: %+v (will %+v), view %v, status %v; want %+v", b.Settings, b.Settings.Will, b.View, b.Status, want)
	}

	for _, bad := range []string{`{`, `{"v":2,"clients":[]}`, `[]`} {
		if err := NewLab(NewPackets(1), 1).Restore([]byte(bad)); err == nil {
			t.Errorf("Restore(%s) accepted it", bad)
		}
	}
}

func TestSettingsConnectPacket(t *testing.T) {
	t.Parallel()
	base := Settings{Version: protocol.V5, ClientID: "c", CleanStart: true, KeepAlive: 30, SessionExpiry: 60}
	p, err := base.connectPacket()
	if err != nil {
		t.Fatal(err)
	}
	if p.Props.SessionExpiry.Value != 60 || p.KeepAlive != 30 || !p.CleanStart || p.Username.Present || p.Will != nil {
		t.Errorf("CONNECT %+v", p)
	}

	v3 := base
	v3.Version = protocol.V311
	v3.Will = &Will{Topic: "w", Payload: "bye", QoS: 2, Delay: 5}
	p, err = v3.connectPacket()
	if err != nil {
		t.Fatal(err)
	}
	if p.Props.SessionExpiry.Present || p.Will == nil || p.Will.Props.WillDelay.Present || string(p.Will.Payload) != "bye" {
		t.Errorf("3.1.1 CONNECT carries 5.0 properties or lost its will: %+v", p)
	}

	for _, tc := range []struct {
		name string
		edit func(*Settings)
		want error
	}{
		{"version", func(s *Settings) { s.Version = 3 }, nil},
		{"will topic", func(s *Settings) { s.Will = &Will{Topic: "a/#"} }, protocol.ErrTopicWildcard},
		{"password alone 3.1.1", func(s *Settings) { s.Version, s.Password = protocol.V311, "p" }, protocol.ErrPasswordNoUsername},
	} {
		s := base
		tc.edit(&s)
		_, err := s.connectPacket()
		if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	alone := base
	alone.Password = "p"
	if p, err := alone.connectPacket(); err != nil || !p.Password.Present {
		t.Errorf("5.0 password without user name: %v, %+v", err, p.Password)
	}
}
