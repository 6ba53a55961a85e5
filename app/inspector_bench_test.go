package app

import (
	"strconv"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// BenchmarkInspectorRedraw measures what the inspector does at each
// redraw under load, with a full log of a busy client: the snapshot of the
// log, and the page's element tree (go-app then diffs it with the DOM,
// which this does not measure).
func BenchmarkInspectorRedraw(b *testing.B) {
	v := protocol.V5
	for i := range 5000 {
		p := &protocol.Publish{Version: v, Topic: "load/sensor/" + strconv.Itoa(i%10), Payload: []byte(`{"seq":1,"t":21.5}`)}
		raw, err := p.AppendTo(nil)
		if err != nil {
			b.Fatal(err)
		}
		store.Log.Add("L", client.TapEvent{Time: time.Now(), Dir: client.In, Version: v, Raw: raw, Packet: p})
	}
	b.Cleanup(store.Log.Clear)
	page := &inspectorPage{lang: i18n.En}
	b.Run("snapshot", func(b *testing.B) {
		for b.Loop() {
			page.refresh()
		}
	})
	b.Run("table", func(b *testing.B) {
		rows, _ := page.rows()
		for b.Loop() {
			_ = page.renderTable(rows)
		}
	})
	b.Run("diagram", func(b *testing.B) {
		d := &sequenceDiagram{Lang: i18n.En, Client: "L", Packets: page.packetsOf("L")}
		for b.Loop() {
			_ = d.Render()
		}
	})
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			_ = page.Render()
		}
	})
}
