package app

import (
	"context"
	"net/url"
	"strconv"
	"sync"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// devicesPerPage is how many devices the device list shows at once.
const devicesPerPage = 25

// fleetPage is /fleet: the running fleets with their counters and
// controls, live charts of their values fed by the page's own MQTT
// subscription, the devices with their last values and statuses, and the
// scenario's editor.
//
// It polls the fleet API once a second (stats and the visible page of
// devices) and redraws at most four times a second, when the API or the
// MQTT traffic brought something new.
type fleetPage struct {
	goapp.Compo

	lang i18n.Lang

	ov       *fleetOverview
	devices  devicePage
	charts   []chartView
	statuses map[string]string // status topic → last payload seen over MQTT
	liveErr  string
	err      string // of the last poll
	actErr   string // of the last action, until the next: its poll would clear err
	selected string // device whose command panel is open
	scales   map[string]string

	live  *fleetLive
	query deviceQuery // shared with the poll loop
}

// deviceQuery is which devices the list shows; the UI sets it, the poll
// loop reads it.
type deviceQuery struct {
	mu     sync.Mutex
	fleet  string
	offset int
	kick   chan struct{} // asks the poll loop to poll now
}

func (q *deviceQuery) get() (string, int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.fleet, q.offset
}

func (q *deviceQuery) set(fleet string, offset int) {
	q.mu.Lock()
	q.fleet, q.offset = fleet, max(offset, 0)
	q.mu.Unlock()
	q.poke()
}

func (q *deviceQuery) poke() {
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

// OnMount follows the language and, in the browser, starts the page's
// MQTT client and its poll loop; both end with the page.
func (p *fleetPage) OnMount(ctx goapp.Context) {
	observeLang(ctx, &p.lang)
	p.scales = map[string]string{}
	p.query.kick = make(chan struct{}, 1)
	if !goapp.IsClient {
		return
	}
	live, err := newFleetLive()
	if err != nil {
		p.liveErr = err.Error()
		return
	}
	p.live = live
	ctx.Async(func() { live.connect(ctx) })
	ctx.Async(func() { p.poll(ctx, live) })
}

// OnDismount closes the page's MQTT client.
func (p *fleetPage) OnDismount() {
	if p.live != nil {
		p.live.close()
	}
}

// poll fetches the API every second (or when poked) and the charts'
// snapshot when the traffic moved, and hands what changed to the UI
// goroutine, at most four times a second.
func (p *fleetPage) poll(ctx goapp.Context, live *fleetLive) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var drawn uint64
	var lastAPI time.Time
	for {
		poked := false
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-p.query.kick:
			poked = true
		}
		var ov *fleetOverview
		var dp *devicePage
		var apiErr error
		if poked || time.Since(lastAPI) >= time.Second {
			lastAPI = time.Now()
			ov, dp, apiErr = fetchFleet(ctx, &p.query)
			if ov != nil {
				if err := live.follow(ctx, ov.Fleets); err != nil && apiErr == nil {
					apiErr = err
				}
			}
		}
		v := live.currentVersion()
		if ov == nil && apiErr == nil && v == drawn {
			continue
		}
		v, charts, statuses, liveErr := live.snapshot()
		drawn = v
		ctx.Dispatch(func(ctx goapp.Context) {
			if ov != nil {
				p.ov = ov
			}
			if dp != nil {
				p.devices = *dp
			}
			if apiErr != nil {
				p.err = apiErr.Error()
			} else if ov != nil {
				p.err = ""
			}
			p.charts, p.statuses, p.liveErr = charts, statuses, liveErr
		})
	}
}

// fetchFleet reads the overview and the page of devices the query asks
// for.
func fetchFleet(ctx context.Context, q *deviceQuery) (*fleetOverview, *devicePage, error) {
	var ov fleetOverview
	if err := fleetCall(ctx, "GET", "", nil, &ov); err != nil {
		return nil, nil, err
	}
	fleet, offset := q.get()
	if fleet != "" && !ov.hasFleet(fleet) {
		// Another scenario took the chosen fleet away: all the fleets.
		fleet, offset = "", 0
		q.set(fleet, offset)
	}
	// The query by hand, keys in order as url.Values.Encode writes them
	// (which brings its own code into the WebAssembly).
	query := "limit=" + strconv.Itoa(devicesPerPage) + "&offset=" + strconv.Itoa(offset)
	if fleet != "" {
		query = "fleet=" + url.QueryEscape(fleet) + "&" + query
	}
	var dp devicePage
	if err := fleetCall(ctx, "GET", "/devices?"+query, nil, &dp); err != nil {
		return &ov, nil, err
	}
	return &ov, &dp, nil
}

// hasFleet reports whether the scenario has a fleet called name.
func (ov *fleetOverview) hasFleet(name string) bool {
	for _, f := range ov.Stats.Fleets {
		if f.Name == name {
			return true
		}
	}
	return false
}

// act runs an API call for a button and polls again once it is done.
func (p *fleetPage) act(ctx goapp.Context, method, path string, body any) {
	var b []byte
	if body != nil {
		b = jsonBody(body)
	}
	p.actErr = ""
	ctx.Async(func() {
		err := fleetCall(ctx, method, path, b, nil)
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil {
				p.actErr = err.Error()
			}
		})
		p.query.poke()
	})
}

// Render draws the page inside the shell.
func (p *fleetPage) Render() goapp.UI {
	l := p.lang
	// The error is in the intro, so that its coming and going does not
	// move the sections: go-app would redraw each in the place of the one
	// before, and the editor would lose what the user typed.
	msg := p.actErr
	if msg == "" {
		msg = p.err
	}
	var errNote goapp.UI
	if msg != "" {
		errNote = textEl("p", "notice notice-error", msg).ID("fleet-error").Attr("role", "alert")
	}
	content := []goapp.UI{
		el("section", "page-intro").Body(
			msgEl(l, "h1", "", "fleet.title"),
			msgEl(l, "p", "lead", "fleet.summary"),
			errNote,
		),
	}
	if p.ov == nil {
		content = append(content, msgEl(l, "p", "fleet-loading", "fleet.loading"))
	} else {
		content = append(content,
			p.renderFleets(),
			p.renderCharts(),
			p.renderDevices(),
			&scenarioEditor{Lang: l, Source: p.ov.Source, File: p.ov.File, OnApplied: func() { p.query.poke() }},
		)
	}
	return &shell{Lang: l, Active: "/fleet", Title: l.T("fleet.title"), Content: content}
}
