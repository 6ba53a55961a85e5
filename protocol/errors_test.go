package protocol

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

// asAny is an error that answers errors.As with a fixed *Error, as a
// wrapper of another library might.
type asAny struct{ e *Error }

func (a asAny) Error() string { return "as: " + a.e.Error() }

func (a asAny) As(target any) bool {
	if p, ok := target.(**Error); ok {
		*p = a.e
		return true
	}
	return false
}

// TestErrorTreeLikeErrorsAs: ReasonCodeOf and RuleOf find the codec's
// errors in every shape of error tree errors.As searches (Unwrap, Unwrap
// returning several errors, an As method), and find the ones errors.As
// finds.
func TestErrorTreeLikeErrorsAs(t *testing.T) {
	t.Parallel()
	detail := withRule(ErrBadReasonCode, "MQTT-3.4.2-1 (5.0)", "0x01 in PUBACK")
	for _, c := range []struct {
		name string
		err  error
		code ReasonCode
		rule string
	}{
		{"nil", nil, Success, ""},
		{"other", io.EOF, UnspecifiedError, ""},
		{"Error", ErrQoS3, MalformedPacket, "MQTT-3.3.1-4"},
		{"detailed", detail, ProtocolError, "MQTT-3.4.2-1 (5.0)"},
		{"wrapped detailed", fmt.Errorf("read: %w", detail), ProtocolError, "MQTT-3.4.2-1 (5.0)"},
		{"joined", errors.Join(io.EOF, fmt.Errorf("x: %w", ErrQoS3)), MalformedPacket, "MQTT-3.3.1-4"},
		{"joined, detailed second", errors.Join(ErrQoS3, detail), MalformedPacket, "MQTT-3.4.2-1 (5.0)"},
		{"two %w", fmt.Errorf("%w and %w", io.EOF, ErrTopicAliasZero), TopicAliasInvalid, "MQTT-3.3.2-8 (5.0)"},
		{"As method", fmt.Errorf("y: %w", asAny{ErrPacketTooLarge}), PacketTooLarge, ErrPacketTooLarge.Rule},
	} {
		if got := ReasonCodeOf(c.err); got != c.code {
			t.Errorf("%s: ReasonCodeOf = %v, want %v", c.name, got, c.code)
		}
		if got := RuleOf(c.err); got != c.rule {
			t.Errorf("%s: RuleOf = %q, want %q", c.name, got, c.rule)
		}
		var e *Error
		if errors.As(c.err, &e) != (asError(c.err) != nil) || asError(c.err) != e {
			t.Errorf("%s: asError = %v, errors.As finds %v", c.name, asError(c.err), e)
		}
	}
}
