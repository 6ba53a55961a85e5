package store

import "testing"

func TestLabPrefill(t *testing.T) {
	t.Parallel()
	l := NewLab(NewPackets(10), 10)
	if _, ok := l.TakePrefill(); ok {
		t.Error("a new lab has something to fill in")
	}
	l.SetPrefill(Prefill{Filter: "a/#"})
	l.SetPrefill(Prefill{Topic: "a/b", Payload: "1"}) // the last one counts
	if p, ok := l.TakePrefill(); !ok || p != (Prefill{Topic: "a/b", Payload: "1"}) {
		t.Errorf("TakePrefill = %+v, %v", p, ok)
	}
	if _, ok := l.TakePrefill(); ok {
		t.Error("TakePrefill gives the same thing twice")
	}

	// An empty lab gets a new client, selected, to connect.
	name, connect, err := l.PrefillClient("A")
	if err != nil || name != "A" || !connect || l.Selected() != "A" {
		t.Fatalf("PrefillClient in an empty lab = %q, %v, %v; selected %q", name, connect, err, l.Selected())
	}
	// Then the selected client, whatever the name proposed.
	if err := l.Add("B"); err != nil {
		t.Fatal(err)
	}
	name, connect, err = l.PrefillClient("C")
	if err != nil || name != "B" || !connect || len(l.Names()) != 2 {
		t.Errorf("PrefillClient = %q, %v, %v with clients %q; want B, to connect", name, connect, err, l.Names())
	}
	// A name that cannot be used is an error, not a client.
	empty := NewLab(NewPackets(10), 10)
	if _, _, err := empty.PrefillClient(""); err == nil || len(empty.Names()) != 0 {
		t.Errorf("PrefillClient(\"\") = %v with clients %q", err, empty.Names())
	}
}
