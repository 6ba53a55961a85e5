package flow

import "time"

// NoteKind says what a note explains.
type NoteKind uint8

// The kinds of notes.
const (
	// NoteDrop: messages a subscriber did not get; Reason says why.
	NoteDrop NoteKind = iota + 1
	// NoteRefused: a publish the broker refused; Reason says why.
	NoteRefused
	// NoteLost: queued messages discarded when a session ended.
	NoteLost
)

// Note explains something that happened to messages, near where it
// happened, for Config.NoteTTL.
type Note struct {
	Kind NoteKind
	// Client is the subscriber of a drop or loss ("" for the others
	// row), the publisher of a refusal.
	Client string
	Topic  string
	// Reason is the broker's words, in English; the page translates
	// the ones it knows.
	Reason string
	// Count is how many messages the note is about.
	Count int64
	// At is the model time the note was made or last added to.
	At time.Duration
	// X, Y place the note in a Scene: a refusal starts there, inside the
	// broker; other notes are centred there, between the broker and the
	// subscriber, within NoteWidth. Opacity fades the note out.
	X, Y    float64
	Opacity float64
}

// note adds n at the current time, or adds its count to an alike note
// still shown.
func (m *Model) note(n Note) {
	n.At = m.now
	for i := range m.notes {
		o := &m.notes[i]
		if o.Kind == n.Kind && o.Client == n.Client && o.Reason == n.Reason {
			o.Count += n.Count
			o.At, o.Topic = n.At, n.Topic
			return
		}
	}
	m.notes = append(m.notes, n)
	if len(m.notes) > maxNotes {
		m.notes = m.notes[len(m.notes)-maxNotes:]
	}
}
