package app

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// hexMaxBytes bounds the bytes the hex dump draws: each byte is an element
// the page redraws when the pointer moves, and a large payload says no more
// after its first kilobyte. The field list still covers the whole packet.
const hexMaxBytes = 1024

// hexPerLine is the number of bytes on a line of the dump.
const hexPerLine = 16

// hexView shows one packet's bytes beside the fields they encode. Pointing
// at a field (hovering or focusing it) highlights its bytes and shows what
// it means and where the specification defines it; pointing at a byte
// highlights its field. A packet that does not decode shows the fields read
// before the error, the error with its rule, and the bytes it is about.
// Lessons embed it for any packet they have the bytes of.
type hexView struct {
	goapp.Compo

	Lang i18n.Lang
	// Raw is the packet's bytes, fixed header included.
	Raw []byte
	// Version is the connection's protocol version (a CONNECT carries its
	// own).
	Version protocol.Version
	// Dir says who sent the packet; zero when it is not known.
	Dir client.Direction

	model      *hexModel
	modelRaw   []byte
	modelVer   protocol.Version
	pointedRow int // row of the field list pointed at, -1 for none
}

// OnInit starts with nothing pointed at.
func (h *hexView) OnInit() { h.pointedRow = -1 }

// explained returns the model of the current bytes, explaining them again
// when the parent gave new ones.
func (h *hexView) explained() *hexModel {
	if h.model == nil || h.modelVer != h.Version || !bytes.Equal(h.modelRaw, h.Raw) {
		h.model = newHexModel(h.Raw, h.Version)
		h.modelRaw = bytes.Clone(h.Raw)
		h.modelVer = h.Version
		h.pointedRow = -1
	}
	return h.model
}

// point makes row r the pointed row; pointing again at the same row draws
// nothing new.
func (h *hexView) point(ctx goapp.Context, r int) {
	if r == h.pointedRow {
		ctx.PreventUpdate()
		return
	}
	h.pointedRow = r
}

// Render draws the dump, the field list and the pointed field's meaning.
func (h *hexView) Render() goapp.UI {
	m := h.explained()
	start, end := -1, -1
	if h.pointedRow >= 0 && h.pointedRow < len(m.Rows) {
		start, end = m.Rows[h.pointedRow].Start, m.Rows[h.pointedRow].End
	}
	var problem goapp.UI
	if m.Ex.Err != nil {
		problem = h.renderError(m)
	}
	return el("div", "hexview").
		Body(
			problem,
			el("div", "hexview-panes").
				Body(
					h.renderDump(m, start, end),
					h.renderFields(m),
				),
			h.renderDetail(m),
			textEl("p", "hexview-size", h.sizeLine()),
		)
}

// sizeLine gives the packet's size and, when known, who sent it.
func (h *hexView) sizeLine() string {
	l := h.Lang
	s := l.T("inspector.hex.size") + " " + strconv.Itoa(len(h.Raw)) + " " + l.T("inspector.bytes")
	switch h.Dir {
	case client.Out:
		s += " · " + l.T("inspector.dir.out")
	case client.In:
		s += " · " + l.T("inspector.dir.in")
	}
	return s
}

func (h *hexView) renderError(m *hexModel) goapp.UI {
	l := h.Lang
	err := m.Ex.Err
	rule := protocol.RuleOf(err)
	msg := err.Error()
	var perr *protocol.Error
	if errors.As(err, &perr) && error(perr) == err {
		msg = perr.Msg // the rule and the code are shown on their own
	}
	parts := []goapp.UI{
		msgEl(l, "span", "hexview-error-title", "inspector.hex.decode_error"),
		goapp.Text(" " + msg + " "),
		textEl("span", "hexview-at", l.T("inspector.hex.at_byte")+" "+strconv.Itoa(m.Ex.ErrOffset)),
	}
	if rule != "" {
		parts = append(parts, textEl("span", "hexview-rule", l.T("inspector.hex.rule")+" "+rule))
	}
	if perr != nil {
		parts = append(parts, textEl("span", "hexview-code", l.T("inspector.hex.reason")+" 0x"+hexOfByte(byte(perr.Code))+" "+perr.Code.String()))
	}
	return el("div", "hexview-error").Attr("role", "alert").Body(parts...)
}

// renderDump draws the bytes, 16 to a line, in hex and as characters. One
// handler on the dump finds the byte under the pointer from its data-i.
func (h *hexView) renderDump(m *hexModel, start, end int) goapp.UI {
	n := min(len(m.Raw), hexMaxBytes)
	lines := (n + hexPerLine - 1) / hexPerLine
	return el("div", "hex-dump").
		Aria("label", h.Lang.T("inspector.hex.dump")).
		OnMouseOver(func(ctx goapp.Context, e goapp.Event) {
			i := e.Get("target").Get("dataset").Get("i")
			if !i.Truthy() {
				ctx.PreventUpdate()
				return
			}
			b, err := strconv.Atoi(i.String())
			if err != nil {
				ctx.PreventUpdate()
				return
			}
			h.point(ctx, h.explained().RowAt(b))
		}).
		OnMouseLeave(func(ctx goapp.Context, e goapp.Event) { h.point(ctx, -1) }).
		Body(
			goapp.Range(make([]struct{}, lines)).Slice(func(line int) goapp.UI {
				from := line * hexPerLine
				to := min(from+hexPerLine, n)
				return el("div", "hex-line").Body(
					textEl("span", "hex-off", hexOffset(from)),
					el("span", "hex-bytes").Body(
						goapp.Range(make([]struct{}, to-from)).Slice(func(k int) goapp.UI {
							return h.renderByte(m, from+k, start, end, hexOfByte(m.Raw[from+k]))
						}),
					),
					el("span", "hex-ascii").Body(
						goapp.Range(make([]struct{}, to-from)).Slice(func(k int) goapp.UI {
							return h.renderByte(m, from+k, start, end, asciiOf(m.Raw[from+k]))
						}),
					),
				)
			}),
			goapp.If(len(m.Raw) > n, textEl("p", "hex-more", h.Lang.T("inspector.hex.more")+" "+strconv.Itoa(len(m.Raw)-n))),
		)
}

func (h *hexView) renderByte(m *hexModel, i, start, end int, text string) goapp.UI {
	s := textEl("span", "hex-byte", text).
		DataSet("i", i).
		DataSet("section", m.Section(i))
	if i >= start && i < end {
		s = s.Class("hl")
	}
	if i >= m.ErrStart && i < m.ErrEnd {
		s = s.Class("err")
	}
	return s
}

// renderFields draws the field list: groups as headings, fields with their
// values and byte ranges. Each row highlights its bytes when pointed at.
func (h *hexView) renderFields(m *hexModel) goapp.UI {
	l := h.Lang
	return el("ol", "explain-fields").
		Aria("label", l.T("inspector.hex.fields")).
		Body(
			goapp.Range(m.Rows).Slice(func(r int) goapp.UI {
				row := m.Rows[r]
				name := explainName(l, row.Path[len(row.Path)-1])
				li := el("li", "explain-row").
					DataSet("row", r).
					Style("--depth", strconv.Itoa(row.Depth)).
					TabIndex(0).
					OnMouseEnter(func(ctx goapp.Context, e goapp.Event) { h.point(ctx, r) }, r).
					OnFocus(func(ctx goapp.Context, e goapp.Event) { h.point(ctx, r) }, r).
					OnMouseLeave(func(ctx goapp.Context, e goapp.Event) { h.point(ctx, -1) }).
					OnBlur(func(ctx goapp.Context, e goapp.Event) { h.point(ctx, -1) })
				if r == h.pointedRow {
					li = li.Class("active")
				}
				if row.Field < 0 {
					return li.Class("explain-group").Body(
						textEl("span", "explain-name", name),
						textEl("span", "explain-bytes", byteSpan(row.Start, row.End)),
					)
				}
				f := m.Ex.Fields[row.Field]
				li = li.DataSet("key", f.Key)
				if m.Ex.Err != nil && f.Len > 0 && f.Offset == m.ErrStart {
					li = li.Class("err")
				}
				return li.Body(
					textEl("span", "explain-name", name),
					textEl("span", "explain-value", explainValue(l, f)),
					textEl("span", "explain-bytes", byteSpan(row.Start, row.End)),
				)
			}),
		)
}

// renderDetail says what the pointed row is: its name, value, meaning and
// the section of the specification that defines it.
func (h *hexView) renderDetail(m *hexModel) goapp.UI {
	l := h.Lang
	d := el("div", "explain-detail").Aria("live", "polite")
	if h.pointedRow < 0 || h.pointedRow >= len(m.Rows) {
		return d.Body(msgEl(l, "p", "explain-hint", "inspector.hex.hint"))
	}
	row := m.Rows[h.pointedRow]
	path := make([]string, len(row.Path))
	for i, p := range row.Path {
		path[i] = explainName(l, p)
	}
	if row.Field < 0 {
		return d.Body(
			textEl("h3", "explain-detail-name", strings.Join(path, " › ")),
			textEl("p", "explain-detail-bytes", l.T("inspector.hex.bytes")+" "+byteSpan(row.Start, row.End)),
		)
	}
	f := m.Ex.Fields[row.Field]
	return d.Body(
		textEl("h3", "explain-detail-name", strings.Join(path, " › ")),
		el("p", "explain-detail-value").Body(
			textEl("code", "", explainValue(l, f)),
		),
		textEl("p", "explain-detail-meaning", explainMeaning(l, f)),
		textEl("p", "explain-detail-bytes", l.T("inspector.hex.bytes")+" "+byteSpan(row.Start, row.End)),
		goapp.If(f.Spec != "", textEl("p", "explain-detail-spec", l.T("inspector.hex.spec")+" "+f.Spec)),
	)
}

// byteRange names the bytes [start, end) the way the dump numbers them.
func byteSpan(start, end int) string {
	switch {
	case end <= start:
		return "—"
	case end-start == 1:
		return strconv.Itoa(start)
	}
	return strconv.Itoa(start) + "–" + strconv.Itoa(end-1)
}

const hexDigitsUpper = "0123456789ABCDEF"

func hexOfByte(b byte) string { return string([]byte{hexDigitsUpper[b>>4], hexDigitsUpper[b&15]}) }

func hexOffset(n int) string { return hexOfByte(byte(n>>8)) + hexOfByte(byte(n)) }

// printable shows a byte as its ASCII character, or a dot.
func asciiOf(b byte) string {
	if b >= 0x20 && b < 0x7f {
		return string(rune(b))
	}
	return "·"
}
