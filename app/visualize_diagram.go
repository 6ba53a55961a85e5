package app

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/flow"
	"github.com/mqttlab/mqttlab/app/i18n"
)

// vizFrame is the time between two frames of a diagram: 30 frames a
// second at most, fewer when nothing moves (then none at all).
const vizFrame = time.Second / 30

// vizStatusEvery forces a frame now and then even when nothing moves, so
// that the connection state and the frame rate stay current.
const vizStatusEvery = 15 // frames

// flowDiagram draws the model of a vizFeed live: publishers, the broker,
// subscribers, and the messages between them as dots. It is the reusable
// part of the visualizer: the /visualize page and the lessons embed it,
// each with a feed of their own.
//
// It runs its own frame loop, so that only the diagram re-renders up to 30
// times a second, never the page around it; a frame is drawn only when the
// model changed or something moves, and never while the previous one is
// still waiting to be drawn.
type flowDiagram struct {
	goapp.Compo

	// Lang is the language to draw in.
	Lang i18n.Lang
	// Feed is where the diagram's model comes from; nil draws an empty
	// diagram.
	Feed *vizFeed

	feed    atomic.Pointer[vizFeed] // Feed, for the frame loop
	pending atomic.Bool             // a frame is dispatched and not drawn yet
	drawn   atomic.Uint64           // model version of the last frame
	scene   *flow.Scene
	state   vizFeedState
	err     error
	rate    float64

	frames   int
	fpsSince time.Time
	fps      float64
}

// vizEmptyScene is drawn before the first frame, and on the server.
var vizEmptyScene = flow.New(flow.Config{}).Scene(0)

// OnMount starts the frame loop; it ends with the component.
func (d *flowDiagram) OnMount(ctx goapp.Context) {
	d.feed.Store(d.Feed)
	d.fpsSince = time.Now()
	ctx.Async(func() { d.loop(ctx) })
}

// OnUpdate follows a new Feed from the parent.
func (d *flowDiagram) OnUpdate(ctx goapp.Context) { d.feed.Store(d.Feed) }

func (d *flowDiagram) loop(ctx goapp.Context) {
	t := time.NewTicker(vizFrame)
	defer t.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		f := d.feed.Load()
		if f == nil || d.pending.Load() {
			continue
		}
		if n%vizStatusEvery != 0 && !f.Changed(d.drawn.Load()) {
			continue
		}
		d.pending.Store(true)
		ctx.Dispatch(func(goapp.Context) {
			d.pending.Store(false)
			d.frame()
		})
	}
}

// frame takes the scene to draw from the feed.
func (d *flowDiagram) frame() {
	f := d.feed.Load()
	if f == nil {
		return
	}
	var v uint64
	d.scene, v = f.Scene()
	d.drawn.Store(v)
	d.state, d.err = f.Status()
	d.rate = f.Rate()
	d.frames++
	if since := time.Since(d.fpsSince); since >= time.Second {
		d.fps = float64(d.frames) / since.Seconds()
		d.frames, d.fpsSince = 0, time.Now()
	}
}

// Render draws the status line, the diagram and its legend.
func (d *flowDiagram) Render() goapp.UI {
	s := d.scene
	if s == nil {
		s = vizEmptyScene
	}
	return goapp.Div().
		Class("viz-diagram").
		DataSet("fps", strconv.FormatFloat(d.fps, 'f', 1, 64)).
		DataSet("dots", len(s.Dots)).
		Body(
			d.renderStatus(s),
			vizDrawing{lang: d.Lang, s: s}.render(),
			d.renderLegend(),
		)
}

func (d *flowDiagram) renderStatus(s *flow.Scene) goapp.UI {
	l := d.Lang
	var state goapp.UI
	switch {
	case d.Feed == nil || !goapp.IsClient:
		state = goapp.Span().Class("viz-state").Text(l.T("visualize.state.idle"))
	case d.state == vizLive:
		state = goapp.Span().Class("viz-state", "viz-live").Text(l.T("visualize.state.live"))
	case d.state == vizDown:
		msg := l.T("visualize.state.down")
		if d.err != nil {
			msg += " " + d.err.Error()
		}
		state = goapp.Span().Class("viz-state", "viz-down").Text(msg)
	default:
		state = goapp.Span().Class("viz-state").Text(l.T("visualize.state.connecting"))
	}
	items := []goapp.UI{state}
	if d.Feed != nil && d.rate == 0 && d.state == vizLive {
		items = append(items, goapp.Span().Class("viz-badge", "viz-paused").Text(l.T("visualize.status.paused")))
	} else if d.rate > 0 && d.rate < 1 {
		items = append(items, goapp.Span().Class("viz-badge").Text(l.T("visualize.status.slow")))
	}
	if s.Sampled > 1 {
		items = append(items, goapp.Span().ID("viz-sampled").Class("viz-badge", "viz-sampled").
			Title(l.T("visualize.status.sampled_why")).
			Text(fmt.Sprintf(l.T("visualize.status.sampled"), s.Sampled)))
	}
	if s.HaveStats {
		items = append(items, goapp.Span().Class("viz-stats").Text(fmt.Sprintf(l.T("visualize.status.broker"),
			s.Stats.Clients, s.Stats.Sessions, s.Stats.Retained)))
	}
	if n := s.Bundled + s.Undrawn; n > 0 {
		items = append(items, goapp.Span().Class("viz-stats").Title(l.T("visualize.status.bundled_why")).
			Text(fmt.Sprintf(l.T("visualize.status.bundled"), n)))
	}
	return goapp.Div().Class("viz-status").Aria("live", "polite").Body(items...)
}

func (d *flowDiagram) renderLegend() goapp.UI {
	l := d.Lang
	kinds := []struct {
		kind flow.DotKind
		key  string
	}{
		{flow.DotPublish, "visualize.legend.publish"},
		{flow.DotDeliver, "visualize.legend.deliver"},
		{flow.DotQueue, "visualize.legend.queue"},
		{flow.DotDrain, "visualize.legend.drain"},
		{flow.DotDrop, "visualize.legend.drop"},
		{flow.DotRetain, "visualize.legend.retain"},
	}
	return goapp.Ul().Class("viz-legend").Body(
		goapp.Range(kinds).Slice(func(i int) goapp.UI {
			return goapp.Li().Body(
				goapp.Span().Class("viz-swatch").DataSet("kind", kinds[i].kind.String()).Aria("hidden", true),
				goapp.Text(l.T(kinds[i].key)),
			)
		}),
	)
}
