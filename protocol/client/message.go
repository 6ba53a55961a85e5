package client

import (
	"slices"
	"sync"

	"github.com/mqttlab/mqttlab/protocol"
)

// Message is an application message, sent with Publish or received by a
// Handler.
type Message struct {
	Topic   string
	Payload []byte
	QoS     protocol.QoS
	Retain  bool
	// Props are the 5.0 PUBLISH properties: payload format, message
	// expiry, content type, response topic, correlation data, user
	// properties; on receipt also the subscription identifiers and the
	// topic alias the server used (Topic is then already resolved).
	// Ignored by 3.1 and 3.1.1.
	Props protocol.Properties

	// Dup and PacketID are set on received messages: a message with Dup
	// may have been delivered before (QoS 1).
	Dup      bool
	PacketID uint16
}

// Handler receives messages. Handlers run one at a time on the client's
// delivery goroutine, in the order the messages arrived; a QoS 1 or 2
// message is acknowledged when its handlers have returned. A received
// Message and its bytes belong to the handler.
//
// A handler may call the Client, including Publish with QoS 1 or 2 waiting
// for the acknowledgement: the reader keeps reading while handlers run.
type Handler func(*Message)

// route is one subscription's handler.
type route struct {
	filter string // as subscribed, e.g. "$share/g/a/+"
	match  string // the filter messages are matched against: "a/+"
	subID  uint32 // 5.0 subscription identifier, 0 for none
	h      Handler
}

// router finds the handlers of a message: by subscription identifier when
// the server sends identifiers that name routes, else by topic filter.
type router struct {
	mu     sync.RWMutex
	routes []*route
}

// add installs (or replaces) the handler of filter and returns the route
// it replaced, if any.
func (r *router) add(rt *route) *route {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, old := range r.routes {
		if old.filter == rt.filter {
			r.routes[i] = rt
			return old
		}
	}
	r.routes = append(r.routes, rt)
	return nil
}

// remove deletes the route of filter; if only is not nil, only when it is
// still that route.
func (r *router) remove(filter string, only *route) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.routes = slices.DeleteFunc(r.routes, func(rt *route) bool {
		return rt.filter == filter && (only == nil || rt == only)
	})
}

// handlers appends the handlers m goes to.
func (r *router) handlers(dst []Handler, m *Message) []Handler {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if ids := m.Props.SubscriptionIDs; len(ids) > 0 {
		for _, rt := range r.routes {
			if rt.h != nil && rt.subID != 0 && slices.Contains(ids, rt.subID) {
				dst = append(dst, rt.h)
			}
		}
		if len(dst) > 0 {
			return dst
		}
	}
	for _, rt := range r.routes {
		if rt.h != nil && protocol.Match(rt.match, m.Topic) {
			dst = append(dst, rt.h)
		}
	}
	return dst
}

// matchFilter is the part of a filter messages match: the filter of a
// shared subscription, the filter itself otherwise.
func matchFilter(filter string) string {
	if _, f, ok := protocol.ParseShared(filter); ok {
		return f
	}
	return filter
}
