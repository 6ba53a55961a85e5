package fleet

import (
	"fmt"
	"math"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/fleet/model"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// State is where a device is in its life.
type State uint8

// The device states.
const (
	Stopped State = iota // created or stopped: never due
	Offline              // away; due when it should connect
	Online               // connected; due at its next publish or churn
)

var stateNames = [...]string{"stopped", "offline", "online"}

// String returns the state's name.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Action is what the caller must do on the network for a device.
type Action uint8

// The actions.
const (
	// ActionNone: nothing now; look at Due again.
	ActionNone Action = iota
	// ActionConnect: connect with Connect(), subscribe to Subscriptions(),
	// then publish Birth().
	ActionConnect
	// ActionPublish: publish the Message that came with it.
	ActionPublish
	// ActionDisconnect: publish Goodbye() (the status a clean DISCONNECT
	// would not leave behind), then send DISCONNECT and close.
	ActionDisconnect
	// ActionDrop: close the connection without DISCONNECT, as a device
	// losing power does; the broker publishes the will.
	ActionDrop
)

var actionNames = [...]string{"none", "connect", "publish", "disconnect", "drop"}

// String returns the action's name.
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "unknown"
}

// Device is one virtual device of a fleet: its schedule, its random
// generator and its sensors' state. It holds no connection, goroutine or
// buffer; the caller owns the network and one scheduler drives many
// devices by their Due times. A Device is not safe for concurrent use.
type Device struct {
	fleet    *scenario.Fleet
	slots    []float64 // per field: last value, the model's slots, then the stuck-until time when the field can stick
	rng      model.Rand
	epoch    int64 // Start time, unix ns; the models' time zero
	wake     int64 // offline: when to connect; online: the next publish (unix ns)
	churnAt  int64 // online: when to leave; 0: not planned
	lastAt   int64 // time of the last publish, 0: none yet
	interval int64 // set by an interval command (ns); 0: the fleet's
	index    int32
	sent     uint32
	state    State
}

// slotsPerDevice returns how many state slots a device of f needs.
func slotsPerDevice(f *scenario.Fleet) int {
	n := 0
	for _, fl := range f.Fields {
		n += fieldSlots(fl)
	}
	return n
}

func fieldSlots(fl *scenario.Field) int {
	n := 1 + fl.Model.Slots()
	if fl.Faults.Stuck != nil {
		n++
	}
	return n
}

// NewDevice returns device index (0-based, below f.Count) of fleet f, its
// sensors initialised from the fleet's seed. It panics on an index out of
// range, a programming error.
func NewDevice(f *scenario.Fleet, index int) *Device {
	d := new(Device)
	d.init(f, index, make([]float64, slotsPerDevice(f)))
	return d
}

// NewDevices returns every device of f in one allocation, which is how a
// runner of a hundred thousand devices should create them.
func NewDevices(f *scenario.Fleet) []Device {
	per := slotsPerDevice(f)
	devs := make([]Device, f.Count)
	slots := make([]float64, f.Count*per)
	for i := range devs {
		devs[i].init(f, i, slots[i*per:(i+1)*per:(i+1)*per])
	}
	return devs
}

func (d *Device) init(f *scenario.Fleet, index int, slots []float64) {
	if index < 0 || index >= f.Count {
		panic(fmt.Sprintf("fleet: device index %d out of range [0, %d) of fleet %q", index, f.Count, f.Name))
	}
	d.fleet, d.index, d.slots = f, int32(index), slots
	d.rng = model.NewRand(f.Seed(), uint64(index))
	off := 0
	for _, fl := range f.Fields {
		s := slots[off : off+fieldSlots(fl)]
		s[0] = math.NaN() // no reading yet
		fl.Model.Init(s[1:1+fl.Model.Slots()], &d.rng)
		off += len(s)
	}
}

// Fleet returns the device's fleet.
func (d *Device) Fleet() *scenario.Fleet { return d.fleet }

// Index returns the device's 0-based index in its fleet.
func (d *Device) Index() int { return int(d.index) }

// State returns the device's state.
func (d *Device) State() State { return d.state }

// Sent returns how many messages the device has published.
func (d *Device) Sent() uint32 { return d.sent }

// ClientID returns the device's MQTT client id.
func (d *Device) ClientID() string { return d.fleet.ClientID.Expand(d.fleet, int(d.index)) }

// Interval returns the device's current publish interval.
func (d *Device) Interval() time.Duration {
	if d.interval > 0 {
		return time.Duration(d.interval)
	}
	return d.fleet.Interval
}

// Start begins the device's life at now: it becomes Offline and due to
// connect within the fleet's ramp. The models' time starts at now.
func (d *Device) Start(now time.Time) {
	t := now.UnixNano()
	d.epoch, d.state, d.churnAt = t, Offline, 0
	d.wake = t
	if r := d.fleet.Ramp; r > 0 {
		d.wake += int64(d.rng.Range(0, float64(r)))
	}
}

// Stop ends the device's life: it is never due again. The caller closes
// its connection (cleanly, with Goodbye first, if it was online).
func (d *Device) Stop() { d.state, d.churnAt = Stopped, 0 }

// Due returns when the device next needs Tick: its next publish, churn or
// connect. The zero time means never (stopped). Every call to Tick or
// HandleCommand may change it.
func (d *Device) Due() time.Time {
	n := d.due()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func (d *Device) due() int64 {
	switch d.state {
	case Offline:
		return d.wake
	case Online:
		if d.churnAt != 0 && d.churnAt < d.wake {
			return d.churnAt
		}
		return d.wake
	}
	return 0
}

// NextChurn returns when the device will next leave on its own (zero:
// not planned; with a per-publish probability it is decided at each
// publish).
func (d *Device) NextChurn() time.Time {
	if d.state != Online || d.churnAt == 0 {
		return time.Time{}
	}
	return time.Unix(0, d.churnAt)
}

// Tick performs the device's next event if it is due at now and says
// what the caller must do. For ActionPublish the message is written into
// buf (from buf[:0]) and aliases it; Message.Buf is the buffer to pass
// next time, grown if it had to be. A device whose publishes are late by
// more than an interval skips the missed ones rather than bursting.
func (d *Device) Tick(now time.Time, buf []byte) (Action, Message) {
	t := now.UnixNano()
	switch d.state {
	case Offline:
		if t < d.wake {
			return ActionNone, Message{Buf: buf}
		}
		d.connect(t)
		return ActionConnect, Message{Buf: buf}
	case Online:
		if d.churnAt != 0 && t >= d.churnAt && d.churnAt <= d.wake {
			return d.leave(t), Message{Buf: buf}
		}
		if t < d.wake {
			return ActionNone, Message{Buf: buf}
		}
		at := d.wake
		d.schedule(at, t)
		d.maybeChurn(t)
		m, ok := d.publish(at, buf)
		if !ok {
			return ActionNone, m
		}
		return ActionPublish, m
	}
	return ActionNone, Message{Buf: buf}
}

// connect makes the device online at t with its first publish within an
// interval and its next churn planned.
func (d *Device) connect(t int64) {
	d.state = Online
	d.wake = t + int64(d.rng.Range(0, float64(d.Interval())))
	d.planChurn(t)
}

// schedule sets the publish after the one due at `at`, skipping any that
// now is already past.
func (d *Device) schedule(at, now int64) {
	iv := int64(d.Interval())
	step := iv
	if j := d.jitter(); j > 0 {
		step += int64(d.rng.Sym(float64(j)))
	}
	next := at + max(step, int64(scenario.MinInterval))
	if next <= now {
		next += ((now-next)/iv + 1) * iv
	}
	d.wake = next
}

// jitter scales the fleet's jitter to the current interval.
func (d *Device) jitter() time.Duration {
	f := d.fleet
	if d.interval == 0 || f.Jitter == 0 {
		return f.Jitter
	}
	return time.Duration(float64(f.Jitter) * float64(d.interval) / float64(f.Interval))
}

// goOffline makes the device offline until `until`.
func (d *Device) goOffline(until int64) {
	d.state, d.wake, d.churnAt = Offline, until, 0
}

// Message is one message to publish. Topic and Payload alias the buffer
// given to Tick, Birth or Goodbye and are valid until it is reused.
type Message struct {
	Topic   []byte
	Payload []byte
	QoS     protocol.QoS
	Retain  bool
	Format  scenario.Format // says the 5.0 content type and payload format indicator
	Expiry  time.Duration   // 5.0 message expiry; 0: none
	Buf     []byte          // the whole buffer, to pass to the next call
}

// Publish returns the message as a PUBLISH packet for version v (the
// caller sets PacketID for QoS > 0). It copies the topic into a string.
func (m *Message) Publish(v protocol.Version) *protocol.Publish {
	p := new(protocol.Publish)
	m.fill(p, v)
	return p
}

// fill makes p the message's PUBLISH for version v, reusing p's topic
// string when it already holds the same topic, so that a runner encoding
// every publish through one scratch Publish allocates nothing for a
// device that publishes again.
func (m *Message) fill(p *protocol.Publish, v protocol.Version) {
	topic := p.Topic
	if topic != string(m.Topic) {
		topic = string(m.Topic)
	}
	*p = protocol.Publish{Version: v, QoS: m.QoS, Retain: m.Retain, Topic: topic, Payload: m.Payload}
	if v == protocol.V5 {
		p.Props.ContentType = protocol.Some(m.Format.ContentType())
		if m.Format.UTF8() {
			p.Props.PayloadFormat = protocol.Some[byte](1)
		}
		if m.Expiry > 0 {
			p.Props.MessageExpiry = protocol.Some(uint32(m.Expiry / time.Second))
		}
	}
}
