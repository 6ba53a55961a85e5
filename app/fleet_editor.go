package app

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// scenarioEditor edits the running scenario's YAML and sends it to the
// server, which validates it: a scenario with problems is refused and
// the running fleet goes on, and each problem is shown at its line, with
// the line's text above it.
type scenarioEditor struct {
	goapp.Compo

	// Lang is the language to render in.
	Lang i18n.Lang
	// Source is the running scenario's YAML, shown until the user edits.
	Source string
	// File names the scenario in messages.
	File string
	// OnApplied is called once the server took a new scenario.
	OnApplied func()

	text     string
	dirty    bool
	busy     bool
	problems []scenarioProblem
	tried    string // the text the problems are about
	applied  bool
	err      string
}

// value is what the editor shows: the user's text once edited, else the
// running scenario.
func (e *scenarioEditor) value() string {
	if e.dirty {
		return e.text
	}
	return e.Source
}

func (e *scenarioEditor) apply(ctx goapp.Context) {
	src := e.value()
	e.busy, e.applied, e.err = true, false, ""
	file := e.File
	if file == "" {
		file = "scenario.yaml"
	}
	ctx.Async(func() {
		err := fleetCall(ctx, "PUT", "/scenario?file="+url.QueryEscape(file), []byte(src), nil)
		ctx.Dispatch(func(ctx goapp.Context) {
			e.busy = false
			var ae *apiError
			switch {
			case errors.As(err, &ae) && len(ae.Problems) > 0:
				e.problems, e.tried = ae.Problems, src
			case err != nil:
				e.problems, e.err = nil, err.Error()
			default:
				e.problems, e.dirty, e.applied = nil, false, true
				if e.OnApplied != nil {
					e.OnApplied()
				}
			}
		})
	})
}

// Render draws the editor, its buttons and the problems at their lines.
func (e *scenarioEditor) Render() goapp.UI {
	l := e.Lang
	body := []goapp.UI{
		msgEl(l, "h2", "", "fleet.editor"),
		msgEl(l, "p", "muted", "fleet.editor_help"),
		textEl("textarea", "code-editor", e.value()).ID("scenario-source").Attr("rows", 24).Attr("spellcheck", "false").
			Attr("aria-label", l.T("fleet.editor")).
			OnInput(func(ctx goapp.Context, ev goapp.Event) {
				e.text, e.dirty, e.applied = ctx.JSSrc().Get("value").String(), true, false
			}),
		el("div", "editor-actions").Body(
			msgEl(l, "button", "button button-primary", "fleet.apply").ID("scenario-apply").Attr("disabled", e.busy).
				OnClick(func(ctx goapp.Context, ev goapp.Event) { e.apply(ctx) }),
			msgEl(l, "button", "button", "fleet.revert").ID("scenario-revert").Attr("disabled", !e.dirty || e.busy).
				OnClick(func(ctx goapp.Context, ev goapp.Event) { e.dirty, e.problems, e.err = false, nil, "" }),
			goapp.If(e.applied, msgEl(l, "span", "ok", "fleet.applied").ID("scenario-applied")),
		),
	}
	if e.err != "" {
		body = append(body, textEl("p", "notice notice-error", e.err).Attr("role", "alert"))
	}
	if len(e.problems) > 0 {
		body = append(body,
			msgEl(l, "p", "notice notice-error", "fleet.refused").ID("scenario-refused").Attr("role", "alert"),
			el("ol", "problems").ID("scenario-problems").Body(e.renderProblems()...),
		)
	}
	return el("section", "fleet-section scenario-editor").Body(body...)
}

// renderProblems shows each problem under the line it is about.
func (e *scenarioEditor) renderProblems() []goapp.UI {
	lines := strings.Split(e.tried, "\n")
	out := make([]goapp.UI, 0, len(e.problems))
	for _, p := range e.problems {
		var src goapp.UI = goapp.Text("")
		if p.Line > 0 && p.Line <= len(lines) {
			src = el("pre", "problem-line").Body(
				textEl("span", "line-number", strconv.Itoa(p.Line)),
				goapp.Text(lines[p.Line-1]),
			)
		}
		msg := p.Message
		if p.Field != "" {
			msg = p.Field + ": " + msg
		}
		out = append(out, el("li", "scenario-problem").DataSet("line", p.Line).Body(
			src,
			el("p", "problem-message").Body(
				goapp.If(p.Line > 0, textEl("strong", "", fmt.Sprintf(e.Lang.T("fleet.line"), p.Line)+" ")),
				goapp.Text(msg),
			),
		))
	}
	return out
}
