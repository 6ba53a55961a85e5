package broker

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mqttlab/mqttlab/protocol"
)

// subscription is one topic filter of one session, with its options. It is
// immutable once in the tree: changing options replaces it.
type subscription struct {
	sess    *session
	filter  string // as subscribed, $share/{group}/ included
	group   string // share group, "" when not shared
	qos     protocol.QoS
	noLocal bool
	rap     bool   // retain as published
	rh      byte   // retain handling
	id      uint32 // subscription identifier, 0 for none
}

// node is one level of the subscription tree.
type node struct {
	children map[string]*node
	subs     []*subscription        // non-shared subscriptions whose filter ends here
	groups   map[string]*shareGroup // shared subscriptions whose filter ends here
}

// shareGroup is the members of $share/{group}/{filter}; each message goes
// to one of them, in turn.
type shareGroup struct {
	members []*subscription
	next    atomic.Uint32
}

// topicTree holds every subscription, indexed by filter level, so that
// matching a topic visits only the branches that can match it.
type topicTree struct {
	mu    sync.RWMutex
	root  node
	count int
}

// add inserts sub, replacing the session's subscription to the same filter.
// It reports whether one was replaced.
func (t *topicTree) add(sub *subscription) (replaced bool) {
	_, filter, _ := protocol.ParseShared(sub.filter)
	t.mu.Lock()
	defer t.mu.Unlock()
	n := &t.root
	for level := range strings.SplitSeq(filter, "/") {
		c := n.children[level]
		if c == nil {
			if n.children == nil {
				n.children = make(map[string]*node)
			}
			c = &node{}
			n.children[level] = c
		}
		n = c
	}
	if sub.group == "" {
		for i, s := range n.subs {
			if s.sess == sub.sess {
				n.subs[i] = sub
				return true
			}
		}
		n.subs = append(n.subs, sub)
	} else {
		g := n.groups[sub.group]
		if g == nil {
			if n.groups == nil {
				n.groups = make(map[string]*shareGroup)
			}
			g = &shareGroup{}
			n.groups[sub.group] = g
		}
		for i, s := range g.members {
			if s.sess == sub.sess {
				g.members[i] = sub
				return true
			}
		}
		g.members = append(g.members, sub)
	}
	t.count++
	return false
}

// remove deletes the session's subscription to filter and prunes empty
// branches. It reports whether there was one.
func (t *topicTree) remove(sess *session, fullFilter string) bool {
	group, filter, _ := protocol.ParseShared(fullFilter)
	t.mu.Lock()
	defer t.mu.Unlock()
	path := make([]*node, 0, 8)
	levels := strings.Split(filter, "/")
	n := &t.root
	for _, level := range levels {
		path = append(path, n)
		if n = n.children[level]; n == nil {
			return false
		}
	}
	found := false
	if group == "" {
		for i, s := range n.subs {
			if s.sess == sess {
				n.subs = append(n.subs[:i], n.subs[i+1:]...)
				found = true
				break
			}
		}
	} else if g := n.groups[group]; g != nil {
		for i, s := range g.members {
			if s.sess == sess {
				g.members = append(g.members[:i], g.members[i+1:]...)
				found = true
				break
			}
		}
		if len(g.members) == 0 {
			delete(n.groups, group)
		}
	}
	if !found {
		return false
	}
	t.count--
	// Prune nodes left empty, from the leaf up.
	for i := len(levels) - 1; i >= 0; i-- {
		if len(n.subs) > 0 || len(n.groups) > 0 || len(n.children) > 0 {
			break
		}
		parent := path[i]
		delete(parent.children, levels[i])
		n = parent
	}
	return true
}

// match appends to out every subscription matching topic: all non-shared
// ones, and for each share group the member whose turn it is (preferring
// members whose client is online).
func (t *topicTree) match(topic string, out []*subscription) []*subscription {
	t.mu.RLock()
	out = t.root.matchLevel(topic, true, out)
	t.mu.RUnlock()
	return out
}

func (n *node) matchLevel(topic string, first bool, out []*subscription) []*subscription {
	level, rest, more := strings.Cut(topic, "/")
	// Wildcards at the first level never match topics starting with '$'.
	if !first || !strings.HasPrefix(level, "$") { // [MQTT-4.7.2-1]
		if h := n.children["#"]; h != nil {
			out = h.collect(out)
		}
		if p := n.children["+"]; p != nil {
			out = p.matchNext(rest, more, out)
		}
	}
	if c := n.children[level]; c != nil && level != "+" && level != "#" {
		out = c.matchNext(rest, more, out)
	}
	return out
}

func (n *node) matchNext(rest string, more bool, out []*subscription) []*subscription {
	if more {
		return n.matchLevel(rest, false, out)
	}
	out = n.collect(out)
	if h := n.children["#"]; h != nil { // "a/#" matches "a"
		out = h.collect(out)
	}
	return out
}

func (n *node) collect(out []*subscription) []*subscription {
	out = append(out, n.subs...)
	for _, g := range n.groups {
		if m := g.pick(); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// pick returns the member whose turn it is, skipping offline members when
// an online one exists: a member that leaves hands its share to the others.
func (g *shareGroup) pick() *subscription {
	members := g.members
	if len(members) == 0 {
		return nil
	}
	start := int(g.next.Add(1)-1) % len(members)
	for i := range members {
		m := members[(start+i)%len(members)]
		if m.sess.online.Load() {
			return m
		}
	}
	return members[start]
}

// size is the number of subscriptions.
func (t *topicTree) size() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.count
}

// anyMatch reports whether any subscription matches topic, without
// taking a turn in share groups.
func (t *topicTree) anyMatch(topic string) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.root.anyLevel(topic, true)
}

func (n *node) anyLevel(topic string, first bool) bool {
	level, rest, more := strings.Cut(topic, "/")
	if !first || !strings.HasPrefix(level, "$") {
		if h := n.children["#"]; h != nil && h.hasSubs() {
			return true
		}
		if p := n.children["+"]; p != nil && p.anyNext(rest, more) {
			return true
		}
	}
	c := n.children[level]
	return c != nil && level != "+" && level != "#" && c.anyNext(rest, more)
}

func (n *node) anyNext(rest string, more bool) bool {
	if more {
		return n.anyLevel(rest, false)
	}
	if n.hasSubs() {
		return true
	}
	h := n.children["#"]
	return h != nil && h.hasSubs()
}

func (n *node) hasSubs() bool { return len(n.subs) > 0 || len(n.groups) > 0 }
