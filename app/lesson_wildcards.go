package app

import (
	"context"
	"strings"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// The lesson on topics and wildcards: the live topic tree of the broker
// and the filter playground of the topics page, reused as they are, and a
// check that the learner's filters with + and with # matched topics that
// really went through the broker.

func init() {
	registerLesson(lessonDef{Order: 7, Slug: "wildcards", Key: "lesson.wildcards", Paras: 4,
		Experiment: func() lessonExperiment { return &wildcardsLesson{} }})
}

// wildcardSamples are published when the learner asks for traffic: a
// small house and an office, so that + and # have something to choose
// from.
var wildcardSamples = []string{
	"home/kitchen/temp", "home/kitchen/humidity", "home/hall/temp",
	"home/garden/soil/moisture", "office/desk/temp",
}

// wildcardsLesson is the experiment of the wildcards lesson.
type wildcardsLesson struct {
	lessonBase

	// tp holds the topics page's tree and playground, drawn by its own
	// methods.
	tp  topicsPage
	ctx goapp.Context
	// plus and hash are the first filters with + and with # that matched
	// a topic of the tree ("" until then).
	plus, hash string
}

// OnMount starts what the topics page starts: an observer subscribed to
// '#' feeding the tree, and the redraws. The rig publishes the samples.
func (e *wildcardsLesson) OnMount(ctx goapp.Context) {
	e.ctx = ctx
	tp := &e.tp
	tp.lang = e.lang
	tp.collapsed = map[string]bool{}
	tp.tree = store.NewTopicTree(topicTreeNodes)
	ctx.Handle(topicToggle, func(ctx goapp.Context, a goapp.Action) {
		if path, ok := a.Value.(string); ok {
			ctx.Dispatch(func(goapp.Context) { tp.onToggle(path) })
		}
	})
	if !e.makeRig() { // the samples' publisher; the observer draws
		return
	}
	tree := tp.tree
	obs, err := store.StartObserver(store.ObserverConfig{
		Name:      "lesson-topics",
		URL:       store.ObserverURL(goapp.Window().URL()),
		Filters:   []string{topicsAll},
		Log:       store.Log,
		OnMessage: func(m *client.Message) { tree.Add(m.Topic, m.Payload, m.Retain, time.Now()) },
	})
	if err != nil {
		tp.err = err
		return
	}
	tp.obs = obs
	changed := func() uint64 { return tree.Version() + obs.Dropped() + uint64(len(obs.Filters())) }
	observerLoop(ctx, obs, changed, tree.Tick, func(ctx goapp.Context, st store.ObserverStatus) {
		tp.status, tp.dropped = st, obs.Dropped()
		tp.refresh()
	})
}

// OnDismount closes the observer and the rig.
func (e *wildcardsLesson) OnDismount() {
	e.tp.OnDismount()
	e.lessonBase.OnDismount()
	e.ctx = nil
}

// onSamples publishes one message on each sample topic.
func (e *wildcardsLesson) onSamples(ctx goapp.Context, _ string) {
	e.do(ctx, func(c context.Context, r *rig) error {
		const name = "topics-sample"
		if err := r.add(name, client.Config{Connect: protocol.Connect{CleanStart: true}}); err != nil {
			return err
		}
		if _, err := r.connect(c, name); err != nil {
			return err
		}
		for i, t := range wildcardSamples {
			m := &client.Message{Topic: t, Payload: []byte(wildcardValue(i))}
			if err := r.publish(c, name, m); err != nil {
				return err
			}
		}
		return r.client(name).Disconnect(c, nil)
	})
}

// wildcardValue is a plausible reading for sample i.
func wildcardValue(i int) string {
	return [...]string{"21.5", "48", "19.0", "0.31", "23.2"}[i%5]
}

// wildcardMatch says whether filter, matching n topics, shows + or #
// at work: a valid filter with that wildcard that matched something.
func wildcardMatch(filter string, n int) (plus, hash bool) {
	if n == 0 {
		return false, false
	}
	return strings.Contains(filter, "+"), strings.Contains(filter, "#")
}

// Render draws the playground and the tree of the topics page, the sample
// button and the checklist. It remembers the first filters with + and
// with # that matched, and turns the self-check green once both did.
func (e *wildcardsLesson) Render() goapp.UI {
	l := e.lang
	tp := &e.tp
	tp.lang = l
	plus, hash := wildcardMatch(tp.filter, tp.view.Matches)
	if plus && e.plus == "" || hash && e.hash == "" {
		if plus && e.plus == "" {
			e.plus = tp.filter
		}
		if hash && e.hash == "" {
			e.hash = tp.filter
		}
		if e.plus != "" && e.hash != "" && e.ctx != nil {
			e.ctx.Dispatch(func(ctx goapp.Context) { e.check(ctx, true) })
		}
	}
	ready := tp.obs != nil && len(tp.obs.Filters()) > 0
	plusText, hashText := l.T("lesson.wildcards.check_plus"), l.T("lesson.wildcards.check_hash")
	if e.plus != "" {
		plusText += " (" + e.plus + ")"
	}
	if e.hash != "" {
		hashText += " (" + e.hash + ")"
	}
	return e.renderExp([]expSection{{
		ID: "wildcards-exp",
		Controls: []expControl{
			{ID: "wildcards-samples", Label: l.T("lesson.wildcards.samples"), Off: !ready, Do: e.onSamples},
		},
		Extra: []goapp.UI{
			&observerStatus{Lang: l, Status: tp.status, Err: tp.err, Watching: []string{topicsAll}},
			tp.renderPlayground(),
			tp.renderTree(),
		},
	}},
		checkItem{"check-plus", plusText, e.plus != ""},
		checkItem{"check-hash", hashText, e.hash != ""},
	)
}
