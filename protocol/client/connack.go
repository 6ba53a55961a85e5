package client

import (
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// Connack is the server's answer to CONNECT with the defaults of absent
// properties applied: what the client honours for the connection.
type Connack struct {
	// Packet is the CONNACK as received.
	Packet *protocol.Connack

	SessionPresent bool
	ReasonCode     protocol.ReasonCode
	// ClientID is the identifier the session has: the Assigned Client
	// Identifier when the server sent one, else the one the client sent.
	ClientID string
	// KeepAlive is the keepalive in force: the Server Keep Alive when
	// the server sent one, else the client's.
	KeepAlive time.Duration

	ReceiveMaximum       uint16 // absent: 65,535
	MaximumQoS           protocol.QoS
	RetainAvailable      bool
	MaximumPacketSize    uint32 // 0: no limit but the protocol's
	TopicAliasMaximum    uint16
	WildcardSubAvailable bool
	SubIDAvailable       bool
	SharedSubAvailable   bool

	ReasonString    string
	ResponseInfo    string
	ServerReference string
	AuthMethod      string
	AuthData        []byte
	User            []protocol.UserProperty
}

// newConnack reads p with the defaults of §3.2.2.3 (5.0); for 3.1 and
// 3.1.1 every capability is present.
func newConnack(p *protocol.Connack, sent *protocol.Connect) *Connack {
	pr := &p.Props
	ka := sent.KeepAlive
	if p.Version == protocol.V5 {
		ka = pr.ServerKeepAlive.Or(ka)
	}
	return &Connack{
		Packet:               p,
		SessionPresent:       p.SessionPresent,
		ReasonCode:           p.ReasonCode,
		ClientID:             pr.AssignedClientID.Or(sent.ClientID),
		KeepAlive:            time.Duration(ka) * time.Second,
		ReceiveMaximum:       pr.ReceiveMaximum.Or(65535),
		MaximumQoS:           protocol.QoS(pr.MaximumQoS.Or(2)),
		RetainAvailable:      pr.RetainAvailable.Or(1) == 1,
		MaximumPacketSize:    pr.MaximumPacketSize.Or(0),
		TopicAliasMaximum:    pr.TopicAliasMaximum.Or(0),
		WildcardSubAvailable: pr.WildcardSubAvailable.Or(1) == 1,
		SubIDAvailable:       pr.SubIDAvailable.Or(1) == 1,
		SharedSubAvailable:   pr.SharedSubAvailable.Or(1) == 1,
		ReasonString:         pr.ReasonString.Or(""),
		ResponseInfo:         pr.ResponseInfo.Or(""),
		ServerReference:      pr.ServerReference.Or(""),
		AuthMethod:           pr.AuthMethod.Or(""),
		AuthData:             pr.AuthData.Or(nil),
		User:                 pr.User,
	}
}
