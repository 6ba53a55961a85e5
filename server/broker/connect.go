package broker

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// connect handles an accepted CONNECT: checks, authentication, the
// session (new, resumed or taken over), CONNACK. It reports whether the
// connection goes on.
func (c *conn) connect(cp *protocol.Connect) bool {
	b := c.b
	c.version = cp.Version
	v5 := c.version == protocol.V5
	c.cleanStart = cp.CleanStart
	c.info = ConnInfo{ClientID: cp.ClientID, Username: cp.Username.Value, HasUsername: cp.Username.Present,
		RemoteAddr: c.remote, Version: c.version}
	if v5 {
		c.problemInfo = cp.Props.RequestProblemInfo.Or(1) == 1
	}

	refuse := func(code protocol.ReasonCode, why string) bool {
		b.stats.refused.Add(1)
		ack := &protocol.Connack{Version: c.version, ReasonCode: code}
		if v5 && c.problemInfo {
			ack.Props.ReasonString = protocol.Some(why)
		}
		c.sendControl(ack)
		c.drainAndCloseWrite(time.Second)
		c.close()
		b.tel.refused(c, code, &protocol.Error{Code: code, Msg: why})
		return false
	}

	switch {
	case b.closing.Load():
		return refuse(protocol.ServerUnavailable, "the server is shutting down")
	case b.connected.Load() >= int64(b.opts.MaxConnections):
		return refuse(protocol.ServerBusy, "too many connections")
	case v5 && cp.Props.AuthMethod.Present:
		return refuse(protocol.BadAuthenticationMethod, "extended authentication method "+cp.Props.AuthMethod.Value+" is not supported")
	}

	assigned := false
	if cp.ClientID == "" {
		if !cp.CleanStart && !v5 || c.version == protocol.V31 {
			// [MQTT-3.1.3-8] 3.1.1: an empty id needs clean session 1;
			// 3.1 requires an id.
			return refuse(protocol.ClientIdentifierNotValid, "empty client identifier without clean session")
		}
		cp.ClientID = newClientID()
		c.info.ClientID = cp.ClientID
		assigned = true
	}

	if auth := b.opts.Authenticate; auth != nil {
		b.authSlots <- struct{}{}
		ok := auth(c.info, cp.Username, cp.Password)
		<-b.authSlots
		if !ok {
			if cp.Username.Present {
				return refuse(protocol.BadUserNameOrPassword, "bad user name or password")
			}
			return refuse(protocol.NotAuthorized, "anonymous clients are not allowed")
		}
	}
	if f := b.opts.Permissions; f != nil {
		c.perms = f(c.info)
	}

	c.keepAlive = time.Duration(cp.KeepAlive) * time.Second
	serverKeepAlive := false
	if max := b.opts.MaxKeepAlive; max > 0 && v5 && (c.keepAlive == 0 || c.keepAlive > max) {
		c.keepAlive = max.Truncate(time.Second)
		serverKeepAlive = true
	}

	ack := &protocol.Connack{Version: c.version}
	if v5 {
		p := &ack.Props
		if b.opts.MaxInflight < 65535 {
			p.ReceiveMaximum = protocol.Some(uint16(b.opts.MaxInflight))
		}
		if q := b.opts.MaxQoS; q.Present && q.Value < protocol.QoS2 {
			p.MaximumQoS = protocol.Some(byte(q.Value))
		}
		if b.opts.DisableRetain {
			p.RetainAvailable = protocol.Some(byte(0))
		}
		p.MaximumPacketSize = protocol.Some(uint32(b.opts.MaxPacketSize))
		if assigned {
			p.AssignedClientID = protocol.Some(cp.ClientID)
		}
		if b.opts.TopicAliasMax > 0 {
			p.TopicAliasMaximum = protocol.Some(b.opts.TopicAliasMax)
		}
		if serverKeepAlive {
			p.ServerKeepAlive = protocol.Some(uint16(c.keepAlive / time.Second))
		}
	}

	s, present := b.openSession(c, cp)
	ack.SessionPresent = present
	c.sess = s
	s.mu.Lock()
	// CONNACK goes out before anything routed to the session: nothing can
	// be delivered to it until s.conn is set, below, under s.mu.
	if err := c.sendControl(ack); err != nil {
		s.mu.Unlock()
		s.detach(c, endReason{err: err, will: true, text: "connection lost during CONNECT"})
		c.close()
		return false
	}
	s.conn = c
	s.since = time.Now()
	s.online.Store(true)
	if present {
		s.resume()
	}
	s.mu.Unlock()

	b.connected.Add(1)
	b.stats.connects.Add(1)
	c.lastRecv.Store(b.now())
	if c.nc != nil {
		c.nc.SetReadDeadline(time.Time{})
	}
	c.armKeepAlive()
	c.limiter.init(b.opts.PublishRate)
	b.tel.connected(c, cp, present)
	return true
}

// newClientID makes an identifier for a client that sent none.
func newClientID() string {
	var r [8]byte
	rand.Read(r[:])
	return "mqttlab-" + hex.EncodeToString(r[:])
}

// openSession finds or creates the session for cp's client identifier,
// taking it over from a connection that still holds it.
func (b *Broker) openSession(c *conn, cp *protocol.Connect) (s *session, present bool) {
	now := time.Now()
	var wl *will
	if w := cp.Will; w != nil {
		m := &message{topic: w.Topic, payload: w.Payload, qos: w.QoS, retain: w.Retain, from: cp.ClientID}
		if cp.Version == protocol.V5 {
			m.props = protocol.Properties{
				PayloadFormat:   w.Props.PayloadFormat,
				MessageExpiry:   w.Props.MessageExpiry,
				ContentType:     w.Props.ContentType,
				ResponseTopic:   w.Props.ResponseTopic,
				CorrelationData: w.Props.CorrelationData,
				User:            w.Props.User,
			}
		}
		wl = &will{msg: m.keep(), delay: time.Duration(w.Props.WillDelay.Value) * time.Second, perms: c.perms}
	}
	var expiry uint32
	switch {
	case cp.Version == protocol.V5:
		expiry = cp.Props.SessionExpiry.Value
		c.expiry0 = expiry == 0
	case !cp.CleanStart:
		expiry = neverExpires
	}

	b.mu.Lock()
	old := b.sessions[cp.ClientID]
	var toEnd *session
	if old != nil {
		old.mu.Lock()
		if oc := old.conn; oc != nil {
			// [MQTT-3.1.4-3] the new connection takes the session over.
			oc.takenOver = true
			old.conn = nil
			old.online.Store(false)
			b.connected.Add(-1)
			if oc.version == protocol.V5 {
				oc.sendControl(&protocol.Disconnect{Version: oc.version, ReasonCode: protocol.SessionTakenOver})
			}
			go oc.closeAfterFlush()
			// The old connection's will is published unless the session
			// goes on and the will was delayed (§3.1.3.2.2).
			if w := old.will; w != nil && (cp.CleanStart || w.delay == 0) {
				old.will = nil
				b.wg.Add(1)
				go func() { defer b.wg.Done(); b.publishWill(w) }()
			}
		}
		if old.willTimer != nil {
			old.willTimer.Stop() // [MQTT-3.1.3-9] a reconnect cancels a delayed will
			old.willTimer = nil
		}
		if old.endTimer != nil {
			old.endTimer.Stop()
			old.endTimer = nil
		}
		if cp.CleanStart || old.ended {
			toEnd = old
		} else {
			s, present = old, true
			s.will = wl
		}
		old.mu.Unlock()
	}
	if s == nil {
		b.seq++
		s = &session{b: b, id: cp.ClientID, seq: b.seq, created: now, will: wl}
		b.sessions[cp.ClientID] = s
	}
	s.mu.Lock()
	s.version = cp.Version
	s.username = cp.Username.Value
	s.expiry = expiry
	s.sendMax = b.opts.MaxInflight
	if rm := int(cp.Props.ReceiveMaximum.Or(65535)); cp.Version == protocol.V5 && rm < s.sendMax {
		s.sendMax = rm // [MQTT-3.3.4-9]
	}
	s.maxPacket = int(cp.Props.MaximumPacketSize.Value)
	s.perms = c.perms
	s.aliasMax = cp.Props.TopicAliasMaximum.Value
	s.aliases = nil
	s.inQoS2 = s.inQoS2Keep(present)
	s.mu.Unlock()
	b.mu.Unlock()

	if toEnd != nil {
		b.endSession(toEnd, "replaced by a clean start")
	}
	return s, present
}

// inQoS2Keep keeps the received-QoS-2 state of a resumed session only.
func (s *session) inQoS2Keep(present bool) map[uint16]struct{} {
	if present {
		return s.inQoS2
	}
	return nil
}

// closeAfterFlush closes a connection that was taken over once its final
// DISCONNECT is written.
func (c *conn) closeAfterFlush() {
	c.drainAndCloseWrite(time.Second)
	c.abort(endReason{err: errConnClosed, code: protocol.SessionTakenOver, text: "session taken over by a new connection"})
}
