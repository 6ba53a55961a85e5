package model

// TimeFormat is how a Timestamp renders the time of a reading.
type TimeFormat uint8

// The timestamp formats.
const (
	RFC3339   TimeFormat = iota // 2025-11-25T19:02:03.123Z (UTC, milliseconds)
	UnixMilli                   // 1764097323123
	Unix                        // 1764097323
)

var timeFormatNames = [...]string{RFC3339: "rfc3339", UnixMilli: "unix-ms", Unix: "unix"}

// String returns the name scenario files use.
func (f TimeFormat) String() string {
	if int(f) < len(timeFormatNames) {
		return timeFormatNames[f]
	}
	return "unknown"
}

// TimeFormats lists the timestamp formats.
func TimeFormats() []TimeFormat { return []TimeFormat{RFC3339, UnixMilli, Unix} }

// Timestamp is the time of the reading. It has no state; the device
// renders its tick time.
type Timestamp struct {
	Format TimeFormat
}

// Kind returns KindTimestamp.
func (*Timestamp) Kind() Kind { return KindTimestamp }

// Slots returns 0.
func (*Timestamp) Slots() int { return 0 }

// Init does nothing.
func (*Timestamp) Init([]float64, *Rand) {}

// Next returns 0: the value is the tick time, which the device knows.
func (*Timestamp) Next([]float64, float64, *Rand) float64 { return 0 }

// Constant is a fixed value: a firmware version, a model name, a unit. A
// string constant may hold placeholders, expanded per device by the
// scenario package; Raw holds bytes for the hex payload format.
type Constant struct {
	Value Literal
	Raw   []byte // hex format: the bytes to send (from a `hex:` value)
}

// Kind returns KindConstant.
func (*Constant) Kind() Kind { return KindConstant }

// Slots returns 0.
func (*Constant) Slots() int { return 0 }

// Init does nothing.
func (*Constant) Init([]float64, *Rand) {}

// Next returns the numeric value (0 for strings).
func (c *Constant) Next([]float64, float64, *Rand) float64 { return c.Value.Number }
