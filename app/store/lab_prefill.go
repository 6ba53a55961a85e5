package store

// Prefill is what another page asks the lab to fill in when it opens: the
// subscribe form's filter, or the publish form's topic and payload (the
// topics page does, for the topic the user picked).
type Prefill struct {
	Filter  string
	Topic   string
	Payload string
}

// SetPrefill leaves p for the lab page to take when it opens, replacing
// what an earlier call left.
func (l *Lab) SetPrefill(p Prefill) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prefill = &p
}

// TakePrefill returns what SetPrefill left, once: it is forgotten, so
// that a later visit of the lab starts from the forms as the user left
// them.
func (l *Lab) TakePrefill() (Prefill, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.prefill
	l.prefill = nil
	if p == nil {
		return Prefill{}, false
	}
	return *p, true
}

// PrefillClient returns the client to fill in a Prefill for: the
// selected one or, when the lab has none, a new client named newName with
// the default settings (this server's broker), selected. connect says it
// is disconnected: the user asked to act on live traffic, so the page
// connects it.
func (l *Lab) PrefillClient(newName string) (name string, connect bool, err error) {
	l.mu.Lock()
	if c := l.find(l.selected); c != nil {
		name, connect = c.name, c.status == Disconnected
		l.mu.Unlock()
		return name, connect, nil
	}
	l.mu.Unlock()
	if err := l.Add(newName); err != nil {
		return "", false, err
	}
	return newName, true, nil
}
