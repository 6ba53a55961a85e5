package app

import (
	"strconv"
	"testing"

	"github.com/mqttlab/mqttlab/app/i18n"
)

func TestLessonSlug(t *testing.T) {
	for path, want := range map[string]string{
		"/lessons":          "",
		"/lessons/":         "",
		"/lessons/qos":      "qos",
		"/lessons/qos/":     "qos",
		"/lab":              "",
		"/lessons-and-more": "",
	} {
		if got := lessonSlug(path); got != want {
			t.Errorf("lessonSlug(%q) = %q, want %q", path, got, want)
		}
	}
}

// Every lesson has its words in the catalog, and the path is in order
// with no gaps.
func TestLessonsComplete(t *testing.T) {
	for i, l := range lessons {
		if l.Order != i+1 {
			t.Errorf("lesson %s has order %d at place %d of the path", l.Slug, l.Order, i+1)
		}
		keys := []string{l.Key + ".title", l.Key + ".summary"}
		for k := 1; k <= l.Paras; k++ {
			keys = append(keys, l.Key+".p"+strconv.Itoa(k))
		}
		for _, k := range keys {
			if !i18n.Has(k) {
				t.Errorf("lesson %s: message %q is not defined", l.Slug, k)
			}
		}
		if l.Paras < 1 {
			t.Errorf("lesson %s has no text", l.Slug)
		}
		if l.Experiment == nil {
			t.Errorf("lesson %s has no experiment", l.Slug)
		}
	}
}
