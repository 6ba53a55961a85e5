package fleet

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mqttlab/mqttlab/protocol"
)

// commandNames are the commands a device understands, in the order error
// replies name them.
var commandNames = []string{"setpoint", "interval", "reboot", "offline", "online", "status"}

// CommandNames lists the commands a device understands.
func CommandNames() []string { return slices.Clone(commandNames) }

// Limits of commands.
const (
	MaxCommandSize     = 4096
	MinCommandInterval = 100 * time.Millisecond
	MaxCommandInterval = 24 * time.Hour
	MaxOffline         = 24 * time.Hour
	defaultOffline     = 30 * time.Second
)

// command is a parsed command, from JSON or plain text.
type command struct {
	name  string
	field string // setpoint: the field; empty for the fleet's default
	value string // setpoint, interval: the argument as written
	isNum bool   // value was a JSON number
	dur   string // offline: how long
	drop  bool   // offline: abruptly (the will fires)
}

// Reply is the JSON body of a command reply. A request is answered on its
// response topic (5.0, with its correlation data) or else on the fleet's
// reply topic; without either the reply is not sent.
type Reply struct {
	Device   string            `json:"device"`
	Cmd      string            `json:"cmd,omitempty"`
	OK       bool              `json:"ok"`
	Error    string            `json:"error,omitempty"`
	Field    string            `json:"field,omitempty"`
	Setpoint *float64          `json:"setpoint,omitempty"`
	Interval string            `json:"interval,omitempty"`
	BackIn   string            `json:"back_in,omitempty"`
	Drop     bool              `json:"drop,omitempty"`
	State    string            `json:"state,omitempty"`
	Sent     *uint32           `json:"sent,omitempty"`
	Values   map[string]string `json:"values,omitempty"`
}

// HandleCommand applies a command the device received at now (p is the
// PUBLISH that carried it) and returns the reply to publish (nil when
// there is nowhere to send it) and the action the caller must take:
// ActionDisconnect or ActionDrop after publishing the reply for reboot and
// offline, ActionConnect for online while offline, else ActionNone. err
// says why a command was rejected (it is in the reply too); a bad command
// never changes the device. Due may change after any command.
func (d *Device) HandleCommand(now time.Time, p *protocol.Publish) (reply *protocol.Publish, act Action, err error) {
	rep := Reply{Device: d.ClientID()}
	cmd, err := parseCommand(p.Payload)
	if err == nil {
		rep.Cmd = cmd.name
		act, err = d.apply(now.UnixNano(), cmd, &rep)
	}
	if err != nil {
		rep.OK, rep.Error = false, err.Error()
		act = ActionNone
	} else {
		rep.OK = true
	}
	return d.reply(p, &rep), act, err
}

// parseCommand reads a JSON object ({"cmd": "setpoint", "value": 21.5})
// or a line of words (setpoint 21.5).
func parseCommand(payload []byte) (command, error) {
	var c command
	if len(payload) > MaxCommandSize {
		return c, fmt.Errorf("command too long: %d bytes (at most %d)", len(payload), MaxCommandSize)
	}
	if !utf8.Valid(payload) {
		return c, errors.New("command is not UTF-8 text (send JSON such as {\"cmd\":\"status\"} or a line such as \"interval 5s\")")
	}
	text := strings.TrimSpace(string(payload))
	if text == "" {
		return c, errors.New("empty command (expected JSON such as {\"cmd\":\"status\"} or a line such as \"interval 5s\")")
	}
	if text[0] == '{' {
		return parseJSONCommand([]byte(text))
	}
	words := strings.Fields(text)
	c.name = strings.ToLower(words[0])
	args := words[1:]
	switch c.name {
	case "setpoint":
		switch len(args) {
		case 1:
			c.value = args[0]
		case 2:
			c.field, c.value = args[0], args[1]
		default:
			return c, errors.New("usage: setpoint [field] value")
		}
	case "interval":
		if len(args) != 1 {
			return c, errors.New("usage: interval 5s")
		}
		c.value = args[0]
	case "offline":
		for _, a := range args {
			if a == "drop" {
				c.drop = true
			} else if c.dur == "" {
				c.dur = a
			} else {
				return c, errors.New("usage: offline [duration] [drop]")
			}
		}
	default:
		if len(args) > 0 && isCommand(c.name) {
			return c, fmt.Errorf("%s takes no arguments", c.name)
		}
	}
	return c, nil
}

func isCommand(name string) bool {
	for _, c := range commandNames {
		if c == name {
			return true
		}
	}
	return false
}

func parseJSONCommand(text []byte) (command, error) {
	var c command
	var j struct {
		Cmd     string          `json:"cmd"`
		Command string          `json:"command"`
		Field   string          `json:"field"`
		Value   json.RawMessage `json:"value"`
		For     json.RawMessage `json:"for"`
		Drop    bool            `json:"drop"`
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return c, fmt.Errorf("bad JSON command: %v (expected keys: cmd, field, value, for, drop)", err)
	}
	if dec.More() {
		return c, errors.New("bad JSON command: more than one value")
	}
	c.name = strings.ToLower(j.Cmd)
	if c.name == "" {
		c.name = strings.ToLower(j.Command)
	}
	if c.name == "" {
		return c, errors.New(`JSON command without "cmd" (expected e.g. {"cmd":"setpoint","value":21.5})`)
	}
	c.field, c.drop = j.Field, j.Drop
	var err error
	if c.value, c.isNum, err = rawArg(j.Value); err != nil {
		return c, fmt.Errorf("value: %w", err)
	}
	if c.dur, _, err = rawArg(j.For); err != nil {
		return c, fmt.Errorf("for: %w", err)
	}
	return c, nil
}

// rawArg turns a JSON number or string into its text.
func rawArg(raw json.RawMessage) (string, bool, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", false, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, err
		}
		return s, false, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", false, errors.New("expected a number or a string")
	}
	return n.String(), true, nil
}

// apply carries out c at t.
func (d *Device) apply(t int64, c command, rep *Reply) (Action, error) {
	switch c.name {
	case "setpoint":
		return ActionNone, d.setpoint(c, rep)
	case "interval":
		iv, err := parseDuration(c.value, c.isNum, MinCommandInterval, MaxCommandInterval)
		if err != nil {
			return ActionNone, fmt.Errorf("interval: %w", err)
		}
		d.interval = int64(iv)
		if d.state == Online {
			d.wake = t + int64(iv)
		}
		rep.Interval = iv.String()
		return ActionNone, nil
	case "reboot":
		if d.state != Online {
			return ActionNone, fmt.Errorf("reboot: the device is %s", d.state)
		}
		back := d.fleet.Commands.RebootDelay
		d.goOffline(t + int64(back))
		rep.BackIn = back.String()
		return ActionDisconnect, nil
	case "offline":
		return d.offline(t, c, rep)
	case "online":
		rep.State = Online.String()
		switch d.state {
		case Offline:
			d.connect(t)
			return ActionConnect, nil
		case Stopped:
			return ActionNone, errors.New("online: the device is stopped")
		}
		return ActionNone, nil
	case "status":
		s := d.Snapshot()
		rep.State = s.State.String()
		rep.Interval = s.Interval.String()
		rep.Sent = &s.Sent
		rep.Values = make(map[string]string, len(s.Readings))
		for _, r := range s.Readings {
			rep.Values[r.Field] = r.Value
		}
		return ActionNone, nil
	}
	return ActionNone, fmt.Errorf("unknown command %q (expected one of: %s)", clip(c.name), strings.Join(commandNames, ", "))
}

func (d *Device) setpoint(c command, rep *Reply) error {
	f := d.fleet
	i := -1
	if c.field == "" {
		if f.Commands != nil {
			i = f.Commands.Setpoint
		}
		if i < 0 {
			return errors.New("setpoint: this device has no field that takes a setpoint")
		}
	} else {
		var names []string
		for j, fl := range f.Fields {
			if _, ok := fl.Settable(); ok {
				names = append(names, fl.Name)
				if fl.Name == c.field {
					i = j
				}
			}
		}
		if i < 0 {
			return fmt.Errorf("setpoint: no field %q takes a setpoint (expected one of: %s)", clip(c.field), strings.Join(names, ", "))
		}
	}
	if c.value == "" {
		return errors.New("setpoint: missing value (e.g. setpoint 21.5)")
	}
	v, err := strconv.ParseFloat(c.value, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("setpoint: expected a number, got %q", clip(c.value))
	}
	fl := f.Fields[i]
	m, _ := fl.Settable()
	if lo, hi := m.Bounds(); v < lo || v > hi {
		return fmt.Errorf("setpoint: %g is outside the range of %s [%g, %g]", v, fl.Name, lo, hi)
	}
	m.SetTarget(d.modelSlots(i), v)
	rep.Field, rep.Setpoint = fl.Name, &v
	return nil
}

func (d *Device) offline(t int64, c command, rep *Reply) (Action, error) {
	if d.state != Online {
		return ActionNone, fmt.Errorf("offline: the device is already %s", d.state)
	}
	away := defaultOffline
	if ch := d.fleet.Churn; ch != nil {
		away = time.Duration(d.draw(ch.Offline))
	}
	if c.dur != "" {
		var err error
		if away, err = parseDuration(c.dur, false, time.Second, MaxOffline); err != nil {
			return ActionNone, fmt.Errorf("offline: %w", err)
		}
	}
	d.goOffline(t + int64(away))
	rep.BackIn, rep.Drop = away.String(), c.drop
	if c.drop {
		return ActionDrop, nil
	}
	return ActionDisconnect, nil
}

// parseDuration reads "5s" or, for a bare number, seconds.
func parseDuration(s string, isNum bool, lo, hi time.Duration) (time.Duration, error) {
	var v time.Duration
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f*float64(time.Second) > float64(hi) || f < 0 || math.IsNaN(f) {
			return 0, fmt.Errorf("%s is out of range (%s to %s)", clip(s), lo, hi)
		}
		v = time.Duration(f * float64(time.Second))
	} else if v, err = time.ParseDuration(s); err != nil || isNum {
		return 0, fmt.Errorf("expected a duration such as 5s or a number of seconds, got %q", clip(s))
	}
	if v < lo || v > hi {
		return 0, fmt.Errorf("%s is out of range (%s to %s)", v, lo, hi)
	}
	return v, nil
}

// clip shortens text quoted back in a reply.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// modelSlots returns the model state of field i.
func (d *Device) modelSlots(i int) []float64 {
	off := 0
	for _, fl := range d.fleet.Fields[:i] {
		off += fieldSlots(fl)
	}
	fl := d.fleet.Fields[i]
	return d.slots[off+1 : off+1+fl.Model.Slots()]
}

// reply addresses rep: to the request's response topic with its
// correlation data (5.0), else to the fleet's reply topic, else nowhere.
func (d *Device) reply(p *protocol.Publish, rep *Reply) *protocol.Publish {
	f := d.fleet
	var topic string
	if rt, ok := p.Props.ResponseTopic.Get(); ok && protocol.ValidTopicName(rt) == nil {
		topic = rt
	} else if f.Commands != nil && f.Commands.ReplyTopic != nil {
		topic = f.Commands.ReplyTopic.Expand(f, int(d.index))
	} else {
		return nil
	}
	body, err := json.Marshal(rep)
	if err != nil { // cannot happen: Reply holds strings and finite numbers
		body = []byte(`{"ok":false}`)
	}
	out := &protocol.Publish{Version: f.Version, Topic: topic, Payload: body}
	if f.Commands != nil {
		out.QoS = f.Commands.QoS
	}
	if f.Version == protocol.V5 {
		out.Props.ContentType = protocol.Some("application/json")
		out.Props.PayloadFormat = protocol.Some[byte](1)
		if cd, ok := p.Props.CorrelationData.Get(); ok {
			out.Props.CorrelationData = protocol.Some(bytes.Clone(cd))
		}
	}
	return out
}
