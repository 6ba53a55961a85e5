package auth

import "strings"

// grant is what the ACL entries matching a topic say about it: the union
// of their read and write grants, and whether one of them is a deny.
type grant uint8

const (
	grantRead  grant = 1 << iota // "read" or "readwrite"
	grantWrite                   // "write" or "readwrite"
	grantDeny                    // "deny"
)

// node is a trie of topic filters, one level per edge, so that finding
// every filter that matches a topic walks the topic once instead of
// matching it against each filter in turn. The grants of all filters
// ending at a node are merged: a check needs only their union, because in
// mosquitto a matching deny refuses whatever else matches, and any other
// matching entry that grants the access allows it.
type node struct {
	children map[string]*node // literal next levels
	plus     *node            // next level "+"
	exact    grant            // filters ending here
	hash     grant            // filters ending here followed by "/#" (or "#" at the root)
}

// insert adds a valid topic filter with its grant.
func (n *node) insert(filter string, g grant) {
	cur := n
	for {
		level, rest, more := strings.Cut(filter, "/")
		if level == "#" {
			cur.hash |= g
			return
		}
		var next *node
		if level == "+" {
			if cur.plus == nil {
				cur.plus = &node{}
			}
			next = cur.plus
		} else {
			next = cur.children[level]
			if next == nil {
				if cur.children == nil {
					cur.children = make(map[string]*node)
				}
				next = &node{}
				cur.children[level] = next
			}
		}
		cur = next
		if !more {
			cur.exact |= g
			return
		}
		filter = rest
	}
}

// match returns the union of the grants of the filters that match topic
// name topic. '+' matches one level, '#' any number including none ("a/#"
// matches "a"), and a filter starting with a wildcard does not match a
// topic starting with '$' [MQTT-4.7.2-1]. It does not allocate.
func (n *node) match(topic string) grant {
	if n == nil || topic == "" {
		return 0
	}
	return n.collect(topic, topic[0] == '$')
}

// collect matches topic, which still has at least one level, below n.
func (n *node) collect(topic string, dollar bool) grant {
	var g grant
	if !dollar {
		g = n.hash
	}
	level, rest, more := strings.Cut(topic, "/")
	if c := n.children[level]; c != nil {
		g |= c.after(rest, more)
	}
	if n.plus != nil && !dollar {
		g |= n.plus.after(rest, more)
	}
	return g
}

// after continues at n once a level has been matched; more says whether
// the topic has further levels (rest).
func (n *node) after(rest string, more bool) grant {
	if !more {
		return n.exact | n.hash // "a/#" also matches "a"
	}
	return n.collect(rest, false)
}
