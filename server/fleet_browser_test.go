//go:build !js

package main

import (
	"fmt"
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
