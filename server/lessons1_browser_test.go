//go:build !js

package main

import (
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/internal/browsertest"
)

// Lessons 1 to 6 in a real browser: each experiment done with clicks and
// typing, against the lab's broker, until the self-check turns green.

// openLesson opens /lessons/{slug} in a new tab and waits for its running
// experiment.
func openLesson(t *testing.T, lab *labServer, slug string) *labTab {
	t.Helper()
	tab := browsertest.NewTab(t)
	tab.Navigate(lab.URL + "/lessons/" + slug)
	tab.WaitApp(appReady + " .lesson-lab")
	lt := &labTab{Tab: tab, t: t}
	t.Cleanup(lt.checkConsole)
	return lt
}

// selfCheck is the selector of the self-check once it says done (true) or
// not (false).
func selfCheck(done bool) string {
	if done {
		return `#self-check[data-done="true"]`
	}
	return `#self-check[data-done="false"]`
}

// subscribed waits until the party with id shows filter among its
// subscriptions (its SUBACK came).
func (lt *labTab) subscribed(id, filter string) {
	lt.t.Helper()
	lt.WaitText("#"+id+" .lesson-party-subs", filter)
}

func TestLessonWhatIsMQTT(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLesson(t, lab, "what-is-mqtt")
	lt.WaitVisible(selfCheck(false))
	lt.subscribed("intro-device", "/fan/set")
	lt.subscribed("intro-cloud", "greenhouse/+/fan")

	lt.set("#intro-reading", "23.4")
	lt.click("#intro-publish")
	lt.WaitText("#intro-last-reading", "23.4")
	lt.WaitText("#lesson-trail", "23.4")
	if n := lt.count(selfCheck(true)); n != 0 {
		t.Error("the self-check is green before any command went down")
	}

	lt.click("#intro-fan-on")
	lt.WaitVisible(`#intro-fan[data-fan="on"]`)
	lt.WaitVisible(selfCheck(true))

	// The progress survives a reload and shows on the start page.
	lt.Reload()
	lt.WaitApp(appReady + " .lesson-lab")
	lt.WaitVisible(selfCheck(true))
	lt.Navigate(lab.URL + "/")
	lt.WaitApp(appReady + " .lesson-path")
	lt.WaitVisible(`.lesson-item[data-slug="what-is-mqtt"][data-done="true"]`)
	lt.WaitVisible(`.lesson-item[data-slug="history"][data-done="false"]`)
	if got := lt.Text("#lesson-progress"); !strings.Contains(got, ": 1 / ") {
		t.Errorf("progress on the start page reads %q, want 1 lesson done", got)
	}
	lt.WaitText("#home-start", "Where MQTT comes from")
	lt.click("#home-start")
	lt.WaitApp(appReady + " #history-timeline")
}

// Every lesson renders in Chinese once the learner switches language,
// going from one lesson to the next by its link, inside the app.
func TestLessonsInChinese(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLesson(t, lab, "what-is-mqtt")
	lt.click("#lang-zh")
	// The experiment on the page follows the switch at once.
	lt.WaitText("#intro-device", i18n.T(i18n.Zh, "lesson.intro.device"))
	for i, key := range []string{"lesson.intro", "lesson.history", "lesson.pubsub", "lesson.space", "lesson.time", "lesson.sync"} {
		if i > 0 {
			lt.click("#lesson-next")
		}
		lt.WaitText("main h1", i18n.T(i18n.Zh, key+".title"))
		lt.WaitText(".lesson-text", runePrefix(i18n.T(i18n.Zh, key+".p1"), 20))
		lt.WaitText(".lesson-steps", runePrefix(i18n.T(i18n.Zh, key+".s1"), 10))
		lt.WaitText("#self-check", "自测")
	}
}

func TestLessonHistory(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLesson(t, lab, "history")
	lt.WaitVisible(`#history-timeline`)

	// A differing field picked before encoding anything of one's own is
	// not enough.
	name31 := `.history-versions[data-packet="CONNECT"] .history-field[data-version="3.1"][data-key="connect.protocol_name"]`
	lt.click(name31)
	lt.WaitText("#history-picked", "MQIsdp")
	lt.set("#history-topic", "farm/barn-2/cow/7")
	lt.set("#history-payload", "moo")
	lt.click("#history-encode")
	lt.WaitText(`.history-versions[data-packet="PUBLISH"] .history-col[data-version="5.0"]`, "6d 6f 6f")
	lt.WaitText("#history-picked", "Pick a field")
	if n := lt.count(selfCheck(true)); n != 0 {
		t.Error("the self-check is green before a field was picked after encoding")
	}
	if n := lt.count(`.history-versions[data-packet="PUBLISH"] .history-field[data-key="properties.length"][data-diff="true"]`); n != 1 {
		t.Errorf("%d differing property lengths in the PUBLISH, want 1 (5.0's)", n)
	}
	lt.click(`.history-versions[data-packet="PUBLISH"] .history-field[data-version="5.0"][data-key="properties.length"]`)
	lt.WaitText("#history-picked", "New in 5.0")
	lt.WaitVisible(selfCheck(true))
}

func TestLessonPublishSubscribe(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLesson(t, lab, "publish-subscribe")
	lt.WaitVisible(`#pubsub-bell[data-status="connected"]`)
	lt.WaitVisible(`#pubsub-phone[data-status="connected"]`)
	lt.WaitVisible(`#pubsub-speaker[data-status="connected"]`)

	// With one subscriber, the one message reaches one client: not yet.
	lt.click("#pubsub-phone-sub")
	lt.subscribed("pubsub-phone", "front-door/ring")
	lt.click("#pubsub-ring")
	lt.WaitVisible(`#pubsub-phone-got[data-count="1"]`)
	lt.WaitVisible(`#lesson-routes .lesson-route[data-delivered="1"]`)
	if n := lt.count(selfCheck(true)); n != 0 {
		t.Error("the self-check is green after a message reached one subscriber")
	}

	lt.click("#pubsub-speaker-sub")
	lt.subscribed("pubsub-speaker", "front-door/ring")
	lt.click("#pubsub-ring")
	lt.WaitVisible(`#pubsub-speaker-got[data-count="1"]`)
	lt.WaitVisible(`#pubsub-phone-got[data-count="2"]`)
	lt.WaitText(`#lesson-routes .lesson-route[data-delivered="2"]`, "l3-phone")
	lt.WaitText(`#lesson-routes .lesson-route[data-delivered="2"]`, "l3-speaker")
	lt.WaitVisible(selfCheck(true))
	lt.WaitVisible(`.lesson-diagram svg`)
}

func TestLessonSpaceDecoupling(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLesson(t, lab, "space-decoupling")
	lt.WaitVisible(`#space-sensor[data-status="connected"]`)
	lt.click("#space-run")
	lt.WaitVisible(`#space-published:not([data-count="0"])`)
	lt.click("#space-add")
	lt.subscribed("l4-app-1", "air/co2")
	lt.click("#space-add")
	lt.subscribed("l4-app-2", "air/co2")
	lt.WaitVisible(`#l4-app-2-got:not([data-count="0"])`)
	lt.WaitText("#space-knows .hexview", "air/co2")
	if n := lt.count(selfCheck(true)); n != 0 {
		t.Error("the self-check is green before a subscriber went away")
	}

	lt.click("#l4-app-1-remove")
	lt.WaitFunc(`!document.getElementById("l4-app-1")`)
	lt.WaitVisible(selfCheck(true))
	lt.WaitText("#lesson-trail", "DISCONNECT")

	// app-2's button now stands where app-1's was: it removes app-2.
	lt.click("#l4-app-2-remove")
	lt.WaitFunc(`!document.getElementById("l4-app-2")`)
}

// timeOffline opens lesson 5, takes the phone offline and publishes two
// alerts, which the broker holds for it.
func timeOffline(t *testing.T) *labTab {
	t.Helper()
	lab := startPages(t, "-scenario", "none")
	lt := openLesson(t, lab, "time-decoupling")
	lt.WaitVisible(`#time-door[data-status="connected"]`)
	lt.subscribed("time-phone", "door/alerts")
	lt.click("#time-offline")
	lt.WaitVisible(`#time-phone[data-status="disconnected"]`)
	lt.click("#time-alert")
	lt.click("#time-alert")
	lt.WaitVisible(`#time-held[data-queued="2"]`)
	lt.WaitText("#lesson-routes", "held for l5-phone")
	return lt
}

func TestLessonTimeDecoupling(t *testing.T) {
	t.Parallel()
	lt := timeOffline(t)
	lt.click("#time-online")
	lt.WaitVisible(`#time-phone[data-status="connected"]`)
	lt.WaitText("#time-present", "Session Present 1")
	lt.WaitVisible(`#time-phone-got[data-count="2"]`)
	lt.WaitVisible(`#time-held[data-queued="0"]`)
	lt.WaitVisible(selfCheck(true))

	// A retained status reaches a subscriber that comes later.
	lt.click("#time-status")
	lt.WaitText("#lesson-trail", "RETAIN")
	lt.click("#time-late")
	lt.WaitText(`#time-tablet-got[data-retain="true"]`, "locked")
}

// The messages held for the phone are not enough: it must come back.
func TestLessonTimeDecouplingStaysRed(t *testing.T) {
	t.Parallel()
	lt := timeOffline(t)
	lt.click("#time-alert")
	lt.WaitVisible(`#time-held[data-queued="3"]`)
	if n := lt.count(selfCheck(false)); n != 1 {
		t.Error("the self-check is green while the phone is still offline")
	}
}

func TestLessonSyncDecoupling(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLesson(t, lab, "sync-decoupling")
	lt.subscribed("sync-archive", "meter/#")
	lt.subscribed("sync-tariff", "tariff/get")
	lt.WaitVisible(`#sync-app[data-status="connected"]`)
	lt.WaitVisible(`#sync-meter[data-status="connected"]`)

	lt.click("#sync-ask")
	lt.WaitVisible("#sync-ask[disabled]") // the app waits
	lt.WaitVisible("#sync-answer[data-ms]")
	lt.WaitText("#sync-answer", "EUR/kWh")
	if n := lt.count(selfCheck(true)); n != 0 {
		t.Error("the self-check is green before the meter published")
	}

	lt.click("#sync-burst")
	lt.WaitText("#sync-pub-rate", "published 10 readings")
	lt.WaitVisible(`#sync-handled:not([data-handled="0"]):not([data-handled="1"]):not([data-handled="2"])`)
	lt.WaitVisible(selfCheck(true))
}

// runePrefix is the first n characters of s, or s.
func runePrefix(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}
