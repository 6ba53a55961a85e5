package app

import (
	"testing"
	"time"

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
	}{{"lesson.intro", 3}, {"lesson.history", 2}, {"lesson.pubsub", 3}, {"lesson.space", 3}, {"lesson.time", 4}, {"lesson.sync", 3}} {
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

// cat joins parts of a log.
func cat(parts ...[]store.Packet) []store.Packet {
	var out []store.Packet
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// sent is a PUBLISH from one client received by others, in that order.
func sent(from string, p *protocol.Publish, to ...string) []store.Packet {
	out := []store.Packet{pk(from, client.Out, p)}
	for _, name := range to {
		out = append(out, pk(name, client.In, p))
	}
	return out
}

func TestPubsubDone(t *testing.T) {
	ring := func(n string) *protocol.Publish { return pub(pubsubTopic(), "ring #"+n) }
	for _, c := range []struct {
		name string
		ps   []store.Packet
		want bool
	}{
		{"one publish, two subscribers", sent(pubsubBell, ring("1"), pubsubPhone, pubsubSpeaker), true},
		{"one subscriber", sent(pubsubBell, ring("1"), pubsubPhone), false},
		{"two publishes, one subscriber each", cat(sent(pubsubBell, ring("1"), pubsubPhone), sent(pubsubBell, ring("2"), pubsubSpeaker)), false},
		{"another topic", sent(pubsubBell, pub(lessonTopic(3, "other"), "x"), pubsubPhone, pubsubSpeaker), false},
		{"not from the doorbell", sent(pubsubPhone, ring("1"), pubsubPhone, pubsubSpeaker), false},
	} {
		if got := pubsubDone(c.ps); got != c.want {
			t.Errorf("%s: pubsubDone = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSpaceDone(t *testing.T) {
	reading := func(n string) *protocol.Publish { return pub(spaceTopic(), n+" ppm") }
	sub := func(name string) []store.Packet {
		return []store.Packet{pk(name, client.Out, &protocol.Subscribe{Subscriptions: []protocol.Subscription{{Filter: spaceTopic(), QoS: 1}}})}
	}
	bye := func(name string) []store.Packet { return []store.Packet{pk(name, client.Out, &protocol.Disconnect{})} }
	reconnect := []store.Packet{pk(spaceSensor, client.Out, &protocol.Connect{})}
	a, b := spaceAppPrefix+"1", spaceAppPrefix+"2"
	for _, c := range []struct {
		name string
		ps   []store.Packet
		want bool
	}{
		{"added, removed, published on", cat(sent(spaceSensor, reading("1")), sub(a), sub(b), sent(spaceSensor, reading("2"), a, b), bye(a), sent(spaceSensor, reading("3"), b)), true},
		{"removed before the first reading", cat(sub(a), bye(a), sent(spaceSensor, reading("1")), sub(b), sent(spaceSensor, reading("2"), b)), false},
		{"nobody removed", cat(sent(spaceSensor, reading("1")), sub(a), sub(b), sent(spaceSensor, reading("2"), a, b)), false},
		{"no reading after the removal", cat(sent(spaceSensor, reading("1")), sub(a), sub(b), sent(spaceSensor, reading("2"), a, b), bye(a)), false},
		{"the added one is the removed one", cat(sent(spaceSensor, reading("1")), sub(a), sent(spaceSensor, reading("2"), a), bye(a), sent(spaceSensor, reading("3"))), false},
		{"subscribed before the sensor started", cat(sub(a), sub(b), sent(spaceSensor, reading("1"), a, b), bye(a), sent(spaceSensor, reading("2"), b)), false},
		{"the sensor reconnected", cat(sent(spaceSensor, reading("1")), sub(a), sub(b), reconnect, sent(spaceSensor, reading("2"), a, b), bye(a), sent(spaceSensor, reading("3"), b)), false},
	} {
		if got := spaceDone(c.ps); got != c.want {
			t.Errorf("%s: spaceDone = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestTimeDone(t *testing.T) {
	alert := pub(timeAlerts(), "door opened #1")
	off := []store.Packet{pk(timePhone, client.Out, &protocol.Disconnect{})}
	back := func(clean, present bool) []store.Packet {
		return []store.Packet{
			pk(timePhone, client.Out, &protocol.Connect{CleanStart: clean}),
			pk(timePhone, client.In, &protocol.Connack{SessionPresent: present}),
		}
	}
	published := []store.Packet{pk(timeSensor, client.Out, alert)}
	delivered := []store.Packet{pk(timePhone, client.In, alert)}
	for _, c := range []struct {
		name string
		ps   []store.Packet
		want bool
	}{
		{"held and delivered", cat(off, published, back(false, true), delivered), true},
		{"never back", cat(off, published), false},
		{"back but not delivered yet", cat(off, published, back(false, true)), false},
		{"published while online", cat(published, off, back(false, true), delivered), false},
		{"published after coming back", cat(off, back(false, true), published, delivered), false},
		{"no session kept", cat(off, published, back(false, false), delivered), false},
		{"clean start", cat(off, published, back(true, false), delivered), false},
	} {
		if got := timeDone(c.ps); got != c.want {
			t.Errorf("%s: timeDone = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSyncDone(t *testing.T) {
	at := func(p store.Packet, d time.Duration) store.Packet {
		p.Time = time.Unix(1000, 0).Add(d)
		return p
	}
	// burst publishes n readings every pubEvery; the archive gets each at
	// once and acknowledges one every ackEvery.
	burst := func(n int, pubEvery, ackEvery time.Duration) []store.Packet {
		var ps []store.Packet
		for i := range n {
			r := pub(syncReadings(), "kW #"+string(rune('a'+i)))
			r.PacketID = uint16(i + 1)
			ps = append(ps, at(pk(syncMeter, client.Out, r), time.Duration(i)*pubEvery), at(pk(syncArchive, client.In, r), time.Duration(i)*pubEvery))
		}
		for i := range n {
			ps = append(ps, at(pk(syncArchive, client.Out, &protocol.Puback{PacketID: uint16(i + 1)}), time.Duration(i+1)*ackEvery))
		}
		return ps
	}
	req := pub(syncTariff(), "tariff now?")
	req.Props.ResponseTopic = protocol.Some("mqttlab/response/x")
	req.Props.CorrelationData = protocol.Some([]byte{1, 2})
	resp := pub("mqttlab/response/x", "0.27 EUR/kWh")
	resp.Props.CorrelationData = protocol.Some([]byte{1, 2})
	other := pub("mqttlab/response/x", "0.27 EUR/kWh")
	other.Props.CorrelationData = protocol.Some([]byte{9})
	answered := []store.Packet{pk(syncApp, client.Out, req), pk(syncApp, client.In, resp)}
	for _, c := range []struct {
		name string
		ps   []store.Packet
		want bool
	}{
		{"fast meter, slow archive, answered", cat(burst(10, 200*time.Millisecond, 800*time.Millisecond), answered), true},
		{"no answer", burst(10, 200*time.Millisecond, 800*time.Millisecond), false},
		{"an answer to another request", cat(burst(10, 200*time.Millisecond, 800*time.Millisecond), []store.Packet{pk(syncApp, client.Out, req), pk(syncApp, client.In, other)}), false},
		{"the archive keeps up", cat(burst(10, 200*time.Millisecond, 210*time.Millisecond), answered), false},
		{"too short a burst", cat(burst(3, 200*time.Millisecond, 800*time.Millisecond), answered), false},
	} {
		if got := syncDone(c.ps); got != c.want {
			t.Errorf("%s: syncDone = %v, want %v", c.name, got, c.want)
		}
	}
}
