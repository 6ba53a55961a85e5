package app

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// sectionPage is the page of a part of the lab that has only its heading and
// summary so far; each part replaces it with its own component in Register.
type sectionPage struct {
	goapp.Compo

	section section
	lang    i18n.Lang
}

// newSectionPage returns the route constructor for the page of s.
func newSectionPage(s section) func() goapp.Composer {
	return func() goapp.Composer { return &sectionPage{section: s} }
}

// OnMount follows the language the user chose.
func (p *sectionPage) OnMount(ctx goapp.Context) { observeLang(ctx, &p.lang) }

// Render draws the page inside the shell.
func (p *sectionPage) Render() goapp.UI {
	l := p.lang
	title := l.T(p.section.Title)
	return &shell{
		Lang:   l,
		Active: p.section.Path,
		Title:  title,
		Content: []goapp.UI{
			el("section", "page-intro").
				Body(
					textEl("h1", "", title),
					textEl("p", "lead", l.T(p.section.Summary)),
				),
		},
	}
}
