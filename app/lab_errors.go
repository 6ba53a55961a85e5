package app

import (
	"context"
	"errors"
	"strings"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// inputError is a problem with what the user typed: a message key and its
// arguments, turned into a sentence in the language of the moment.
type inputError struct {
	key  string
	args []string // name, value, name, value… for the {name} placeholders
}

func (e *inputError) Error() string { return tf(i18n.En, e.key, e.args...) }

// errInput returns an inputError.
func errInput(key string, args ...string) error { return &inputError{key: key, args: args} }

// tf returns the message key in l with every {name} replaced by its value;
// args alternate names and values.
func tf(l i18n.Lang, key string, args ...string) string {
	s := l.T(key)
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// protocolInputErrors names the message of each protocol error a form can
// meet in what the user typed.
var protocolInputErrors = []struct {
	err error
	key string
}{
	{protocol.ErrTopicEmpty, "lab.err.topic_empty"},
	{protocol.ErrTopicWildcard, "lab.err.topic_wildcard"},
	{protocol.ErrFilterEmpty, "lab.err.filter_empty"},
	{protocol.ErrFilterHash, "lab.err.filter_hash"},
	{protocol.ErrFilterPlus, "lab.err.filter_plus"},
	{protocol.ErrSharedName, "lab.err.shared_name"},
	{protocol.ErrNullCharacter, "lab.err.null_char"},
	{protocol.ErrStringTooLong, "lab.err.too_long"},
	{protocol.ErrPasswordNoUsername, "lab.err.password_alone"},
}

// storeErrors names the message of each error of the lab's store.
var storeErrors = []struct {
	err error
	key string
}{
	{store.ErrNameEmpty, "lab.err.name_empty"},
	{store.ErrNameTooLong, "lab.err.name_long"},
	{store.ErrNameTaken, "lab.err.name_taken"},
	{store.ErrNoClient, "lab.err.no_client"},
	{store.ErrConnected, "lab.err.connected"},
	{store.ErrNotConnected, "lab.err.not_connected"},
	{store.ErrAlreadyActive, "lab.err.already_active"},
}

// describeError says in l what went wrong, for the user: reason codes
// with their name and meaning, lost connections with their cause, typing
// mistakes with the rule they break. Errors from the browser or the
// network that the app cannot translate are quoted after a sentence that
// says what was being done.
func describeError(l i18n.Lang, err error) string {
	if err == nil {
		return ""
	}
	var (
		in   *inputError
		re   *client.ReasonError
		lost *client.ConnectionLostError
		dial *store.DialError
	)
	switch {
	case errors.As(err, &in):
		return tf(l, in.key, in.args...)
	case errors.As(err, &lost):
		return l.T("lab.err.lost") + " " + describeCause(l, lost.Cause)
	case errors.As(err, &re):
		return describeRefusal(l, re)
	case errors.As(err, &dial):
		if errors.Is(err, context.DeadlineExceeded) {
			return tf(l, "lab.err.dial_timeout", "url", dial.URL)
		}
		return tf(l, "lab.err.dial", "url", dial.URL) + detail(l, dial.Err)
	case errors.Is(err, context.DeadlineExceeded):
		return l.T("lab.err.timeout")
	case errors.Is(err, client.ErrSessionLost):
		return l.T("lab.err.session_lost")
	case errors.Is(err, client.ErrClosed), errors.Is(err, client.ErrDisconnected):
		return l.T("lab.err.not_connected")
	}
	for _, e := range storeErrors {
		if errors.Is(err, e.err) {
			return l.T(e.key)
		}
	}
	for _, e := range protocolInputErrors {
		if errors.Is(err, e.err) {
			return l.T(e.key) + rule(err)
		}
	}
	return l.T("lab.err.other") + detail(l, err)
}

// describeRefusal explains a reason code the broker answered with (or that
// the client applied in the broker's name, from what the CONNACK said).
func describeRefusal(l i18n.Lang, re *client.ReasonError) string {
	var s string
	switch re.Packet {
	case 0:
		s = tf(l, "lab.err.refused_here", "code", reasonFull(l, re.Code, 0))
	case protocol.DISCONNECT:
		s = tf(l, "lab.err.disconnected_by", "code", reasonFull(l, re.Code, protocol.DISCONNECT))
	default:
		s = tf(l, "lab.err.refused", "packet", re.Packet.String(), "code", reasonFull(l, re.Code, re.Packet))
	}
	if re.Reason != "" {
		s += " " + tf(l, "lab.err.broker_says", "reason", re.Reason)
	}
	return s
}

// describeCause says why a connection ended.
func describeCause(l i18n.Lang, err error) string {
	var re *client.ReasonError
	switch {
	case err == nil:
		return l.T("lab.err.closed")
	case errors.As(err, &re):
		return describeRefusal(l, re)
	case errors.Is(err, client.ErrPingTimeout):
		return l.T("lab.err.ping_timeout")
	}
	var pe *protocol.Error
	if errors.As(err, &pe) && pe.Code.IsError() {
		return tf(l, "lab.err.protocol", "code", reasonFull(l, pe.Code, 0)) + detail(l, err)
	}
	return l.T("lab.err.closed") + detail(l, err)
}

// detail quotes an error's own text after a sentence of ours.
func detail(l i18n.Lang, err error) string {
	if err == nil {
		return ""
	}
	return " " + tf(l, "lab.err.detail", "detail", err.Error())
}

// rule cites the rule of the specification an error breaks, if it names
// one.
func rule(err error) string {
	if r := protocol.RuleOf(err); r != "" {
		return " [" + r + "]"
	}
	return ""
}
