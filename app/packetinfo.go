package app

import (
	"strconv"
	"strings"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
)

// packetInfo is what the inspector's table and the sequence diagrams say
// about a packet in one line: its type and the few fields a reader looks
// for first. It is read from the decoded packet, so it never disagrees with
// the field-by-field explanation.
type packetInfo struct {
	// Type is the packet's type; 0 when not even its first byte was read.
	Type     protocol.Type
	Topic    string
	HasTopic bool
	PacketID uint16 // 0: the packet carries none
	QoS      protocol.QoS
	HasQoS   bool
	Dup      bool
	Retain   bool
	// Reasons are the names of the packet's reason or return codes, as the
	// packet type names them ("Granted QoS 1", "Not authorized").
	Reasons  []string
	Filters  []string // of SUBSCRIBE and UNSUBSCRIBE
	ClientID string   // of CONNECT
	HasID    bool     // ClientID is set (it may be empty)
	// Err is why the packet did not decode.
	Err error
}

// infoOf reads the packetInfo of a tapped packet.
func infoOf(p *store.Packet) packetInfo {
	info := packetInfo{Err: p.Err}
	if len(p.Raw) > 0 {
		info.Type = protocol.Type(p.Raw[0] >> 4)
	}
	v5 := p.Version == protocol.V5
	switch pk := p.Packet.(type) {
	case *protocol.Connect:
		info.ClientID, info.HasID = pk.ClientID, true
	case *protocol.Connack:
		info.Reasons = []string{pk.ReasonCode.NameIn(protocol.CONNACK)}
	case *protocol.Publish:
		info.Topic, info.HasTopic = pk.Topic, true
		info.QoS, info.HasQoS = pk.QoS, true
		info.PacketID, info.Dup, info.Retain = pk.PacketID, pk.Dup, pk.Retain
	case *protocol.Puback:
		info.PacketID = pk.PacketID
		info.Reasons = reasonIf(v5, pk.ReasonCode, protocol.PUBACK)
	case *protocol.Pubrec:
		info.PacketID = pk.PacketID
		info.Reasons = reasonIf(v5, pk.ReasonCode, protocol.PUBREC)
	case *protocol.Pubrel:
		info.PacketID = pk.PacketID
		info.Reasons = reasonIf(v5, pk.ReasonCode, protocol.PUBREL)
	case *protocol.Pubcomp:
		info.PacketID = pk.PacketID
		info.Reasons = reasonIf(v5, pk.ReasonCode, protocol.PUBCOMP)
	case *protocol.Subscribe:
		info.PacketID = pk.PacketID
		for _, s := range pk.Subscriptions {
			info.Filters = append(info.Filters, s.Filter+" (QoS "+strconv.Itoa(int(s.QoS))+")")
		}
	case *protocol.Suback:
		info.PacketID = pk.PacketID
		for _, c := range pk.ReasonCodes {
			info.Reasons = append(info.Reasons, c.NameIn(protocol.SUBACK))
		}
	case *protocol.Unsubscribe:
		info.PacketID = pk.PacketID
		info.Filters = append(info.Filters, pk.Filters...)
	case *protocol.Unsuback:
		info.PacketID = pk.PacketID
		for _, c := range pk.ReasonCodes {
			info.Reasons = append(info.Reasons, c.NameIn(protocol.UNSUBACK))
		}
	case *protocol.Disconnect:
		info.Reasons = reasonIf(v5, pk.ReasonCode, protocol.DISCONNECT)
	case *protocol.Auth:
		info.Reasons = []string{pk.ReasonCode.NameIn(protocol.AUTH)}
	}
	return info
}

// reasonIf names code when the packet carries one on the wire: in 3.1.1
// acknowledgements and DISCONNECT have no reason code.
func reasonIf(v5 bool, code protocol.ReasonCode, t protocol.Type) []string {
	if !v5 {
		return nil
	}
	return []string{code.NameIn(t)}
}

// TypeName is the packet type as the table and the diagrams show it.
func (i packetInfo) TypeName() string {
	if i.Type == 0 && i.Err != nil {
		return "?"
	}
	return i.Type.String()
}

// Summary is the one-line description of the packet in language l: topic,
// QoS, packet identifier, reason codes, or why it did not decode. maxTopic
// cuts long topics and filters (0: no cut).
func (i packetInfo) Summary(l i18n.Lang, maxTopic int) string {
	var parts []string
	if i.HasID {
		parts = append(parts, l.T("inspector.sum.client_id")+" "+strconv.Quote(cutRunes(i.ClientID, maxTopic)))
	}
	if i.HasTopic {
		parts = append(parts, cutRunes(i.Topic, maxTopic))
	}
	if len(i.Filters) > 0 {
		parts = append(parts, cutRunes(strings.Join(i.Filters, ", "), maxTopic))
	}
	if i.HasQoS {
		parts = append(parts, "QoS "+strconv.Itoa(int(i.QoS)))
	}
	if i.PacketID != 0 {
		parts = append(parts, l.T("inspector.sum.packet_id")+" "+strconv.Itoa(int(i.PacketID)))
	}
	if i.Dup {
		parts = append(parts, "DUP")
	}
	if i.Retain {
		parts = append(parts, "RETAIN")
	}
	if len(i.Reasons) > 0 {
		parts = append(parts, strings.Join(i.Reasons, ", "))
	}
	if i.Err != nil {
		parts = append(parts, l.T("inspector.sum.error")+": "+i.Err.Error())
	}
	return strings.Join(parts, " · ")
}

// cut shortens s to at most n runes, marking the cut with an ellipsis.
func cutRunes(s string, n int) string {
	if n <= 0 {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
