package app

import (
	"bytes"
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/protocol"
)

func init() {
	registerLesson(lessonDef{Order: 2, Slug: "history", Key: "lesson.history", Paras: 4,
		Experiment: func() lessonExperiment { return &historyExperiment{} }})
}

// Lesson 2: where MQTT comes from, on a timeline, and the same CONNECT and
// PUBLISH encoded by our encoder in 3.1, 3.1.1 and 5.0, side by side.

// historyVersions are the versions compared, oldest first.
var historyVersions = []protocol.Version{protocol.V31, protocol.V311, protocol.V5}

// historyYears are the events of the timeline: lesson.history.y{year}.
var historyYears = []string{"1999", "2010", "2013", "2014", "2019"}

// The experiment's first topic and payload; the learner changes them.
const (
	historyTopic   = "pipeline/station-7/pressure"
	historyPayload = "41.7"
)

// historyNotes are the fields that differ between the versions, with the
// message saying why.
var historyNotes = map[string]string{
	"fixed.remaining_length":       "lesson.history.why.remaining_length",
	"connect.protocol_name.length": "lesson.history.why.name_length",
	"connect.protocol_name":        "lesson.history.why.name",
	"connect.protocol_level":       "lesson.history.why.level",
	"properties.length":            "lesson.history.why.properties",
}

// historyPacket is one packet encoded in every version.
type historyPacket struct {
	name string
	raw  [3][]byte
	ex   [3]protocol.Explanation
}

// historyExperiment is lesson 2's experiment.
type historyExperiment struct {
	goapp.Compo
	lessonRig

	topic, payload string
	packets        []historyPacket
	encodedOwn     bool // the learner encoded a topic or payload of their own
	picked         struct {
		v     int // index in historyVersions, -1 for none
		p, f  int // packet and field
		isDif bool
	}
}

// OnInit encodes the first packets, on the server too.
func (e *historyExperiment) OnInit() {
	e.topic, e.payload = historyTopic, historyPayload
	e.picked.v = -1
	e.encode()
}

// OnMount follows the language.
func (e *historyExperiment) OnMount(ctx goapp.Context) { e.watch(ctx, "l2-", nil) }

// encode encodes a CONNECT and a PUBLISH of the typed topic and payload in
// every version, and explains their bytes.
func (e *historyExperiment) encode() error {
	if err := protocol.ValidTopicName(e.topic); err != nil {
		return err
	}
	conn := historyPacket{name: "CONNECT"}
	pub := historyPacket{name: "PUBLISH"}
	for i, v := range historyVersions {
		var err error
		c := &protocol.Connect{Version: v, ClientID: "station-7", CleanStart: true, KeepAlive: 60}
		if conn.raw[i], err = c.AppendTo(nil); err != nil {
			return err
		}
		p := &protocol.Publish{Version: v, Topic: e.topic, Payload: []byte(e.payload)}
		if pub.raw[i], err = p.AppendTo(nil); err != nil {
			return err
		}
		conn.ex[i], pub.ex[i] = protocol.Explain(conn.raw[i], v), protocol.Explain(pub.raw[i], v)
	}
	e.packets = []historyPacket{conn, pub}
	e.picked.v = -1
	return nil
}

// fieldBytes returns the bytes of field f of explanation x of raw.
func fieldBytes(raw []byte, f protocol.Field) []byte { return raw[f.Offset : f.Offset+f.Len] }

// differs reports whether field f of version i of p has no twin (same
// field, same bytes) in some other version.
func (p *historyPacket) differs(i int, f protocol.Field) bool {
	mine := fieldBytes(p.raw[i], f)
	for j := range historyVersions {
		if j == i {
			continue
		}
		twin := false
		for _, g := range p.ex[j].Fields {
			if g.Key == f.Key && bytes.Equal(fieldBytes(p.raw[j], g), mine) {
				twin = true
				break
			}
		}
		if !twin {
			return true
		}
	}
	return false
}

// onEncode encodes what the learner typed.
func (e *historyExperiment) onEncode(ctx goapp.Context, _ goapp.Event) {
	e.err = e.encode()
	if e.err == nil && (e.topic != historyTopic || e.payload != historyPayload) {
		e.encodedOwn = true
		e.pass(ctx)
	}
}

// pick shows field f of packet p in version v.
func (e *historyExperiment) pick(v, p, f int, dif bool) goapp.EventHandler {
	return func(ctx goapp.Context, _ goapp.Event) {
		e.picked.v, e.picked.p, e.picked.f, e.picked.isDif = v, p, f, dif
		e.pass(ctx)
	}
}

// pass is lesson 2's self-check: the learner encoded packets of their own
// and looked at a field that differs between the versions.
func (e *historyExperiment) pass(ctx goapp.Context) {
	if e.encodedOwn && e.picked.v >= 0 && e.picked.isDif && !e.passed {
		e.passed = true
		e.done(ctx)
	}
}

// Render draws the timeline, the form and the packets side by side.
func (e *historyExperiment) Render() goapp.UI {
	l := e.lang
	years := make([]goapp.UI, len(historyYears))
	for i, y := range historyYears {
		years[i] = el("li", "history-event").Body(
			textEl("span", "history-year", y),
			textEl("p", "", l.T("lesson.history.y"+y)),
		)
	}
	return el("div", "lesson-lab").Body(
		el("ol", "history-timeline").ID("history-timeline").Aria("label", l.T("lesson.history.timeline")).Body(years...),
		lessonSteps(l, "lesson.history", 2),
		el("div", "lesson-buttons history-form").Body(
			textField(l, "history-topic", l.T("lesson.history.topic"), e.topic, nil, false, func(s string) { e.topic = s }),
			textField(l, "history-payload", l.T("lesson.history.payload"), e.payload, nil, false, func(s string) { e.payload = s }),
			button("history-encode", l.T("lesson.history.encode"), false, e.onEncode).Class("button-primary"),
		),
		e.renderError(),
		goapp.Range(e.packets).Slice(func(p int) goapp.UI { return e.renderPacket(l, p) }),
		e.renderPicked(l),
	)
}

// renderPacket draws packet p in every version, its fields as buttons.
func (e *historyExperiment) renderPacket(l i18n.Lang, p int) goapp.UI {
	pk := &e.packets[p]
	cols := make([]goapp.UI, len(historyVersions))
	for i, v := range historyVersions {
		fields := make([]goapp.UI, len(pk.ex[i].Fields))
		for k, f := range pk.ex[i].Fields {
			dif := pk.differs(i, f)
			fields[k] = el("button", "history-field").Attr("type", "button").
				DataSet("version", v.String()).DataSet("key", f.Key).DataSet("diff", strconv.FormatBool(dif)).
				Aria("pressed", e.picked.v == i && e.picked.p == p && e.picked.f == k).
				OnClick(e.pick(i, p, k, dif)).
				Body(
					textEl("span", "history-field-name", historyFieldName(l, f)),
					textEl("code", "history-field-bytes", hexBytes(fieldBytes(pk.raw[i], f))),
				)
		}
		cols[i] = el("div", "history-col").DataSet("version", v.String()).Body(
			textEl("h3", "", "MQTT "+v.String()+" · "+pk.name+" · "+
				tf(l, "lesson.history.bytes", "n", strconv.Itoa(len(pk.raw[i])))),
			el("div", "history-fields").Body(fields...),
		)
	}
	return el("div", "history-versions").DataSet("packet", pk.name).Body(cols...)
}

// renderPicked explains the field the learner picked.
func (e *historyExperiment) renderPicked(l i18n.Lang) goapp.UI {
	if e.picked.v < 0 {
		return msgEl(l, "p", "caption", "lesson.history.pick").ID("history-picked")
	}
	pk := &e.packets[e.picked.p]
	f := pk.ex[e.picked.v].Fields[e.picked.f]
	note := l.T("lesson.history.same")
	if e.picked.isDif {
		note = l.T("lesson.history.differs")
		if k, ok := historyNotes[f.Key]; ok {
			note = l.T(k)
		}
	}
	return el("div", "history-picked").ID("history-picked").DataSet("diff", strconv.FormatBool(e.picked.isDif)).Body(
		textEl("h3", "", historyFieldName(l, f)+" · MQTT "+historyVersions[e.picked.v].String()+" "+pk.name),
		el("p", "").Body(textEl("code", "", hexBytes(fieldBytes(pk.raw[e.picked.v], f))), goapp.Text(" = "+explainValue(l, f))),
		textEl("p", "history-note", note),
		textEl("p", "caption", explainMeaning(l, f)+" ("+f.Spec+")"),
	)
}

// historyFieldName names a field in l.
func historyFieldName(l i18n.Lang, f protocol.Field) string { return explainName(l, f.Name()) }

// hexBytes writes b in hex, cut after 24 bytes.
func hexBytes(b []byte) string {
	if len(b) > 24 {
		return hexDump(b[:24]) + " …"
	}
	return hexDump(b)
}
