package broker

import (
	"strings"
	"sync"
)

// retainedStore keeps the last retained message of every topic, in a tree
// by topic level so that a subscription's filter finds its messages without
// scanning every topic.
type retainedStore struct {
	mu    sync.RWMutex
	root  rnode
	count int
}

type rnode struct {
	children map[string]*rnode
	msg      *message
}

// set stores m as the retained message of its topic, or deletes the
// topic's retained message when m's payload is empty (§3.3.1.3). It
// reports the change: +1 stored new, 0 replaced or nothing, -1 deleted.
func (r *retainedStore) set(m *message) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	levels := strings.Split(m.topic, "/")
	if len(m.payload) == 0 {
		return r.remove(levels)
	}
	n := &r.root
	for _, level := range levels {
		c := n.children[level]
		if c == nil {
			if n.children == nil {
				n.children = make(map[string]*rnode)
			}
			c = &rnode{}
			n.children[level] = c
		}
		n = c
	}
	fresh := n.msg == nil
	n.msg = m
	if fresh {
		r.count++
		return 1
	}
	return 0
}

func (r *retainedStore) remove(levels []string) int {
	path := make([]*rnode, 0, len(levels)+1)
	n := &r.root
	for _, level := range levels {
		path = append(path, n)
		if n = n.children[level]; n == nil {
			return 0
		}
	}
	if n.msg == nil {
		return 0
	}
	n.msg = nil
	r.count--
	for i := len(levels) - 1; i >= 0 && n.msg == nil && len(n.children) == 0; i-- {
		delete(path[i].children, levels[i])
		n = path[i]
	}
	return -1
}

// match appends the retained messages whose topics match filter (a plain
// filter: shared subscriptions get no retained messages). Expired messages
// are skipped.
func (r *retainedStore) match(filter string, now int64, out []*message) []*message {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.root.match(filter, true, now, out)
}

func (n *rnode) match(filter string, first bool, now int64, out []*message) []*message {
	level, rest, more := strings.Cut(filter, "/")
	switch level {
	case "#":
		// "a/#" also matches "a" itself, which is n (but not at the root).
		if !first && n.msg != nil && !n.msg.expired(now) {
			out = append(out, n.msg)
		}
		for name, c := range n.children {
			if first && strings.HasPrefix(name, "$") {
				continue // [MQTT-4.7.2-1]
			}
			out = c.all(now, out)
		}
	case "+":
		for name, c := range n.children {
			if first && strings.HasPrefix(name, "$") {
				continue // [MQTT-4.7.2-1]
			}
			out = c.next(rest, more, now, out)
		}
	default:
		if c := n.children[level]; c != nil {
			out = c.next(rest, more, now, out)
		}
	}
	return out
}

func (n *rnode) next(rest string, more bool, now int64, out []*message) []*message {
	if more {
		return n.match(rest, false, now, out)
	}
	if n.msg != nil && !n.msg.expired(now) {
		out = append(out, n.msg)
	}
	return out
}

func (n *rnode) all(now int64, out []*message) []*message {
	if n.msg != nil && !n.msg.expired(now) {
		out = append(out, n.msg)
	}
	for _, c := range n.children {
		out = c.all(now, out)
	}
	return out
}

// size is the number of retained messages (expired ones included until
// they are swept).
func (r *retainedStore) size() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.count
}

// sweep deletes expired retained messages and returns their topics.
func (r *retainedStore) sweep(now int64) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var gone []string
	var visit func(n *rnode)
	visit = func(n *rnode) {
		if n.msg != nil && n.msg.expired(now) {
			gone = append(gone, n.msg.topic)
		}
		for _, c := range n.children {
			visit(c)
		}
	}
	visit(&r.root)
	for _, t := range gone {
		r.remove(strings.Split(t, "/"))
	}
	return gone
}
