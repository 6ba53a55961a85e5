package app

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// homePage is the start page: what mqttlab is, and a card for every part of
// the lab.
type homePage struct {
	goapp.Compo

	lang i18n.Lang
}

// OnMount follows the language the user chose.
func (p *homePage) OnMount(ctx goapp.Context) { observeLang(ctx, &p.lang) }

// Render draws the page inside the shell.
func (p *homePage) Render() goapp.UI {
	l := p.lang
	return &shell{
		Lang:  l,
		Title: l.T("app.name"),
		Content: []goapp.UI{
			el("section", "hero").
				Body(
					textEl("h1", "", l.T("home.title")),
					textEl("p", "lead", l.T("home.lead")),
					el("div", "hero-actions").
						Body(
							textEl("a", "", l.T("home.open_lab")).Class("button", "button-primary").Attr("href", "/lab"),
							textEl("a", "button", l.T("home.start_lesson")).Attr("href", "/lessons"),
						),
				),
			el("section", "sections").
				Aria("labelledby", "sections-heading").
				Body(
					textEl("h2", "", l.T("home.sections")).ID("sections-heading"),
					el("ul", "card-grid").
						Body(
							goapp.Range(sections).Slice(func(i int) goapp.UI {
								s := sections[i]
								return el("li", "card").
									Body(
										el("a", "").
											Attr("href", s.Path).
											Body(
												textEl("h3", "", l.T(s.Title)),
												textEl("p", "", l.T(s.Summary)),
											),
									)
							}),
						),
				),
		},
	}
}
