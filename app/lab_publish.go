package app

import (
	"context"
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
)

// labPublish is a client's publish form: topic, payload, QoS, retain and,
// in MQTT 5.0, the PUBLISH properties with rows of user properties. What
// is typed stays when another client is selected, so the same message can
// be sent from several clients.
type labPublish struct {
	goapp.Compo

	Lang      i18n.Lang
	Name      string
	Version   protocol.Version
	Connected bool
	// Prefill holds a topic, and maybe a payload, another page asked to
	// fill in.
	Prefill store.Prefill

	form     pubForm
	errs     fieldErrors
	err      error                  // why the last publish failed
	result   func(i18n.Lang) string // what it did, when it did not fail
	busy     bool
	shownFor string

	prefilled bool // Prefill is in the form
}

// Render draws the form.
func (p *labPublish) Render() goapp.UI {
	l := p.Lang
	if p.shownFor != p.Name {
		p.shownFor, p.errs, p.err, p.result = p.Name, nil, nil, nil
	}
	if p.Prefill.Topic != "" && !p.prefilled {
		p.form.Topic, p.form.Payload, p.prefilled = p.Prefill.Topic, p.Prefill.Payload, true
	}
	f := &p.form
	v5 := p.Version == protocol.V5
	return el("section", "").
		Class("lab-card", "lab-publish").
		Aria("labelledby", "lab-pub-heading").
		Body(
			msgEl(l, "h3", "", "lab.publish.title").ID("lab-pub-heading"),
			el("form", "").
				ID("lab-pub-form").
				OnSubmit(p.publish).
				Body(
					el("div", "lab-grid").Body(
						el("div", "lab-field lab-field-wide").Body(
							textField(l, "lab-pub-topic", l.T("lab.topic"), f.Topic, p.errs["lab-pub-topic"], false, p.set(func(v string) { f.Topic = v })),
						),
						textArea("lab-pub-payload", l.T("lab.payload"), f.Payload, p.set(func(v string) { f.Payload = v })),
						selectField("lab-pub-qos", l.T("lab.qos"), strconv.Itoa(int(f.QoS)), qosChoices(l),
							p.set(func(v string) { f.QoS = protocol.QoS(atoiOr(v, 0)) })),
						checkField("lab-pub-retain", l.T("lab.retain"), f.Retain, func(b bool) { f.Retain = b }),
					),
					goapp.If(v5, p.renderProps(l)),
					el("div", "lab-actions").Body(
						msgEl(l, "button", "", "lab.publish").
							Attr("type", "submit").
							ID("lab-publish").
							Class("button", "button-primary").
							Aria("busy", p.busy),
					),
					goapp.If(p.err != nil,
						textEl("p", "lab-error", describeError(l, p.err)).ID("lab-pub-error").Attr("role", "alert"),
					),
					goapp.If(p.result != nil,
						textEl("p", "lab-result", callOr(p.result, l)).ID("lab-pub-result").Attr("role", "status"),
					),
				),
		)
}

// renderProps draws the MQTT 5.0 properties of the message.
func (p *labPublish) renderProps(l i18n.Lang) goapp.UI {
	f := &p.form
	d := el("details", "lab-props")
	if f.hasProps() {
		d = d.Attr("open", true)
	}
	return d.Body(
		msgEl(l, "summary", "", "lab.props").ID("lab-pub-props"),
		el("div", "lab-grid").Body(
			textField(l, "lab-pub-content-type", l.T("lab.prop.content_type"), f.ContentType, p.errs["lab-pub-content-type"], false, p.set(func(v string) { f.ContentType = v })),
			textField(l, "lab-pub-response-topic", l.T("lab.prop.response_topic"), f.ResponseTopic, p.errs["lab-pub-response-topic"], false, p.set(func(v string) { f.ResponseTopic = v })),
			textField(l, "lab-pub-correlation", l.T("lab.prop.correlation"), f.Correlation, nil, false, p.set(func(v string) { f.Correlation = v })),
			textField(l, "lab-pub-expiry", l.T("lab.prop.expiry"), f.Expiry, p.errs["lab-pub-expiry"], true, p.set(func(v string) { f.Expiry = v })),
			checkField("lab-pub-utf8", l.T("lab.prop.utf8"), f.UTF8, func(b bool) { f.UTF8 = b }),
		),
		el("fieldset", "lab-user-props").Body(
			msgEl(l, "legend", "", "lab.prop.user"),
			goapp.Range(f.User).Slice(func(i int) goapp.UI { return p.renderUserProp(l, i) }),
			button("lab-pub-user-add", l.T("lab.prop.user.add"), false, func(ctx goapp.Context, e goapp.Event) {
				f.User = append(f.User, userProp{})
			}),
		),
	)
}

func (p *labPublish) renderUserProp(l i18n.Lang, i int) goapp.UI {
	f := &p.form
	n := strconv.Itoa(i + 1)
	keyID, valueID := "lab-user-key-"+n, "lab-user-value-"+n
	err := p.errs["lab-user-"+strconv.Itoa(i)]
	return el("div", "lab-user-prop").
		Body(
			el("div", "lab-field").Body(
				textEl("label", "", tf(l, "lab.prop.user.key", "n", n)).Attr("for", keyID),
				goapp.ElemSelfClosing("input").Attr("type", "text").ID(keyID).Class("lab-user-key").Attr("value", f.User[i].Key).Spellcheck(false).
					OnInput(func(ctx goapp.Context, e goapp.Event) { f.User[i].Key = inputValue(ctx) }),
			),
			el("div", "lab-field").Body(
				textEl("label", "", tf(l, "lab.prop.user.value", "n", n)).Attr("for", valueID),
				goapp.ElemSelfClosing("input").Attr("type", "text").ID(valueID).Class("lab-user-value").Attr("value", f.User[i].Value).Spellcheck(false).
					OnInput(func(ctx goapp.Context, e goapp.Event) { f.User[i].Value = inputValue(ctx) }),
			),
			textEl("button", "", "×").
				Attr("type", "button").
				Class("button", "lab-user-remove").
				Aria("label", tf(l, "lab.prop.user.remove", "n", n)).
				OnClick(func(ctx goapp.Context, e goapp.Event) {
					if i < len(f.User) {
						f.User = append(f.User[:i], f.User[i+1:]...)
					}
				}),
			errorLine(l, "lab-user-"+n, err),
		)
}

// set returns an input handler that changes the form and forgets the last
// outcome and the errors of the fields, which are checked again on
// publish.
func (p *labPublish) set(change func(string)) func(string) {
	return func(v string) {
		change(v)
		p.errs, p.result = nil, nil
	}
}

// publish checks the form and sends the message.
func (p *labPublish) publish(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	p.err, p.result = nil, nil
	m, errs := p.form.message(p.Version)
	if p.errs = errs; len(errs) > 0 {
		return
	}
	if !p.Connected {
		p.err = store.ErrNotConnected
		return
	}
	name, topic, qos := p.Name, m.Topic, m.QoS
	p.busy = true
	labDo(ctx, func(ctx context.Context) error {
		return store.Clients.Publish(ctx, name, m)
	}, func(err error) {
		p.busy = false
		if name != p.Name {
			return
		}
		if p.err = err; err == nil {
			p.result = func(l i18n.Lang) string {
				return tf(l, "lab.published", "topic", topic, "qos", strconv.Itoa(int(qos)))
			}
		}
	})
}

// hasProps reports whether any property is filled in, to keep the
// properties open.
func (f *pubForm) hasProps() bool {
	return f.ContentType != "" || f.ResponseTopic != "" || f.Correlation != "" || f.Expiry != "" || f.UTF8 || len(f.User) > 0
}
