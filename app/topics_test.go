package app

import (
	"testing"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

func TestTopicPrefills(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		row      store.TopicRow
		sub, pub store.Prefill
	}{
		{"leaf", store.TopicRow{Path: "home/temp", Topic: true, Preview: "21.5"},
			store.Prefill{Filter: "home/temp"}, store.Prefill{Topic: "home/temp", Payload: "21.5"}},
		// A branch is subscribed to with everything below it.
		{"branch", store.TopicRow{Path: "home", Children: 2},
			store.Prefill{Filter: "home/#"}, store.Prefill{Topic: "home"}},
		{"topic with levels below", store.TopicRow{Path: "home", Topic: true, Children: 1, Preview: "on"},
			store.Prefill{Filter: "home/#"}, store.Prefill{Topic: "home", Payload: "on"}},
		// Only a whole text payload is worth starting from.
		{"cut", store.TopicRow{Path: "a", Topic: true, Preview: "{\"t\":1", Cut: true},
			store.Prefill{Filter: "a"}, store.Prefill{Topic: "a"}},
		{"binary", store.TopicRow{Path: "a", Topic: true, Preview: "00ff", Binary: true},
			store.Prefill{Filter: "a"}, store.Prefill{Topic: "a"}},
	} {
		if sub, pub := topicPrefills(tc.row); sub != tc.sub || pub != tc.pub {
			t.Errorf("%s: %+v, %+v; want %+v, %+v", tc.name, sub, pub, tc.sub, tc.pub)
		}
	}
}

func TestFieldName(t *testing.T) {
	t.Parallel()
	if got := fieldName(i18n.En, ""); got != "value" {
		t.Errorf("the field of a plain number is called %q", got)
	}
	if got := fieldName(i18n.Zh, "battery.voltage_v"); got != "battery.voltage_v" {
		t.Errorf("a JSON field is called %q", got)
	}
}
