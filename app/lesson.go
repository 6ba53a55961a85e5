package app

import (
	"encoding/json"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// lessonDef is one lesson of the path. Each lesson lives in a file of its
// own (lesson_<slug>.go) and registers itself with registerLesson from an
// init function, so lessons are added without touching a shared list.
//
// A lesson's words are catalog keys derived from Key: Key+".title",
// Key+".summary" and the paragraphs Key+".p1" … Key+".pN" (N = Paras).
type lessonDef struct {
	// Order is the lesson's place in the path, from 1.
	Order int
	// Slug is the last element of the lesson's address, /lessons/{Slug}.
	Slug string
	// Key prefixes the lesson's message keys, e.g. "lesson.qos".
	Key string
	// Paras is the number of paragraphs of text, Key+".p1" to Key+".pN".
	Paras int
	// Experiment makes the lesson's live experiment. The component gets the
	// language and a Done callback through lessonExperiment; it calls Done
	// once the learner has done the step, as seen in real packets or
	// telemetry, never because a button says so.
	Experiment func() lessonExperiment
}

// lessonExperiment is the component of a lesson's experiment.
type lessonExperiment interface {
	goapp.Composer
	// setup gives the experiment its inputs before it is mounted: the
	// language, the lesson's slug, and done, to call when the self-check
	// turns green (calling it again does nothing).
	setup(lang i18n.Lang, slug string, done func(goapp.Context))
}

// lessons is the path, in order; registerLesson keeps it sorted.
var lessons []lessonDef

// registerLesson adds l to the path. It panics on a duplicate slug or
// order: that is a programming error, caught by the first test run.
func registerLesson(l lessonDef) {
	for _, o := range lessons {
		if o.Slug == l.Slug || o.Order == l.Order {
			panic("app: lesson " + l.Slug + " registered twice (slug or order)")
		}
	}
	// Insert in order: a generic sort of lessonDef would cost ~19 KB of
	// WebAssembly for a dozen elements, slices.Insert ~4 KB.
	i := len(lessons)
	for i > 0 && lessons[i-1].Order > l.Order {
		i--
	}
	lessons = append(lessons, lessonDef{})
	copy(lessons[i+1:], lessons[i:])
	lessons[i] = l
}

// lessonBySlug finds a lesson and its index in the path.
func lessonBySlug(slug string) (lessonDef, int, bool) {
	for i, l := range lessons {
		if l.Slug == slug {
			return l, i, true
		}
	}
	return lessonDef{}, -1, false
}

// progressState is the local storage key of the slugs of the lessons whose
// self-check turned green, a shared value (shared.go).
const progressState = "mqttlab.lessons.done"

// progress is the set of lessons done.
type progress map[string]bool

// observeProgress keeps *p equal to the learner's progress while the
// component that owns ctx is mounted.
func observeProgress(ctx goapp.Context, p *progress) {
	sharedProgress.watch(ctx, func(raw json.RawMessage) { *p = progressOf(raw) })
}

// progressOf reads the progress stored as raw; none when it does not read.
func progressOf(raw json.RawMessage) progress {
	var p progress
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &p); err != nil {
			goapp.Log("app: " + progressState + ": " + err.Error())
		}
	}
	return p
}

// markLessonDone records slug as done, in this tab, the others, and after
// a reload.
func markLessonDone(ctx goapp.Context, slug string) {
	p := progressOf(sharedProgress.get(ctx))
	if p[slug] {
		return
	}
	next := progress{slug: true}
	for k, v := range p {
		next[k] = v
	}
	sharedProgress.set(ctx, next)
}

// lessonSlug returns the slug in a /lessons/{slug} path, or "".
func lessonSlug(path string) string {
	rest, ok := strings.CutPrefix(path, "/lessons/")
	if !ok {
		return ""
	}
	return strings.Trim(rest, "/")
}
