//go:build !js

package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/mqttlab/mqttlab/internal/browsertest"
)

// missingKey matches a message key the catalog lacks: i18n renders it as
// the key in brackets, "[lesson.qos.title]".
var missingKey = regexp.MustCompile(`\[[a-z0-9_]+(\.[a-z0-9_]+)+\]`)

// TestEveryPageInBothLanguages walks every page a learner can reach — the
// navigation's pages and every lesson on the path — in English and then in
// Chinese, with the demo fleet running so the live parts have something to
// show, and checks each page for messages the catalog lacks and, in
// Chinese, for a Chinese heading.
func TestEveryPageInBothLanguages(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t)
	lab := startPages(t)

	// The pages, found as a user finds them: the navigation and the path.
	tab.Navigate(lab.URL + "/lessons")
	tab.WaitApp(appReady + " .lesson-path")
	links, err := browsertest.Eval[string](tab, `JSON.stringify([
		...[...document.querySelectorAll(".app-nav a[href]")].map(a => a.getAttribute("href")),
		...[...document.querySelectorAll(".lesson-item a[href]")].map(a => a.getAttribute("href")),
	])`)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	if err := json.Unmarshal([]byte(links), &paths); err != nil {
		t.Fatal(err)
	}
	paths = append([]string{"/"}, paths...)
	if len(paths) < 1+7+11 {
		t.Fatalf("found %d pages to visit, want the start page, the 7 sections and the 11 lessons: %q", len(paths), paths)
	}

	for _, lang := range []string{"en", "zh"} {
		if lang == "zh" {
			tab.Click("#lang-zh") // kept in local storage for the pages below
			tab.WaitFunc(`document.documentElement.lang.startsWith("zh")`)
		}
		for _, path := range paths {
			tab.Navigate(lab.URL + path)
			tab.WaitApp(appReady)
			tab.WaitFunc(`(document.querySelector("main h1")?.innerText ?? "").trim() !== ""`)
			if got, _ := browsertest.Eval[string](tab, `document.documentElement.lang`); !strings.HasPrefix(got, lang) {
				t.Errorf("%s in %s: <html lang=%q>", path, lang, got)
			}
			text := tab.Text("body")
			if keys := missingKey.FindAllString(text, -1); len(keys) > 0 {
				t.Errorf("%s in %s: messages missing from the catalog: %q", path, lang, keys)
			}
			if h1 := tab.Text("main h1"); lang == "zh" && !hasHan(h1) {
				t.Errorf("%s in Chinese: the heading %q has no Chinese", path, h1)
			}
		}
	}
	var errs []string
	for _, e := range tab.ConsoleErrors() {
		// Leaving a page closes its clients' WebSockets mid-handshake
		// now and then; the browser reports that, the app does not.
		if !strings.Contains(e, "WebSocket is closed before the connection is established") {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		t.Errorf("console errors:\n  %s", strings.Join(errs, "\n  "))
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestLanguageFollowsOtherTabs: the language chosen in one page of the
// site reaches the other pages already open (through local storage and its
// storage event). The other page is a same-origin frame, which shares the
// local storage of the tab and, like another tab, gets the event.
func TestLanguageFollowsOtherTabs(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t)
	lab := startPages(t, "-scenario", "none")
	tab.Navigate(lab.URL + "/")
	tab.WaitApp(appReady)
	tab.WaitText("main h1", "See MQTT at work")

	if _, err := browsertest.Eval[bool](tab, `(() => {
		const f = document.createElement("iframe");
		f.id = "other"; f.src = "/lessons"; f.style.width = "800px"; f.style.height = "600px";
		document.body.append(f);
		return true;
	})()`); err != nil {
		t.Fatal(err)
	}
	const other = `document.getElementById("other").contentDocument`
	tab.WaitFunc(other + `?.querySelector('.app[data-runtime="wasm"] #lang-zh') != null`)
	if _, err := browsertest.Eval[bool](tab, `(`+other+`.getElementById("lang-zh").click(), true)`); err != nil {
		t.Fatal(err)
	}
	tab.WaitFunc(other + `.documentElement.lang.startsWith("zh")`)
	// The page that did not click follows.
	tab.WaitFunc(`document.documentElement.lang.startsWith("zh")`)
	tab.WaitText("main h1", "看见 MQTT 如何工作")
}
