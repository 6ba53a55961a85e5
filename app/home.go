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
			goapp.Elem("section").
				Class("hero").
				Body(
					goapp.Elem("h1").Text(l.T("home.title")),
					goapp.P().Class("lead").Text(l.T("home.lead")),
					goapp.Div().
						Class("hero-actions").
						Body(
							goapp.Elem("a").Class("button", "button-primary").Attr("href", "/lab").Text(l.T("home.open_lab")),
							goapp.Elem("a").Class("button").Attr("href", "/lessons").Text(l.T("home.start_lesson")),
						),
				),
			goapp.Elem("section").
				Class("sections").
				Aria("labelledby", "sections-heading").
				Body(
					goapp.Elem("h2").ID("sections-heading").Text(l.T("home.sections")),
					goapp.Elem("ul").
						Class("card-grid").
						Body(
							goapp.Range(sections).Slice(func(i int) goapp.UI {
								s := sections[i]
								return goapp.Elem("li").
									Class("card").
									Body(
										goapp.Elem("a").
											Attr("href", s.Path).
											Body(
												goapp.Elem("h3").Text(l.T(s.Title)),
												goapp.P().Text(l.T(s.Summary)),
											),
									)
							}),
						),
				),
		},
	}
}
