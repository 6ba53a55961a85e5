package store

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// Clients is the lab of the page: the MQTT clients the user made on the lab
// page. It lives as long as the page, so the clients stay connected while
// the user visits the other pages, and every client taps into Log.
var Clients = NewLab(Log, 1000)

// MaxNameLen bounds the name of a lab client, in characters.
const MaxNameLen = 40

// Errors of the lab's registry; the page turns them into sentences.
var (
	ErrNoClient      = errors.New("lab: no client by that name")
	ErrNameEmpty     = errors.New("lab: a client needs a name")
	ErrNameTooLong   = errors.New("lab: the name is too long")
	ErrNameTaken     = errors.New("lab: another client has that name")
	ErrConnected     = errors.New("lab: the client is connected: disconnect it to change its settings")
	ErrNotConnected  = client.ErrNotConnected
	ErrAlreadyActive = errors.New("lab: the client is already connected or connecting")
)

// Status is where a lab client's connection stands.
type Status uint8

// The statuses of a lab client.
const (
	Disconnected Status = iota
	Connecting
	Connected
)

func (s Status) String() string {
	switch s {
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	}
	return "disconnected"
}

// PayloadView is how a client's message log shows payloads.
type PayloadView uint8

// The payload views of a message log.
const (
	ViewText PayloadView = iota
	ViewJSON
	ViewHex
	ViewBase64
)

// PayloadViews lists the views in the order the page offers them.
var PayloadViews = []PayloadView{ViewText, ViewJSON, ViewHex, ViewBase64}

func (v PayloadView) String() string {
	switch v {
	case ViewJSON:
		return "json"
	case ViewHex:
		return "hex"
	case ViewBase64:
		return "base64"
	}
	return "text"
}

// Settings are what a lab client sends in CONNECT, and where to.
type Settings struct {
	// URL is the broker's ws:// or wss:// URL; empty means the lab's
	// DefaultURL.
	URL string `json:"url"`
	// Version is protocol.V311 or protocol.V5.
	Version       protocol.Version `json:"version"`
	ClientID      string           `json:"clientId"`
	CleanStart    bool             `json:"cleanStart"`
	SessionExpiry uint32           `json:"sessionExpiry,omitempty"` // seconds, 5.0
	KeepAlive     uint16           `json:"keepAlive"`               // seconds, 0 disables
	Username      string           `json:"username,omitempty"`      // empty: none
	// Password is never saved in the browser's storage: after a reload it
	// must be typed again.
	Password string `json:"-"`
	Will     *Will  `json:"will,omitempty"`
}

// Will is the message the broker publishes for a client whose connection
// ends without DISCONNECT.
type Will struct {
	Topic   string       `json:"topic"`
	Payload string       `json:"payload"`
	QoS     protocol.QoS `json:"qos"`
	Retain  bool         `json:"retain,omitempty"`
	Delay   uint32       `json:"delay,omitempty"` // seconds, 5.0
}

// Sub is one of a client's subscriptions, as the broker granted it.
type Sub struct {
	protocol.Subscription
	// Granted is the SUBACK's reason code: the QoS granted.
	Granted protocol.ReasonCode
}

// Counters count a client's traffic since it was added.
type Counters struct {
	Received  uint64 // messages received
	Published uint64 // messages published (and acknowledged, for QoS 1 and 2)
	Evicted   uint64 // messages dropped from the bounded log
}

// Message is a received message in a client's log.
type Message struct {
	// Seq numbers the client's messages from 1.
	Seq  uint64
	Time time.Time
	client.Message
}

// ClientView is a copy of a lab client's state, for drawing it.
type ClientView struct {
	Name     string
	Settings Settings
	Status   Status
	// Err says why the last connection attempt failed or the connection
	// ended, nil after a connection the user ended.
	Err error
	// Connack is the broker's answer on the current or last connection.
	Connack  *client.Connack
	Subs     []Sub
	Counters Counters
	// Stats are the client's packet and byte counters on its current or
	// last connection.
	Stats client.Stats
	View  PayloadView
	// Rev changes with everything about the client but its messages;
	// MsgRev changes with its messages.
	Rev, MsgRev uint64
}

// Lab is a registry of named MQTT clients: their settings, connections,
// subscriptions and message logs. It is safe for concurrent use: the
// clients' goroutines record messages and events, the page reads and acts.
// Like Packets, it knows nothing of go-app: the page compares Version with
// the one it drew.
type Lab struct {
	log     *Packets
	logSize int

	mu         sync.Mutex
	clients    []*labClient
	selected   string
	defaultURL string
	version    uint64
	save       func([]byte)
	prefill    *Prefill // what another page asked the lab page to fill in
}

// labClient is one client of the lab; its fields are guarded by Lab.mu.
type labClient struct {
	name     string
	settings Settings
	status   Status
	err      error
	connack  *client.Connack
	subs     []Sub
	counters Counters
	view     PayloadView

	cl  *client.Client // the client of the current or last connection
	gen uint64         // counts connections; events of older ones are stale

	// unsaved marks a client the page made for itself (a lesson's): the
	// lab shows it but never saves it in the browser's storage.
	unsaved bool
	// onMessage, if set, is called with every message after it is logged.
	onMessage func(Message)

	msgs  []Message // ring of the newest messages
	start int       // index of the oldest message in msgs
	seq   uint64

	rev, msgRev uint64
}

// NewLab returns an empty lab whose clients tap into log and keep their
// newest logSize messages each.
func NewLab(log *Packets, logSize int) *Lab {
	return &Lab{log: log, logSize: max(logSize, 1)}
}

// SetDefaultURL sets the broker URL of clients whose settings name none:
// the page sets it to its own server's /mqtt.
func (l *Lab) SetDefaultURL(u string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.defaultURL = u
	l.changedLocked(nil)
}

// DefaultURL returns the URL SetDefaultURL set.
func (l *Lab) DefaultURL() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.defaultURL
}

// Version changes whenever anything in the lab does.
func (l *Lab) Version() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.version
}

// changedLocked records a change of c (nil: of the lab itself).
func (l *Lab) changedLocked(c *labClient) {
	l.version++
	if c != nil {
		c.rev++
	}
}

// find returns the client named name; l.mu is held.
func (l *Lab) find(name string) *labClient {
	for _, c := range l.clients {
		if c.name == name {
			return c
		}
	}
	return nil
}

// checkNameLocked reports whether name may name a new client (or a client
// renamed from old).
func (l *Lab) checkNameLocked(name, old string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return ErrNameEmpty
	case utf8.RuneCountInString(name) > MaxNameLen:
		return ErrNameTooLong
	case name != old && l.find(name) != nil:
		return ErrNameTaken
	}
	return nil
}

// DefaultSettings are the settings of a new client named name: MQTT 5.0 to
// the lab's broker, a client identifier of its own, clean start, a minute
// of keepalive.
func (l *Lab) DefaultSettings(name string) Settings {
	return Settings{
		Version:    protocol.V5,
		ClientID:   NewClientID(name),
		CleanStart: true,
		KeepAlive:  60,
	}
}

// NewClientID makes a client identifier from a client's name: its letters
// and digits (at most 8) after "lab" and a random suffix, so that two tabs
// with a client of the same name do not take each other's session over.
// It stays within the 23 characters every broker must accept.
func NewClientID(name string) string {
	var b strings.Builder
	b.WriteString("lab")
	n := 0
	for _, r := range name {
		if n == 8 {
			break
		}
		if r < 128 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
			n++
		}
	}
	b.WriteByte('-')
	suffix := strconv.FormatUint(rand.Uint64N(1<<24), 16)
	b.WriteString("000000"[len(suffix):] + suffix) // at most 6 digits
	return b.String()
}

// Add adds a disconnected client named name with the default settings and
// selects it.
func (l *Lab) Add(name string) error {
	return l.AddWith(name, l.DefaultSettings(name))
}

// AddWith adds a disconnected client named name with settings s and
// selects it.
func (l *Lab) AddWith(name string, s Settings) error {
	l.mu.Lock()
	if err := l.checkNameLocked(name, ""); err != nil {
		l.mu.Unlock()
		return err
	}
	l.clients = append(l.clients, &labClient{name: name, settings: s})
	l.selected = name
	l.changedLocked(nil)
	l.mu.Unlock()
	l.persist()
	return nil
}

// AddUnsaved adds a disconnected client named name with settings s that
// the lab shows but never saves: a client a lesson makes for its
// experiment, which the lesson makes again on the next visit. It selects
// the client only when none is selected.
func (l *Lab) AddUnsaved(name string, s Settings) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkNameLocked(name, ""); err != nil {
		return err
	}
	l.clients = append(l.clients, &labClient{name: name, settings: s, unsaved: true})
	if l.selected == "" {
		l.selected = name
	}
	l.changedLocked(nil)
	return nil
}

// SetHandler makes h see every message the client named name receives,
// after it is logged, on the client's delivery goroutine (nil removes it).
// The client acknowledges a QoS 1 or 2 message only once h returns: a
// handler that takes its time makes a slow subscriber, as a slow device
// would be. h may call the lab, e.g. to publish an answer.
func (l *Lab) SetHandler(name string, h func(Message)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.find(name)
	if c == nil {
		return ErrNoClient
	}
	c.onMessage = h
	return nil
}

// Remove removes the client named name, closing its connection (normally,
// so its will is not published).
func (l *Lab) Remove(name string) error {
	l.mu.Lock()
	i := slices.IndexFunc(l.clients, func(c *labClient) bool { return c.name == name })
	if i < 0 {
		l.mu.Unlock()
		return ErrNoClient
	}
	c := l.clients[i]
	copy(l.clients[i:], l.clients[i+1:])
	l.clients[len(l.clients)-1] = nil
	l.clients = l.clients[:len(l.clients)-1]
	c.gen++ // its events are stale from now on
	cl := c.cl
	c.cl = nil
	if l.selected == name {
		l.selected = ""
		if len(l.clients) > 0 {
			l.selected = l.clients[min(i, len(l.clients)-1)].name
		}
	}
	l.changedLocked(nil)
	l.mu.Unlock()
	l.persist()
	if cl != nil {
		cl.Close() // a normal DISCONNECT, waiting up to 5 s for the network
	}
	return nil
}

// Rename gives the client named old the name name; its packets from now
// on are logged under the new name.
func (l *Lab) Rename(old, name string) error {
	l.mu.Lock()
	c := l.find(old)
	if c == nil {
		l.mu.Unlock()
		return ErrNoClient
	}
	if err := l.checkNameLocked(name, old); err != nil {
		l.mu.Unlock()
		return err
	}
	c.name = name
	if l.selected == old {
		l.selected = name
	}
	if c.cl != nil {
		c.cl.SetTap(l.log.Tap(name))
	}
	l.changedLocked(c)
	l.mu.Unlock()
	l.persist()
	return nil
}

// Select makes the client named name the one the page shows.
func (l *Lab) Select(name string) error {
	l.mu.Lock()
	if l.find(name) == nil {
		l.mu.Unlock()
		return ErrNoClient
	}
	if l.selected == name {
		l.mu.Unlock()
		return nil
	}
	l.selected = name
	l.changedLocked(nil)
	l.mu.Unlock()
	l.persist()
	return nil
}

// Selected returns the name of the client the page shows, "" when there is
// none.
func (l *Lab) Selected() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.selected
}

// SetSettings replaces the settings of a disconnected client.
func (l *Lab) SetSettings(name string, s Settings) error {
	l.mu.Lock()
	c := l.find(name)
	if c == nil {
		l.mu.Unlock()
		return ErrNoClient
	}
	if c.status != Disconnected {
		l.mu.Unlock()
		return ErrConnected
	}
	if settingsEqual(c.settings, s) {
		l.mu.Unlock()
		return nil
	}
	c.settings = s
	l.changedLocked(c)
	l.mu.Unlock()
	l.persist()
	return nil
}

func settingsEqual(a, b Settings) bool {
	wa, wb := a.Will, b.Will
	a.Will, b.Will = nil, nil
	if a != b || (wa == nil) != (wb == nil) {
		return false
	}
	return wa == nil || *wa == *wb
}

// SetView sets how the client's log shows payloads.
func (l *Lab) SetView(name string, v PayloadView) error {
	l.mu.Lock()
	c := l.find(name)
	if c == nil {
		l.mu.Unlock()
		return ErrNoClient
	}
	if c.view == v {
		l.mu.Unlock()
		return nil
	}
	c.view = v
	c.msgRev++ // the log redraws
	l.changedLocked(c)
	l.mu.Unlock()
	l.persist()
	return nil
}
