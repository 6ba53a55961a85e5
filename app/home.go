package app

import (
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// homePage is the start page: what mqttlab is, the lessons in order with
// the learner's progress (the path starts here), and a card for every
// part of the lab.
type homePage struct {
	goapp.Compo

	lang     i18n.Lang
	progress progress
}

// OnMount follows the language the user chose and the lessons done.
func (p *homePage) OnMount(ctx goapp.Context) {
	observeLang(ctx, &p.lang)
	observeProgress(ctx, &p.progress)
}

// nextLesson is the first lesson not done yet, and whether any is done.
func (p *homePage) nextLesson() (lessonDef, bool, bool) {
	started := false
	for _, s := range lessons {
		started = started || p.progress[s.Slug]
	}
	for _, s := range lessons {
		if !p.progress[s.Slug] {
			return s, started, true
		}
	}
	return lessonDef{}, started, false
}

// Render draws the page inside the shell.
func (p *homePage) Render() goapp.UI {
	l := p.lang
	start := msgEl(l, "a", "button button-primary", "home.start_lesson").ID("home-start").Attr("href", "/lessons")
	if next, started, ok := p.nextLesson(); ok {
		start = start.Attr("href", "/lessons/"+next.Slug)
		if started {
			start = start.Text(strings.Replace(l.T("home.continue"), "{title}", l.T(next.Key+".title"), 1))
		}
	}
	return &shell{
		Lang:  l,
		Title: l.T("app.name"),
		Content: []goapp.UI{
			el("section", "hero").
				Body(
					msgEl(l, "h1", "", "home.title"),
					msgEl(l, "p", "lead", "home.lead"),
					el("div", "hero-actions").
						Body(
							start,
							msgEl(l, "a", "button", "home.open_lab").Attr("href", "/lab"),
						),
				),
			el("section", "home-path").
				Aria("labelledby", "path-heading").
				Body(
					msgEl(l, "h2", "", "home.path").ID("path-heading"),
					msgEl(l, "p", "caption", "lessons.summary"),
					&lessonPath{Lang: l, Progress: p.progress},
				),
			el("section", "sections").
				Aria("labelledby", "sections-heading").
				Body(
					msgEl(l, "h2", "", "home.sections").ID("sections-heading"),
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
