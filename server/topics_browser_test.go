//go:build !js

package main

import (
	"fmt"
	"strings"
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

// rowOf returns the path of the first row of the tree whose topic matches
// the JavaScript regular expression re, waiting for one.
func rowOf(t *testing.T, tab *browsertest.Tab, re string) string {
	t.Helper()
	find := `[...document.querySelectorAll("#topic-tree tr[data-topic]")].map(r => r.dataset.topic).find(p => ` + re + `.test(p))`
	tab.WaitFunc(find)
	path, err := browsertest.Eval[string](tab, find)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// sparkOf returns how many values the sparkline of the row of path
// draws, and the field it draws.
func sparkOf(t *testing.T, tab *browsertest.Tab, path string) (points int, field string) {
	t.Helper()
	got, err := browsertest.Eval[[]any](tab, `(() => {
		const s = document.querySelector('#topic-tree tr[data-topic=`+jsQuote(path)+`] .topic-spark');
		if (!s) return [0, ""];
		const pts = s.querySelector("polyline").getAttribute("points").trim();
		return [pts === "" ? 0 : pts.split(" ").length, s.dataset.field];
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	return int(got[0].(float64)), got[1].(string)
}

// press clicks the element matching selector from JavaScript, once
// visible: rows of the live tree move as topics appear, and a click at the
// place an element was a moment ago can land on another.
func press(t *testing.T, tab *browsertest.Tab, selector string) {
	t.Helper()
	tab.WaitVisible(selector)
	if _, err := browsertest.Eval[bool](tab, `(document.querySelector(`+jsQuote(selector)+`).click(), true)`); err != nil {
		t.Fatalf("clicking %s: %v", selector, err)
	}
}

// rowSelector is the selector of the tree's row of path.
func rowSelector(path string) string { return `#topic-tree tr[data-topic=` + jsQuote(path) + `]` }

// TestTopicsDemo opens /topics on the demo fleet: the building's tree with
// sparklines of its telemetry, a search that narrows it, and a topic taken
// to the lab, subscribed to there and received.
func TestTopicsDemo(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "demo")
	tab := browsertest.NewTab(t)
	tab.Navigate(lab.URL + "/topics")
	tab.WaitApp(appReady + " #topics-tree")

	// The demo's tree: the building, its zones, their devices.
	for _, zone := range []string{"lobby", "office", "lab", "utility", "courtyard"} {
		tab.WaitVisible(rowSelector("building/" + zone))
	}
	// Numeric telemetry gets a sparkline of its first numeric field: JSON
	// from the thermostats, CSV columns from the power meter; the doors'
	// plain text does not.
	thermo := rowOf(t, tab, `/^building\/lobby\/thermostat\/[^/]+\/telemetry$/`)
	power := rowOf(t, tab, `/^building\/utility\/power\/[^/]+\/telemetry$/`)
	door := rowOf(t, tab, `/^building\/lobby\/door\/[^/]+\/state$/`)
	tab.WaitFunc(`document.querySelector('` + rowSelector(power) + ` .topic-spark polyline')?.getAttribute("points").split(" ").length >= 2`)
	tab.WaitVisible(rowSelector(thermo) + ` .topic-spark`)
	if n, field := sparkOf(t, tab, thermo); n < 1 || field != "temperature_c" {
		t.Errorf("%s: sparkline of %d values of %q, want temperature_c", thermo, n, field)
	}
	if _, field := sparkOf(t, tab, power); field != "#1" {
		t.Errorf("%s: sparkline of %q, want the first column #1", power, field)
	}
	if n, _ := sparkOf(t, tab, door); n != 0 {
		t.Errorf("%s (text) has a sparkline of %d values", door, n)
	}
	// Selecting the thermostat offers its numeric fields; choosing one
	// draws it.
	press(t, tab, rowSelector(thermo)+` .topic-name`)
	press(t, tab, rowSelector(thermo)+` .chip[data-field="humidity_pct"]`)
	tab.WaitVisible(rowSelector(thermo) + ` .topic-spark[data-field="humidity_pct"]`)
	press(t, tab, rowSelector(thermo)+` .topic-name`) // unselect
	tab.WaitFunc(`!document.querySelector("#topic-subscribe")`)

	// Search narrows the tree to the topics containing the text, with the
	// levels above them, and counts them.
	tab.Type("#topics-search", "LOBBY/door")
	tab.WaitText("#topics-search-count", "contain “LOBBY/door”")
	// The rows and the count, read at once: a new topic could come
	// between two reads.
	shown, err := browsertest.Eval[[]any](tab, `[
		[...document.querySelectorAll("#topic-tree tr[data-topic]")].map(r => r.dataset.topic),
		document.querySelector("#topics-search-count").textContent]`)
	if err != nil {
		t.Fatal(err)
	}
	count, _ := shown[1].(string)
	// Only the doors' topics (state and status) are counted, not the
	// levels above them.
	found := 0
	for _, v := range shown[0].([]any) {
		p, _ := v.(string)
		switch {
		case strings.HasPrefix(p, "building/lobby/door/") && strings.Count(p, "/") == 4:
			found++
		case p == "building" || p == "building/lobby" || strings.HasPrefix(p, "building/lobby/door"):
		default:
			t.Errorf("searching LOBBY/door shows %s", p)
		}
	}
	if found == 0 || !strings.HasPrefix(count, fmt.Sprint(found, " of ")) {
		t.Errorf("search shows %d door states and says %q", found, count)
	}
	setSearch(t, tab, "no-such-topic")
	tab.WaitText("#topics-tree", "No topic contains “no-such-topic”.")
	setSearch(t, tab, "")
	tab.WaitVisible(rowSelector(power))

	// A topic taken to the lab: a new client, connected, with the filter
	// filled in; subscribing brings the topic's messages.
	press(t, tab, rowSelector(power)+` .topic-name`)
	// The selected topic's buttons stand in a bar outside the live table.
	tab.WaitText("#topic-actions .topic-actions-path", power)
	press(t, tab, "#topic-subscribe")
	tab.WaitApp(appReady + " .lab")
	tab.WaitVisible(`#lab-status[data-status="connected"]`)
	if v, _ := browsertest.Eval[string](tab, `document.querySelector("#lab-sub-filter").value`); v != power {
		t.Errorf("the lab's filter reads %q, want %q", v, power)
	}
	if id, _ := browsertest.Eval[string](tab, `document.activeElement.id`); id != "lab-sub-filter" {
		t.Errorf("the focus is on %q, want the filter", id)
	}
	press(t, tab, "#lab-subscribe")
	tab.WaitText("#lab-sub-result", power)
	tab.WaitText("#lab-log .lab-msg-topic", power)

	// Back on the topics page, a retained door state goes to the same
	// client's publish form, with its payload.
	tab.Click(`.app-nav a[href="/topics"]`)
	tab.WaitVisible(rowSelector(door))
	press(t, tab, rowSelector(door)+` .topic-name`)
	tab.WaitVisible("#topic-publish")
	// The payload shown and the click at once: the door may change in
	// between.
	state, err := browsertest.Eval[string](tab, `(() => {
		const s = document.querySelector('`+rowSelector(door)+` .preview').textContent;
		document.querySelector("#topic-publish").click();
		return s;
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	if state != "open" && state != "closed" {
		t.Errorf("the door's payload reads %q, want open or closed", state)
	}
	tab.WaitApp(appReady + " .lab")
	tab.WaitFunc(`document.querySelector("#lab-pub-topic")?.value === ` + jsQuote(door))
	if v, _ := browsertest.Eval[string](tab, `document.querySelector("#lab-pub-payload").value`); v != state {
		t.Errorf("the lab's payload reads %q, want %q", v, state)
	}
	if n, _ := browsertest.Eval[int](tab, `document.querySelectorAll(".lab-client").length`); n != 1 {
		t.Errorf("%d lab clients, want the one made before", n)
	}
	checkPageClean(t, tab)
}

// setSearch replaces the text of the topics search.
func setSearch(t *testing.T, tab *browsertest.Tab, text string) {
	t.Helper()
	if _, err := browsertest.Eval[bool](tab, `(() => {
		const e = document.querySelector("#topics-search");
		e.value = `+jsQuote(text)+`;
		e.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`); err != nil {
		t.Fatal(err)
	}
}
