package protocol

// Version is an MQTT protocol level as carried in CONNECT.
type Version byte

// The protocol levels this codec speaks.
const (
	V31  Version = 3 // MQTT 3.1, protocol name "MQIsdp"
	V311 Version = 4 // MQTT 3.1.1 (OASIS, 2014)
	V5   Version = 5 // MQTT 5.0 (OASIS, 2019)
)

// Valid reports whether v is a level this codec speaks.
func (v Version) Valid() bool { return v >= V31 && v <= V5 }

// ProtocolName is the protocol name a CONNECT of this version carries.
func (v Version) ProtocolName() string {
	if v == V31 {
		return "MQIsdp"
	}
	return "MQTT"
}

func (v Version) String() string {
	switch v {
	case V31:
		return "3.1"
	case V311:
		return "3.1.1"
	case V5:
		return "5.0"
	}
	return "level " + itoa(int(v))
}

// QoS is a quality of service level.
type QoS byte

// The three quality of service levels.
const (
	QoS0 QoS = 0 // at most once
	QoS1 QoS = 1 // at least once
	QoS2 QoS = 2 // exactly once
)

func (q QoS) String() string {
	switch q {
	case QoS0:
		return "0 (at most once)"
	case QoS1:
		return "1 (at least once)"
	case QoS2:
		return "2 (exactly once)"
	}
	return itoa(int(q)) + " (invalid)"
}
