package app

import (
	"context"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// Bounds of the topic tree page: levels kept, and rows drawn (the rest
// are counted, and collapsing a branch brings them into view).
const (
	topicTreeNodes = 2000
	topicTreeRows  = 400
)

// The filters of the topics page's observer. '#' brings every topic but
// those starting with '$' [MQTT-4.7.2-1]: the broker's own topics need a
// subscription of their own, which the page makes only when asked.
const (
	topicsAll = "#"
	topicsSys = "$SYS/#"
)

// topicsPage is /topics: the live topic tree, fed by an observer
// subscribed to '#', with a search that narrows it, and a playground for
// topic filters that highlights the topics a filter matches. Selecting a
// topic offers to subscribe or publish to it in the lab.
type topicsPage struct {
	goapp.Compo

	lang      i18n.Lang
	tree      *store.TopicTree
	obs       *store.Observer
	err       error
	status    store.ObserverStatus
	filter    string
	search    string
	collapsed map[string]bool
	selected  string            // the path of the selected row
	fields    map[string]string // the numeric field chosen for a topic's sparkline
	showSys   bool
	sysErr    error
	dropped   uint64 // messages the observer could not keep up with
	view      store.TreeView
}

// OnMount follows the language and, in the browser, starts the observer
// and the redraw loop.
func (p *topicsPage) OnMount(ctx goapp.Context) {
	observeLang(ctx, &p.lang)
	p.collapsed, p.fields = map[string]bool{}, map[string]string{}
	p.tree = store.NewTopicTree(topicTreeNodes)
	ctx.Handle(topicToggle, func(ctx goapp.Context, a goapp.Action) {
		if path, ok := a.Value.(string); ok {
			ctx.Dispatch(func(goapp.Context) { p.onToggle(path) })
		}
	})
	ctx.Handle(topicSelect, func(ctx goapp.Context, a goapp.Action) {
		if path, ok := a.Value.(string); ok {
			ctx.Dispatch(func(goapp.Context) { p.onSelect(path) })
		}
	})
	ctx.Handle(topicField, func(ctx goapp.Context, a goapp.Action) {
		if f, ok := a.Value.(topicFieldChoice); ok {
			ctx.Dispatch(func(goapp.Context) {
				p.fields[f.Path] = f.Field
				p.refresh()
			})
		}
	})
	if !goapp.IsClient {
		return
	}
	tree := p.tree
	obs, err := store.StartObserver(store.ObserverConfig{
		Name:    "topics",
		URL:     store.ObserverURL(goapp.Window().URL()),
		Filters: []string{topicsAll},
		// Its connection and subscriptions show in the inspector, not
		// every message of the broker, which would flood the log.
		Log:       store.Log,
		OnMessage: func(m *client.Message) { tree.Add(m.Topic, m.Payload, m.Retain, time.Now()) },
	})
	if err != nil {
		p.err = err
		return
	}
	p.obs = obs
	p.status = obs.Status()
	changed := func() uint64 { return tree.Version() + obs.Dropped() }
	observerLoop(ctx, obs, changed, tree.Tick, func(ctx goapp.Context, st store.ObserverStatus) {
		p.status, p.dropped = st, obs.Dropped()
		p.refresh()
	})
}

// OnDismount closes the observer.
func (p *topicsPage) OnDismount() {
	closeObserver(p.obs)
	p.obs = nil
}

// refresh lays the tree out again for the current filter and search.
func (p *topicsPage) refresh() {
	if p.tree != nil {
		p.view = p.tree.View(store.TreeQuery{Filter: p.filter, Search: p.search, Collapsed: p.collapsed,
			Fields: p.fields, Limit: topicTreeRows})
	}
}

func (p *topicsPage) onFilter(ctx goapp.Context, e goapp.Event) {
	p.filter = ctx.JSSrc().Get("value").String()
	p.refresh()
}

func (p *topicsPage) onSearch(ctx goapp.Context, e goapp.Event) {
	p.search = ctx.JSSrc().Get("value").String()
	p.refresh()
}

// onSelect selects the row of path, or unselects it when it was.
func (p *topicsPage) onSelect(path string) {
	if p.selected == path {
		path = ""
	}
	p.selected = path
}

func (p *topicsPage) onToggle(path string) {
	p.collapsed[path] = !p.collapsed[path]
	if !p.collapsed[path] {
		delete(p.collapsed, path)
	}
	p.refresh()
}

// onSys subscribes to $SYS/# or drops it, and its branch of the tree.
func (p *topicsPage) onSys(ctx goapp.Context, e goapp.Event) {
	want := ctx.JSSrc().Get("checked").Bool()
	obs, tree := p.obs, p.tree
	if obs == nil {
		return
	}
	p.showSys, p.sysErr = want, nil
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var err error
		if want {
			err = obs.Subscribe(c, topicsSys)
		} else {
			err = obs.Unsubscribe(c, topicsSys)
			tree.RemoveRoot("$SYS")
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil {
				p.showSys, p.sysErr = !want, err
			}
			p.refresh()
		})
	})
}

// Render draws the page.
func (p *topicsPage) Render() goapp.UI {
	l := p.lang
	watching := []string{topicsAll}
	if p.showSys {
		watching = append(watching, topicsSys)
	}
	return &shell{Lang: l, Active: "/topics", Title: l.T("topics.title"), Content: []goapp.UI{
		el("section", "page-intro").Body(
			msgEl(l, "h1", "", "topics.title"),
			msgEl(l, "p", "lead", "topics.lead"),
			&observerStatus{Lang: l, Status: p.status, Err: p.err, Watching: watching},
		),
		p.renderPlayground(),
		p.renderTree(),
	}}
}
