package auth

import (
	"strconv"
	"strings"
)

// Access is what a client wants to do with a topic. Values combine with |;
// a check of several accesses allows only if each is allowed.
type Access uint8

const (
	// Read is receiving a message: checked against the message's topic
	// before each delivery, live or retained.
	Read Access = 1 << iota
	// Write is publishing: checked against the topic of each PUBLISH, and
	// of the will message when it is to be published. (mosquitto accepts a
	// CONNECT whose will it may not publish, and drops the will then.)
	Write
	// Subscribe is sending a SUBSCRIBE for a filter. The acl_file never
	// refuses one (see the package documentation): Read decides what the
	// subscription delivers.
	Subscribe
)

func (a Access) String() string {
	if a == 0 {
		return "none"
	}
	var parts []string
	for _, x := range [...]struct {
		bit  Access
		name string
	}{{Read, "read"}, {Write, "write"}, {Subscribe, "subscribe"}} {
		if a&x.bit != 0 {
			parts = append(parts, x.name)
			a &^= x.bit
		}
	}
	if a != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(uint64(a), 16))
	}
	return strings.Join(parts, "|")
}

// Identity is who a client is, for the ACL: the user name it logged in
// with and its client ID (the one the broker assigned, if the client sent
// none; %c stands for it).
type Identity struct {
	Username string
	// Anonymous marks a client that connected without a user name: it gets
	// the rules before the first "user" line, and patterns with %u do not
	// apply to it. A client that sent an empty user name is not anonymous.
	Anonymous bool
	ClientID  string
}

// ACL is a parsed ACL file (see the package documentation). It is
// immutable and safe for concurrent use. A nil *ACL stands for no ACL
// file: everything is allowed except the rules on "$SYS" and "$share"
// topics that hold for every client.
type ACL struct {
	anon     *node            // topic rules before the first "user" line
	users    map[string]*node // topic rules of each user
	patterns []pattern        // in file order
}

// pattern is one "pattern" line, its filter not yet substituted.
type pattern struct {
	filter   string
	grant    grant
	username bool // the filter has %u: skipped for anonymous clients
}

// For binds the ACL to one client, doing once what every check of that
// client would otherwise repeat: finding its section and substituting its
// client ID and user name into the patterns. The broker makes one at
// CONNECT and keeps it for the session. The result is immutable and safe
// for concurrent use (deliveries to a client are checked from the
// publishers' goroutines). For on a nil *ACL returns nil, which is a valid
// *ClientACL.
func (a *ACL) For(id Identity) *ClientACL {
	if a == nil {
		return nil
	}
	c := &ClientACL{
		patterned: len(a.patterns) > 0,
		// [CVE-2017-7650] A '+' or '#' in a name substituted into a pattern
		// would widen the pattern into a wildcard.
		dangerous: strings.ContainsAny(id.ClientID, "+#") ||
			!id.Anonymous && strings.ContainsAny(id.Username, "+#"),
	}
	if id.Anonymous {
		c.rules = a.anon
	} else {
		c.rules = a.users[id.Username]
	}
	if c.patterned && !c.dangerous {
		c.patterns = &node{}
		for _, p := range a.patterns {
			if p.username && id.Anonymous {
				continue
			}
			c.patterns.insert(substitute(p.filter, id), p.grant)
		}
	}
	return c
}

// Allow reports whether the client id may have access to topic. It binds
// the ACL to the client on each call; a broker checking the same client
// again and again uses For once and ClientACL.Allow.
func (a *ACL) Allow(id Identity, topic string, access Access) bool {
	return a.For(id).Allow(topic, access)
}

// substitute replaces %c and %u in a pattern, scanning left to right as
// mosquitto does (the text is replaced anywhere, not only as a whole
// level).
func substitute(filter string, id Identity) string {
	if !strings.Contains(filter, "%") {
		return filter
	}
	var b strings.Builder
	for i := 0; i < len(filter); i++ {
		if filter[i] == '%' && i+1 < len(filter) {
			switch {
			case filter[i+1] == 'c':
				b.WriteString(id.ClientID)
				i++
				continue
			case filter[i+1] == 'u' && !id.Anonymous:
				b.WriteString(id.Username)
				i++
				continue
			}
		}
		b.WriteByte(filter[i])
	}
	return b.String()
}

// ClientACL is an ACL bound to one client by ACL.For. A nil *ClientACL
// applies no ACL file, like a nil *ACL; the zero ClientACL is an ACL file
// without rules, which denies all reading and writing.
type ClientACL struct {
	rules     *node // the client's section; nil if it has none
	patterned bool  // the file has patterns
	dangerous bool  // '+' or '#' in the user name or client ID
	patterns  *node // the patterns, substituted for this client
}

// Allow reports whether the client may have access to topic, a topic name
// for Read and Write (an empty name or one with wildcards is never
// allowed) and a filter for Subscribe. It does not allocate.
func (c *ClientACL) Allow(topic string, access Access) bool {
	if access == 0 || access&^(Read|Write|Subscribe) != 0 {
		return false
	}
	for _, a := range [...]Access{Read, Write} {
		if access&a != 0 && !c.allow(topic, a) {
			return false
		}
	}
	return true // Subscribe: never refused, see the package documentation
}

// allow decides Read or Write.
func (c *ClientACL) allow(topic string, a Access) bool {
	if topic == "" || strings.ContainsAny(topic, "+#") {
		return false
	}
	if !dollarAllows(topic, a) {
		return false
	}
	if c == nil {
		return true
	}
	want := grantRead
	if a == Write {
		want = grantWrite
	}
	g := c.rules.match(topic)
	if g&grantDeny != 0 {
		return false
	}
	if g&want != 0 {
		return true
	}
	if !c.patterned || c.dangerous {
		return false
	}
	g = c.patterns.match(topic)
	return g&grantDeny == 0 && g&want != 0
}

// dollarAllows applies mosquitto's rules for '$' topics, which hold with
// or without an ACL file. They compare prefixes, not levels: "$SYSTEM/x"
// is protected like "$SYS/x", and "$shared/x" like "$share/x".
func dollarAllows(topic string, a Access) bool {
	if len(topic) == 0 || topic[0] != '$' {
		return true
	}
	switch {
	case strings.HasPrefix(topic, "$SYS"):
		// Only bridges report their state in $SYS.
		return a != Write || isBridgeState(topic)
	case strings.HasPrefix(topic, "$share"):
		// A shared subscription is a filter, never a topic to read or write.
		return false
	}
	return true
}

// isBridgeState reports whether topic matches $SYS/broker/connection/+/state.
func isBridgeState(topic string) bool {
	rest, ok := strings.CutPrefix(topic, "$SYS/broker/connection/")
	if !ok {
		return false
	}
	_, last, ok := strings.Cut(rest, "/")
	return ok && last == "state"
}

// MayRead reports whether a subscription to filter could deliver anything
// to the client: whether some topic matching filter is granted read by the
// client's section or patterns. Denies are not considered (they are
// applied to each message, by Allow with Read). mosquitto's acl_file grants
// every SUBSCRIBE and filters the deliveries; a broker that wants to refuse
// a subscription which can never deliver anything asks MayRead.
func (c *ClientACL) MayRead(filter string) bool {
	if filter == "" || strings.HasPrefix(filter, "$share") {
		return false
	}
	if c == nil {
		return true
	}
	if c.rules.overlapsRead(filter, true) {
		return true
	}
	return c.patterned && !c.dangerous && c.patterns.overlapsRead(filter, true)
}

// overlapsRead reports whether some filter below n that grants read
// matches a topic that filter (the rest of a subscription's filter) also
// matches. first says n is the root, where wildcards do not meet '$'
// levels [MQTT-4.7.2-1].
func (n *node) overlapsRead(filter string, first bool) bool {
	if n == nil {
		return false
	}
	level, rest, more := strings.Cut(filter, "/")
	dollar := first && strings.HasPrefix(level, "$")
	if n.hash&grantRead != 0 && !dollar {
		return true // an ACL "#" here meets whatever the filter continues with
	}
	switch level {
	case "#":
		return n.anyRead(first)
	case "+":
		for name, c := range n.children {
			if first && strings.HasPrefix(name, "$") {
				continue
			}
			if c.overlapsAfter(rest, more) {
				return true
			}
		}
		return n.plus.overlapsAfter(rest, more)
	}
	if n.children[level].overlapsAfter(rest, more) {
		return true
	}
	return !dollar && n.plus.overlapsAfter(rest, more)
}

func (n *node) overlapsAfter(rest string, more bool) bool {
	if n == nil {
		return false
	}
	if !more {
		return (n.exact|n.hash)&grantRead != 0
	}
	return n.overlapsRead(rest, false)
}

// anyRead reports whether n, or anything below it, grants read: what a
// subscription's "#" at n meets ("a/#" also matches "a" itself, unless n
// is the root).
func (n *node) anyRead(root bool) bool {
	if n == nil {
		return false
	}
	if (n.hash|n.exact)&grantRead != 0 && !root {
		return true
	}
	if n.hash&grantRead != 0 {
		return true
	}
	for name, c := range n.children {
		if root && strings.HasPrefix(name, "$") {
			continue
		}
		if c.anyRead(false) {
			return true
		}
	}
	return n.plus.anyRead(false)
}
