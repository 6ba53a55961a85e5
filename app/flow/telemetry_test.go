package flow

import (
	"reflect"
	"strings"
	"testing"
)

// The examples of server/broker/TELEMETRY.md decode into what they say.
func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		topic, json string
		want        any
	}{
		{TopicRoute, `{"ts":1,"from":"sensor","topic":"room/k1/temp","qos":1,"retain":false,"size":4,
			"delivered":[{"client":"online","qos":1},{"client":"worker-2","qos":1,"shared":true}],
			"queued":["offline"],"dropped":[{"client":"slow","reason":"connection buffer full (slow consumer)"}],"sampled":1}`,
			&Route{TS: 1, From: "sensor", Topic: "room/k1/temp", QoS: 1, Size: 4,
				Delivered: []Target{{Client: "online", QoS: 1}, {Client: "worker-2", QoS: 1, Shared: true}},
				Queued:    []string{"offline"}, Dropped: []Drop{{Client: "slow", Reason: "connection buffer full (slow consumer)"}}, Sampled: 1}},
		{TopicRoute, `{"ts":2,"from":"x","topic":"t","qos":0,"size":0,"delivered":[],"refused":"not authorized","sampled":1}`,
			&Route{TS: 2, From: "x", Topic: "t", Delivered: []Target{}, Refused: "not authorized", Sampled: 1}},
		{TopicClients, `{"ts":3,"event":"session-ended","client":"k1","reason":"session expired","lost":3}`,
			&ClientEvent{TS: 3, Event: "session-ended", Client: "k1", Reason: "session expired", Lost: 3}},
		{TopicSubscriptions, `{"ts":4,"event":"added","client":"k1","filter":"sensors/+/temp","qos":1}`,
			&SubscriptionEvent{TS: 4, Event: "added", Client: "k1", Filter: "sensors/+/temp", QoS: 1}},
		{TopicRetained, `{"ts":5,"event":"set","topic":"status/k1","size":7}`,
			&RetainedEvent{TS: 5, Event: "set", Topic: "status/k1", Size: 7}},
		{TopicSessions, `{"ts":6,"clients":3,"sessions":4,"retained":12,"received":1234,"sent":2345,"dropped":0,"telemetryLost":0,
			"list":[{"client":"offline","online":false,"version":"5.0","queued":5,"inflight":0,"dropped":0,"subscriptions":["room/#"],"expiry":3600}],"truncated":false}`,
			&Sessions{TS: 6, Clients: 3, Sessions: 4, Retained: 12, Received: 1234, Sent: 2345,
				List: []Session{{Client: "offline", Version: "5.0", Queued: 5, Subscriptions: []string{"room/#"}, Expiry: 3600}}}},
	}
	for _, tt := range tests {
		got, err := Decode(tt.topic, []byte(tt.json))
		if err != nil {
			t.Errorf("%s: %v", tt.topic, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.topic, got, tt.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ topic, json, want string }{
		{"$SYS/lab/nope", `{}`, "not a telemetry topic"},
		{TopicRoute, `{"ts":`, "$SYS/lab/route"},
		{TopicSessions, `{"list":3}`, "$SYS/lab/sessions"},
	} {
		_, err := Decode(tt.topic, []byte(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%s, %s) = %v, want an error naming %q", tt.topic, tt.json, err, tt.want)
		}
	}
}
