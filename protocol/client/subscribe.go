package client

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mqttlab/mqttlab/protocol"
)

// Subscription is one topic filter to subscribe to, with its options
// (QoS, and in 5.0 no local, retain as published, retain handling) and the
// handler of the messages it brings (nil: Config.DefaultHandler).
type Subscription struct {
	protocol.Subscription
	Handler Handler
}

// SubscribeRequest is one SUBSCRIBE packet.
type SubscribeRequest struct {
	Subscriptions []Subscription
	// SubscriptionID (5.0, 1 to 268,435,455; 0 for none) is echoed by the
	// server on every message these subscriptions deliver; the client then
	// routes such messages by identifier rather than by topic.
	SubscriptionID uint32
	User           []protocol.UserProperty
}

// subRecord remembers a granted subscription, to subscribe again when a
// reconnection finds no session.
type subRecord struct {
	sub   protocol.Subscription
	subID uint32
	user  []protocol.UserProperty
}

// Subscribe sends SUBSCRIBE and waits for SUBACK, whose reason codes (one
// per filter, in order) it returns. Handlers are installed before the
// SUBSCRIBE goes out, so retained messages find them. If the server
// refuses some filters, their handlers are removed and the error is a
// *ReasonError naming the first refused filter; the SUBACK is returned
// too.
//
// When the connection is lost before SUBACK the error is a
// *ConnectionLostError and whether the server holds the subscription is
// unknown; it is sent again if a reconnection finds no session.
func (c *Client) Subscribe(ctx context.Context, req *SubscribeRequest) (*protocol.Suback, error) {
	if len(req.Subscriptions) == 0 {
		return nil, protocol.ErrNoSubscriptions
	}
	for _, s := range req.Subscriptions {
		if err := protocol.ValidFilter(s.Filter); err != nil {
			return nil, fmt.Errorf("mqtt client: subscribing to %q: %w", s.Filter, err)
		}
	}
	cn, _, err := c.readyConn(ctx)
	if err != nil {
		return nil, err
	}
	if req.SubscriptionID != 0 {
		if c.version != protocol.V5 {
			return nil, fmt.Errorf("mqtt client: subscription identifiers: %w", ErrVersion)
		}
		if !cn.ack.SubIDAvailable {
			return nil, refusal(protocol.SubscriptionIdentifiersNotSupported,
				"the server announced that it does not support subscription identifiers")
		}
	}
	for _, s := range req.Subscriptions {
		if _, _, shared := protocol.ParseShared(s.Filter); shared && !cn.ack.SharedSubAvailable {
			return nil, refusal(protocol.SharedSubscriptionsNotSupported,
				"the server announced that it does not support shared subscriptions: "+s.Filter)
		}
		if protocol.HasWildcard(s.Filter) && !cn.ack.WildcardSubAvailable {
			return nil, refusal(protocol.WildcardSubscriptionsNotSupported,
				"the server announced that it does not support wildcard subscriptions: "+s.Filter)
		}
	}
	pkt := &protocol.Subscribe{Version: c.version, Props: protocol.Properties{User: req.User}}
	if req.SubscriptionID != 0 {
		pkt.Props.SubscriptionIDs = []uint32{req.SubscriptionID}
	}
	routes := make([]*route, len(req.Subscriptions))
	for i, s := range req.Subscriptions {
		pkt.Subscriptions = append(pkt.Subscriptions, s.Subscription)
		routes[i] = &route{filter: s.Filter, match: matchFilter(s.Filter), subID: req.SubscriptionID, h: s.Handler}
		c.router.add(routes[i])
	}
	c.remember(pkt)

	ack, err := c.roundTrip(ctx, cn, pkt, protocol.SUBACK)
	if err != nil {
		var lost *ConnectionLostError
		if !errors.As(err, &lost) && !errors.Is(err, ctx.Err()) {
			c.forget(pkt.Subscriptions, routes)
		}
		return nil, err
	}
	suback := ack.(*protocol.Suback)
	if len(suback.ReasonCodes) != len(pkt.Subscriptions) {
		return suback, fmt.Errorf("mqtt client: SUBACK has %d reason codes for %d filters: %w",
			len(suback.ReasonCodes), len(pkt.Subscriptions), &protocol.Error{Code: protocol.ProtocolError, Msg: "SUBACK does not match SUBSCRIBE"})
	}
	var first error
	for i, code := range suback.ReasonCodes {
		if !code.IsError() {
			continue
		}
		c.forget(pkt.Subscriptions[i:i+1], routes[i:i+1])
		if first == nil {
			first = &ReasonError{Packet: protocol.SUBACK, Code: code, Filter: pkt.Subscriptions[i].Filter,
				Reason: suback.Props.ReasonString.Value, Props: suback.Props}
		}
	}
	return suback, first
}

// SubscribeTopic subscribes to one filter at qos with handler h.
func (c *Client) SubscribeTopic(ctx context.Context, filter string, qos protocol.QoS, h Handler) error {
	_, err := c.Subscribe(ctx, &SubscribeRequest{Subscriptions: []Subscription{
		{Subscription: protocol.Subscription{Filter: filter, QoS: qos}, Handler: h}}})
	return err
}

// Unsubscribe sends UNSUBSCRIBE and waits for UNSUBACK. The handlers of the
// filters are removed, except for filters the server refused to
// unsubscribe (5.0), reported as a *ReasonError with the UNSUBACK.
func (c *Client) Unsubscribe(ctx context.Context, filters ...string) (*protocol.Unsuback, error) {
	if len(filters) == 0 {
		return nil, protocol.ErrNoUnsubscriptions
	}
	cn, _, err := c.readyConn(ctx)
	if err != nil {
		return nil, err
	}
	pkt := &protocol.Unsubscribe{Version: c.version, Filters: filters}
	ack, err := c.roundTrip(ctx, cn, pkt, protocol.UNSUBACK)
	if err != nil {
		return nil, err
	}
	unsuback := ack.(*protocol.Unsuback)
	var first error
	for i, f := range filters {
		if i < len(unsuback.ReasonCodes) && unsuback.ReasonCodes[i].IsError() {
			if first == nil {
				first = &ReasonError{Packet: protocol.UNSUBACK, Code: unsuback.ReasonCodes[i], Filter: f,
					Reason: unsuback.Props.ReasonString.Value, Props: unsuback.Props}
			}
			continue
		}
		c.router.remove(f, nil)
		c.mu.Lock()
		c.subs = slices.DeleteFunc(c.subs, func(r *subRecord) bool { return r.sub.Filter == f })
		c.mu.Unlock()
	}
	return unsuback, first
}

// remember records the subscriptions of pkt for re-subscribing.
func (c *Client) remember(pkt *protocol.Subscribe) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var id uint32
	if len(pkt.Props.SubscriptionIDs) > 0 {
		id = pkt.Props.SubscriptionIDs[0]
	}
	for _, s := range pkt.Subscriptions {
		rec := &subRecord{sub: s, subID: id, user: pkt.Props.User}
		if i := slices.IndexFunc(c.subs, func(r *subRecord) bool { return r.sub.Filter == s.Filter }); i >= 0 {
			c.subs[i] = rec
		} else {
			c.subs = append(c.subs, rec)
		}
	}
}

// forget undoes remember and the routes for refused subscriptions.
func (c *Client) forget(subs []protocol.Subscription, routes []*route) {
	c.mu.Lock()
	for _, s := range subs {
		c.subs = slices.DeleteFunc(c.subs, func(r *subRecord) bool { return r.sub.Filter == s.Filter })
	}
	c.mu.Unlock()
	for i, s := range subs {
		c.router.remove(s.Filter, routes[i])
	}
}

// roundTrip sends a SUBSCRIBE or UNSUBSCRIBE under a fresh packet
// identifier and waits for its acknowledgement of type want.
func (c *Client) roundTrip(ctx context.Context, cn *conn, pkt protocol.Packet, want protocol.Type) (protocol.Packet, error) {
	o := &op{t: want, done: make(chan struct{})}
	c.mu.Lock()
	if c.cn != cn {
		c.mu.Unlock()
		return nil, cn.lostErr()
	}
	id, err := c.allocIDLocked()
	if err != nil {
		c.mu.Unlock()
		return nil, err
	}
	c.ops[id] = o
	c.mu.Unlock()
	switch p := pkt.(type) {
	case *protocol.Subscribe:
		p.PacketID = id
	case *protocol.Unsubscribe:
		p.PacketID = id
	}
	drop := func() {
		c.mu.Lock()
		if c.ops[id] == o {
			delete(c.ops, id)
		}
		c.mu.Unlock()
	}
	if err := cn.write(ctx, pkt); err != nil {
		drop()
		return nil, err
	}
	select {
	case <-o.done:
		return o.ack, o.err
	case <-ctx.Done():
		drop()
		return nil, ctx.Err()
	}
}

// resubscribe sends the remembered subscriptions on a connection that
// found no session, grouped by subscription identifier, and reports
// refusals as events.
func (c *Client) resubscribe(cn *conn) {
	c.mu.Lock()
	recs := slices.Clone(c.subs)
	c.mu.Unlock()
	for len(recs) > 0 {
		id, user := recs[0].subID, recs[0].user
		pkt := &protocol.Subscribe{Version: c.version, Props: protocol.Properties{User: user}}
		if id != 0 {
			pkt.Props.SubscriptionIDs = []uint32{id}
		}
		recs = slices.DeleteFunc(recs, func(r *subRecord) bool {
			if r.subID != id {
				return false
			}
			pkt.Subscriptions = append(pkt.Subscriptions, r.sub)
			return true
		})
		ack, err := c.roundTrip(context.Background(), cn, pkt, protocol.SUBACK)
		if err != nil {
			var lost *ConnectionLostError
			if !errors.As(err, &lost) {
				c.emit(Event{Kind: EventResubscribeFailed, Err: err})
			}
			return
		}
		for i, code := range ack.(*protocol.Suback).ReasonCodes {
			if code.IsError() && i < len(pkt.Subscriptions) {
				c.emit(Event{Kind: EventResubscribeFailed, Err: &ReasonError{Packet: protocol.SUBACK,
					Code: code, Filter: pkt.Subscriptions[i].Filter}})
			}
		}
	}
}
