package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mqttlab/mqttlab/protocol"
)

// savedLab is what the lab keeps in the browser's storage: the clients and
// their settings, never their messages (nor their passwords).
type savedLab struct {
	Version  int           `json:"v"`
	Selected string        `json:"selected,omitempty"`
	Clients  []savedClient `json:"clients"`
}

type savedClient struct {
	Name     string      `json:"name"`
	Settings Settings    `json:"settings"`
	View     PayloadView `json:"view,omitempty"`
}

// savedVersion is the format of savedLab; Restore refuses others.
const savedVersion = 1

// SetSaver installs save, which the lab calls with its settings (see
// Export) whenever a client is added, removed, renamed or selected, or its
// settings change. The page saves them in local storage.
func (l *Lab) SetSaver(save func([]byte)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.save = save
}

// persist hands the settings to the saver, if there is one.
func (l *Lab) persist() {
	l.mu.Lock()
	save := l.save
	l.mu.Unlock()
	if save == nil {
		return
	}
	if b, err := l.Export(); err == nil {
		save(b)
	}
}

// Export returns the clients' settings, names and payload views, and which
// client is selected, as JSON for Restore. Clients added with AddUnsaved
// are left out.
func (l *Lab) Export() ([]byte, error) {
	l.mu.Lock()
	s := savedLab{Version: savedVersion, Selected: l.selected, Clients: []savedClient{}}
	for _, c := range l.clients {
		if !c.unsaved {
			s.Clients = append(s.Clients, savedClient{Name: c.name, Settings: c.settings, View: c.view})
		}
	}
	l.mu.Unlock()
	return json.Marshal(s)
}

// Restore adds the clients that Export saved, disconnected, skipping those
// whose name is taken or broken and reporting them. It does not call the
// saver.
func (l *Lab) Restore(data []byte) error {
	var s savedLab
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("lab: saved clients: %w", err)
	}
	if s.Version != savedVersion {
		return fmt.Errorf("lab: saved clients: format %d, want %d", s.Version, savedVersion)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	for _, sc := range s.Clients {
		if err := l.checkNameLocked(sc.Name, ""); err != nil {
			errs = append(errs, fmt.Errorf("lab: saved client %q: %w", sc.Name, err))
			continue
		}
		st := sc.Settings
		if st.Version != protocol.V311 && st.Version != protocol.V5 {
			st.Version = protocol.V5
		}
		if w := st.Will; w != nil && w.QoS > protocol.QoS2 {
			w.QoS = protocol.QoS0
		}
		view := sc.View
		if int(view) >= len(PayloadViews) {
			view = ViewText
		}
		l.clients = append(l.clients, &labClient{name: sc.Name, settings: st, view: view})
	}
	if l.find(s.Selected) != nil {
		l.selected = s.Selected
	} else if l.selected == "" && len(l.clients) > 0 {
		l.selected = l.clients[0].name
	}
	l.changedLocked(nil)
	return errors.Join(errs...)
}
