//go:build !js

package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/internal/browsertest"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// deviceCell is the selector of a cell of a device's row on /fleet.
func deviceCell(id, class string) string {
	return fmt.Sprintf(`tr[data-device=%q] .%s`, id, class)
}

// TestFleetPageInBrowser runs the lab with its demo fleet and opens /fleet
// in Chromium: the demo's devices are listed with values that change,
// charts are drawn from the page's own MQTT subscription, a device whose
// power is cut shows its will (offline, on its status topic), a command
// gets the device's reply, and a scenario edit with a mistake shows the
// problem at its line while the fleet goes on.
func TestFleetPageInBrowser(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t)
	lab := startPages(t)
	tab.Navigate(lab.URL + "/fleet")
	tab.WaitApp(appReady)

	// The demo's devices, online, with values that change.
	tab.WaitText(deviceCell("thermostat-001", "device-state"), "online")
	tab.WaitText("#fleet-scenario", "demo")
	tab.WaitText("#fleet-status", "running")
	tab.WaitFunc(`document.querySelector('tr[data-device="power-001"] .device-value').textContent.includes("power_w=")`)
	first := tab.Text(deviceCell("power-001", "device-value"))
	tab.WaitFunc(fmt.Sprintf(`document.querySelector('tr[data-device="power-001"] .device-value').textContent !== %q`, first))

	// Live charts from the page's MQTT subscription, and the retained
	// births on the status topics.
	tab.WaitVisible(`[data-chart="thermostat/temperature_c"] svg polyline`)
	tab.WaitText(deviceCell("climate-001", "device-status"), "online")

	// Cut the power of a device: the broker publishes its will, which the
	// page hears on the device's status topic.
	tab.Click(`tr[data-device="climate-001"] button[data-action="offline-abrupt"]`)
	tab.WaitText(deviceCell("climate-001", "device-state"), "offline")
	tab.WaitText(deviceCell("climate-001", "device-status"), "offline")
	if st := lab.Fleet.Stats(); st.Total.Failed != 0 {
		t.Errorf("cutting a device's power counted as a failure: %+v", st.Total)
	}

	// A command over MQTT 5.0 request/response, and the device's reply.
	tab.Click(`tr[data-device="thermostat-002"] button[data-action="command"]`)
	tab.WaitVisible("#command-text")
	tab.Click("#command-send") // the default: {"cmd":"status"}
	reply := tab.WaitText("#command-reply", `"device":"thermostat-002"`)
	if !strings.Contains(reply, `"ok":true`) || !strings.Contains(reply, `"state":"online"`) {
		t.Errorf("reply %q", reply)
	}

	// A scenario with a mistake is refused: the problem shows at its line
	// and the demo goes on.
	src, err := scenario.BuiltinSource("demo")
	if err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(string(src[:strings.Index(string(src), "interval: 5s")]), "\n")
	ok, err := browsertest.Eval[bool](tab, `(() => {
		const t = document.querySelector("#scenario-source");
		t.value = t.value.replace("interval: 5s", "intervall: 5s");
		t.dispatchEvent(new Event("input", {bubbles: true}));
		return t.value.includes("intervall");
	})()`)
	if err != nil || !ok {
		t.Fatalf("editing the scenario: %v", err)
	}
	tab.Click("#scenario-apply")
	problem := tab.WaitText(fmt.Sprintf(`.scenario-problem[data-line="%d"]`, line), "intervall")
	if !strings.Contains(problem, "intervall: 5s") || !strings.Contains(problem, fmt.Sprintf("Line %d:", line)) {
		t.Errorf("the problem does not show its line: %q", problem)
	}
	before := lab.Fleet.Stats().Total.Published
	deadline := time.Now().Add(30 * time.Second)
	for st := lab.Fleet.Stats(); st.Scenario != "demo" || !st.Running || st.Total.Published <= before; st = lab.Fleet.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("the demo did not go on after a refused edit: %+v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	tab.WaitText("#fleet-status", "running")

	for _, e := range tab.ConsoleErrors() {
		// The refused scenario's 400 is the answer the page expects; the
		// browser logs every 400 it fetches.
		if !strings.Contains(e, "status of 400") || !strings.Contains(e, "/api/fleet/scenario") {
			t.Errorf("console error: %q", e)
		}
	}
	if esc := browsertest.Escaped(); len(esc) > 0 {
		t.Errorf("requests left the machine: %v", esc)
	}
}

// rowsScenario is two small fleets for the tests of the fleet page's
// lists, b long enough for a second page of devices.
const rowsScenario = `name: rows
fleets:
  - name: a
    count: 2
    topic: rows/a/{index}
    interval: 1m
    fields: {n: {model: counter}}
  - name: b
    count: 30
    topic: rows/b/{index}
    interval: 1m
    fields: {n: {model: counter}}
`

// TestFleetListsAfterChange acts on the rows of /fleet after they changed
// under the buttons: a device's buttons act on the device the row shows
// once the filter changed the rows, the pager goes on from the page shown,
// and a fleet's scale control scales the fleet its row shows once another
// scenario took the rows.
func TestFleetListsAfterChange(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", writeFile(t, t.TempDir(), "rows.yaml", rowsScenario))
	lt := &labTab{Tab: browsertest.NewTab(t), t: t}
	t.Cleanup(lt.checkConsole)
	lt.Navigate(lab.URL + "/fleet")
	lt.WaitApp(appReady)
	lt.WaitText(deviceCell("a-001", "device-state"), "online")

	// The filter puts b's devices where a's were.
	lt.set("#fleet-filter", "b")
	lt.WaitFunc(`document.querySelector("#fleet-devices tbody tr").dataset.device === "b-001"`)
	lt.WaitText(deviceCell("b-001", "device-state"), "online")
	lt.click(`tr[data-device="b-001"] button[data-action="offline-clean"]`)
	var offline []string
	waitUntil(t, "a device offline", func() bool {
		page, err := lab.Fleet.Devices("", 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		offline = offline[:0]
		for _, d := range page.Devices {
			if d.State == "offline" {
				offline = append(offline, d.ID)
			}
		}
		return len(offline) > 0
	})
	if !slices.Equal(offline, []string{"b-001"}) {
		t.Errorf("taking b-001 offline took %v offline", offline)
	}
	lt.WaitText(deviceCell("b-001", "device-state"), "offline")

	// The pager turns the filtered list's pages. The range shows the new
	// page's place at once and its devices once polled: the first row says
	// when the page came.
	first := `document.querySelector("#fleet-devices tbody tr").dataset.device`
	for _, step := range []struct{ button, from, to, pager string }{
		{"#devices-next", "b-001", "b-026", "26–30 of 30"},
		{"#devices-prev", "b-026", "b-001", "1–25 of 30"},
	} {
		lt.click(step.button)
		lt.WaitFunc(first + ` !== ` + jsQuote(step.from))
		got, err := browsertest.Eval[string](lt.Tab, first)
		if err != nil {
			t.Fatal(err)
		}
		if pager := lt.Text(".pager span"); got != step.to || pager != step.pager {
			t.Errorf("after %s, the list starts at %s and the pager reads %q; want %s, %q", step.button, got, pager, step.to, step.pager)
		}
	}

	// Another scenario puts fleet c where a was.
	edit := func(src string) {
		t.Helper()
		ok, err := browsertest.Eval[bool](lt.Tab, `((src) => {
			const t = document.querySelector("#scenario-source");
			t.value = src;
			t.dispatchEvent(new Event("input", {bubbles: true}));
			return t.value === src;
		})(`+jsQuote(src)+`)`)
		if err != nil || !ok {
			t.Fatalf("editing the scenario: %v", err)
		}
	}
	next := strings.ReplaceAll(strings.ReplaceAll(rowsScenario, "name: a", "name: c"), "name: b", "name: d")
	edit(next)
	lt.click("#scenario-apply")
	lt.WaitFunc(`document.querySelector("#fleet-fleets tbody tr").dataset.fleet === "c"`)
	devices := `document.querySelector('tr[data-fleet="c"] td:nth-child(2)').textContent`
	lt.set(`tr[data-fleet="c"] .count-input`, "3")
	lt.click(`tr[data-fleet="c"] button[type="submit"]`)
	lt.WaitFunc(`document.querySelector("#fleet-error") || ` + devices + ` === "3"`)
	if msg, _ := browsertest.Eval[string](lt.Tab, `document.querySelector("#fleet-error")?.textContent ?? ""`); msg != "" {
		t.Errorf("scaling fleet c to 3 devices: %s", msg)
	}

	// A count the fleet refuses: the error stays (the poll after the
	// action does not take it away), above the sections, and the editor
	// keeps what the user typed.
	draft := next + "# draft\n"
	edit(draft)
	lt.expected = append(lt.expected, "status of 400") // the refused count's answer
	lt.set(`tr[data-fleet="c"] .count-input`, "2000000")
	lt.click(`tr[data-fleet="c"] button[type="submit"]`)
	lt.WaitText("#fleet-error", "out of range")
	if got, _ := browsertest.Eval[string](lt.Tab, `document.querySelector("#scenario-source").value`); got != draft {
		t.Errorf("with an error shown the editor holds %q, want the draft %q", got, draft)
	}
}
