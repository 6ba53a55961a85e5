package fleet

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestScenariosDocExample keeps the example of SCENARIOS.md true: it
// loads, and device 2 connects and publishes as the text says.
func TestScenariosDocExample(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("SCENARIOS.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	src, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no yaml block in SCENARIOS.md")
	}
	f := load(t, src).Fleets[0]
	d := NewDevice(f, 1)
	w := d.Will()
	if d.ClientID() != "hq-thermostat-002" || w.Topic != "hq/south/thermostat/2/status" || string(w.Payload) != "offline" {
		t.Errorf("client id %q, will %s %s", d.ClientID(), w.Topic, w.Payload)
	}
	d.Start(t0)
	es := drive(t, d, t0.Add(time.Minute), 100)
	if len(es) < 2 || es[1].topic != "hq/south/thermostat/2/telemetry" || !strings.HasPrefix(es[1].payload, `{"temperature_c":`) {
		t.Errorf("first events %v", es)
	}
}
