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

var versionNames = [...]string{V31: "3.1", V311: "3.1.1", V5: "5.0"}

func (v Version) String() string {
	if v.Valid() {
		return versionNames[v]
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

var qosNames = [...]string{"0 (at most once)", "1 (at least once)", "2 (exactly once)"}

func (q QoS) String() string {
	if q <= QoS2 {
		return qosNames[q]
	}
	return itoa(int(q)) + " (invalid)"
}
