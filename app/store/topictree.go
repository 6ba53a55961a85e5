package store

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// TopicTree is the live topic tree of the topics page: every topic its
// observer saw, level by level, with message counts, rates, the last
// payload, the newest values of numeric payloads and whether the topic has
// a retained message. It holds at most a fixed number of levels (nodes):
// messages on topics that would need more are counted, not placed, so a
// broker with millions of topics cannot exhaust the page. Safe for
// concurrent use.
type TopicTree struct {
	mu       sync.Mutex
	version  uint64
	root     tnode
	nodes    int
	maxNodes int
	capped   uint64 // messages on topics the tree had no room for
	messages uint64
	lastTick time.Time
}

type tnode struct {
	children  map[string]*tnode
	path      string // the topic name of the level
	count     uint64 // messages on this very topic
	total     uint64 // on this topic and every topic below it
	prevTotal uint64 // total at the last tick
	rate      float64
	preview   string
	binary    bool
	cut       bool
	size      int
	retained  bool
	last      time.Time
	nums      []series // the numeric fields of its payloads
	found     bool     // the search matches it or a level below (View)
}

// NewTopicTree makes a tree of at most maxNodes topic levels.
func NewTopicTree(maxNodes int) *TopicTree {
	return &TopicTree{maxNodes: max(1, maxNodes)}
}

// Version changes whenever the tree does.
func (t *TopicTree) Version() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.version
}

// Add counts a message. retain is its RETAIN flag: a retained message
// marks the topic, an empty retained one (which deletes the broker's)
// clears the mark.
func (t *TopicTree) Add(topic string, payload []byte, retain bool, at time.Time) {
	var buf [SparkFields]NumField
	nums := Numbers(buf[:0], payload)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.version++
	t.messages++
	// First find how many levels are new, so that a topic the tree has no
	// room for leaves no half-made branch.
	n, rest, missing := &t.root, topic, 0
	for more := true; more; {
		var l string
		l, rest, more = strings.Cut(rest, "/")
		c := n.children[l]
		if c == nil {
			missing = 1 + strings.Count(rest, "/")
			if more {
				missing++
			}
			break
		}
		n = c
	}
	if t.nodes+missing > t.maxNodes {
		t.capped++
		return
	}
	n, rest = &t.root, topic
	for more := true; more; {
		var l string
		l, rest, more = strings.Cut(rest, "/")
		c := n.children[l]
		if c == nil {
			if n.children == nil {
				n.children = map[string]*tnode{}
			}
			c = &tnode{path: topic[:len(topic)-len(rest)]}
			if more {
				c.path = c.path[:len(c.path)-1]
			}
			n.children[l] = c
			t.nodes++
		}
		c.total++
		n = c
	}
	n.count++
	n.size = len(payload)
	n.preview, n.binary, n.cut = Preview(payload)
	n.last = at
	n.addNumbers(nums)
	if retain {
		n.retained = len(payload) > 0
	}
}

// Tick updates the rates; call it about once a second.
func (t *TopicTree) Tick(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	dt := now.Sub(t.lastTick).Seconds()
	first := t.lastTick.IsZero()
	t.lastTick = now
	if first || dt <= 0 {
		t.root.visit(func(n *tnode) { n.prevTotal = n.total })
		return
	}
	changed := false
	t.root.visit(func(n *tnode) {
		// Smoothed over the last few ticks, so a steady 1 message every
		// 2 s reads 0.5/s rather than 1, 0, 1, 0.
		r := 0.5*n.rate + 0.5*float64(n.total-n.prevTotal)/dt
		if r < 0.005 {
			r = 0
		}
		if r != n.rate {
			changed = true
		}
		n.rate, n.prevTotal = r, n.total
	})
	if changed {
		t.version++
	}
}

func (n *tnode) visit(fn func(*tnode)) {
	for _, c := range n.children {
		fn(c)
		c.visit(fn)
	}
}

// RemoveRoot forgets a first level and everything below it (the $SYS
// branch, when the page stops watching it).
func (t *TopicTree) RemoveRoot(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.root.children[name]
	if c == nil {
		return
	}
	k := 1
	c.visit(func(*tnode) { k++ })
	t.nodes -= k
	delete(t.root.children, name)
	t.version++
}

// TopicRow is one level of the tree as a page shows it.
type TopicRow struct {
	// Path is the topic name of the level; Name its last level.
	Path  string
	Name  string
	Depth int
	// Count is the messages on this very topic, Total on it and below.
	Count, Total uint64
	// Rate is in messages per second, this topic and below.
	Rate     float64
	Preview  string
	Binary   bool
	Cut      bool
	Size     int
	Retained bool
	// Topic says a message was published to this very level (not only
	// below it): only such levels can match a filter.
	Topic bool
	// Children is the number of levels right below; Collapsed says they
	// are hidden.
	Children  int
	Collapsed bool
	// Dollar marks a first level starting with '$' ($SYS): wildcards at
	// the start of a filter do not match it [MQTT-4.7.2-1].
	Dollar bool
	// Match says the filter matches this topic; Inside that it matches
	// some topic below this level.
	Match, Inside bool
	// Spark is the newest values of the numeric field Field of the
	// topic's payloads, oldest first; Fields names its numeric fields
	// when it has several (see Numbers).
	Spark  []float64
	Field  string
	Fields []string
}

// TreeView is the tree laid out as rows, for one rendering.
type TreeView struct {
	Rows []TopicRow
	// Hidden counts the rows past the limit that were left out.
	Hidden int
	// Nodes is the levels in the tree, MaxNodes how many it may hold;
	// Capped the messages on topics it had no room for.
	Nodes, MaxNodes int
	Capped          uint64
	Messages        uint64
	// Matches is the number of topics the filter matches, in the whole
	// tree (collapsed or hidden rows too).
	Matches int
	// Topics is the number of topics in the tree (levels with messages
	// of their own), Found how many of them contain the search.
	Topics, Found int
	// FilterErr says why the filter is not valid; nothing is highlighted
	// then.
	FilterErr error
}

// CheckFilter reports whether filter may be subscribed to, and returns the
// topic filter to match topics with (the part after $share/{group}/ of a
// shared subscription).
func CheckFilter(filter string) (string, error) {
	if err := protocol.ValidFilter(filter); err != nil {
		return "", err
	}
	if _, f, shared := protocol.ParseShared(filter); shared {
		return f, nil
	}
	return filter, nil
}

// TreeQuery is what a view of the tree shows.
type TreeQuery struct {
	// Filter is a topic filter whose matches are highlighted ("": none).
	Filter string
	// Search leaves only the topics whose name contains it, ignoring
	// case, and the levels above them ("": every topic).
	Search string
	// Collapsed are the paths whose levels below are hidden.
	Collapsed map[string]bool
	// Fields chooses the numeric field a topic's sparkline shows, by path
	// (the first field of topics not in it).
	Fields map[string]string
	// Limit is the number of rows at most.
	Limit int
}

// View lays the tree out as rows, depth first in the order of level names,
// up to q.Limit rows, skipping what is below the collapsed paths and what
// the search leaves out, and highlights the topics the filter matches.
func (t *TopicTree) View(q TreeQuery) TreeView {
	var match string
	var ferr error
	if q.Filter != "" {
		match, ferr = CheckFilter(q.Filter)
	}
	search := strings.ToLower(q.Search)
	t.mu.Lock()
	defer t.mu.Unlock()
	v := TreeView{Nodes: t.nodes, MaxNodes: t.maxNodes, Capped: t.capped, Messages: t.messages, FilterErr: ferr}
	if search != "" {
		t.root.mark(search, &v.Found)
	}
	var walk func(n *tnode, depth int, rowsOn bool) bool
	walk = func(n *tnode, depth int, rowsOn bool) bool {
		inside := false
		for _, name := range n.sortedNames() {
			c := n.children[name]
			p := c.path
			row := TopicRow{Path: p, Name: name, Depth: depth, Count: c.count, Total: c.total, Rate: c.rate,
				Preview: c.preview, Binary: c.binary, Cut: c.cut, Size: c.size, Retained: c.retained,
				Topic: c.count > 0 || c.retained, Children: len(c.children), Collapsed: q.Collapsed[p],
				Dollar: depth == 0 && strings.HasPrefix(name, "$")}
			row.Match = match != "" && row.Topic && protocol.Match(match, p)
			if row.Match {
				v.Matches++
			}
			if row.Topic {
				v.Topics++
			}
			on := rowsOn && (search == "" || c.found)
			at := -1
			if on && len(v.Rows) < q.Limit {
				at = len(v.Rows)
				c.sparkRow(&row, q.Fields[p])
				v.Rows = append(v.Rows, row)
			} else if on {
				v.Hidden++
			}
			below := walk(c, depth+1, on && !row.Collapsed)
			if at >= 0 {
				v.Rows[at].Inside = below
			}
			inside = inside || below || row.Match
		}
		return inside
	}
	walk(&t.root, 0, true)
	return v
}

// mark sets found on the levels whose topic name contains text (in lower
// case) and on the levels above them, counts in *topics the topics found,
// and reports whether it found any level below n.
func (n *tnode) mark(text string, topics *int) bool {
	found := false
	for _, c := range n.children {
		hit := strings.Contains(strings.ToLower(c.path), text)
		if hit && (c.count > 0 || c.retained) {
			*topics++
		}
		c.found = c.mark(text, topics) || hit
		found = found || c.found
	}
	return found
}

// sortedNames returns the names of n's children in order (a loop, not
// slices.Sorted(maps.Keys(…)): see cloneMap).
func (n *tnode) sortedNames() []string {
	names := make([]string, 0, len(n.children))
	for name := range n.children {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
