package app

import (
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// renderTable draws the packets, newest first, one row each: time, client,
// direction, type, summary and size. It is made of divs with the ARIA
// roles of a table rather than of table elements: every element type of
// go-app the app uses adds ~25 KB to the WebAssembly every visitor
// downloads, and these would serve this table alone.
func (p *inspectorPage) renderTable(rows []store.Packet) goapp.UI {
	l := p.lang
	head := func(key, class string) goapp.UI {
		return textEl("div", class, l.T(key)).Attr("role", "columnheader")
	}
	return el("div", "packet-table-wrap").
		Body(
			el("div", "packet-table").
				Attr("role", "table").
				Aria("label", l.T("inspector.packets")).
				Aria("rowcount", len(rows)+1).
				Body(
					el("div", "packet-head").Attr("role", "row").Body(
						head("inspector.col.time", "time"),
						head("inspector.col.client", "client"),
						head("inspector.col.dir", "dir"),
						head("inspector.col.type", "type"),
						head("inspector.col.summary", "summary"),
						head("inspector.col.size", "num"),
					),
					goapp.Range(rows).Slice(func(i int) goapp.UI {
						return p.renderRow(&rows[i])
					}),
				),
		)
}

// renderRow draws one packet; clicking it, or Enter on it, selects it.
func (p *inspectorPage) renderRow(pk *store.Packet) goapp.UI {
	l := p.lang
	info := infoOf(pk)
	seq := pk.Seq
	dir := "in"
	if pk.Dir == client.Out {
		dir = "out"
	}
	cell := func(class, text string) goapp.UI {
		return textEl("div", class, text).Attr("role", "cell")
	}
	row := el("div", "packet-row").
		Attr("role", "row").
		DataSet("seq", seq).
		DataSet("client", pk.Client).
		DataSet("type", info.TypeName()).
		DataSet("dir", dir).
		TabIndex(0).
		Aria("current", strconv.FormatBool(seq == p.selected)).
		OnClick(func(ctx goapp.Context, e goapp.Event) { p.selectPacket(seq) }, seq).
		OnKeyDown(func(ctx goapp.Context, e goapp.Event) {
			if k := e.Get("key").String(); k == "Enter" || k == " " {
				e.PreventDefault()
				p.selectPacket(seq)
			}
		}, seq)
	if seq == p.selected {
		row = row.Class("selected")
	}
	if info.Err != nil {
		row = row.Class("error")
	}
	return row.Body(
		cell("time", pk.Time.Format("15:04:05.000")),
		cell("client", pk.Client),
		cell("dir", l.T("inspector.dir."+dir)),
		cell("type", info.TypeName()),
		cell("summary", info.Summary(l, 48)),
		cell("num", strconv.Itoa(len(pk.Raw))),
	)
}
