//go:build !js

package main

import (
	"testing"

	"github.com/mqttlab/mqttlab/internal/browsertest"
)

// TestInspectorEmptyInBrowser opens the inspector before any client of the
// page has sent a packet: it says so, in both languages, and points to the
// lab.
func TestInspectorEmptyInBrowser(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t)
	lab := startPages(t)
	tab.Navigate(lab.URL + "/inspector")
	tab.WaitApp(appReady)
	tab.WaitText("main h1", "Packet inspector")
	tab.WaitText(".inspector-empty", "No packets yet")
	tab.WaitVisible(`.inspector-empty a[href="/lab"]`)

	tab.Click("#lang-zh")
	tab.WaitText("main h1", "报文检查器")
	tab.WaitText(".inspector-empty", "还没有报文")

	if errs := tab.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
	if esc := browsertest.Escaped(); len(esc) > 0 {
		t.Errorf("requests left the machine: %v", esc)
	}
}
