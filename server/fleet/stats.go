package fleet

import (
	"sync"
	"time"
)

// FleetStats are the counters of one fleet (or, in Stats.Total, of all).
type FleetStats struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Devices     int    `json:"devices"`   // configured, after Scale
	Connected   int    `json:"connected"` // connections the broker accepted and that are up
	// Published counts data messages the broker took: written (QoS 0) or
	// acknowledged (QoS 1 and 2). Status messages and replies are not
	// counted.
	Published uint64 `json:"published"`
	// Failed counts what went wrong: connections refused, failed or lost,
	// publishes refused or impossible while disconnected.
	Failed uint64 `json:"failed"`
	// Reconnects counts attempts to connect again after a failure.
	Reconnects uint64  `json:"reconnects"`
	Commands   uint64  `json:"commands"` // commands received
	Rate       float64 `json:"rate"`     // published per second, over the last few seconds
	LastError  string  `json:"last_error,omitempty"`
}

// Stats are a runner's counters.
type Stats struct {
	Scenario string       `json:"scenario"`
	Running  bool         `json:"running"`
	Started  time.Time    `json:"started,omitzero"`
	Fleets   []FleetStats `json:"fleets"`
	Total    FleetStats   `json:"total"`
	// Peak is the most devices connected at once since Start.
	Peak int `json:"peak"`
	// Dropped counts deliveries from the broker dropped because the
	// scheduler was too far behind.
	Dropped uint64 `json:"dropped,omitempty"`
}

// Stats returns the counters. It does not wait for the scheduler.
func (r *Runner) Stats() Stats {
	now := time.Now()
	r.mu.Lock()
	st := Stats{Running: r.running, Fleets: make([]FleetStats, 0, len(r.fleets))}
	if r.scen != nil {
		st.Scenario = r.scen.Name
	}
	if r.running {
		st.Started = r.started
	}
	fleets := r.fleets
	r.mu.Unlock()
	st.Total.Name = "total"
	for _, fr := range fleets {
		fs := FleetStats{
			Name:        fr.f.Name,
			Description: fr.f.Description,
			Devices:     int(fr.count.Load()),
			Connected:   int(fr.connected.Load()),
			Published:   fr.published.Load(),
			Failed:      fr.failed.Load(),
			Reconnects:  fr.reconnects.Load(),
			Commands:    fr.commands.Load(),
		}
		fs.Rate = fr.rate.observe(now, fs.Published)
		if e := fr.lastErr.Load(); e != nil {
			fs.LastError = *e
		}
		t := &st.Total
		t.Devices += fs.Devices
		t.Connected += fs.Connected
		t.Published += fs.Published
		t.Failed += fs.Failed
		t.Reconnects += fs.Reconnects
		t.Commands += fs.Commands
		t.Rate += fs.Rate
		if t.LastError == "" {
			t.LastError = fs.LastError
		}
		st.Fleets = append(st.Fleets, fs)
	}
	st.Dropped = r.in.droppedCount()
	st.Peak = int(r.peak.Load())
	return st
}

// rateMeter turns a growing count into a rate over the last few seconds,
// from the samples its readers bring: no goroutine of its own.
type rateMeter struct {
	mu      sync.Mutex
	samples [8]sample // a sample at least every rateStep, oldest overwritten
	n       int
}

type sample struct {
	t time.Time
	v uint64
}

const (
	rateStep   = time.Second
	rateWindow = 5 * time.Second
)

// observe records v at now and returns the rate over about rateWindow.
func (m *rateMeter) observe(now time.Time, v uint64) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == 0 || now.Sub(m.samples[(m.n-1)%len(m.samples)].t) >= rateStep {
		m.samples[m.n%len(m.samples)] = sample{now, v}
		m.n++
	}
	// The oldest sample within the window, else the newest older one;
	// samples younger than half a second make a rate of noise.
	var base *sample
	for i := m.n - 1; i >= max(m.n-len(m.samples), 0); i-- {
		s := &m.samples[i%len(m.samples)]
		age := now.Sub(s.t)
		if age < rateStep/2 {
			continue
		}
		if age <= rateWindow || base == nil {
			base = s
		}
		if age > rateWindow {
			break
		}
	}
	if base == nil || v < base.v {
		return 0
	}
	dt := now.Sub(base.t).Seconds()
	return float64(v-base.v) / dt
}
