// Package client is an MQTT 3.1, 3.1.1 and 5.0 client session on any
// net.Conn: the one the lab page runs as WebAssembly over WebSocket, and the
// one fleets, tools and tests run natively over TCP, TLS or WebSocket.
//
// A Client is made with New from a Config (the CONNECT packet to send, a
// DialFunc, and the client's own options) and connected with Connect. It
// publishes and receives at QoS 0, 1 and 2 with the flow control of MQTT 5.0
// in both directions, keeps its session state (unacknowledged outgoing
// PUBLISH and PUBREL, incoming QoS 2 packet identifiers) across connections
// and re-sends it when the server resumes the session, sends PINGREQ when
// idle, reconnects with back-off when asked to, routes messages to handlers by
// topic filter or subscription identifier, and shows every packet in and out
// through a tap (SetTap).
//
// # Concurrency model
//
// A connected Client has one goroutine: the reader of its connection. It
// reads and decodes packets, completes the operations waiting for
// acknowledgements, answers the acknowledgements of QoS 2, and queues
// incoming messages. When the connection is lost and Config.Reconnect is
// set, the same goroutine waits out the back-off and dials again; it ends
// when the client is disconnected, dropped or closed.
//
// Writes are made by the goroutine that asks for them (a publisher, the
// reader sending an acknowledgement, the keepalive timer) under the
// connection's write lock: one packet is encoded into one buffer and written
// with one Write, which over WebSocket is one message. No goroutine is
// started per write or per message.
//
// Incoming messages wait in a bounded queue (Config.QueueSize) and are handed
// to the handlers by a delivery goroutine that runs only while the queue is
// not empty, so a slow handler never stalls the reader (acknowledgements
// keep flowing) and an idle client costs no goroutine for delivery. QoS 1 and
// 2 messages are acknowledged after their handlers return, so the server's
// window (our Receive Maximum) bounds how many can wait; QoS 0 messages that
// find the queue full are dropped, counted in Stats and reported as an
// EventDropped event.
//
// Keepalive and ping timeouts use one timer per connection, re-armed from
// the time of the last write rather than reset by every write. The delivery
// goroutine, the reader and the timers all stop on Disconnect, Drop and Close.
//
// # Errors
//
// Refusals by the server (a CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK or
// DISCONNECT with a reason code of 0x80 or more) are *ReasonError values,
// whose code protocol.ReasonCodeOf reads. A lost connection is a
// *ConnectionLostError, with the cause inside.
package client
