package app

import (
	"testing"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// The messages lessons 1 to 6 name by building their keys are defined.
func TestLessons1to6DynamicKeys(t *testing.T) {
	var keys []string
	for _, y := range historyYears {
		keys = append(keys, "lesson.history.y"+y)
	}
	for _, k := range historyNotes {
		keys = append(keys, k)
	}
	for _, s := range []struct {
		key   string
		steps int
	}{{"lesson.intro", 3}, {"lesson.history", 2}} {
		for i := 1; i <= s.steps; i++ {
			keys = append(keys, s.key+".s"+string(rune('0'+i)))
		}
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("message %q is not defined", k)
		}
	}
}

// pk is a packet of a lesson's log: client name sent (Out) or received
// (In) p.
func pk(name string, dir client.Direction, p protocol.Packet) store.Packet {
	return store.Packet{Client: name, TapEvent: client.TapEvent{Dir: dir, Packet: p}}
}

func pub(topic, payload string) *protocol.Publish {
	return &protocol.Publish{Version: protocol.V5, Topic: topic, Payload: []byte(payload), QoS: 1}
}

func TestIntroDone(t *testing.T) {
	temp, set, fan := introTopic("temperature"), introTopic("fan/set"), introTopic("fan")
	reading := []store.Packet{
		pk(introDevice, client.Out, pub(temp, "21.5")),
		pk(introCloud, client.In, pub(temp, "21.5")),
	}
	command := []store.Packet{
		pk(introCloud, client.Out, pub(set, "on")),
		pk(introDevice, client.In, pub(set, "on")),
	}
	reaction := []store.Packet{
		pk(introDevice, client.Out, pub(fan, "on")),
		pk(introCloud, client.In, pub(fan, "on")),
	}
	cat := func(parts ...[]store.Packet) []store.Packet {
		var out []store.Packet
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, c := range []struct {
		name string
		ps   []store.Packet
		want bool
	}{
		{"everything", cat(reading, command, reaction), true},
		{"command first", cat(command, reaction, reading), true},
		{"no reading", cat(command, reaction), false},
		{"reading not received", cat(reading[:1], command, reaction), false},
		{"no command", cat(reading, reaction), false},
		{"command not received", cat(reading, command[:1], reaction), false},
		{"no reaction", cat(reading, command), false},
		{"reaction before the command", cat(reading, reaction, command), false},
		{"reaction not received", cat(reading, command, reaction[:1]), false},
		{"reaction of another state", cat(reading, command, []store.Packet{
			pk(introDevice, client.Out, pub(fan, "off")), pk(introCloud, client.In, pub(fan, "off"))}), false},
	} {
		if got := introDone(c.ps); got != c.want {
			t.Errorf("%s: introDone = %v, want %v", c.name, got, c.want)
		}
	}
}

// The fields that differ between the versions are the ones that changed:
// the protocol's name and level in CONNECT, the property length of 5.0.
func TestHistoryDiffers(t *testing.T) {
	e := &historyExperiment{}
	e.OnInit()
	want := map[string][]string{
		"CONNECT": {"fixed.remaining_length", "connect.protocol_name.length", "connect.protocol_name", "connect.protocol_level", "properties.length"},
		"PUBLISH": {"fixed.remaining_length", "properties.length"},
	}
	for _, p := range e.packets {
		got := map[string]bool{}
		for i := range historyVersions {
			for _, f := range p.ex[i].Fields {
				if p.differs(i, f) {
					got[f.Key] = true
				}
			}
		}
		if len(got) != len(want[p.name]) {
			t.Errorf("%s: fields that differ %v, want %v", p.name, got, want[p.name])
		}
		for _, k := range want[p.name] {
			if !got[k] {
				t.Errorf("%s: %s does not differ", p.name, k)
			}
			if _, ok := historyNotes[k]; !ok {
				t.Errorf("%s: no note says why %s differs", p.name, k)
			}
		}
	}
	e.topic = "bad/+/topic"
	if err := e.encode(); err == nil {
		t.Error("a topic with a wildcard was encoded")
	}
}
