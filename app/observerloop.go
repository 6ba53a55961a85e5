package app

import (
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

// redrawEvery is how often at most a page fed by an observer redraws: a
// busy broker changes its store thousands of times a second, the page
// follows a few times a second.
const redrawEvery = 200 * time.Millisecond

// redrawShare bounds the time a page spends redrawing: after a redraw that
// took d, the next waits at least redrawShare·d, so that typing, clicks
// and the observer's own messages always get most of the (single) thread
// of the page, however big the page is.
const redrawShare = 4

// observerLoop runs until the component of ctx is dismounted: every
// redrawEvery it asks changed for a token of the store's state (its
// version) and, when the token or the observer's status differ from the
// last ones, dispatches redraw on the UI goroutine and waits for the
// page to be updated. tick, if not nil, runs about once a second on the
// loop's goroutine (rates).
func observerLoop(ctx goapp.Context, obs *store.Observer, changed func() uint64, tick func(time.Time), redraw func(goapp.Context, store.ObserverStatus)) {
	ctx.Async(func() {
		t := time.NewTicker(redrawEvery)
		defer t.Stop()
		var lastVersion uint64
		var lastState store.ObserverState = -1
		var lastErr string
		var nextTick, nextRedraw time.Time
		for {
			var now time.Time
			select {
			case <-ctx.Done():
				return
			case now = <-t.C:
			}
			if tick != nil && !now.Before(nextTick) {
				nextTick = now.Add(time.Second)
				tick(now)
			}
			if now.Before(nextRedraw) {
				continue
			}
			st := obs.Status()
			errText := ""
			if st.Err != nil {
				errText = st.Err.Error()
			}
			v := changed()
			if v == lastVersion && st.State == lastState && errText == lastErr {
				continue
			}
			lastVersion, lastState, lastErr = v, st.State, errText
			start := time.Now()
			done := make(chan struct{})
			ctx.Dispatch(func(ctx goapp.Context) {
				redraw(ctx, st)
				// Deferred functions run once the frame's updates are
				// made: done says the page is drawn.
				ctx.Defer(func(goapp.Context) { close(done) })
			})
			select {
			case <-ctx.Done():
				return
			case <-done:
			}
			nextRedraw = start.Add(redrawShare * time.Since(start))
		}
	})
}

// closeObserver closes an observer without holding up the UI goroutine:
// Close waits for the DISCONNECT to be written.
func closeObserver(obs *store.Observer) {
	if obs != nil {
		go obs.Close()
	}
}

// observerStatus is the line that says what the page's observer is doing.
type observerStatus struct {
	goapp.Compo

	Lang   i18n.Lang
	Status store.ObserverStatus
	// Err is an error that kept the observer from starting at all.
	Err error
	// Watching lists the filters the observer subscribes to.
	Watching []string
}

// Render draws the status line.
func (s *observerStatus) Render() goapp.UI {
	l := s.Lang
	state, text := "connecting", l.T("observer.connecting")
	switch {
	case s.Err != nil:
		state, text = "down", l.T("observer.failed")+" "+s.Err.Error()
	case s.Status.State == store.ObserverConnected:
		state, text = "up", l.T("observer.connected")
	case s.Status.State == store.ObserverDown:
		state, text = "down", l.T("observer.down")
		if s.Status.Err != nil {
			text += " " + s.Status.Err.Error()
		}
	}
	var id, filters goapp.UI
	if s.Status.ClientID != "" {
		id = el("span", "observer-id").Body(
			goapp.Text(l.T("observer.as")+" "),
			textEl("code", "", s.Status.ClientID),
		)
	}
	if len(s.Watching) > 0 {
		filters = el("span", "observer-filters").Body(
			goapp.Text(l.T("observer.watching")+" "),
			goapp.Range(s.Watching).Slice(func(i int) goapp.UI {
				return textEl("code", "", s.Watching[i])
			}),
		)
	}
	return el("div", "observer-status").
		ID("observer-status").
		DataSet("state", state).
		Attr("role", "status").
		Body(
			el("span", "observer-dot").Aria("hidden", true),
			textEl("span", "observer-text", text),
			id,
			filters,
		)
}
