package fleet

import (
	"fmt"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

var t0 = time.Date(2025, 11, 25, 12, 0, 0, 0, time.UTC)

// load compiles a scenario document or fails the test.
func load(t testing.TB, doc string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Load("test.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("Load:\n%v", err)
	}
	return s
}

// oneFleet is a scenario of one fleet with the given keys and fields.
func oneFleet(t testing.TB, keys, fields string) *scenario.Fleet {
	t.Helper()
	return load(t, "name: t\nseed: 1\nfleets:\n  - name: f\n    count: 3\n    topic: t/{index}\n"+keys+"    fields:\n"+fields).Fleets[0]
}

// event is one thing a device did.
type event struct {
	at      time.Time
	act     Action
	topic   string
	payload string
}

func (e event) String() string {
	return fmt.Sprintf("%s %s %s %s", e.at.Format("15:04:05.000"), e.act, e.topic, e.payload)
}

// drive runs d from its due time until `until` (at most max events),
// calling Tick exactly at each due time, as a perfect scheduler would.
func drive(t testing.TB, d *Device, until time.Time, max int) []event {
	t.Helper()
	var out []event
	buf := make([]byte, 0, 256)
	for range max {
		due := d.Due()
		if due.IsZero() || due.After(until) {
			return out
		}
		act, m := d.Tick(due, buf)
		buf = m.Buf
		e := event{at: due, act: act}
		if act == ActionPublish {
			e.topic, e.payload = string(m.Topic), string(m.Payload)
		}
		out = append(out, e)
	}
	t.Fatalf("more than %d events before %s", max, until)
	return nil
}

// publishes returns the payloads of the publish events.
func publishes(es []event) []string {
	var out []string
	for _, e := range es {
		if e.act == ActionPublish {
			out = append(out, e.payload)
		}
	}
	return out
}
