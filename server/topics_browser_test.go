//go:build !js

package main

import (
	"fmt"
	"testing"

	"github.com/mqttlab/mqttlab/internal/browsertest"
	"github.com/mqttlab/mqttlab/protocol"
)

// setFilter replaces the text of the filter playground's input and types
// text, as a user would after selecting what was there.
func setFilter(t *testing.T, tab *browsertest.Tab, text string) {
	t.Helper()
	if _, err := browsertest.Eval[bool](tab, `(() => {
		const e = document.querySelector("#topic-filter");
		e.value = "";
		e.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`); err != nil {
		t.Fatal(err)
	}
	tab.WaitText("#filter-result", "Type a filter")
	tab.Type("#topic-filter", text)
}

// highlighted returns the topics the tree highlights.
func highlighted(t *testing.T, tab *browsertest.Tab) []string {
	t.Helper()
	got, err := browsertest.Eval[[]string](tab,
		`[...document.querySelectorAll("#topic-tree tr.match")].map(r => r.dataset.topic)`)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestTopicsPage(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t)
	lab := startPages(t, "-scenario", "none", "-sys-interval", "1s")
	pub := labClient(t, lab, protocol.Connect{ClientID: "thermo", CleanStart: true})
	// Before the page opens, retained: the tree gets it on subscribing.
	publish(t, pub, "home/kitchen/temp", "21.5", 1, true)

	tab.Navigate(lab.URL + "/topics")
	tab.WaitApp(appReady)
	tab.WaitText(`#topic-tree tr[data-topic="home/kitchen/temp"]`, "retained")
	// While it is open, live.
	publish(t, pub, "home/hall/temp", "19", 0, false)
	tab.WaitText(`#topic-tree tr[data-topic="home/hall/temp"]`, "19")
	if got := tab.Text(`#topic-tree tr[data-topic="home"]`); !containsAll(got, "Σ 2") {
		t.Errorf("the home level reads %q: want Σ 2 messages below it", got)
	}

	tab.Type("#topic-filter", "home/+/temp")
	tab.WaitText("#filter-matches", "2 topics")
	if got := highlighted(t, tab); fmt.Sprint(got) != "[home/hall/temp home/kitchen/temp]" {
		t.Errorf("home/+/temp highlights %q", got)
	}

	// Collapsing a branch hides its rows and marks that matches are inside.
	tab.Click(`#topic-tree tr[data-topic="home"] .tree-toggle`)
	tab.WaitFunc(`!document.querySelector('#topic-tree tr[data-topic="home/hall/temp"]')`)
	tab.WaitVisible(`#topic-tree tr[data-topic="home"].match-inside`)
	tab.WaitText("#filter-matches", "2 topics")
	tab.Click(`#topic-tree tr[data-topic="home"] .tree-toggle`)
	tab.WaitVisible(`#topic-tree tr[data-topic="home/hall/temp"].match`)

	setFilter(t, tab, "home/kitchen/#")
	tab.WaitText("#filter-matches", "1 topic ")
	if got := highlighted(t, tab); fmt.Sprint(got) != "[home/kitchen/temp]" {
		t.Errorf("home/kitchen/# highlights %q", got)
	}

	setFilter(t, tab, "home/#/x")
	tab.WaitText("#filter-error", "Not a valid filter")
	if got := tab.Text("#filter-error"); !containsAll(got, "# must be alone", "MQTT-4.7.1") {
		t.Errorf("the error reads %q: want the rule and its number", got)
	}
	if got := highlighted(t, tab); len(got) != 0 {
		t.Errorf("an invalid filter highlights %q", got)
	}

	// $SYS is not in #: it comes only with a subscription of its own, and
	// # still does not match it.
	if n, _ := browsertest.Eval[int](tab, `document.querySelectorAll('#topic-tree tr[data-topic^="$SYS"]').length`); n != 0 {
		t.Errorf("%d $SYS rows before subscribing to $SYS/#", n)
	}
	tab.Click("#topics-sys")
	tab.WaitText("#observer-status", "$SYS/#")
	tab.WaitText(`#topic-tree tr[data-topic="$SYS"]`, "not in #")
	setFilter(t, tab, "#")
	tab.WaitText("#filter-matches", "topics")
	for _, topic := range highlighted(t, tab) {
		if topic[0] == '$' {
			t.Errorf("# highlights %s", topic)
		}
	}
	tab.Click("#topics-sys")
	tab.WaitFunc(`!document.querySelector('#topic-tree tr[data-topic="$SYS"]')`)

	// Leaving the page closes its observer: the broker page, reached
	// through the navigation, sees its own observer and not this one.
	tab.Click(`.app-nav a[href="/broker"]`)
	tab.WaitText("#broker-clients", "this page")
	tab.WaitFunc(`!document.querySelector('#broker-clients tr[data-client^="topics-"]')`)

	checkPageClean(t, tab)
}
