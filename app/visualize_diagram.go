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
// A page or lesson that embeds it owns a feed for it, made and started in
// OnMount and stopped in OnDismount; a lesson can limit the diagram to its
// own topics and clients, and keep rows for the clients it makes:
//
//	func (p *lessonPage) OnMount(ctx goapp.Context) {
//		p.feed = newVizFeed(flow.Config{Topics: []string{"lesson/3/#"}})
//		p.feed.Start(store.ObserverURL(ctx.Page().URL()))
//		p.feed.Pin(lessonClientID, true)
//	}
//	func (p *lessonPage) OnDismount() { p.feed.Stop() }
//	// in Render:
//	&flowDiagram{Lang: p.lang, Feed: p.feed}
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
	status  vizFeedStatus
	rate    float64

	// The clients as last drawn: their figures are drawn again at most
	// every vizFigures, the dots at every frame.
	pubs, subs []flow.Node
	nodesAt    time.Time

	frames   int
	fpsSince time.Time
	fps      float64
}

// vizFigures is how often the clients' figures are drawn again while
// messages flow: ten times a second is as fast as anyone reads a count.
const vizFigures = 100 * time.Millisecond

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
	now := time.Now()
	if now.Sub(d.nodesAt) >= vizFigures || !vizSameRows(d.pubs, d.scene.Publishers) || !vizSameRows(d.subs, d.scene.Subscribers) {
		d.pubs, d.subs, d.nodesAt = d.scene.Publishers, d.scene.Subscribers, now
	}
	d.status = f.Status()
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
	return el("div", "viz-diagram").
		DataSet("fps", strconv.FormatFloat(d.fps, 'f', 1, 64)).
		DataSet("dots", len(s.Dots)).
		Body(
			d.renderStatus(s),
			vizDrawing{lang: d.Lang, s: s, pubs: vizOr(d.pubs, s.Publishers), subs: vizOr(d.subs, s.Subscribers)}.render(),
			d.renderLegend(),
		)
}

func (d *flowDiagram) renderStatus(s *flow.Scene) goapp.UI {
	l := d.Lang
	var state goapp.UI
	switch {
	case d.Feed == nil || !goapp.IsClient:
		state = msgEl(l, "span", "viz-state", "visualize.state.idle")
	case d.status.State == vizLive:
		state = msgEl(l, "span", "viz-state viz-live", "visualize.state.live")
	case d.status.State == vizDown:
		msg := l.T("visualize.state.down")
		if d.status.Err != nil {
			msg += " " + d.status.Err.Error()
		}
		state = textEl("span", "viz-state viz-down", msg)
	default:
		state = msgEl(l, "span", "viz-state", "visualize.state.connecting")
	}
	items := []goapp.UI{state}
	if d.status.Unread > 0 {
		items = append(items, textEl("span", "viz-badge viz-unread", fmt.Sprintf(l.T("visualize.status.unread"), d.status.Unread, d.status.UnreadErr)).Attr("role", "alert"))
	}
	if d.Feed != nil && d.rate == 0 && d.status.State == vizLive {
		items = append(items, msgEl(l, "span", "viz-badge viz-paused", "visualize.status.paused"))
	} else if d.rate > 0 && d.rate < 1 {
		items = append(items, msgEl(l, "span", "viz-badge", "visualize.status.slow"))
	}
	if s.Sampled > 1 {
		items = append(items, textEl("span", "viz-badge viz-sampled", fmt.Sprintf(l.T("visualize.status.sampled"), s.Sampled)).ID("viz-sampled").
			Title(l.T("visualize.status.sampled_why")))
	}
	if s.HaveStats {
		items = append(items, textEl("span", "viz-stats", fmt.Sprintf(l.T("visualize.status.broker"),
			s.Stats.Clients, s.Stats.Sessions, s.Stats.Retained)))
	}
	if n := s.Bundled + s.Undrawn; n > 0 {
		items = append(items, textEl("span", "viz-stats", fmt.Sprintf(l.T("visualize.status.bundled"), n)).Title(l.T("visualize.status.bundled_why")))
	}
	return el("div", "viz-status").Aria("live", "polite").Body(items...)
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
	return el("ul", "viz-legend").Body(
		goapp.Range(kinds).Slice(func(i int) goapp.UI {
			return el("li", "").Body(
				el("span", "viz-swatch").DataSet("kind", kinds[i].kind.String()).Aria("hidden", true),
				goapp.Text(l.T(kinds[i].key)),
			)
		}),
	)
}

// vizSameRows reports whether two frames show the same clients in the
// same rows and states, whatever their counts.
func vizSameRows(a, b []flow.Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.Box != y.Box || x.Online != y.Online || x.Ended != y.Ended || x.Pinned != y.Pinned ||
			x.Others != y.Others || (x.Queue == 0) != (y.Queue == 0) {
			return false
		}
	}
	return true
}

// vizOr returns a, or b when a is nil.
func vizOr(a, b []flow.Node) []flow.Node {
	if a == nil {
		return b
	}
	return a
}
