package app

import (
	"strconv"
	"strings"
	"sync"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/flow"
	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// routesKept is how many of the broker's route reports a lesson lists.
const routesKept = 6

// lessonTelemetry is what the broker says about a lesson's traffic on its
// telemetry topics (server/broker/TELEMETRY.md), heard by an observer of
// the lesson's own: how it routed each message on the lesson's topics
// (who got it, who it holds it for) and, when asked, its sessions (how
// many messages it holds for an offline one). Safe for concurrent use:
// the observer writes, the page reads.
type lessonTelemetry struct {
	prefix string // the lesson's topics start with it
	obs    *store.Observer

	mu       sync.Mutex
	routes   []flow.Route // newest last
	sessions map[string]flow.Session
	rev      uint64
}

// startLessonTelemetry starts an observer of the routes of messages on
// topics starting with prefix, and of the sessions when sessions is set.
func startLessonTelemetry(ctx goapp.Context, prefix string, sessions bool) *lessonTelemetry {
	t := &lessonTelemetry{prefix: prefix}
	filters := []string{flow.TopicRoute}
	if sessions {
		filters = append(filters, flow.TopicSessions)
	}
	obs, err := store.StartObserver(store.ObserverConfig{
		Name: "lesson-telemetry", URL: store.ObserverURL(ctx.Page().URL()),
		Filters: filters, OnMessage: t.handle, Log: store.Log,
	})
	if err != nil {
		goapp.Log("lesson telemetry: " + err.Error())
	}
	t.obs = obs
	return t
}

// handle takes in one telemetry message.
func (t *lessonTelemetry) handle(m *client.Message) {
	ev, err := flow.Decode(m.Topic, m.Payload)
	if err != nil {
		return // the diagram counts and shows unreadable telemetry
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev := ev.(type) {
	case *flow.Route:
		if !strings.HasPrefix(ev.Topic, t.prefix) {
			return
		}
		t.routes = append(t.routes, *ev)
		if len(t.routes) > routesKept {
			t.routes = t.routes[1:]
		}
	case *flow.Sessions:
		t.sessions = make(map[string]flow.Session, len(ev.List))
		for _, s := range ev.List {
			t.sessions[s.Client] = s
		}
	default:
		return
	}
	t.rev++
}

// version changes with every report the lesson shows.
func (t *lessonTelemetry) version() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rev
}

// view returns the routes, newest first, and the session of client id;
// nothing before the observer starts.
func (t *lessonTelemetry) view(id string) ([]flow.Route, flow.Session, bool) {
	if t == nil {
		return nil, flow.Session{}, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]flow.Route, len(t.routes))
	for i, r := range t.routes {
		out[len(out)-1-i] = r
	}
	s, ok := t.sessions[id]
	return out, s, ok
}

// close stops the observer.
func (t *lessonTelemetry) close() {
	if t != nil {
		closeObserver(t.obs)
	}
}

// lessonNames maps the client identifiers of the lab's clients to their
// names, so that the broker's reports name clients as the lesson does.
func lessonNames() map[string]string {
	names := map[string]string{}
	for _, c := range store.Clients.List() {
		names[c.Settings.ClientID] = c.Name
	}
	return names
}

// observe starts the telemetry and the decoupling diagram of lesson n's
// topics and clients (and its sessions, when sessions is set). Call it
// before start, so that the diagram keeps a row for each client.
func (r *lessonRig) observe(ctx goapp.Context, n int, sessions bool) {
	prefix := lessonTopic(n, "")
	r.tele = startLessonTelemetry(ctx, prefix, sessions)
	r.ext = r.tele.version
	r.feed = newVizFeed(flow.Config{Topics: []string{prefix + "#"}, Clients: []string{"labl" + strconv.Itoa(n)}})
	r.feed.Start(store.ObserverURL(ctx.Page().URL()))
}

// renderDiagram draws the lesson's decoupling diagram.
func (r *lessonRig) renderDiagram() goapp.UI {
	l := r.lang
	return el("div", "lesson-diagram").Body(
		msgEl(l, "h3", "", "lessons.diagram"),
		&flowDiagram{Lang: l, Feed: r.feed},
		el("p", "caption").Body(
			goapp.Text(l.T("lessons.diagram.more")+" "),
			msgEl(l, "a", "", "nav.visualize").Attr("href", "/visualize"),
		),
	)
}

// renderRoutes lists what the broker reported doing with the lesson's
// messages, newest first.
func renderRoutes(l i18n.Lang, routes []flow.Route) goapp.UI {
	names := lessonNames()
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return id
	}
	var items []goapp.UI
	for _, r := range routes {
		var parts []string
		var got []string
		for _, d := range r.Delivered {
			got = append(got, name(d.Client))
		}
		if len(got) > 0 {
			parts = append(parts, tf(l, "lessons.route.delivered", "n", strconv.Itoa(len(got)), "list", strings.Join(got, ", ")))
		}
		if len(r.Queued) > 0 {
			held := make([]string, len(r.Queued))
			for i, id := range r.Queued {
				held[i] = name(id)
			}
			parts = append(parts, tf(l, "lessons.route.queued", "list", strings.Join(held, ", ")))
		}
		for _, d := range r.Dropped {
			parts = append(parts, tf(l, "lessons.route.dropped", "client", name(d.Client), "why", d.Reason))
		}
		if r.Refused != "" {
			parts = append(parts, tf(l, "lessons.route.refused", "why", r.Refused))
		}
		if len(parts) == 0 {
			parts = append(parts, l.T("lessons.route.nobody"))
		}
		items = append(items, el("li", "lesson-route").DataSet("delivered", len(r.Delivered)).DataSet("queued", len(r.Queued)).Body(
			textEl("code", "", name(r.From)),
			goapp.Text(" → "),
			textEl("code", "", r.Topic),
			goapp.Text(": "+strings.Join(parts, l.T("lessons.route.sep"))),
		))
	}
	var list goapp.UI = msgEl(l, "p", "empty", "lessons.route.none")
	if len(items) > 0 {
		list = el("ul", "lesson-routes").Body(items...)
	}
	return el("div", "lesson-routes-box").ID("lesson-routes").Body(
		msgEl(l, "h3", "", "lessons.route.title"),
		list,
		msgEl(l, "p", "caption", "lessons.route.caption"),
	)
}
