package store

import (
	"strings"
	"testing"
	"time"
)

// rowsByPath indexes a view's rows.
func rowsByPath(v TreeView) map[string]TopicRow {
	m := map[string]TopicRow{}
	for _, r := range v.Rows {
		m[r.Path] = r
	}
	return m
}

func TestTopicTreeCounts(t *testing.T) {
	t.Parallel()
	tr := NewTopicTree(100)
	at := time.Unix(1000, 0)
	tr.Add("home/kitchen/temp", []byte("21.5"), false, at)
	tr.Add("home/kitchen/temp", []byte("21.6"), false, at)
	tr.Add("home/hall/temp", []byte("19"), true, at)
	tr.Add("home", []byte("x"), false, at)
	tr.Add("$SYS/broker/uptime", []byte("5 seconds"), true, at)

	v := tr.View(TreeQuery{Limit: 100})
	var paths []string
	for _, r := range v.Rows {
		paths = append(paths, r.Path)
	}
	want := "$SYS $SYS/broker $SYS/broker/uptime home home/hall home/hall/temp home/kitchen home/kitchen/temp"
	if got := strings.Join(paths, " "); got != want {
		t.Fatalf("rows %q, want %q", got, want)
	}
	rows := rowsByPath(v)
	for _, tc := range []struct {
		path         string
		count, total uint64
		topic        bool
		retained     bool
		preview      string
		depth        int
	}{
		{"home", 1, 4, true, false, "x", 0},
		{"home/kitchen", 0, 2, false, false, "", 1},
		{"home/kitchen/temp", 2, 2, true, false, "21.6", 2},
		{"home/hall/temp", 1, 1, true, true, "19", 2},
	} {
		r := rows[tc.path]
		if r.Count != tc.count || r.Total != tc.total || r.Topic != tc.topic || r.Retained != tc.retained ||
			r.Preview != tc.preview || r.Depth != tc.depth {
			t.Errorf("%s: %+v, want count %d total %d topic %v retained %v preview %q depth %d",
				tc.path, r, tc.count, tc.total, tc.topic, tc.retained, tc.preview, tc.depth)
		}
	}
	if !rows["$SYS"].Dollar || rows["home"].Dollar {
		t.Error("$SYS is not marked as a $ topic, or home is")
	}
	if v.Nodes != 8 || v.Messages != 5 {
		t.Errorf("nodes %d messages %d, want 8 and 5", v.Nodes, v.Messages)
	}

	// An empty retained message deletes the retained one.
	tr.Add("home/hall/temp", nil, true, at)
	if r := rowsByPath(tr.View(TreeQuery{Limit: 100}))["home/hall/temp"]; r.Retained {
		t.Error("home/hall/temp still retained after an empty retained message")
	}
}

func TestTopicTreeCap(t *testing.T) {
	t.Parallel()
	tr := NewTopicTree(4)
	at := time.Unix(1000, 0)
	tr.Add("a/b/c", nil, false, at) // 3 levels
	tr.Add("a/d", nil, false, at)   // 1 more: 4, full
	tr.Add("a/e", nil, false, at)   // no room
	tr.Add("x/y/z", nil, false, at) // no room, and no half-made branch
	tr.Add("a/b/c", nil, false, at) // known: counted
	v := tr.View(TreeQuery{Limit: 100})
	if v.Nodes != 4 || v.Capped != 2 || v.Messages != 5 || len(v.Rows) != 4 {
		t.Fatalf("nodes %d capped %d messages %d rows %d; want 4, 2, 5, 4", v.Nodes, v.Capped, v.Messages, len(v.Rows))
	}
	if r := rowsByPath(v)["a/b/c"]; r.Count != 2 {
		t.Errorf("a/b/c counted %d, want 2", r.Count)
	}
	if _, ok := rowsByPath(v)["x"]; ok {
		t.Error("a branch was made for a topic with no room")
	}

	tr.RemoveRoot("a")
	if v := tr.View(TreeQuery{Limit: 100}); v.Nodes != 0 || len(v.Rows) != 0 {
		t.Errorf("after RemoveRoot: nodes %d rows %d", v.Nodes, len(v.Rows))
	}
	tr.Add("x/y/z", nil, false, at)
	if v := tr.View(TreeQuery{Limit: 100}); v.Nodes != 3 {
		t.Errorf("room is not made again by RemoveRoot: nodes %d", v.Nodes)
	}
}

func TestTopicTreeFilter(t *testing.T) {
	t.Parallel()
	tr := NewTopicTree(100)
	at := time.Unix(1000, 0)
	for _, topic := range []string{"home/kitchen/temp", "home/hall/temp", "home/hall/light", "office/temp", "$SYS/broker/uptime"} {
		tr.Add(topic, []byte("1"), false, at)
	}
	for _, tc := range []struct {
		filter  string
		matches []string
		bad     bool
	}{
		{"", nil, false},
		{"home/+/temp", []string{"home/hall/temp", "home/kitchen/temp"}, false},
		{"home/kitchen/#", []string{"home/kitchen/temp"}, false},
		{"+/temp", []string{"office/temp"}, false},
		{"#", []string{"home/hall/light", "home/hall/temp", "home/kitchen/temp", "office/temp"}, false}, // not $SYS
		{"$SYS/#", []string{"$SYS/broker/uptime"}, false},
		{"$share/g/home/+/light", []string{"home/hall/light"}, false},
		{"home/kitchen", nil, false}, // a level without messages of its own is not a topic
		{"home/#/x", nil, true},
		{"home/te+", nil, true},
		{"$share/g", nil, true},
	} {
		v := tr.View(TreeQuery{Filter: tc.filter, Limit: 100})
		var got []string
		for _, r := range v.Rows {
			if r.Match {
				got = append(got, r.Path)
			}
		}
		if (v.FilterErr != nil) != tc.bad {
			t.Errorf("%q: error %v, want error %v", tc.filter, v.FilterErr, tc.bad)
		}
		if strings.Join(got, " ") != strings.Join(tc.matches, " ") || v.Matches != len(tc.matches) {
			t.Errorf("%q highlights %q (%d matches), want %q", tc.filter, got, v.Matches, tc.matches)
		}
	}

	// Collapsed levels hide their rows but still count their matches, and
	// say a match is inside.
	v := tr.View(TreeQuery{Filter: "home/+/temp", Collapsed: map[string]bool{"home": true}, Limit: 100})
	rows := rowsByPath(v)
	if _, shown := rows["home/hall"]; shown || !rows["home"].Collapsed || !rows["home"].Inside || v.Matches != 2 {
		t.Errorf("collapsed home: rows %v, matches %d", v.Rows, v.Matches)
	}
	// A row limit leaves rows out and says how many.
	v = tr.View(TreeQuery{Limit: 3})
	if len(v.Rows) != 3 || v.Hidden != 11-3 {
		t.Errorf("limit 3: %d rows, %d hidden; want 3 and 8", len(v.Rows), v.Hidden)
	}
}

func TestTopicTreeRates(t *testing.T) {
	t.Parallel()
	tr := NewTopicTree(100)
	t0 := time.Unix(1000, 0)
	tr.Tick(t0)
	for range 10 {
		tr.Add("a/b", nil, false, t0)
	}
	v0 := tr.Version()
	tr.Tick(t0.Add(time.Second))
	if tr.Version() == v0 {
		t.Error("a rate changed and the version did not")
	}
	rows := rowsByPath(tr.View(TreeQuery{Limit: 10}))
	if rows["a/b"].Rate != 5 || rows["a"].Rate != 5 {
		t.Errorf("rates after 10 messages in 1 s: a %v, a/b %v; want 5 (smoothed)", rows["a"].Rate, rows["a/b"].Rate)
	}
	for range 40 {
		tr.Tick(t0.Add(2 * time.Second))
		t0 = t0.Add(time.Second)
	}
	v1 := tr.Version()
	tr.Tick(t0.Add(2 * time.Second))
	if r := rowsByPath(tr.View(TreeQuery{Limit: 10}))["a/b"].Rate; r != 0 {
		t.Errorf("rate %v after 40 quiet seconds, want 0", r)
	}
	if tr.Version() != v1 {
		t.Error("a quiet tick changed the version: the page would redraw for nothing")
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", PreviewBytes+1)
	for _, tc := range []struct {
		in          string
		text        string
		binary, cut bool
	}{
		{"", "", false, false},
		{"21.5", "21.5", false, false},
		{long, long[:PreviewBytes], false, true},
		{strings.Repeat("a", PreviewBytes-1) + "温", strings.Repeat("a", PreviewBytes-1), false, true},
		{"\x00\x01", "0001", true, false},
		{strings.Repeat("\x00", 40), strings.Repeat("00", PreviewBytes/2), true, true},
	} {
		text, binary, cut := Preview([]byte(tc.in))
		if text != tc.text || binary != tc.binary || cut != tc.cut {
			t.Errorf("Preview(%q) = %q, %v, %v; want %q, %v, %v", tc.in, text, binary, cut, tc.text, tc.binary, tc.cut)
		}
	}
}

// TestTopicTreeEmptyLevels: a topic may start or end with '/' or hold
// "//"; each empty level is a row with the path of its own, which the
// search reads.
func TestTopicTreeEmptyLevels(t *testing.T) {
	t.Parallel()
	tr := NewTopicTree(100)
	at := time.Unix(1000, 0)
	for _, topic := range []string{"/a", "a//b", "a/"} {
		tr.Add(topic, []byte("1"), false, at)
	}
	for _, tc := range []struct {
		search, rows string
		found        int
	}{
		{"", " /a a a/ a//b", 0},
		{"/b", "a a/ a//b", 1},
		{"a/", "a a/ a//b", 2},
		{"/a", " /a", 1},
	} {
		v := tr.View(TreeQuery{Search: tc.search, Limit: 100})
		var paths []string
		for _, r := range v.Rows {
			paths = append(paths, r.Path)
		}
		if got := strings.Join(paths, " "); got != tc.rows || v.Found != tc.found || v.Topics != 3 {
			t.Errorf("search %q: rows %q, found %d of %d; want %q, %d of 3", tc.search, got, v.Found, v.Topics, tc.rows, tc.found)
		}
	}
}
