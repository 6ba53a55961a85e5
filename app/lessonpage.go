package app

import (
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// lessonsPage serves /lessons (the path with progress) and /lessons/{slug}
// (one lesson: its text, its experiment and its self-check).
type lessonsPage struct {
	goapp.Compo

	lang     i18n.Lang
	progress progress
	slug     string
	exp      lessonExperiment
}

// OnMount follows the language and the progress.
func (p *lessonsPage) OnMount(ctx goapp.Context) {
	observeLang(ctx, &p.lang)
	observeProgress(ctx, &p.progress)
}

// OnNav picks the lesson from the address; a new experiment is made per
// lesson visited, so it starts from a clean state.
func (p *lessonsPage) OnNav(ctx goapp.Context) {
	slug := lessonSlug(ctx.Page().URL().Path)
	if slug != p.slug || p.exp == nil {
		p.slug, p.exp = slug, nil
		if l, _, ok := lessonBySlug(slug); ok && l.Experiment != nil {
			p.exp = l.Experiment()
		}
	}
}

// Render draws the path or the lesson inside the shell.
func (p *lessonsPage) Render() goapp.UI {
	l := p.lang
	lesson, i, ok := lessonBySlug(p.slug)
	if !ok {
		return &shell{Lang: l, Active: "/lessons", Title: l.T("lessons.title"), Content: []goapp.UI{
			el("section", "page-intro").Body(
				msgEl(l, "h1", "", "lessons.title"),
				msgEl(l, "p", "lead", "lessons.summary"),
			),
			&lessonPath{Lang: l, Progress: p.progress},
		}}
	}
	title := l.T(lesson.Key + ".title")
	done := p.progress[lesson.Slug]
	content := []goapp.UI{
		el("nav", "lesson-crumbs").Body(
			msgEl(l, "a", "", "lessons.title").Attr("href", "/lessons"),
			textEl("span", "", " / "+strings.Replace(l.T("lessons.number"), "{n}", strconv.Itoa(lesson.Order), 1)),
		),
		textEl("h1", "", title),
		el("div", "lesson-text").Body(
			goapp.Range(make([]struct{}, lesson.Paras)).Slice(func(k int) goapp.UI {
				return textEl("p", "", l.T(lesson.Key+".p"+strconv.Itoa(k+1)))
			}),
		),
	}
	if p.exp != nil {
		p.exp.setup(l, lesson.Slug, func(ctx goapp.Context) { markLessonDone(ctx, lesson.Slug) })
		content = append(content, el("section", "lesson-experiment").Aria("label", l.T("lessons.experiment")).Body(
			msgEl(l, "h2", "", "lessons.experiment"),
			p.exp,
		))
	}
	content = append(content,
		&selfCheck{Lang: l, Done: done},
		p.lessonNav(i),
	)
	return &shell{Lang: l, Active: "/lessons", Title: title, Content: content}
}

// lessonNav links the previous and next lessons.
func (p *lessonsPage) lessonNav(i int) goapp.UI {
	l := p.lang
	nav := el("nav", "lesson-nav")
	var links []goapp.UI
	if i > 0 {
		prev := lessons[i-1]
		links = append(links, textEl("a", "button", "← "+l.T(prev.Key+".title")).ID("lesson-prev").Attr("href", "/lessons/"+prev.Slug))
	}
	if i+1 < len(lessons) {
		next := lessons[i+1]
		links = append(links, textEl("a", "button button-primary", l.T(next.Key+".title")+" →").ID("lesson-next").Attr("href", "/lessons/"+next.Slug))
	}
	return nav.Body(links...)
}

// selfCheck shows whether the learner has done the lesson's step.
type selfCheck struct {
	goapp.Compo
	Lang i18n.Lang
	Done bool
}

// Render draws the check, green when done.
func (c *selfCheck) Render() goapp.UI {
	l := c.Lang
	class, text := "self-check", l.T("lessons.check.todo")
	if c.Done {
		class, text = "self-check self-check-done", l.T("lessons.check.done")
	}
	return textEl("p", class, text).ID("self-check").Aria("live", "polite").DataSet("done", strconv.FormatBool(c.Done))
}

// lessonPath lists the lessons in order with the learner's progress.
type lessonPath struct {
	goapp.Compo
	Lang     i18n.Lang
	Progress progress
}

// Render draws the path.
func (c *lessonPath) Render() goapp.UI {
	l := c.Lang
	done := 0
	for _, s := range lessons {
		if c.Progress[s.Slug] {
			done++
		}
	}
	return el("section", "lesson-path").Body(
		textEl("p", "lesson-progress", l.T("lessons.progress")+": "+strconv.Itoa(done)+" / "+strconv.Itoa(len(lessons))).ID("lesson-progress"),
		el("ol", "lesson-list").Body(
			goapp.Range(lessons).Slice(func(i int) goapp.UI {
				s := lessons[i]
				item := el("li", "lesson-item").DataSet("slug", s.Slug).DataSet("done", strconv.FormatBool(c.Progress[s.Slug]))
				mark := "○"
				if c.Progress[s.Slug] {
					mark = "●"
				}
				return item.Body(
					textEl("span", "lesson-mark", mark).Aria("hidden", "true"),
					textEl("a", "", l.T(s.Key+".title")).Attr("href", "/lessons/"+s.Slug),
					textEl("p", "lesson-summary", l.T(s.Key+".summary")),
				)
			}),
		),
	)
}
