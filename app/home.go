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
			goapp.Section().
				Class("hero").
				Body(
					goapp.H1().Text(l.T("home.title")),
					goapp.P().Class("lead").Text(l.T("home.lead")),
					goapp.Div().
						Class("hero-actions").
						Body(
							goapp.A().Class("button", "button-primary").Href("/lab").Text(l.T("home.open_lab")),
							goapp.A().Class("button").Href("/lessons").Text(l.T("home.start_lesson")),
						),
				),
			goapp.Section().
				Class("sections").
				Aria("labelledby", "sections-heading").
				Body(
					goapp.H2().ID("sections-heading").Text(l.T("home.sections")),
					goapp.Ul().
						Class("card-grid").
						Body(
							goapp.Range(sections).Slice(func(i int) goapp.UI {
								s := sections[i]
								return goapp.Li().
									Class("card").
									Body(
										goapp.A().
											Href(s.Path).
											Body(
												goapp.H3().Text(l.T(s.Title)),
												goapp.P().Text(l.T(s.Summary)),
											),
									)
							}),
						),
				),
		},
	}
}
