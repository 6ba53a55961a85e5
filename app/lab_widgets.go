package app

import (
	"context"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// The building blocks of the lab's forms: every input has a label, and an
// error line under it that screen readers announce.

// opTimeout bounds an operation the page starts on the network (subscribe,
// publish, disconnect); connecting has store.ConnectTimeout.
const opTimeout = 15 * time.Second

// labDo runs op away from the UI goroutine (it waits for the network), then
// hands its error to done on the UI goroutine and redraws the page, which
// reads what op changed from the store.
func labDo(ctx goapp.Context, op func(context.Context) error, done func(error)) {
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), opTimeout)
		err := op(c)
		cancel()
		ctx.Dispatch(func(ctx goapp.Context) {
			if done != nil {
				done(err)
			}
			labChanged(ctx)
		})
	})
}

// labChanged redraws the component of ctx and every component above it up
// to the page, after a change to the store: the page passes the new state
// down at once instead of at its next look at the store.
func labChanged(ctx goapp.Context) { ctx.Emit(func() {}) }

// inputValue is the value of the element an event came from.
func inputValue(ctx goapp.Context) string { return ctx.JSSrc().Get("value").String() }

// inputChecked is the checked state of the checkbox an event came from.
func inputChecked(ctx goapp.Context) bool { return ctx.JSSrc().Get("checked").Bool() }

// errorLine shows what is wrong with the field id, or nothing.
func errorLine(l i18n.Lang, id string, err error) goapp.UI {
	if err == nil {
		return nil
	}
	return textEl("p", "lab-error", describeError(l, err)).ID(id+"-error").Attr("role", "alert")
}

// fieldClass is the class of a field's wrapper, marking one in error.
func fieldClass(err error) []string {
	if err != nil {
		return []string{"lab-field", "lab-field-invalid"}
	}
	return []string{"lab-field"}
}

// textField is a labelled one-line input; numeric ones bring up a number
// keyboard but accept any text, so that a bad number gets our error and
// not the browser's silence.
func textField(l i18n.Lang, id, label, value string, err error, numeric bool, set func(string)) goapp.UI {
	in := goapp.ElemSelfClosing("input").
		Attr("type", "text").
		ID(id).
		Attr("value", value).
		Spellcheck(false).
		Attr("autocomplete", "off").
		OnInput(func(ctx goapp.Context, e goapp.Event) { set(inputValue(ctx)) })
	if numeric {
		in = in.Attr("inputmode", "numeric").Class("lab-number")
	}
	if err != nil {
		in = in.Aria("invalid", "true").Aria("describedby", id+"-error")
	}
	return el("div", "").Class(fieldClass(err)...).Body(
		textEl("label", "", label).Attr("for", id),
		in,
		errorLine(l, id, err),
	)
}

// passwordField is a labelled password input.
func passwordField(id, label, value string, set func(string)) goapp.UI {
	return el("div", "lab-field").Body(
		textEl("label", "", label).Attr("for", id),
		goapp.ElemSelfClosing("input").
			Attr("type", "password").
			ID(id).
			Attr("value", value).
			Attr("autocomplete", "off").
			OnInput(func(ctx goapp.Context, e goapp.Event) { set(inputValue(ctx)) }),
	)
}

// textArea is a labelled multi-line input.
func textArea(id, label, value string, set func(string)) goapp.UI {
	return el("div", "lab-field lab-field-wide").Body(
		textEl("label", "", label).Attr("for", id),
		textEl("textarea", "", value).
			ID(id).
			Attr("rows", 3).
			Spellcheck(false).
			OnInput(func(ctx goapp.Context, e goapp.Event) { set(inputValue(ctx)) }),
	)
}

// checkField is a checkbox with its label after it.
func checkField(id, label string, checked bool, set func(bool)) goapp.UI {
	return el("div", "lab-field lab-check").Body(
		goapp.ElemSelfClosing("input").
			Attr("type", "checkbox").
			ID(id).
			Attr("checked", checked).
			OnChange(func(ctx goapp.Context, e goapp.Event) { set(inputChecked(ctx)) }),
		textEl("label", "", label).Attr("for", id),
	)
}

// choice is one option of a selectField.
type choice struct{ value, label string }

// selectField is a labelled drop-down list.
func selectField(id, label, value string, choices []choice, set func(string)) goapp.UI {
	return el("div", "lab-field").Body(
		textEl("label", "", label).Attr("for", id),
		el("select", "").
			ID(id).
			OnChange(func(ctx goapp.Context, e goapp.Event) { set(inputValue(ctx)) }).
			Body(goapp.Range(choices).Slice(func(i int) goapp.UI {
				c := choices[i]
				return textEl("option", "", c.label).Attr("value", c.value).Attr("selected", c.value == value)
			})),
	)
}

// qosChoices are the three QoS levels.
func qosChoices(l i18n.Lang) []choice {
	return []choice{
		{"0", l.T("lab.qos0")},
		{"1", l.T("lab.qos1")},
		{"2", l.T("lab.qos2")},
	}
}

// button is a button of type button (never a form's submit) with an id.
func button(id, label string, disabled bool, onClick goapp.EventHandler) goapp.HTMLElem {
	b := textEl("button", "button", label).
		Attr("type", "button").
		ID(id).
		// The id as scope: go-app keeps an element's first handler
		// unless its code or scope changes, and a button in a list
		// takes the place of the one removed before it.
		OnClick(onClick, id)
	if disabled {
		b = b.Attr("disabled", true)
	}
	return b
}

// The HTML the server renders writes a boolean attribute set to false as
// present (disabled="false" disables), so the components set boolean
// attributes only when true; go-app removes an attribute a render no longer
// sets.
