package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The topics the broker page watches: mosquitto's $SYS statistics and the
// lab telemetry (server/broker/TELEMETRY.md). Route events are left out:
// the page does not draw single messages.
const (
	TopicSysBroker     = "$SYS/broker/#"
	TopicLabClients    = "$SYS/lab/clients"
	TopicLabSubs       = "$SYS/lab/subscriptions"
	TopicLabRetained   = "$SYS/lab/retained"
	TopicLabSessions   = "$SYS/lab/sessions"
	sysBrokerPrefix    = "$SYS/broker/"
	maxSysValues       = 256
	maxClientsKept     = 2000
	maxRetainedKept    = 500
	maxRatePoints      = 60
	maxBrokerEvents    = 30
	maxRateGap         = 10 * time.Second
	subscriptionQoSNil = -1
)

// BrokerFilters are the filters of the broker page's observer.
var BrokerFilters = []string{TopicSysBroker, TopicLabClients, TopicLabSubs, TopicLabRetained, TopicLabSessions}

// BrokerState is what the broker page knows of the broker, built from the
// messages its observer receives. It is safe for concurrent use: the
// observer's goroutine applies messages, the page reads views. Everything
// in it is bounded, however many clients and topics the broker has.
type BrokerState struct {
	mu       sync.Mutex
	version  uint64
	self     string // the observer's own client identifier
	sys      map[string]string
	clients  map[string]*ClientInfo
	retained map[string]*RetainedInfo
	// retainedMore says the broker has retained messages not listed.
	retainedMore bool
	clientsMore  bool
	totals       Totals
	rates        []RatePoint // oldest first, at most maxRatePoints
	events       []BrokerEvent
	bad          int    // messages that could not be read
	badErr       string // why the last one could not
}

// ClientInfo is one client the broker knows: connected, or an offline
// session it keeps.
type ClientInfo struct {
	ID       string
	Online   bool
	Version  string
	Username string
	Remote   string
	Clean    bool
	// KeepAlive is in seconds, 0 for none.
	KeepAlive int
	Will      *PendingWill
	// Since is when the client came online, or went offline.
	Since time.Time
	// Subscriptions maps filters to their QoS (-1 when only the session
	// list named it, which gives no QoS).
	Subscriptions map[string]int
	Queued        int
	Inflight      int
	Dropped       uint64
	// Expiry is the session expiry in seconds, -1 for never.
	Expiry int64
	// Self marks the page's own observer.
	Self bool
}

// PendingWill is a will message waiting for its client's disconnection.
type PendingWill struct {
	Topic string
	QoS   int
}

// RetainedInfo is one retained message the broker holds.
type RetainedInfo struct {
	Topic   string
	Size    int
	Preview string
	Binary  bool
	Cut     bool // the payload is longer than the preview
	Set     time.Time
}

// Totals are the broker's counters in its last session list.
type Totals struct {
	At            time.Time
	Clients       int
	Sessions      int
	Retained      int
	Received      uint64
	Sent          uint64
	Dropped       uint64
	TelemetryLost uint64
}

// RatePoint is the message rates between two session lists.
type RatePoint struct {
	At       time.Time
	Received float64 // PUBLISH packets per second into the broker
	Sent     float64 // and out of it
}

// BrokerEvent is a line of the page's recent-events list.
type BrokerEvent struct {
	At   time.Time
	Kind string // connected, disconnected, refused, session-ended, subscribed, unsubscribed, subscribe-refused
	// Client and Detail say who and what (a filter, a reason).
	Client string
	Detail string
}

// NewBrokerState returns an empty state.
func NewBrokerState() *BrokerState {
	return &BrokerState{sys: map[string]string{}, clients: map[string]*ClientInfo{}, retained: map[string]*RetainedInfo{}}
}

// SetSelf names the observer's own client, which the view marks.
func (s *BrokerState) SetSelf(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.self = id
	s.version++
}

// Version changes whenever the state does.
func (s *BrokerState) Version() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// Apply takes in one message of the observer. A message that cannot be
// read is counted and its error kept for the page, never applied in part.
func (s *BrokerState) Apply(topic string, payload []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	switch {
	case strings.HasPrefix(topic, sysBrokerPrefix):
		name := strings.TrimPrefix(topic, sysBrokerPrefix)
		if _, known := s.sys[name]; known || len(s.sys) < maxSysValues {
			s.sys[name] = string(payload)
		}
	case topic == TopicLabClients:
		err = s.applyClient(payload)
	case topic == TopicLabSubs:
		err = s.applySubscription(payload)
	case topic == TopicLabRetained:
		err = s.applyRetained(payload)
	case topic == TopicLabSessions:
		err = s.applySessions(payload)
	default:
		return nil
	}
	s.version++
	if err != nil {
		s.bad++
		s.badErr = fmt.Sprintf("%s: %v", topic, err)
		return fmt.Errorf("%s: %w", topic, err)
	}
	return nil
}

func millis(ms int64) time.Time { return time.UnixMilli(ms) }

type clientEventJSON struct {
	TS             int64        `json:"ts"`
	Event          string       `json:"event"`
	Client         string       `json:"client"`
	Username       string       `json:"username"`
	Version        string       `json:"version"`
	Remote         string       `json:"remote"`
	Clean          bool         `json:"clean"`
	KeepAlive      int          `json:"keepalive"`
	SessionPresent bool         `json:"sessionPresent"`
	Will           *PendingWill `json:"will"`
	Code           string       `json:"code"`
	Reason         string       `json:"reason"`
	WillFired      bool         `json:"willFired"`
	Lost           int          `json:"lost"`
}

func (s *BrokerState) applyClient(payload []byte) error {
	var ev clientEventJSON
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	if ev.Client == "" {
		return fmt.Errorf("event %q names no client", ev.Event)
	}
	at := millis(ev.TS)
	c := s.clients[ev.Client]
	switch ev.Event {
	case "connected":
		if c == nil {
			if c = s.newClient(ev.Client); c == nil {
				break
			}
		}
		c.Online, c.Since = true, at
		c.Version, c.Username, c.Remote, c.Clean, c.KeepAlive, c.Will = ev.Version, ev.Username, ev.Remote, ev.Clean, ev.KeepAlive, ev.Will
		if !ev.SessionPresent {
			clear(c.Subscriptions)
			c.Queued, c.Inflight = 0, 0
		}
		s.event(at, "connected", ev.Client, ev.Remote)
	case "disconnected":
		if c != nil {
			c.Online, c.Since, c.Remote, c.Will = false, at, "", nil
		}
		s.event(at, "disconnected", ev.Client, joinNonEmpty(ev.Reason, ev.Code, willNote(ev.WillFired)))
	case "session-ended":
		delete(s.clients, ev.Client)
		detail := ev.Reason
		if ev.Lost > 0 {
			detail = joinNonEmpty(detail, strconv.Itoa(ev.Lost)+" lost")
		}
		s.event(at, "session-ended", ev.Client, detail)
	case "refused":
		s.event(at, "refused", ev.Client, joinNonEmpty(ev.Code, ev.Reason))
	default:
		return fmt.Errorf("unknown client event %q", ev.Event)
	}
	return nil
}

func willNote(fired bool) string {
	if fired {
		return "will"
	}
	return ""
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// newClient adds a client, unless the page keeps as many as it may.
func (s *BrokerState) newClient(id string) *ClientInfo {
	if len(s.clients) >= maxClientsKept {
		s.clientsMore = true
		return nil
	}
	c := &ClientInfo{ID: id, Subscriptions: map[string]int{}, Expiry: 0}
	s.clients[id] = c
	return c
}

func (s *BrokerState) event(at time.Time, kind, client, detail string) {
	if len(s.events) == maxBrokerEvents {
		s.events = append(s.events[:0], s.events[1:]...)
	}
	s.events = append(s.events, BrokerEvent{At: at, Kind: kind, Client: client, Detail: detail})
}

type subscriptionEventJSON struct {
	TS     int64  `json:"ts"`
	Event  string `json:"event"`
	Client string `json:"client"`
	Filter string `json:"filter"`
	QoS    int    `json:"qos"`
}

func (s *BrokerState) applySubscription(payload []byte) error {
	var ev subscriptionEventJSON
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	if ev.Client == "" || ev.Filter == "" {
		return fmt.Errorf("event %q names no client or no filter", ev.Event)
	}
	at := millis(ev.TS)
	c := s.clients[ev.Client]
	switch {
	case ev.Event == "added":
		if c == nil {
			c = s.newClient(ev.Client)
		}
		if c != nil {
			c.Subscriptions[ev.Filter] = ev.QoS
		}
		s.event(at, "subscribed", ev.Client, ev.Filter+" · QoS "+strconv.Itoa(ev.QoS))
	case ev.Event == "removed":
		if c != nil {
			delete(c.Subscriptions, ev.Filter)
		}
		s.event(at, "unsubscribed", ev.Client, ev.Filter)
	case strings.HasPrefix(ev.Event, "refused"):
		why := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(ev.Event, "refused"), ":"))
		s.event(at, "subscribe-refused", ev.Client, joinNonEmpty(ev.Filter, why))
	default:
		return fmt.Errorf("unknown subscription event %q", ev.Event)
	}
	return nil
}

type retainedItemJSON struct {
	Topic   string `json:"topic"`
	Size    int    `json:"size"`
	Preview string `json:"preview"`
	Binary  bool   `json:"binary"`
}

type retainedEventJSON struct {
	TS    int64  `json:"ts"`
	Event string `json:"event"`
	retainedItemJSON
	List      []retainedItemJSON `json:"list"`
	Truncated bool               `json:"truncated"`
}

func (s *BrokerState) applyRetained(payload []byte) error {
	var ev retainedEventJSON
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	at := millis(ev.TS)
	switch ev.Event {
	case "snapshot":
		clear(s.retained)
		s.retainedMore = ev.Truncated
		for _, it := range ev.List {
			s.putRetained(at, it)
		}
	case "set", "replaced":
		if ev.Topic == "" {
			return fmt.Errorf("retained %s names no topic", ev.Event)
		}
		s.putRetained(at, ev.retainedItemJSON)
	case "deleted", "expired":
		delete(s.retained, ev.Topic)
	default:
		return fmt.Errorf("unknown retained event %q", ev.Event)
	}
	return nil
}

func (s *BrokerState) putRetained(at time.Time, it retainedItemJSON) {
	r := s.retained[it.Topic]
	if r == nil {
		if len(s.retained) >= maxRetainedKept {
			s.retainedMore = true
			return
		}
		r = &RetainedInfo{Topic: it.Topic}
		s.retained[it.Topic] = r
	}
	full := len(it.Preview)
	if it.Binary {
		full = len(it.Preview) / 2
	}
	*r = RetainedInfo{Topic: it.Topic, Size: it.Size, Preview: it.Preview, Binary: it.Binary, Cut: full < it.Size, Set: at}
}

type sessionJSON struct {
	Client        string       `json:"client"`
	Online        bool         `json:"online"`
	Version       string       `json:"version"`
	Queued        int          `json:"queued"`
	Inflight      int          `json:"inflight"`
	Dropped       uint64       `json:"dropped"`
	Subscriptions []string     `json:"subscriptions"`
	Expiry        int64        `json:"expiry"`
	Since         int64        `json:"since"`
	Username      string       `json:"username"`
	Remote        string       `json:"remote"`
	Clean         bool         `json:"clean"`
	KeepAlive     int          `json:"keepalive"`
	Will          *PendingWill `json:"will"`
}

type sessionsJSON struct {
	TS            int64         `json:"ts"`
	Clients       int           `json:"clients"`
	Sessions      int           `json:"sessions"`
	Retained      int           `json:"retained"`
	Received      uint64        `json:"received"`
	Sent          uint64        `json:"sent"`
	Dropped       uint64        `json:"dropped"`
	TelemetryLost uint64        `json:"telemetryLost"`
	List          []sessionJSON `json:"list"`
	Truncated     bool          `json:"truncated"`
}

// applySessions takes in a session list: it is the whole truth about the
// sessions it names (and, unless truncated, about which exist), and its
// counters give the rates.
func (s *BrokerState) applySessions(payload []byte) error {
	var ev sessionsJSON
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	if ev.TS == 0 {
		return fmt.Errorf("session list without a time")
	}
	at := millis(ev.TS)
	prev := s.totals
	if !at.After(prev.At) {
		return nil // an older list (the retained one, after a fresh one)
	}
	s.totals = Totals{At: at, Clients: ev.Clients, Sessions: ev.Sessions, Retained: ev.Retained,
		Received: ev.Received, Sent: ev.Sent, Dropped: ev.Dropped, TelemetryLost: ev.TelemetryLost}
	if dt := at.Sub(prev.At); !prev.At.IsZero() && dt <= maxRateGap && ev.Received >= prev.Received && ev.Sent >= prev.Sent {
		if len(s.rates) == maxRatePoints {
			s.rates = append(s.rates[:0], s.rates[1:]...)
		}
		s.rates = append(s.rates, RatePoint{At: at,
			Received: float64(ev.Received-prev.Received) / dt.Seconds(),
			Sent:     float64(ev.Sent-prev.Sent) / dt.Seconds()})
	}

	listed := make(map[string]bool, len(ev.List))
	for _, it := range ev.List {
		listed[it.Client] = true
		c := s.clients[it.Client]
		if c == nil {
			if c = s.newClient(it.Client); c == nil {
				continue
			}
		}
		c.Online, c.Version, c.Queued, c.Inflight, c.Dropped, c.Expiry = it.Online, it.Version, it.Queued, it.Inflight, it.Dropped, it.Expiry
		if it.Since != 0 {
			c.Since = millis(it.Since)
		}
		c.Username, c.Remote, c.Clean, c.KeepAlive, c.Will = it.Username, it.Remote, it.Clean, it.KeepAlive, it.Will
		subs := make(map[string]int, len(it.Subscriptions))
		for _, f := range it.Subscriptions {
			q, ok := c.Subscriptions[f]
			if !ok {
				q = subscriptionQoSNil
			}
			subs[f] = q
		}
		c.Subscriptions = subs
	}
	if !ev.Truncated {
		for id := range s.clients {
			if !listed[id] {
				delete(s.clients, id)
			}
		}
		s.clientsMore = false
	} else {
		s.clientsMore = true
	}
	return nil
}

// BrokerView is a copy of the state for one rendering.
type BrokerView struct {
	Self string
	// Sys holds the $SYS/broker values by their name under $SYS/broker/.
	Sys          map[string]string
	Clients      []ClientInfo // online first, then by identifier
	ClientsMore  bool
	Retained     []RetainedInfo // by topic
	RetainedMore bool
	Totals       Totals
	Rates        []RatePoint
	Events       []BrokerEvent // newest first
	Bad          int
	BadErr       string
}

// Uptime is the broker's uptime from $SYS/broker/uptime ("123 seconds").
func (v *BrokerView) Uptime() (time.Duration, bool) {
	n, err := strconv.ParseInt(strings.TrimSuffix(v.Sys["uptime"], " seconds"), 10, 64)
	if err != nil {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// SysUint is a counter of $SYS/broker, by its name below $SYS/broker/.
func (v *BrokerView) SysUint(name string) (uint64, bool) {
	n, err := strconv.ParseUint(v.Sys[name], 10, 64)
	return n, err == nil
}

// View returns a copy of the state.
func (s *BrokerState) View() BrokerView {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := BrokerView{Self: s.self, Sys: cloneMap(s.sys), ClientsMore: s.clientsMore, RetainedMore: s.retainedMore,
		Totals: s.totals, Rates: slices.Clone(s.rates), Bad: s.bad, BadErr: s.badErr}
	for _, c := range s.clients {
		cc := *c
		cc.Subscriptions = cloneSubs(c.Subscriptions)
		cc.Self = c.ID == s.self
		v.Clients = append(v.Clients, cc)
	}
	sort.Slice(v.Clients, func(i, j int) bool {
		a, b := &v.Clients[i], &v.Clients[j]
		if a.Online != b.Online {
			return a.Online
		}
		return a.ID < b.ID
	})
	for _, r := range s.retained {
		v.Retained = append(v.Retained, *r)
	}
	sort.Slice(v.Retained, func(i, j int) bool { return v.Retained[i].Topic < v.Retained[j].Topic })
	for i := len(s.events) - 1; i >= 0; i-- {
		v.Events = append(v.Events, s.events[i])
	}
	return v
}

// SortedSubscriptions returns a client's filters in order.
func (c *ClientInfo) SortedSubscriptions() []string {
	return sortedKeys(c.Subscriptions)
}

// The browser app is WebAssembly, where maps.Clone and
// slices.Sorted(maps.Keys(…)) bring the runtime's map cloning and the
// iterators' generic code for each map type: these loops cost less.

// cloneMap returns a copy of m (nil when m is).
func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// cloneSubs returns a copy of m (nil when m is).
func cloneSubs(m map[string]int) map[string]int {
	if m == nil {
		return nil
	}
	c := make(map[string]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
