package client

import (
	"errors"
	"strconv"

	"github.com/mqttlab/mqttlab/protocol"
)

var (
	// ErrClosed is returned by every call on a Client after Close.
	ErrClosed = errors.New("mqtt client: closed")
	// ErrNotConnected is returned when an operation needs a connection and
	// there is none (and no reconnection is under way to wait for).
	ErrNotConnected = errors.New("mqtt client: not connected")
	// ErrAlreadyConnected is returned by Connect on a connected client.
	ErrAlreadyConnected = errors.New("mqtt client: already connected")
	// ErrSessionLost completes the QoS 1 and 2 messages still in flight when
	// the server starts a new session (Session Present 0): the client then
	// discards its session state (§3.2.2.1.1 of 5.0, §3.2.2.2 of 3.1.1).
	ErrSessionLost = errors.New("mqtt client: session state discarded: the server did not resume the session")
	// ErrDisconnected ends operations waiting on a connection that
	// Disconnect or Drop ended.
	ErrDisconnected = errors.New("mqtt client: disconnected by the application")
	// ErrPingTimeout ends a connection whose server did not answer PINGREQ
	// within the ping timeout (§3.1.2.10).
	ErrPingTimeout = &protocol.Error{Code: protocol.KeepAliveTimeout, Msg: "no PINGRESP within the ping timeout"}
	// ErrVersion is returned for features the connection's protocol version
	// lacks (e.g. a request/response exchange over 3.1.1).
	ErrVersion = errors.New("mqtt client: not available in this protocol version")
)

// ConnectionLostError reports that the network connection ended while an
// operation needed it. Cause says why: a read or write error, ErrPingTimeout,
// a *ReasonError for a DISCONNECT the server sent, or a protocol violation
// by the server.
//
// For a QoS 1 or 2 PUBLISH, the message stays in the session state and is
// re-sent if a later connection resumes the session.
type ConnectionLostError struct {
	Cause error
}

func (e *ConnectionLostError) Error() string {
	if e.Cause == nil {
		return "mqtt client: connection lost"
	}
	return "mqtt client: connection lost: " + e.Cause.Error()
}

// Unwrap returns the cause.
func (e *ConnectionLostError) Unwrap() error { return e.Cause }

// ReasonError is a refusal sent by the server: a reason code of 0x80 or
// more in a CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT or AUTH,
// or a check the client made on the server's behalf (Packet 0), such as a
// QoS above the server's Maximum QoS. protocol.ReasonCodeOf returns Code.
type ReasonError struct {
	Packet protocol.Type
	Code   protocol.ReasonCode
	// Reason is the Reason String the server sent (5.0), if any.
	Reason string
	// Filter names the topic filter a SUBACK or UNSUBACK code is about.
	Filter string
	// Props are the properties of the refusing packet (5.0), e.g. a
	// DISCONNECT's Server Reference.
	Props protocol.Properties
}

func (e *ReasonError) Error() string {
	s := "mqtt client: "
	if e.Packet != 0 {
		s += e.Packet.String() + " "
	}
	if e.Filter != "" {
		s += "for " + strconv.Quote(e.Filter) + " "
	}
	s += "0x" + strconv.FormatUint(uint64(e.Code)+0x100, 16)[1:] + " " + e.Code.NameIn(e.Packet)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap returns a *protocol.Error with the code, so that
// protocol.ReasonCodeOf and errors.As see it.
func (e *ReasonError) Unwrap() error {
	return &protocol.Error{Code: e.Code, Msg: e.Code.Meaning()}
}

// refusal builds the error a client-side check returns in the server's
// name.
func refusal(code protocol.ReasonCode, reason string) error {
	return &ReasonError{Code: code, Reason: reason}
}
