package app

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// lessonTick is how often an experiment looks at the packet log and the
// lab for changes: a lesson's traffic is a few messages a second, and the
// learner sees each packet within this time.
const lessonTick = 150 * time.Millisecond

// lessonSite tags the topics of this page's lessons, so that two tabs (or
// two learners on one broker) do not mix their messages.
var lessonSite = strconv.FormatUint(0x1000+rand.Uint64N(0xf000), 16)

// lessonTopic is a topic of lesson n in this page: lesson3/{site}/{rest}.
func lessonTopic(n int, rest string) string {
	return "lesson" + strconv.Itoa(n) + "/" + lessonSite + "/" + rest
}

// lessonRig is what the experiments of the lessons share: the inputs the
// lesson page gives them, their MQTT clients in store.Clients (so the lab
// and the inspector show them too), a look at the packet log every
// lessonTick, and the self-check, which reads the packets the clients
// really sent and received. An experiment embeds it, which makes it a
// lessonExperiment once it has Render.
type lessonRig struct {
	lang i18n.Lang
	slug string
	done func(goapp.Context)

	// prefix starts the names of the lesson's clients: "l3-".
	prefix string
	check  func(ps []store.Packet) bool
	// ext, if set, is a version of something else the experiment draws
	// (telemetry): a change redraws it.
	ext func() uint64

	passed   bool
	packets  []store.Packet // the lesson's packets, oldest first
	seen     [3]uint64      // log, lab and ext versions last read
	drawn    i18n.Lang
	handlers []string // clients given a handler, released on dismount
	tele     *lessonTelemetry
	feed     *vizFeed
	err      error // the last operation's failure, shown to the learner
}

// setup takes the inputs of the lesson page (lessonExperiment).
func (r *lessonRig) setup(lang i18n.Lang, slug string, done func(goapp.Context)) {
	r.lang, r.slug, r.done = lang, slug, done
}

// watch starts following the packets of the clients whose names start
// with prefix; check says, from those packets (oldest first), whether the
// learner has done the lesson's step. Experiments call it in OnMount.
func (r *lessonRig) watch(ctx goapp.Context, prefix string, check func([]store.Packet) bool) {
	startLab(ctx)
	r.prefix, r.check = prefix, check
	r.read(ctx)
	ctx.Async(func() {
		t := time.NewTicker(lessonTick)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			ctx.Dispatch(func(ctx goapp.Context) {
				if !r.read(ctx) {
					ctx.PreventUpdate()
				}
			})
		}
	})
}

// read takes in what changed since the last look, runs the self-check,
// and says whether the experiment must be drawn again. The language is
// among the changes: the lesson page hands it over in setup, on the same
// component, which go-app would not draw again by itself.
func (r *lessonRig) read(ctx goapp.Context) bool {
	now := [3]uint64{store.Log.Version(), store.Clients.Version(), 0}
	if r.ext != nil {
		now[2] = r.ext()
	}
	if now == r.seen && r.lang == r.drawn {
		return false
	}
	r.seen, r.drawn = now, r.lang
	r.packets = lessonPackets(r.prefix)
	if !r.passed && r.check != nil && r.check(r.packets) {
		r.passed = true
		if r.done != nil {
			r.done(ctx)
		}
	}
	return true
}

// lessonPackets returns the packets of the clients whose names start with
// prefix, oldest first.
func lessonPackets(prefix string) []store.Packet {
	ps := store.Log.Newest(0, func(p *store.Packet) bool { return strings.HasPrefix(p.Client, prefix) })
	reversePackets(ps)
	return ps
}

// lessonClient is one MQTT client of an experiment.
type lessonClient struct {
	name string
	// edit changes the lab's default settings (MQTT 5.0, clean start).
	edit func(*store.Settings)
	subs []protocol.Subscription
	// handler is the client's own code, run on every message it gets
	// (store.Lab.SetHandler).
	handler func(store.Message)
}

// start makes c in the lab unless it is there already (from an earlier
// visit of the lesson), gives it its handler, connects it if it is not,
// and subscribes it.
func (r *lessonRig) start(ctx goapp.Context, c lessonClient) {
	lab := store.Clients
	if _, ok := lab.Client(c.name); !ok {
		s := lab.DefaultSettings(c.name)
		if c.edit != nil {
			c.edit(&s)
		}
		if err := lab.AddUnsaved(c.name, s); err != nil && !errors.Is(err, store.ErrNameTaken) {
			r.err = err
			return
		}
	}
	if c.handler != nil && lab.SetHandler(c.name, c.handler) == nil {
		r.handlers = append(r.handlers, c.name)
	}
	if v, ok := lab.Client(c.name); ok && r.feed != nil {
		r.feed.Pin(v.Settings.ClientID, true)
	}
	r.run(ctx, func(cx context.Context) error {
		if v, _ := lab.Client(c.name); v.Status == store.Disconnected {
			if err := lab.Connect(cx, c.name); err != nil {
				return err
			}
		}
		for _, s := range c.subs {
			if _, err := lab.Subscribe(cx, c.name, s); err != nil {
				return err
			}
		}
		return nil
	})
}

// stop releases the handlers the experiment gave its clients (their code
// runs while the lesson is open) and closes its observers. Experiments
// call it in OnDismount.
func (r *lessonRig) stop() {
	for _, name := range r.handlers {
		store.Clients.SetHandler(name, nil)
	}
	r.handlers = nil
	r.tele.close()
	if r.feed != nil {
		r.feed.Stop()
	}
}

// run does op away from the UI goroutine (it waits for the network) and
// shows its error, or clears the last one.
func (r *lessonRig) run(ctx goapp.Context, op func(context.Context) error) {
	ctx.Async(func() {
		cx, cancel := context.WithTimeout(context.Background(), opTimeout)
		err := op(cx)
		cancel()
		ctx.Dispatch(func(goapp.Context) { r.err = err })
	})
}

// publish publishes m from the client named name.
func (r *lessonRig) publish(ctx goapp.Context, name string, m *client.Message) {
	r.run(ctx, func(cx context.Context) error { return store.Clients.Publish(cx, name, m) })
}

// lessonConnected reports whether the client named name is connected.
func lessonConnected(name string) bool {
	v, ok := store.Clients.Client(name)
	return ok && v.Status == store.Connected
}

// renderError shows the last failure, if any.
func (r *lessonRig) renderError() goapp.UI {
	if r.err == nil {
		return nil
	}
	return textEl("p", "lab-error", describeError(r.lang, r.err)).Attr("role", "alert")
}

// reversePackets reverses ps in place (slices.Reverse would bring its own
// generic code for store.Packet).
func reversePackets(ps []store.Packet) {
	for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
		ps[i], ps[j] = ps[j], ps[i]
	}
}
