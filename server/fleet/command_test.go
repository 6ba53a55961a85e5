package fleet

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

const thermostat = `    interval: 10s
    commands:
      topic: c/{index}
      reply_topic: c/{index}/reply
      reboot_delay: 2s
`

const thermoFields = `      temp: {model: random-walk, start: 20, min: 5, max: 30, step: 0.01, decimals: 2}
      level: {model: sine, period: 1h, amplitude: 0, offset: 50, min: 0, max: 100}
      n: {model: counter}
`

// online returns device 0 of a thermostat fleet, started and connected.
func online(t *testing.T, keys string) *Device {
	t.Helper()
	d := NewDevice(oneFleet(t, keys, thermoFields), 0)
	d.Start(t0)
	if act, _ := d.Tick(t0, nil); act != ActionConnect {
		t.Fatalf("first tick = %s", act)
	}
	return d
}

func send(t *testing.T, d *Device, at time.Time, payload string, props protocol.Properties) (*protocol.Publish, Reply, Action, error) {
	t.Helper()
	reply, act, err := d.HandleCommand(at, &protocol.Publish{Topic: "c/1", Payload: []byte(payload), Props: props})
	var r Reply
	if reply != nil {
		if e := json.Unmarshal(reply.Payload, &r); e != nil {
			t.Fatalf("reply is not JSON: %s", reply.Payload)
		}
	}
	return reply, r, act, err
}

func TestCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		payload string
		act     Action
		reply   string // substring of the reply JSON
	}{
		{"json setpoint", `{"cmd":"setpoint","value":22.5}`, ActionNone, `"cmd":"setpoint","ok":true,"field":"temp","setpoint":22.5`},
		{"json setpoint of a field", `{"cmd":"setpoint","field":"level","value":"70"}`, ActionNone, `"field":"level","setpoint":70`},
		{"plain setpoint", "setpoint 21", ActionNone, `"ok":true,"field":"temp","setpoint":21`},
		{"plain setpoint of a field", "  SETPOINT level 40\n", ActionNone, `"field":"level","setpoint":40`},
		{"setpoint out of range", "setpoint 80", ActionNone, `"ok":false,"error":"setpoint: 80 is outside the range of temp [5, 30]"`},
		{"setpoint of a counter", "setpoint n 3", ActionNone, `"error":"setpoint: no field \"n\" takes a setpoint (expected one of: temp, level)"`},
		{"setpoint not a number", "setpoint warm", ActionNone, `"error":"setpoint: expected a number, got \"warm\""`},
		{"interval", "interval 2s", ActionNone, `"ok":true,"interval":"2s"`},
		{"interval in seconds", `{"cmd":"interval","value":30}`, ActionNone, `"interval":"30s"`},
		{"interval too short", "interval 1ms", ActionNone, `"error":"interval: 1ms is out of range (100ms to 24h0m0s)"`},
		{"reboot", "reboot", ActionDisconnect, `"ok":true,"back_in":"2s"`},
		{"offline", `{"cmd":"offline","for":"45s"}`, ActionDisconnect, `"back_in":"45s"`},
		{"offline drop", "offline 1m drop", ActionDrop, `"back_in":"1m0s","drop":true`},
		{"online while online", "online", ActionNone, `"ok":true,"state":"online"`},
		{"status", "status", ActionNone, `"interval":"10s","state":"online","sent":0,"values":{"level":"","n":"","temp":""}`},
		{"unknown", "frobnicate now", ActionNone, `"cmd":"frobnicate","ok":false,"error":"unknown command \"frobnicate\" (expected one of: setpoint, interval, reboot, offline, online, status)"`},
		{"bad json", `{"cmd":`, ActionNone, `"ok":false,"error":"bad JSON command: unexpected EOF`},
		{"unknown json key", `{"cmd":"status","colour":"red"}`, ActionNone, `"error":"bad JSON command: json: unknown field \"colour\" (expected keys: cmd, field, value, for, drop)"`},
		{"json without cmd", `{"value":1}`, ActionNone, `"error":"JSON command without \"cmd\"`},
		{"empty", "   ", ActionNone, `"error":"empty command`},
		{"binary", "\xff\xfe", ActionNone, `"error":"command is not UTF-8 text`},
		{"arguments to reboot", "reboot now", ActionNone, `"error":"reboot takes no arguments"`},
		{"too long", strings.Repeat("x", MaxCommandSize+1), ActionNone, `"error":"command too long: 4097 bytes (at most 4096)"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := online(t, thermostat)
			dueBefore := d.Due()
			reply, _, act, err := send(t, d, t0, tc.payload, protocol.Properties{})
			if reply == nil {
				t.Fatal("no reply")
			}
			if act != tc.act {
				t.Errorf("action = %s, want %s", act, tc.act)
			}
			if !strings.Contains(string(reply.Payload), tc.reply) {
				t.Errorf("reply\n got %s\nwant …%s…", reply.Payload, tc.reply)
			}
			if !strings.HasPrefix(string(reply.Payload), `{"device":"f-001"`) || reply.Topic != "c/1/reply" {
				t.Errorf("reply %s on %s", reply.Payload, reply.Topic)
			}
			if rejected := strings.Contains(string(reply.Payload), `"ok":false`); rejected != (err != nil) {
				t.Errorf("err = %v for reply %s", err, reply.Payload)
			}
			if err != nil && d.Due() != dueBefore {
				t.Errorf("a rejected command moved Due from %v to %v", dueBefore, d.Due())
			}
		})
	}
}

func TestSetpointMovesTheReadings(t *testing.T) {
	t.Parallel()
	d := online(t, thermostat)
	if _, _, _, err := send(t, d, t0, `{"cmd":"setpoint","value":28}`, protocol.Properties{}); err != nil {
		t.Fatal(err)
	}
	ps := publishes(drive(t, d, t0.Add(20*time.Minute), 1000))
	var last struct{ Temp float64 }
	if err := json.Unmarshal([]byte(ps[len(ps)-1]), &last); err != nil {
		t.Fatal(err)
	}
	if last.Temp < 27.5 || last.Temp > 28.5 {
		t.Errorf("20 minutes after setpoint 28 the temperature is %g", last.Temp)
	}
}

func TestIntervalCommandChangesRate(t *testing.T) {
	t.Parallel()
	d := online(t, thermostat+"    jitter: 2s\n")
	send(t, d, t0, "interval 1s", protocol.Properties{})
	if due := d.Due(); !due.Equal(t0.Add(time.Second)) {
		t.Errorf("after interval 1s the next publish is due %v", due)
	}
	es := drive(t, d, t0.Add(time.Minute), 1000)
	if n := len(publishes(es)); n < 55 || n > 65 {
		t.Errorf("%d publishes in a minute at 1s (jitter scaled to 0.2s)", n)
	}
	if d.Interval() != time.Second {
		t.Errorf("Interval = %v", d.Interval())
	}
}

func TestRebootAndOffline(t *testing.T) {
	t.Parallel()
	d := online(t, thermostat)
	_, _, act, _ := send(t, d, t0, "reboot", protocol.Properties{})
	if act != ActionDisconnect || d.State() != Offline || !d.Due().Equal(t0.Add(2*time.Second)) {
		t.Fatalf("reboot: %s, %s, due %v", act, d.State(), d.Due())
	}
	if act, _ := d.Tick(t0.Add(2*time.Second), nil); act != ActionConnect {
		t.Fatalf("after the reboot delay: %s", act)
	}
	_, r, act, _ := send(t, d, t0.Add(3*time.Second), "offline 10m", protocol.Properties{})
	if act != ActionDisconnect || r.BackIn != "10m0s" {
		t.Fatalf("offline: %s %+v", act, r)
	}
	_, r, act, err := send(t, d, t0.Add(4*time.Second), "reboot", protocol.Properties{})
	if err == nil || act != ActionNone || r.OK {
		t.Errorf("reboot while offline: %s %+v", act, r)
	}
	_, _, act, _ = send(t, d, t0.Add(5*time.Second), "online", protocol.Properties{})
	if act != ActionConnect || d.State() != Online {
		t.Errorf("online while offline: %s, %s", act, d.State())
	}
}

func TestRequestResponse(t *testing.T) {
	t.Parallel()
	d := online(t, "    commands:\n      topic: c/{index}\n")
	props := protocol.Properties{ResponseTopic: protocol.Some("app/replies/42"), CorrelationData: protocol.Some([]byte{1, 2, 3})}
	reply, r, _, err := send(t, d, t0, "status", props)
	if err != nil || reply == nil {
		t.Fatalf("status request: %v, %v", reply, err)
	}
	cd, _ := reply.Props.CorrelationData.Get()
	if reply.Topic != "app/replies/42" || string(cd) != "\x01\x02\x03" || reply.Props.ContentType.Or("") != "application/json" || !r.OK {
		t.Errorf("reply %+v", reply)
	}
	reply.PacketID = 1
	if _, err := reply.AppendTo(nil); err != nil {
		t.Errorf("reply does not encode: %v", err)
	}
	// Without a response topic or a reply topic there is nowhere to answer.
	reply, _, _, err = send(t, d, t0, "nonsense", protocol.Properties{})
	if reply != nil || err == nil {
		t.Errorf("unanswerable command: reply %v, err %v", reply, err)
	}
	// A malformed response topic is not used.
	reply, _, _, _ = send(t, d, t0, "status", protocol.Properties{ResponseTopic: protocol.Some("bad/+/topic")})
	if reply != nil {
		t.Errorf("reply sent to an invalid topic %q", reply.Topic)
	}
}

func TestSetpointWithoutCommandsSection(t *testing.T) {
	t.Parallel()
	d := NewDevice(oneFleet(t, "", "      n: {model: counter}\n"), 0)
	_, act, err := d.HandleCommand(t0, &protocol.Publish{Payload: []byte("setpoint 3")})
	if err == nil || act != ActionNone {
		t.Errorf("setpoint on a device without settable fields: %s, %v", act, err)
	}
}
