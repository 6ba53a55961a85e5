package flow

import (
	"encoding/json"
	"fmt"
)

// The broker's telemetry topics the model reads (server/broker/TELEMETRY.md
// documents their JSON).
const (
	TopicRoute         = "$SYS/lab/route"
	TopicClients       = "$SYS/lab/clients"
	TopicSubscriptions = "$SYS/lab/subscriptions"
	TopicSessions      = "$SYS/lab/sessions"
	TopicRetained      = "$SYS/lab/retained"
)

// Topics lists the telemetry topics a feed subscribes to for the model.
var Topics = []string{TopicRoute, TopicClients, TopicSubscriptions, TopicSessions, TopicRetained}

// Route is one routed PUBLISH: who sent it, and which sessions got it,
// hold it, or did not get it and why.
type Route struct {
	TS        int64    `json:"ts"`
	From      string   `json:"from"`
	Topic     string   `json:"topic"`
	QoS       int      `json:"qos"`
	Retain    bool     `json:"retain"`
	Size      int      `json:"size"`
	Delivered []Target `json:"delivered"`
	Queued    []string `json:"queued"`
	Dropped   []Drop   `json:"dropped"`
	// Refused says why the broker refused the publish itself; it then has
	// no targets.
	Refused string `json:"refused"`
	// Replay marks a retained message sent to a new subscription.
	Replay bool `json:"retainedReplay"`
	// Sampled says the event stands for 1 in Sampled routed messages: the
	// broker samples its route events under load.
	Sampled int `json:"sampled"`
}

// Target is a session a message was written to, at the QoS it got.
type Target struct {
	Client string `json:"client"`
	QoS    int    `json:"qos"`
	// Shared says the session got it as one member of a shared
	// subscription, whose members take turns.
	Shared bool `json:"shared"`
}

// Drop is a session that did not get a message, and why.
type Drop struct {
	Client string `json:"client"`
	Reason string `json:"reason"`
}

// ClientEvent is a connection coming up, going down, being refused, or a
// session ending.
type ClientEvent struct {
	TS             int64  `json:"ts"`
	Event          string `json:"event"` // connected, disconnected, refused, session-ended
	Client         string `json:"client"`
	Clean          bool   `json:"clean"`
	SessionPresent bool   `json:"sessionPresent"`
	Code           string `json:"code"`
	Reason         string `json:"reason"`
	WillFired      bool   `json:"willFired"`
	// Lost counts the queued messages discarded with an ended session.
	Lost int `json:"lost"`
}

// SubscriptionEvent is a subscription added, removed or refused.
type SubscriptionEvent struct {
	TS     int64  `json:"ts"`
	Event  string `json:"event"` // added, removed, "refused: <why>"
	Client string `json:"client"`
	Filter string `json:"filter"`
	QoS    int    `json:"qos"`
}

// RetainedEvent is a retained message set, replaced, deleted or expired.
type RetainedEvent struct {
	TS    int64  `json:"ts"`
	Event string `json:"event"`
	Topic string `json:"topic"`
	Size  int    `json:"size"`
}

// Sessions is the broker's snapshot of its sessions, sent every second.
type Sessions struct {
	TS            int64     `json:"ts"`
	Clients       int       `json:"clients"`
	Sessions      int       `json:"sessions"`
	Retained      int       `json:"retained"`
	Received      uint64    `json:"received"`
	Sent          uint64    `json:"sent"`
	Dropped       uint64    `json:"dropped"`
	TelemetryLost uint64    `json:"telemetryLost"`
	List          []Session `json:"list"`
	// Truncated says the list does not name every session.
	Truncated bool `json:"truncated"`
}

// Session is one session of a Sessions snapshot.
type Session struct {
	Client        string   `json:"client"`
	Online        bool     `json:"online"`
	Version       string   `json:"version"`
	Queued        int      `json:"queued"`
	Inflight      int      `json:"inflight"`
	Dropped       uint64   `json:"dropped"`
	Subscriptions []string `json:"subscriptions"`
	// Expiry is the session expiry interval in seconds, -1 for never; 0
	// means the session ends with its connection.
	Expiry int64 `json:"expiry"`
}

// Decode parses a telemetry message by its topic into a *Route,
// *ClientEvent, *SubscriptionEvent, *RetainedEvent or *Sessions.
func Decode(topic string, payload []byte) (any, error) {
	var ev any
	switch topic {
	case TopicRoute:
		ev = &Route{}
	case TopicClients:
		ev = &ClientEvent{}
	case TopicSubscriptions:
		ev = &SubscriptionEvent{}
	case TopicSessions:
		ev = &Sessions{}
	case TopicRetained:
		ev = &RetainedEvent{}
	default:
		return nil, fmt.Errorf("flow: %q is not a telemetry topic the diagram reads", topic)
	}
	if err := json.Unmarshal(payload, ev); err != nil {
		return nil, fmt.Errorf("flow: %s: %w", topic, err)
	}
	return ev, nil
}
