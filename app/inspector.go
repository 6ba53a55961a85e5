package app

import (
	"slices"
	"strconv"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// inspectorRefresh is how often at most the page looks for new packets.
// It redraws only when the log changed, and a redraw that takes long on
// this machine spaces the next ones further (see watch).
const inspectorRefresh = 200 * time.Millisecond

// inspectorMaxRows bounds the table to the newest packets that pass the
// filters: the rows are most of a redraw's work. Older packets stay in the
// log; the filters and Pause bring them back into view.
const inspectorMaxRows = 100

// inspectorPage is /inspector: every packet of every client in the page,
// newest first, filterable by client and type; the selected packet's bytes
// beside its fields; and a sequence diagram of each client's exchange with
// the broker.
type inspectorPage struct {
	goapp.Compo

	lang i18n.Lang

	seen     uint64         // store.Log.Version() of the snapshot
	all      []store.Packet // the snapshot, newest first
	clients  []string       // the clients in the snapshot, by first packet
	client   string         // filter: only this client's packets; "" for all
	ptype    protocol.Type  // filter: only packets of this type; 0 for all
	selected uint64         // Seq of the selected packet, 0 for none
	// chosen is the selected packet, kept after the log drops it: a busy
	// client pushes a packet out of the log in seconds.
	chosen store.Packet
	// paused stops the snapshot, so that the rows and arrows stay still
	// while the user reads them.
	paused bool
}

// OnMount follows the language and starts watching the packet log.
func (p *inspectorPage) OnMount(ctx goapp.Context) {
	observeLang(ctx, &p.lang)
	p.refresh()
	if goapp.IsClient {
		seen := p.seen
		ctx.Async(func() { p.watch(ctx, seen) })
	}
}

// watch redraws the page when the log has changed, until the page is
// left: at most every inspectorRefresh, and never more than a quarter of
// the time, however long a redraw takes on this machine. It reads only
// the log: the page's state belongs to the UI goroutine.
func (p *inspectorPage) watch(ctx goapp.Context, seen uint64) {
	wait := time.NewTimer(inspectorRefresh)
	defer wait.Stop()
	cost := make(chan time.Duration, 1)
	for {
		select {
		case <-ctx.Done():
			return
		case <-wait.C:
		}
		next := inspectorRefresh
		if v := store.Log.Version(); v != seen {
			seen = v
			ctx.Dispatch(func(ctx goapp.Context) {
				start := time.Now()
				if !p.paused {
					p.refresh()
				}
				// Deferred functions run once the page has redrawn.
				ctx.Defer(func(goapp.Context) { cost <- time.Since(start) })
			})
			select {
			case <-ctx.Done():
				return
			case d := <-cost:
				next = max(next, 3*d)
			}
		}
		wait.Reset(next)
	}
}

// refresh takes a new snapshot of the log.
func (p *inspectorPage) refresh() {
	p.seen = store.Log.Version()
	// Copy into the snapshot's own array, kept from one redraw to the
	// next: a busy log holds thousands of packets, and a new array at
	// every redraw is garbage the browser's single thread collects.
	p.all = p.all[:0]
	store.Log.Newest(0, func(pk *store.Packet) bool {
		p.all = append(p.all, *pk)
		return false
	})
	p.clients = nil
	known := map[string]bool{}
	for i := len(p.all) - 1; i >= 0; i-- {
		if name := p.all[i].Client; !known[name] {
			known[name] = true
			p.clients = append(p.clients, name)
		}
	}
}

// rows returns the newest packets that pass the filters, and how many pass.
func (p *inspectorPage) rows() ([]store.Packet, int) {
	var out []store.Packet
	n := 0
	for i := range p.all {
		pk := &p.all[i]
		if p.client != "" && pk.Client != p.client {
			continue
		}
		if p.ptype != 0 && (len(pk.Raw) == 0 || protocol.Type(pk.Raw[0]>>4) != p.ptype) {
			continue
		}
		n++
		if len(out) < inspectorMaxRows {
			out = append(out, *pk)
		}
	}
	return out, n
}

// packetsOf returns the newest packets of one client, for its diagram.
func (p *inspectorPage) packetsOf(name string) []store.Packet {
	var out []store.Packet
	for i := 0; i < len(p.all) && len(out) < seqMaxPackets; i++ {
		if p.all[i].Client == name {
			out = append(out, p.all[i])
		}
	}
	return out
}

// selectPacket selects the packet numbered seq of the snapshot.
func (p *inspectorPage) selectPacket(seq uint64) {
	for _, pk := range p.all {
		if pk.Seq == seq {
			p.selected, p.chosen = seq, pk
			return
		}
	}
}

// Render draws the page inside the shell.
func (p *inspectorPage) Render() goapp.UI {
	l := p.lang
	title := l.T("inspector.title")
	var body goapp.UI
	if len(p.all) == 0 {
		body = p.renderEmpty()
	} else {
		body = p.renderLog()
	}
	return &shell{
		Lang:   l,
		Active: "/inspector",
		Title:  title,
		Content: []goapp.UI{
			el("section", "page-intro").
				Body(
					textEl("h1", "", title),
					msgEl(l, "p", "lead", "inspector.summary"),
				),
			body,
		},
	}
}

func (p *inspectorPage) renderEmpty() goapp.UI {
	l := p.lang
	return el("div", "inspector-empty").
		Body(
			msgEl(l, "p", "", "inspector.empty"),
			msgEl(l, "a", "button button-primary", "inspector.empty_action").Attr("href", "/lab"),
		)
}

func (p *inspectorPage) renderLog() goapp.UI {
	l := p.lang
	rows, matching := p.rows()
	diagrams := p.clients
	if p.client != "" {
		diagrams = []string{p.client}
	}
	var packets, detail goapp.UI
	if len(rows) == 0 {
		packets = msgEl(l, "p", "inspector-none", "inspector.no_match")
	} else {
		packets = p.renderTable(rows)
	}
	if p.selected != 0 {
		detail = p.renderSelected(p.chosen)
	} else {
		detail = msgEl(l, "p", "inspector-none", "inspector.select_hint")
	}
	return el("div", "inspector").
		Body(
			p.renderFilters(len(rows), matching),
			el("div", "inspector-grid").
				Body(
					el("section", "inspector-packets").
						Aria("label", l.T("inspector.packets")).
						Body(
							packets,
						),
					el("section", "inspector-sequences").
						Aria("labelledby", "inspector-seq-heading").
						Body(
							msgEl(l, "h2", "", "inspector.seq.title").ID("inspector-seq-heading"),
							goapp.Range(diagrams).Slice(func(i int) goapp.UI {
								name := diagrams[i]
								return el("div", "sequence").
									DataSet("client", name).
									Body(
										textEl("h3", "", name),
										&sequenceDiagram{
											Lang:     l,
											Client:   name,
											Packets:  p.packetsOf(name),
											Selected: p.selected,
											OnSelect: p.selectPacket,
										},
									)
							}),
						),
				),
			el("section", "inspector-detail").
				Aria("labelledby", "inspector-detail-heading").
				Body(
					msgEl(l, "h2", "", "inspector.detail").ID("inspector-detail-heading"),
					detail,
				),
		)
}

func (p *inspectorPage) renderFilters(shown, matching int) goapp.UI {
	l := p.lang
	types := make([]protocol.Type, 0, 15)
	for t := protocol.CONNECT; t <= protocol.AUTH; t++ {
		types = append(types, t)
	}
	clients := p.clients
	if p.client != "" && !slices.Contains(clients, p.client) {
		clients = append(slices.Clone(clients), p.client) // chosen, and gone from the log since
	}
	return el("div", "inspector-filters").
		Body(
			msgEl(l, "label", "", "inspector.filter.client").Attr("for", "inspector-client"),
			el("select", "").
				ID("inspector-client").
				OnChange(func(ctx goapp.Context, e goapp.Event) {
					p.client = ctx.JSSrc().Get("value").String()
				}).
				Body(
					msgEl(l, "option", "", "inspector.filter.all_clients").Attr("value", "").Attr("selected", p.client == ""),
					goapp.Range(clients).Slice(func(i int) goapp.UI {
						name := clients[i]
						return textEl("option", "", name).Attr("value", name).Attr("selected", name == p.client)
					}),
				),
			msgEl(l, "label", "", "inspector.filter.type").Attr("for", "inspector-type"),
			el("select", "").
				ID("inspector-type").
				OnChange(func(ctx goapp.Context, e goapp.Event) {
					n, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
					if err != nil || n < 0 || n > int(protocol.AUTH) {
						n = 0
					}
					p.ptype = protocol.Type(n)
				}).
				Body(
					msgEl(l, "option", "", "inspector.filter.all_types").Attr("value", "0").Attr("selected", p.ptype == 0),
					goapp.Range(types).Slice(func(i int) goapp.UI {
						t := types[i]
						return textEl("option", "", t.String()).Attr("value", strconv.Itoa(int(t))).Attr("selected", t == p.ptype)
					}),
				),
			textEl("span", "inspector-count", l.T("inspector.count")+" "+strconv.Itoa(shown)+" / "+strconv.Itoa(matching)),
			p.renderPause(),
			msgEl(l, "button", "button", "inspector.clear").
				ID("inspector-clear").
				Attr("type", "button").
				OnClick(func(ctx goapp.Context, e goapp.Event) {
					store.Log.Clear()
					p.selected, p.chosen = 0, store.Packet{}
					p.refresh()
				}),
		)
}

// renderPause draws the button that stops and restarts the snapshot, and
// while stopped, how many packets arrived since.
func (p *inspectorPage) renderPause() goapp.UI {
	l := p.lang
	key := "inspector.pause"
	if p.paused {
		key = "inspector.resume"
	}
	var waiting goapp.UI
	if p.paused {
		// The version counts packets (and clearings) since the snapshot.
		waiting = textEl("span", "inspector-waiting", l.T("inspector.waiting")+" "+strconv.FormatUint(store.Log.Version()-p.seen, 10)).
			ID("inspector-waiting")
	}
	return el("span", "inspector-pause").Body(
		waiting,
		textEl("button", "button", l.T(key)).
			ID("inspector-pause").
			Attr("type", "button").
			Aria("pressed", strconv.FormatBool(p.paused)).
			OnClick(func(ctx goapp.Context, e goapp.Event) {
				p.paused = !p.paused
				if !p.paused {
					p.refresh()
				}
			}),
	)
}

func (p *inspectorPage) renderSelected(pk store.Packet) goapp.UI {
	l := p.lang
	info := infoOf(&pk)
	dir := "in"
	if pk.Dir == client.Out {
		dir = "out"
	}
	return el("div", "inspector-selected").
		DataSet("seq", pk.Seq).
		Body(
			el("p", "inspector-selected-meta").
				Body(
					textEl("span", "inspector-selected-type", info.TypeName()),
					goapp.Text(" · "+pk.Client+" "+l.T("inspector.dir."+dir)+" · "+pk.Time.Format("15:04:05.000")+" · MQTT "+pk.Version.String()),
				),
			&hexView{Lang: l, Raw: pk.Raw, Version: pk.Version, Dir: pk.Dir},
		)
}
