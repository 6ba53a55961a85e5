package broker

import (
	"slices"
	"strconv"
	"testing"
)

func TestSubSetSmallAndLarge(t *testing.T) {
	var s subSet
	n := 3 * subSetSmall
	for i := range n {
		if s.set(&subscription{filter: "f/" + strconv.Itoa(i)}) {
			t.Fatalf("set %d: reported a replacement", i)
		}
	}
	if s.large == nil || s.len() != n {
		t.Fatalf("after %d filters: large=%v len=%d", n, s.large != nil, s.len())
	}
	q := &subscription{filter: "f/5", qos: 1}
	if !s.set(q) || s.get("f/5") != q || s.len() != n {
		t.Error("replacing f/5 did not replace it")
	}
	if !s.remove("f/7") || s.remove("f/7") || s.get("f/7") != nil {
		t.Error("remove f/7 twice: want true then false")
	}
	if got := len(s.filters()); got != n-1 {
		t.Errorf("filters: %d, want %d", got, n-1)
	}

	var small subSet
	for _, f := range []string{"a", "b", "c"} {
		small.set(&subscription{filter: f})
	}
	if !small.remove("a") || small.get("b") == nil || small.get("a") != nil {
		t.Error("small set: remove a broke the set")
	}
	f := small.filters()
	slices.Sort(f)
	if !slices.Equal(f, []string{"b", "c"}) || small.large != nil {
		t.Errorf("small set filters %v (large %v), want [b c] as a slice", f, small.large != nil)
	}
}
