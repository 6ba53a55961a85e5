package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// Bounds of what the fleet page keeps, whatever the fleet's size.
const (
	maxCharts      = 24              // (fleet, field) pairs kept: the first in scenario order
	chartsShown    = 12              // charts drawn at once
	maxLines       = 6               // devices per chart, the first heard
	maxPoints      = 120             // per device
	chartWindow    = 2 * time.Minute // of history shown
	maxStatuses    = 10_000          // status topics remembered
	commandTimeout = 5 * time.Second
)

// fleetLive is the fleet page's MQTT side: one client of its own over
// WebSocket to the lab's broker, subscribed to the data and status topics
// of the running fleets. It keeps a bounded history of every numeric
// field per device for the charts and the last status of each device
// (birth, goodbye or will), and sends commands. Handlers run on the
// client's goroutine; the page reads snapshots and redraws at most a few
// times a second, when Version has moved.
type fleetLive struct {
	c *client.Client

	mu       sync.Mutex
	fleets   []fleetInfo // followed
	charts   []*chartData
	statuses map[string]string // status topic → last payload
	version  uint64
	err      string
}

// chartData is the history of one field of one fleet.
type chartData struct {
	fleet, field, unit string
	rank               int // fleet's place in the scenario × 1000 + the field's in its fleet
	lines              []*lineData
}

// lineData is one device's points, oldest first.
type lineData struct {
	label string // what tells the device apart in its topic
	topic string
	t     []int64 // unix ms
	v     []float64
}

// newFleetLive makes the page's client; run connects it.
func newFleetLive() (*fleetLive, error) {
	u := goapp.Window().URL()
	scheme := "ws"
	if u.Scheme == "https" {
		scheme = "wss"
	}
	dial, err := client.Dialer(scheme+"://"+u.Host+"/mqtt", nil)
	if err != nil {
		return nil, err
	}
	l := &fleetLive{statuses: map[string]string{}}
	l.c, err = client.New(client.Config{
		Dial: dial,
		Connect: protocol.Connect{Version: protocol.V5, CleanStart: true, KeepAlive: 30,
			ClientID: fmt.Sprintf("mqttlab-fleet-page-%06d", rand.IntN(1_000_000))},
		Reconnect: &client.Reconnect{},
		Tap:       store.Log.Tap("fleet page"),
		QueueSize: 4096,
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// connect connects the client, retrying until ctx ends.
func (l *fleetLive) connect(ctx context.Context) error {
	for delay := 500 * time.Millisecond; ; delay = min(2*delay, 10*time.Second) {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := l.c.Connect(cctx)
		cancel()
		if err == nil || errors.Is(err, client.ErrAlreadyConnected) {
			l.setErr("")
			return nil
		}
		l.setErr(err.Error())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

func (l *fleetLive) setErr(s string) {
	l.mu.Lock()
	if l.err != s {
		l.err = s
		l.version++
	}
	l.mu.Unlock()
}

// follow subscribes to the data and status topics of fleets, dropping
// the subscriptions and history of the fleets followed before, unless
// they are the same.
func (l *fleetLive) follow(ctx context.Context, fleets []fleetInfo) error {
	l.mu.Lock()
	same := len(l.fleets) == len(fleets)
	for i := 0; same && i < len(fleets); i++ {
		a, b := &l.fleets[i], &fleets[i]
		same = a.Name == b.Name && a.Filter == b.Filter && a.StatusFilter == b.StatusFilter && a.Format == b.Format
	}
	old := l.fleets
	if !same {
		l.fleets = append([]fleetInfo(nil), fleets...)
		l.charts = nil
		clear(l.statuses)
		l.version++
	}
	l.mu.Unlock()
	if same {
		return nil
	}
	var filters []string
	for _, f := range old {
		filters = append(filters, f.Filter)
		if f.StatusFilter != "" {
			filters = append(filters, f.StatusFilter)
		}
	}
	if len(filters) > 0 {
		l.c.Unsubscribe(ctx, filters...)
	}
	req := &client.SubscribeRequest{}
	for _, f := range fleets {
		req.Subscriptions = append(req.Subscriptions, client.Subscription{
			Subscription: protocol.Subscription{Filter: f.Filter}, Handler: l.onData})
		if f.StatusFilter != "" {
			req.Subscriptions = append(req.Subscriptions, client.Subscription{
				Subscription: protocol.Subscription{Filter: f.StatusFilter}, Handler: l.onStatus})
		}
	}
	if len(req.Subscriptions) == 0 {
		return nil
	}
	_, err := l.c.Subscribe(ctx, req)
	return err
}

// onStatus remembers a device's last status.
func (l *fleetLive) onStatus(m *client.Message) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.statuses[m.Topic]; !ok && len(l.statuses) >= maxStatuses {
		return
	}
	l.statuses[m.Topic] = string(m.Payload)
	l.version++
}

// onData adds the numeric values of a data message to the charts.
func (l *fleetLive) onData(m *client.Message) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range l.fleets {
		f := &l.fleets[i]
		if !protocol.Match(f.Filter, m.Topic) {
			continue
		}
		now := time.Now().UnixMilli()
		for _, fv := range numericFields(f, m.Payload) {
			l.add(f, i*1000+fieldRank(f, fv.name), fv.name, m.Topic, now, fv.v)
		}
		l.version++
		return
	}
}

type fieldValue struct {
	name string
	v    float64
}

// numericFields reads the numbers of a payload in the fleet's format:
// JSON members (nested objects flattened to dotted names), a plain
// number, or CSV columns in field order. Hex payloads are not charted.
func numericFields(f *fleetInfo, payload []byte) []fieldValue {
	var out []fieldValue
	switch f.Format {
	case "json":
		var obj map[string]any
		if json.Unmarshal(payload, &obj) != nil {
			return nil
		}
		flatten("", obj, &out)
		// Follow the scenario's field order, not the map's.
		// An insertion sort, stable, of a few fields: sort.SliceStable
		// would bring its own ~5 KB of WebAssembly.
		for i := 1; i < len(out); i++ {
			for j := i; j > 0 && fieldRank(f, out[j].name) < fieldRank(f, out[j-1].name); j-- {
				out[j], out[j-1] = out[j-1], out[j]
			}
		}
	case "plain":
		if v, err := strconv.ParseFloat(strings.TrimSpace(string(payload)), 64); err == nil && len(f.Fields) == 1 {
			out = append(out, fieldValue{f.Fields[0].Name, v})
		}
	case "csv":
		cols := strings.Split(strings.TrimSpace(string(payload)), ",")
		if len(cols) == len(f.Fields) {
			for i, c := range cols {
				if v, err := strconv.ParseFloat(strings.Trim(c, `" `), 64); err == nil {
					out = append(out, fieldValue{f.Fields[i].Name, v})
				}
			}
		}
	}
	return out
}

func flatten(prefix string, obj map[string]any, out *[]fieldValue) {
	for k, v := range obj {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		switch v := v.(type) {
		case float64:
			if !math.IsInf(v, 0) && !math.IsNaN(v) {
				*out = append(*out, fieldValue{name, v})
			}
		case map[string]any:
			flatten(name, v, out)
		}
	}
}

// fieldRank orders a (possibly flattened) name by the fleet's fields.
func fieldRank(f *fleetInfo, name string) int {
	for i, fl := range f.Fields {
		if name == fl.Name || strings.HasPrefix(name, fl.Name+".") {
			return i
		}
	}
	return len(f.Fields)
}

// add appends a point to the chart of (fleet, field), within the bounds:
// the charts kept are the first maxCharts in scenario order, whatever
// order the messages come in, so a chart seen late replaces one of a
// later fleet or field.
func (l *fleetLive) add(f *fleetInfo, rank int, field, topic string, t int64, v float64) {
	var c *chartData
	for _, x := range l.charts {
		if x.fleet == f.Name && x.field == field {
			c = x
			break
		}
	}
	if c == nil {
		c = &chartData{fleet: f.Name, field: field, unit: unitOf(f, field), rank: rank}
		// A loop over a few charts, not slices' generic search and insert
		// (their code is ~4 KB of WebAssembly for each element type).
		i := 0
		for i < len(l.charts) && l.charts[i].rank < rank {
			i++
		}
		if i >= maxCharts {
			return
		}
		l.charts = append(l.charts, nil)
		copy(l.charts[i+1:], l.charts[i:])
		l.charts[i] = c
		if len(l.charts) > maxCharts {
			l.charts[maxCharts] = nil
			l.charts = l.charts[:maxCharts]
		}
	}
	var ln *lineData
	for _, x := range c.lines {
		if x.topic == topic {
			ln = x
			break
		}
	}
	if ln == nil {
		if len(c.lines) >= maxLines {
			return
		}
		ln = &lineData{topic: topic, label: topicLabel(f.Filter, topic)}
		c.lines = append(c.lines, ln)
	}
	if len(ln.t) >= maxPoints {
		n := copy(ln.t, ln.t[1:])
		ln.t = ln.t[:n]
		n = copy(ln.v, ln.v[1:])
		ln.v = ln.v[:n]
	}
	ln.t = append(ln.t, t)
	ln.v = append(ln.v, v)
}

// unitOf returns the unit of a field; a member of a field's object (a
// GPS position's lat) has none of its own.
func unitOf(f *fleetInfo, name string) string {
	for _, fl := range f.Fields {
		if name == fl.Name {
			return fl.Unit
		}
	}
	return ""
}

// topicLabel returns the levels of topic that the filter's + stand for:
// what tells one device from another ("lobby/1").
func topicLabel(filter, topic string) string {
	fl, tl := strings.Split(filter, "/"), strings.Split(topic, "/")
	if len(fl) != len(tl) {
		return topic
	}
	var parts []string
	for i, f := range fl {
		if f == "+" {
			parts = append(parts, tl[i])
		}
	}
	if len(parts) == 0 {
		return topic
	}
	return strings.Join(parts, "/")
}

// snapshot copies what the page draws, with the version it is of.
func (l *fleetLive) snapshot() (uint64, []chartView, map[string]string, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	views := make([]chartView, len(l.charts))
	for i, c := range l.charts {
		cv := chartView{Fleet: c.fleet, Field: c.field, Unit: c.unit, Lines: make([]lineView, len(c.lines))}
		for j, ln := range c.lines {
			cv.Lines[j] = lineView{Label: ln.label, T: slices.Clone(ln.t), V: slices.Clone(ln.v)}
		}
		views[i] = cv
	}
	statuses := make(map[string]string, len(l.statuses))
	for k, v := range l.statuses {
		statuses[k] = v
	}
	return l.version, views, statuses, l.err
}

// currentVersion says whether anything changed since a snapshot.
func (l *fleetLive) currentVersion() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.version
}

// command publishes text to a device's command topic and returns its
// reply: a 5.0 device answers an MQTT 5.0 request on the request's
// response topic, with its correlation data; a 3.1.1 device answers on
// its reply topic, if it has one.
func (l *fleetLive) command(ctx context.Context, d fleetDevice, text string) (string, error) {
	if d.Command == "" {
		return "", errors.New("no command topic")
	}
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	m := &client.Message{Topic: d.Command, Payload: []byte(text), QoS: 1}
	if d.Version == "5.0" {
		resp, err := l.c.Request(ctx, m)
		if err != nil {
			return "", err
		}
		return string(resp.Payload), nil
	}
	if d.Reply == "" {
		return "", l.c.Publish(ctx, m)
	}
	replies := make(chan string, 1)
	if err := l.c.SubscribeTopic(ctx, d.Reply, 1, func(r *client.Message) {
		select {
		case replies <- string(r.Payload):
		default:
		}
	}); err != nil {
		return "", err
	}
	defer l.c.Unsubscribe(context.Background(), d.Reply)
	if err := l.c.Publish(ctx, m); err != nil {
		return "", err
	}
	select {
	case r := <-replies:
		return r, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// close disconnects the client.
func (l *fleetLive) close() { l.c.Close() }
