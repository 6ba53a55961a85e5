package app

import (
	"context"
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
)

// labSubscribe is a client's subscribe form and the list of its
// subscriptions with what the broker granted. A filter that is not valid
// gets an error under it and no SUBSCRIBE goes out.
type labSubscribe struct {
	goapp.Compo

	Lang      i18n.Lang
	Name      string
	Version   protocol.Version
	Connected bool
	Subs      []store.Sub
	// Prefill is a filter another page asked to fill in.
	Prefill string

	form     subForm
	ferr     error                  // what is wrong with the filter
	err      error                  // why the last subscribe or unsubscribe failed
	result   func(i18n.Lang) string // what it did, when it did not fail
	busy     bool
	shownFor string

	prefilled bool          // Prefill is in the form
	ctx       goapp.Context // its own, for what comes back from an unsubscribe
}

// OnMount keeps the component's context (see unsubscribe).
func (s *labSubscribe) OnMount(ctx goapp.Context) { s.ctx = ctx }

// Render draws the form and the list.
func (s *labSubscribe) Render() goapp.UI {
	l := s.Lang
	if s.shownFor != s.Name {
		s.shownFor, s.ferr, s.err, s.result = s.Name, nil, nil, nil
	}
	if s.Prefill != "" && !s.prefilled {
		s.form.Filter, s.prefilled = s.Prefill, true
	}
	f := &s.form
	v5 := s.Version == protocol.V5
	return el("section", "").
		Class("lab-card", "lab-subscribe").
		Aria("labelledby", "lab-sub-heading").
		Body(
			msgEl(l, "h3", "", "lab.subscribe.title").ID("lab-sub-heading"),
			el("form", "").
				ID("lab-sub-form").
				OnSubmit(s.subscribe).
				Body(
					el("div", "lab-grid").Body(
						el("div", "lab-field lab-field-wide").Body(
							textField(l, "lab-sub-filter", l.T("lab.filter"), f.Filter, s.ferr, false, func(v string) { f.Filter, s.ferr = v, nil }),
						),
						selectField("lab-sub-qos", l.T("lab.qos"), strconv.Itoa(int(f.QoS)), qosChoices(l),
							func(v string) { f.QoS = protocol.QoS(atoiOr(v, 0)) }),
						goapp.If(v5, selectField("lab-sub-rh", l.T("lab.retain_handling"), strconv.Itoa(int(f.RetainHandling)), []choice{
							{"0", l.T("lab.rh0")}, {"1", l.T("lab.rh1")}, {"2", l.T("lab.rh2")},
						}, func(v string) { f.RetainHandling = byte(atoiOr(v, 0)) })),
						goapp.If(v5, checkField("lab-sub-nl", l.T("lab.no_local"), f.NoLocal, func(b bool) { f.NoLocal = b })),
						goapp.If(v5, checkField("lab-sub-rap", l.T("lab.rap"), f.RetainAsPublished, func(b bool) { f.RetainAsPublished = b })),
					),
					el("div", "lab-actions").Body(
						msgEl(l, "button", "", "lab.subscribe").
							Attr("type", "submit").
							ID("lab-subscribe").
							Class("button", "button-primary").
							Aria("busy", s.busy),
					),
					goapp.If(s.err != nil,
						textEl("p", "lab-error", describeError(l, s.err)).ID("lab-sub-error").Attr("role", "alert"),
					),
					goapp.If(s.result != nil,
						textEl("p", "lab-result", callOr(s.result, l)).ID("lab-sub-result").Attr("role", "status"),
					),
				),
			s.renderSubs(l),
		)
}

func (s *labSubscribe) renderSubs(l i18n.Lang) goapp.UI {
	if len(s.Subs) == 0 {
		return msgEl(l, "p", "lab-empty", "lab.subs.none")
	}
	return el("ul", "lab-subs").
		ID("lab-subs").
		Aria("label", l.T("lab.subs")).
		Body(goapp.Range(s.Subs).Slice(func(i int) goapp.UI {
			sub := s.Subs[i]
			var opts []string
			if sub.NoLocal {
				opts = append(opts, l.T("lab.no_local"))
			}
			if sub.RetainAsPublished {
				opts = append(opts, l.T("lab.rap"))
			}
			if sub.RetainHandling != 0 {
				opts = append(opts, l.T("lab.rh"+strconv.Itoa(int(sub.RetainHandling))))
			}
			unsub := msgEl(l, "button", "", "lab.unsubscribe").
				Attr("type", "button").
				Class("button", "lab-unsubscribe").
				Aria("label", tf(l, "lab.unsubscribe.from", "filter", sub.Filter)).
				// The filter as scope: go-app keeps an element's first
				// handler unless its code or scope changes, and a row
				// takes the place of the one removed above it.
				OnClick(func(goapp.Context, goapp.Event) { s.unsubscribe(sub.Filter) }, sub.Filter)
			if !s.Connected || s.busy {
				unsub = unsub.Attr("disabled", true)
			}
			return el("li", "lab-sub").
				DataSet("filter", sub.Filter).
				Body(
					textEl("code", "lab-sub-filter", sub.Filter),
					textEl("span", "lab-sub-granted", reasonCode(l, sub.Granted, protocol.SUBACK)).
						Title(reasonMeaning(l, sub.Granted)),
					goapp.If(len(opts) > 0, textEl("span", "lab-sub-opts", joinList(l, opts))),
					unsub,
				)
		}))
}

// subscribe checks the form and sends SUBSCRIBE.
func (s *labSubscribe) subscribe(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	s.result, s.err = nil, nil
	sub, err := s.form.subscription(s.Version)
	if s.ferr = err; err != nil {
		return
	}
	if !s.Connected {
		s.err = store.ErrNotConnected
		return
	}
	s.send(ctx, sub.Filter, "lab.subscribed", protocol.SUBACK, func(ctx context.Context, name string) (protocol.ReasonCode, error) {
		return store.Clients.Subscribe(ctx, name, sub)
	})
}

// unsubscribe sends UNSUBSCRIBE for filter. What comes back goes through
// the component's own context, not the button's: the button goes away
// with its row once the store drops the subscription, and go-app drops
// what is dispatched from an element no longer mounted.
func (s *labSubscribe) unsubscribe(filter string) {
	s.result, s.err = nil, nil
	s.send(s.ctx, filter, "lab.unsubscribed", protocol.UNSUBACK, func(ctx context.Context, name string) (protocol.ReasonCode, error) {
		return store.Clients.Unsubscribe(ctx, name, filter)
	})
}

// send runs a SUBSCRIBE or UNSUBSCRIBE of filter for the shown client,
// busy until it is answered; the answer, of packet type t, is shown with
// the message key unless another client is shown by then.
func (s *labSubscribe) send(ctx goapp.Context, filter, key string, t protocol.Type, do func(context.Context, string) (protocol.ReasonCode, error)) {
	name := s.Name
	var code protocol.ReasonCode
	s.busy = true
	labDo(ctx, func(ctx context.Context) (err error) {
		code, err = do(ctx, name)
		return err
	}, func(err error) {
		s.busy = false
		if name != s.Name {
			return
		}
		if s.err = err; err == nil {
			s.result = func(l i18n.Lang) string {
				return tf(l, key, "filter", filter, "code", reasonFull(l, code, t))
			}
		}
	})
}

// callOr calls f with l, or returns "" for a nil f.
func callOr(f func(i18n.Lang) string, l i18n.Lang) string {
	if f == nil {
		return ""
	}
	return f(l)
}

// joinList joins words with the list separator of l.
func joinList(l i18n.Lang, words []string) string {
	sep := l.T("lab.list_sep")
	out := ""
	for i, w := range words {
		if i > 0 {
			out += sep
		}
		out += w
	}
	return out
}
