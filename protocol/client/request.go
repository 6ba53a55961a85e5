package client

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/mqttlab/mqttlab/protocol"
)

// requester is the state of Request: one response topic per client,
// subscribed on first use, and the requests waiting for responses by
// correlation data.
type requester struct {
	mu      sync.Mutex
	topic   string // subscribed response topic, "" until then
	prefix  [8]byte
	next    uint64
	waiting map[string]chan *Message
}

// Request publishes m as a request (MQTT 5.0 request/response, §4.10) and
// waits for the response: m goes out with a Response Topic unique to this
// client (under the server's Response Information if it sent one, else
// under "mqttlab/response/") and fresh Correlation Data, and the first
// message on that topic carrying the same correlation data is returned.
// The client subscribes to the response topic once, on the first request.
func (c *Client) Request(ctx context.Context, m *Message) (*Message, error) {
	if c.version != protocol.V5 {
		return nil, fmt.Errorf("mqtt client: request/response: %w", ErrVersion)
	}
	topic, err := c.responseTopic(ctx)
	if err != nil {
		return nil, err
	}
	rq := &c.req
	ch := make(chan *Message, 1)
	rq.mu.Lock()
	rq.next++
	corr := binary.BigEndian.AppendUint64(rq.prefix[:], rq.next)
	key := string(corr)
	rq.waiting[key] = ch
	rq.mu.Unlock()
	defer func() {
		rq.mu.Lock()
		delete(rq.waiting, key)
		rq.mu.Unlock()
	}()

	req := *m
	req.Props.ResponseTopic = protocol.Some(topic)
	req.Props.CorrelationData = protocol.Some(corr)
	if err := c.Publish(ctx, &req); err != nil {
		return nil, err
	}
	select {
	case resp := <-ch:
		return resp, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.done:
		return nil, ErrClosed
	}
}

// responseTopic returns the client's response topic, subscribing to it
// the first time.
func (c *Client) responseTopic(ctx context.Context) (string, error) {
	rq := &c.req
	rq.mu.Lock()
	defer rq.mu.Unlock()
	if rq.topic != "" {
		return rq.topic, nil
	}
	if rq.waiting == nil {
		rq.waiting = map[string]chan *Message{}
		rand.Read(rq.prefix[:])
	}
	base := "mqttlab/response"
	if ack := c.Connack(); ack != nil && ack.ResponseInfo != "" {
		base = ack.ResponseInfo
	}
	topic := base + "/" + hex.EncodeToString(rq.prefix[:])
	err := c.SubscribeTopic(ctx, topic, protocol.QoS1, c.onResponse)
	if err != nil {
		return "", fmt.Errorf("mqtt client: subscribing to the response topic: %w", err)
	}
	rq.topic = topic
	return topic, nil
}

// onResponse hands a response to the request waiting for it.
func (c *Client) onResponse(m *Message) {
	rq := &c.req
	rq.mu.Lock()
	ch := rq.waiting[string(m.Props.CorrelationData.Value)]
	rq.mu.Unlock()
	if ch == nil {
		if h := c.cfg.DefaultHandler; h != nil {
			h(m) // late or unknown response
		} else {
			c.stats.unrouted.Add(1)
		}
		return
	}
	select {
	case ch <- m:
	default:
	}
}

// Respond publishes resp as the response to request req: to req's
// Response Topic, with its Correlation Data.
func (c *Client) Respond(ctx context.Context, req, resp *Message) error {
	rt, ok := req.Props.ResponseTopic.Get()
	if !ok {
		return errors.New("mqtt client: the request has no Response Topic to respond to")
	}
	out := *resp
	out.Topic = rt
	out.Props.CorrelationData = req.Props.CorrelationData
	return c.Publish(ctx, &out)
}
