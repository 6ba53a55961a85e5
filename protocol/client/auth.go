package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/mqttlab/mqttlab/protocol"
)

var errNoAuthHook = errors.New("mqtt client: the server continues extended authentication but Config.Auth is nil")

// answerAuth answers an AUTH with Continue authentication using the
// Config.Auth hook (§4.12).
func (c *Client) answerAuth(ctx context.Context, cn *conn, in *protocol.Auth) error {
	if c.version != protocol.V5 || in.ReasonCode != protocol.ContinueAuthentication {
		return fmt.Errorf("mqtt client: unexpected AUTH with reason code 0x%02x: %w", byte(in.ReasonCode),
			&protocol.Error{Code: protocol.ProtocolError, Msg: "AUTH out of an authentication exchange"})
	}
	if c.cfg.Auth == nil {
		return &ReasonError{Code: protocol.BadAuthenticationMethod, Reason: errNoAuthHook.Error()}
	}
	out, err := c.cfg.Auth(ctx, in)
	if err != nil {
		return fmt.Errorf("mqtt client: authentication: %w", err)
	}
	reply := *out
	if reply.ReasonCode == protocol.Success {
		reply.ReasonCode = protocol.ContinueAuthentication
	}
	if !reply.Props.AuthMethod.Present {
		reply.Props.AuthMethod = c.cfg.Connect.Props.AuthMethod
		if !reply.Props.AuthMethod.Present {
			reply.Props.AuthMethod = in.Props.AuthMethod
		}
	}
	return cn.write(ctx, &reply)
}

// onAuth handles an AUTH after CONNACK: a step of re-authentication, or
// its success.
func (c *Client) onAuth(cn *conn, p *protocol.Auth) error {
	switch p.ReasonCode {
	case protocol.ContinueAuthentication:
		return c.answerAuth(context.Background(), cn, p)
	case protocol.Success:
		c.mu.Lock()
		if ch := c.reauth; ch != nil {
			ch <- nil
			c.reauth = nil
		}
		c.mu.Unlock()
		return nil
	}
	return fmt.Errorf("mqtt client: the server sent AUTH %s: %w", p.ReasonCode,
		&protocol.Error{Code: protocol.ProtocolError, Msg: "AUTH with a reason code a server must not send"})
}

// Reauthenticate starts MQTT 5.0 re-authentication (§4.12.1) with the
// connection's Authentication Method and data, answers the server's
// challenges with Config.Auth, and waits for the server's success. A
// server that refuses closes the connection (the error is then a
// *ConnectionLostError with its DISCONNECT inside).
func (c *Client) Reauthenticate(ctx context.Context, data []byte) error {
	if c.version != protocol.V5 {
		return fmt.Errorf("mqtt client: re-authentication: %w", ErrVersion)
	}
	method, ok := c.cfg.Connect.Props.AuthMethod.Get()
	if !ok {
		return errors.New("mqtt client: re-authentication needs the Authentication Method of CONNECT (§4.12.1)")
	}
	cn, _, err := c.readyConn(ctx)
	if err != nil {
		return err
	}
	ch := make(chan error, 1)
	c.mu.Lock()
	if c.reauth != nil {
		c.mu.Unlock()
		return errors.New("mqtt client: a re-authentication is already under way")
	}
	c.reauth = ch
	c.mu.Unlock()
	auth := &protocol.Auth{ReasonCode: protocol.ReAuthenticate,
		Props: protocol.Properties{AuthMethod: protocol.Some(method), AuthData: protocol.Some(data)}}
	if err := cn.write(ctx, auth); err != nil {
		c.mu.Lock()
		if c.reauth == ch {
			c.reauth = nil
		}
		c.mu.Unlock()
		return err
	}
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		c.mu.Lock()
		if c.reauth == ch {
			c.reauth = nil
		}
		c.mu.Unlock()
		return ctx.Err()
	}
}
