package broker

import (
	"encoding/hex"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mqttlab/mqttlab/protocol"
)

// A page that opens after clients connected and messages were retained
// must still see them: events only tell what changes. So a new
// subscription to $SYS/lab/sessions or $SYS/lab/retained makes the broker
// publish the current state on that topic at once (the session list at
// once rather than at the next tick, the retained messages as a
// "snapshot" event). The snapshot is built on the telemetry goroutine,
// not in the subscriber's read loop.

// maxRetainedListed bounds the retained messages a snapshot names.
const maxRetainedListed = 500

// previewBytes is how much of a retained payload telemetry shows.
const previewBytes = 64

// snapshotRequest asks the telemetry goroutine for the state of a topic.
type snapshotRequest struct{ topic string }

// snapshotFor queues the snapshots that a new subscription to filter
// wants.
func (t *telemetry) snapshotFor(filter string) {
	for _, topic := range snapshotTopics(filter) {
		t.emit(snapshotRequest{topic})
	}
}

// snapshotTopics returns the telemetry topics with a snapshot that filter
// subscribes to.
func snapshotTopics(filter string) []string {
	if _, f, shared := protocol.ParseShared(filter); shared {
		filter = f
	}
	var out []string
	for _, topic := range []string{TopicSessions, TopicRetained} {
		if protocol.Match(filter, topic) {
			out = append(out, topic)
		}
	}
	return out
}

// snapshot builds the event a snapshotRequest asks for.
func (b *Broker) snapshot(req snapshotRequest) any {
	if req.topic == TopicSessions {
		return b.sessionsSnapshot()
	}
	ev := &retainedSnapshot{TS: stamp(), Event: "snapshot", List: []retainedItem{}}
	msgs, more := b.retained.first(maxRetainedListed, b.now())
	for _, m := range msgs {
		ev.List = append(ev.List, retainedItem{Topic: m.topic, Size: len(m.payload), retainedPreview: preview(m.payload)})
	}
	ev.Truncated = more
	return ev
}

type retainedSnapshot struct {
	TS        int64          `json:"ts"`
	Event     string         `json:"event"` // snapshot
	List      []retainedItem `json:"list"`
	Truncated bool           `json:"truncated,omitempty"`
}

type retainedItem struct {
	Topic string `json:"topic"`
	Size  int    `json:"size"`
	retainedPreview
}

// retainedPreview is the start of a payload, readable: the text when it
// is UTF-8 without control characters, else its bytes in hex.
type retainedPreview struct {
	Preview string `json:"preview,omitempty"`
	Binary  bool   `json:"binary,omitempty"`
}

func preview(p []byte) retainedPreview {
	if len(p) == 0 {
		return retainedPreview{}
	}
	cut := p[:min(len(p), previewBytes)]
	// A multi-byte character cut in the middle is not binary.
	for i := 0; i < utf8.UTFMax-1 && len(cut) < len(p) && !utf8.Valid(cut); i++ {
		cut = cut[:len(cut)-1]
	}
	if utf8.Valid(cut) && !hasControl(cut) {
		return retainedPreview{Preview: string(cut)}
	}
	return retainedPreview{Preview: hex.EncodeToString(p[:min(len(p), previewBytes/2)]), Binary: true}
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return true
		}
	}
	return false
}

// first returns up to limit retained messages that have not expired, in
// the order of their topic levels, leaving out topics starting with '$'
// (the broker's own), and whether there are more.
func (r *retainedStore) first(limit int, now int64) ([]*message, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []*message
	more := false
	var visit func(n *rnode, root bool)
	visit = func(n *rnode, root bool) {
		if n.msg != nil && !n.msg.expired(now) {
			if len(out) == limit {
				more = true
				return
			}
			out = append(out, n.msg)
		}
		names := make([]string, 0, len(n.children))
		for name := range n.children {
			if !(root && strings.HasPrefix(name, "$")) {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		for _, name := range names {
			if more {
				return
			}
			visit(n.children[name], false)
		}
	}
	visit(&r.root, true)
	return out, more
}
