package app

import (
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

func TestObserverFormats(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{obsCount(0), "0"},
		{obsCount(9999), "9999"},
		{obsCount(12345), "12\u202f345"},
		{obsCount(1234567), "1\u202f234\u202f567"},
		{obsBytes(999), "999 B"},
		{obsBytes(1000), "1.0 kB"},
		{obsBytes(4_500_000), "4.5 MB"},
		{obsRate(0), "0"},
		{obsRate(0.5), "0.5"},
		{obsRate(12.4), "12"},
		{obsRate(1500), "1500"},
		{obsRate(15000), "15\u202f000"},
		{obsDuration(i18n.En, 45*time.Second), "45s"},
		{obsDuration(i18n.En, 3*time.Minute+12*time.Second), "3m 12s"},
		{obsDuration(i18n.En, 2*time.Hour+5*time.Minute+9*time.Second), "2h 5m"},
		{obsDuration(i18n.En, 50*time.Hour), "2d 2h"},
		{obsDuration(i18n.En, -time.Second), "0s"},
		{obsDuration(i18n.Zh, 3*time.Minute+12*time.Second), "3分12秒"},
		{obsFill("{n} lost", 1234), "1234 lost"},
		{obsFillText("{s} ago", "5s"), "5s ago"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestFilterProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ filter, key string }{
		{"home/#/x", "topics.problem.hash"},
		{"home/a#", "topics.problem.hash"},
		{"home/kit+/temp", "topics.problem.plus"},
		{"", "topics.problem.empty"},
		{"$share/g", "topics.problem.share"},
		{"$share//home", "topics.problem.share"},
		{"a\x00b", "topics.problem.chars"},
	} {
		if _, err := store.CheckFilter(tc.filter); err == nil {
			t.Errorf("%q: CheckFilter accepted it", tc.filter)
		}
		if got, want := filterProblem(i18n.En, tc.filter), i18n.T(i18n.En, tc.key); got != want {
			t.Errorf("filterProblem(%q) = %q, want %q", tc.filter, got, want)
		}
	}
}

func TestSparkPoints(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		values      []float64
		bottom, top float64
		slots       int
		want        string
	}{
		{"empty", nil, 0, 1, 4, ""},
		// 4 slots across 300: x = 0, 100, 200, 300; y from 58 (0) to 2 (top).
		{"full", []float64{0, 5, 10, 5}, 0, 10, 4, "0.0,58.0 100.0,30.0 200.0,2.0 300.0,30.0"},
		{"newest on the right", []float64{10, 0}, 0, 10, 4, "200.0,2.0 300.0,58.0"},
		{"oldest dropped", []float64{1, 2, 3, 4, 5}, 0, 5, 2, "0.0,13.2 300.0,2.0"},
		{"clamped", []float64{-1, 20}, 0, 10, 2, "0.0,58.0 300.0,2.0"},
		{"from bottom", []float64{20, 21.5, 23}, 20, 23, 3, "0.0,58.0 150.0,30.0 300.0,2.0"},
		{"empty range", []float64{5, 5}, 5, 5, 2, "0.0,58.0 300.0,58.0"},
	} {
		if got := sparkPoints(tc.values, tc.bottom, tc.top, tc.slots); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if top := sparkTop([]sparkSeries{{Values: []float64{0.2}}, {Values: []float64{0.5}}}); top != 1 {
		t.Errorf("a quiet chart is scaled to %v, want 1", top)
	}
	if top := sparkTop([]sparkSeries{{Values: []float64{3}}, {Values: []float64{7}}}); top != 7 {
		t.Errorf("top %v, want 7", top)
	}
	for _, tc := range []struct {
		values      []float64
		bottom, top float64
	}{
		{nil, 0, 1},
		{[]float64{21.5, 20.1, 22}, 20.1, 22},
		{[]float64{-3, -3}, -4, -2}, // a flat line is drawn in the middle
	} {
		if b, top := sparkFit([]sparkSeries{{Values: tc.values}}); b != tc.bottom || top != tc.top {
			t.Errorf("sparkFit(%v) = %v, %v; want %v, %v", tc.values, b, top, tc.bottom, tc.top)
		}
	}
}
