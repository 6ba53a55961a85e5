// Package scenario is the language of mqttlab's virtual fleets: YAML
// scenario files, their validation, and the compiled, read-only form that
// the device engine (package fleet) runs.
//
// A scenario names fleets of identical devices; a fleet says how many,
// how they connect (client id, MQTT version, session, birth and will),
// what they publish (topic, interval, QoS, payload fields with value
// models) and how they misbehave (churn, sensor faults) and react
// (commands). SCENARIOS.md beside package fleet is the reference of the
// file format.
//
// Load reports every problem of a file at once, each as file:line, the
// field path and what was expected. Unknown keys are errors, so a typo is
// never silently ignored. Nothing in a scenario executes code.
//
// The package builds for js/wasm so that the page can validate a scenario
// being edited.
package scenario

import (
	"strconv"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/fleet/model"
)

// Scenario is a loaded, validated scenario. It is read-only once loaded,
// except Seed, which a caller may set before creating devices.
type Scenario struct {
	Name        string
	Description string
	// Seed derives every device's random generator. Seeded says it came
	// from the file; without it Load draws a random seed.
	Seed   uint64
	Seeded bool
	File   string // the name given to Load
	Fleets []*Fleet
}

// Devices returns the number of devices of all fleets.
func (s *Scenario) Devices() int {
	n := 0
	for _, f := range s.Fleets {
		n += f.Count
	}
	return n
}

// Fleet returns the fleet named name, or nil.
func (s *Scenario) Fleet(name string) *Fleet {
	for _, f := range s.Fleets {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Fleet is a group of identical devices.
type Fleet struct {
	Scenario    *Scenario
	Name        string
	Description string
	Count       int // devices, ≥ 1
	FirstIndex  int // what {index} renders for the first device (default 1)

	Version   protocol.Version // V311 or V5
	ClientID  *Template
	Username  *Template // nil: none
	Password  *Template // nil: none
	KeepAlive time.Duration
	Session   Session
	Ramp      time.Duration // devices connect spread over this long after start

	Topic    *Template
	Labels   []Label
	Interval time.Duration // between publishes, > 0
	Jitter   time.Duration // each interval varies uniformly by ±Jitter
	QoS      protocol.QoS
	Retain   bool
	Expiry   time.Duration // message expiry (5.0); 0: none

	Status   *Status   // birth and will; nil: disabled
	Commands *Commands // nil: the devices subscribe to nothing
	Churn    *Churn    // nil: the devices stay online

	Format Format
	Fields []*Field // in payload order
	// Tree is the shape of a JSON payload: nested objects made from
	// dotted field names and nested mappings. Other formats use Fields.
	Tree []Node
}

// Session is how a fleet's devices keep their MQTT session.
type Session struct {
	Clean  bool          // Clean Start / Clean Session
	Expiry time.Duration // 5.0 Session Expiry Interval; 0: ends with the connection
}

// Status is a fleet's birth and will: a retained status message published
// on connect (Online) and left by the broker as the will when a device
// vanishes (Offline), and published by the device itself before a clean
// DISCONNECT, since a clean DISCONNECT discards the will.
type Status struct {
	Topic     *Template
	Online    *Template
	Offline   *Template
	QoS       protocol.QoS
	Retain    bool
	WillDelay time.Duration // 5.0 Will Delay Interval
}

// Commands is how a fleet's devices react to commands.
type Commands struct {
	Topic       *Template // per-device topic filter, e.g. {fleet}/{index}/cmd
	Broadcast   *Template // optional filter every device of the fleet hears; nil: none
	QoS         protocol.QoS
	ReplyTopic  *Template // replies when a request has no response topic (3.1.1); nil: none
	Setpoint    int       // index into Fields of the field a bare setpoint moves; -1: none
	RebootDelay time.Duration
}

// ChurnMode is how a churning device leaves.
type ChurnMode uint8

// The churn modes.
const (
	ChurnDisconnect ChurnMode = iota // a clean DISCONNECT: the status says offline, no will
	ChurnDrop                        // the connection just ends: the broker publishes the will
	ChurnMixed                       // either, half the time each
)

var churnModeNames = [...]string{"disconnect", "drop", "mixed"}

// String returns the name scenario files use.
func (m ChurnMode) String() string {
	if int(m) < len(churnModeNames) {
		return churnModeNames[m]
	}
	return "unknown"
}

// Churn makes devices go offline and come back.
type Churn struct {
	// On a schedule: first After from the start, then every Every (0: once).
	After, Every time.Duration
	// At random: Rate events per second on average (from "6/h"), or a
	// Probability per publish.
	Rate        float64
	Probability float64
	Offline     Range // how long a device stays away
	Mode        ChurnMode
	// Which devices churn: the listed device numbers (as {index} renders
	// them), else a Fraction of the fleet, else all.
	Devices  []int
	Fraction float64
}

// Scheduled reports whether the churn follows a schedule.
func (c *Churn) Scheduled() bool { return c.After > 0 || c.Every > 0 }

// Selects reports whether device index (0-based) of fleet f churns. The
// choice for a Fraction is a hash of the seed and index, so it is the same
// each run.
func (c *Churn) Selects(f *Fleet, index int) bool {
	if len(c.Devices) > 0 {
		n := f.FirstIndex + index
		for _, d := range c.Devices {
			if d == n {
				return true
			}
		}
		return false
	}
	if c.Fraction > 0 {
		h := model.Mix(f.Seed() ^ model.Mix(uint64(index)+0x5eed))
		return float64(h>>11)*0x1p-53 < c.Fraction
	}
	return true
}

// Range is a duration drawn uniformly between Min and Max (equal: fixed).
type Range struct{ Min, Max time.Duration }

// String renders the range as a scenario file would.
func (r Range) String() string {
	if r.Min == r.Max {
		return r.Min.String()
	}
	return "[" + r.Min.String() + ", " + r.Max.String() + "]"
}

// Seed returns the seed of this fleet's devices: the scenario seed mixed
// with the fleet's name, so fleets differ even with the same layout.
func (f *Fleet) Seed() uint64 {
	var s uint64
	if f.Scenario != nil {
		s = f.Scenario.Seed
	}
	return model.Mix(s ^ model.HashString(f.Name))
}

// Format is a payload format.
type Format uint8

// The payload formats.
const (
	JSON  Format = iota // an object of the fields; dotted names nest
	Plain               // the single field's value as text
	CSV                 // the fields' values on one comma-separated line
	Hex                 // raw bytes: each field binary-encoded (see Encoding)
)

var formatNames = [...]string{"json", "plain", "csv", "hex"}

// String returns the name scenario files use.
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "unknown"
}

// ContentType returns the MQTT 5 content type of the format.
func (f Format) ContentType() string {
	switch f {
	case JSON:
		return "application/json"
	case CSV:
		return "text/csv"
	case Hex:
		return "application/octet-stream"
	}
	return "text/plain"
}

// UTF8 reports whether payloads of the format are UTF-8 text (MQTT 5
// Payload Format Indicator 1).
func (f Format) UTF8() bool { return f != Hex }

// Field is one value of a payload.
type Field struct {
	Name     string      // full name, dotted for nested JSON objects
	Model    model.Model // shared by every device of the fleet
	Unit     string      // shown beside the value; not in the payload
	Decimals int         // digits after the point; -1: as many as needed
	Text     *Template   // a string constant with placeholders; nil otherwise
	Faults   Faults
	Encoding Encoding // hex format only
}

// Settable returns the field's model as a Settable when a setpoint can
// move it.
func (f *Field) Settable() (model.Settable, bool) {
	s, ok := f.Model.(model.Settable)
	return s, ok
}

// Faults are a field's sensor faults.
type Faults struct {
	Stuck  *Stuck  // the value freezes for a while
	Spikes *Spikes // a reading jumps by ±Magnitude
	Gaps   float64 // probability that a reading is missing
}

// Stuck freezes a field: with Probability per reading it starts repeating
// its last value for a duration drawn from For.
type Stuck struct {
	Probability float64
	For         Range
}

// Spikes add ±Magnitude (at least half of it) to a reading with
// Probability.
type Spikes struct {
	Probability float64
	Magnitude   float64
}

// EncodingType is a binary type of the hex payload format.
type EncodingType uint8

// The binary types.
const (
	U8 EncodingType = iota + 1
	I8
	U16
	I16
	U32
	I32
	U64
	I64
	F32
	F64
	Raw  // a constant's bytes, or a string's UTF-8
	GPS8 // latitude and longitude as int32 × 1e7, then heading as uint16 × 100 (10 bytes)
)

var encodingNames = [...]string{U8: "u8", I8: "i8", U16: "u16", I16: "i16", U32: "u32", I32: "i32", U64: "u64", I64: "i64", F32: "f32", F64: "f64", Raw: "raw", GPS8: "gps"}

// String returns the name scenario files use.
func (t EncodingType) String() string {
	if int(t) < len(encodingNames) && encodingNames[t] != "" {
		return encodingNames[t]
	}
	return "unknown"
}

// Size returns the encoded size in bytes (0 for Raw, which varies).
func (t EncodingType) Size() int {
	switch t {
	case U8, I8:
		return 1
	case U16, I16:
		return 2
	case U32, I32, F32:
		return 4
	case U64, I64, F64:
		return 8
	case GPS8:
		return 10
	}
	return 0
}

// Encoding is how the hex format encodes a field: a binary type, big
// endian unless Little, after multiplying by Scale (integers round and
// saturate).
type Encoding struct {
	Type   EncodingType
	Little bool
	Scale  float64
}

// String renders the encoding as a scenario file would.
func (e Encoding) String() string {
	s := e.Type.String()
	if e.Little {
		s += "le"
	}
	if e.Scale != 1 && e.Scale != 0 {
		s += "×" + strconv.FormatFloat(e.Scale, 'g', -1, 64)
	}
	return s
}

// Node is a member of a JSON payload: a field (Field ≥ 0) or an object of
// further members (Field < 0).
type Node struct {
	Key      string // the member name, JSON-quoted, with the colon: "temp":
	Field    int
	Children []Node
}
