package app

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// The forms of the lab keep what the user typed as text, and turn it into
// settings, subscriptions and messages here, field by field: a field that
// does not parse gets its own error and nothing is sent.

// fieldErrors maps a form field's id to what is wrong with it.
type fieldErrors map[string]error

// parseUint reads a whole number from 0 to max; empty means 0.
func parseUint(s string, max uint64) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > max {
		return 0, errInput("lab.err.number", "max", strconv.FormatUint(max, 10))
	}
	return n, nil
}

// checkBrokerURL reports whether u is a URL the page can reach a broker at:
// ws:// or wss:// with a host. Empty means the lab's own broker.
func checkBrokerURL(u string) error {
	u = strings.TrimSpace(u)
	if u == "" {
		return nil
	}
	p, err := url.Parse(u)
	if err != nil {
		return errInput("lab.err.url_parse")
	}
	switch strings.ToLower(p.Scheme) {
	case "ws", "wss":
	default:
		return errInput("lab.err.url_scheme")
	}
	if p.Hostname() == "" {
		return errInput("lab.err.url_host")
	}
	return nil
}

// connForm is the connection settings form, as typed.
type connForm struct {
	URL           string
	Version       protocol.Version
	ClientID      string
	CleanStart    bool
	SessionExpiry string
	KeepAlive     string
	Username      string
	Password      string
	Will          bool
	WillTopic     string
	WillPayload   string
	WillQoS       protocol.QoS
	WillRetain    bool
	WillDelay     string
}

// connFormOf fills the form from settings.
func connFormOf(s store.Settings) connForm {
	f := connForm{
		URL:           s.URL,
		Version:       s.Version,
		ClientID:      s.ClientID,
		CleanStart:    s.CleanStart,
		SessionExpiry: strconv.FormatUint(uint64(s.SessionExpiry), 10),
		KeepAlive:     strconv.FormatUint(uint64(s.KeepAlive), 10),
		Username:      s.Username,
		Password:      s.Password,
		WillDelay:     "0",
	}
	if w := s.Will; w != nil {
		f.Will, f.WillTopic, f.WillPayload, f.WillQoS, f.WillRetain = true, w.Topic, w.Payload, w.QoS, w.Retain
		f.WillDelay = strconv.FormatUint(uint64(w.Delay), 10)
	}
	return f
}

// settings parses the form; errs says what is wrong, by field id.
func (f connForm) settings() (store.Settings, fieldErrors) {
	errs := fieldErrors{}
	s := store.Settings{
		URL:        strings.TrimSpace(f.URL),
		Version:    f.Version,
		ClientID:   f.ClientID,
		CleanStart: f.CleanStart,
		Username:   f.Username,
		Password:   f.Password,
	}
	if s.Version != protocol.V311 {
		s.Version = protocol.V5
	}
	if err := checkBrokerURL(f.URL); err != nil {
		errs["lab-url"] = err
	}
	if err := protocol.ValidString(f.ClientID); err != nil {
		errs["lab-client-id"] = err
	}
	if n, err := parseUint(f.KeepAlive, 65535); err != nil {
		errs["lab-keepalive"] = err
	} else {
		s.KeepAlive = uint16(n)
	}
	if s.Version == protocol.V5 {
		if n, err := parseUint(f.SessionExpiry, 1<<32-1); err != nil {
			errs["lab-session-expiry"] = err
		} else {
			s.SessionExpiry = uint32(n)
		}
	}
	if err := protocol.ValidString(f.Username); err != nil {
		errs["lab-username"] = err
	}
	if s.Version == protocol.V311 && f.Password != "" && f.Username == "" {
		errs["lab-password"] = protocol.ErrPasswordNoUsername
	}
	if f.Will {
		w := &store.Will{Topic: f.WillTopic, Payload: f.WillPayload, QoS: min(f.WillQoS, protocol.QoS2), Retain: f.WillRetain}
		if err := protocol.ValidTopicName(f.WillTopic); err != nil {
			errs["lab-will-topic"] = err
		}
		if s.Version == protocol.V5 {
			if n, err := parseUint(f.WillDelay, 1<<32-1); err != nil {
				errs["lab-will-delay"] = err
			} else {
				w.Delay = uint32(n)
			}
		}
		s.Will = w
	}
	return s, errs
}

// subForm is the subscribe form, as typed.
type subForm struct {
	Filter            string
	QoS               protocol.QoS
	NoLocal           bool
	RetainAsPublished bool
	RetainHandling    byte
}

// subscription parses the form for protocol version v.
func (f subForm) subscription(v protocol.Version) (protocol.Subscription, error) {
	s := protocol.Subscription{Filter: f.Filter, QoS: min(f.QoS, protocol.QoS2)}
	if err := protocol.ValidFilter(f.Filter); err != nil {
		return s, err
	}
	if v == protocol.V5 {
		s.NoLocal, s.RetainAsPublished, s.RetainHandling = f.NoLocal, f.RetainAsPublished, min(f.RetainHandling, 2)
		if _, _, shared := protocol.ParseShared(f.Filter); shared && f.NoLocal {
			return s, errInput("lab.err.no_local_shared")
		}
	}
	return s, nil
}

// userProp is one row of user properties, as typed.
type userProp struct{ Key, Value string }

// pubForm is the publish form, as typed.
type pubForm struct {
	Topic         string
	Payload       string
	QoS           protocol.QoS
	Retain        bool
	ContentType   string
	ResponseTopic string
	Correlation   string
	Expiry        string
	UTF8          bool
	User          []userProp
}

// message parses the form for protocol version v; errs says what is wrong,
// by field id (user property rows as lab-user-N).
func (f pubForm) message(v protocol.Version) (*client.Message, fieldErrors) {
	errs := fieldErrors{}
	m := &client.Message{Topic: f.Topic, Payload: []byte(f.Payload), QoS: min(f.QoS, protocol.QoS2), Retain: f.Retain}
	if err := protocol.ValidTopicName(f.Topic); err != nil {
		errs["lab-pub-topic"] = err
	}
	if v != protocol.V5 {
		return m, errs
	}
	p := &m.Props
	if f.ContentType != "" {
		if err := protocol.ValidString(f.ContentType); err != nil {
			errs["lab-pub-content-type"] = err
		}
		p.ContentType = protocol.Some(f.ContentType)
	}
	if f.ResponseTopic != "" {
		if err := protocol.ValidTopicName(f.ResponseTopic); err != nil {
			errs["lab-pub-response-topic"] = err
		}
		p.ResponseTopic = protocol.Some(f.ResponseTopic)
	}
	if f.Correlation != "" {
		p.CorrelationData = protocol.Some([]byte(f.Correlation))
	}
	if strings.TrimSpace(f.Expiry) != "" {
		if n, err := parseUint(f.Expiry, 1<<32-1); err != nil {
			errs["lab-pub-expiry"] = err
		} else {
			p.MessageExpiry = protocol.Some(uint32(n))
		}
	}
	if f.UTF8 {
		p.PayloadFormat = protocol.Some[byte](1)
	}
	for i, u := range f.User {
		if u.Key == "" && u.Value == "" {
			continue
		}
		if err := errors.Join(protocol.ValidString(u.Key), protocol.ValidString(u.Value)); err != nil {
			errs["lab-user-"+strconv.Itoa(i)] = err
			continue
		}
		p.User = append(p.User, protocol.UserProperty{Key: u.Key, Value: u.Value})
	}
	return m, errs
}
