package app

import (
	"strconv"
	"strings"
	"unicode/utf8"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
)

// renderPlayground draws the filter playground: the input, what it
// matches or why it is not a filter, and the rules of wildcards.
func (p *topicsPage) renderPlayground() goapp.UI {
	l := p.lang
	var result goapp.UI
	switch {
	case p.filter == "":
		result = msgEl(l, "p", "filter-result hint", "topics.filter.hint").ID("filter-result")
	case p.view.FilterErr != nil:
		rule := protocol.RuleOf(p.view.FilterErr)
		var ruleUI goapp.UI
		if rule != "" {
			ruleUI = textEl("span", "rule", "["+rule+"]")
		}
		result = el("p", "filter-result error").ID("filter-error").Attr("role", "alert").Body(
			textEl("span", "error-title", l.T("topics.filter.invalid")+" "),
			goapp.Text(filterProblem(l, p.filter)+" "),
			ruleUI,
		)
	default:
		result = el("p", "filter-result ok").ID("filter-result").Body(
			textEl("code", "", p.filter),
			goapp.Text(" "),
			textEl("span", "", matchesText(l, p.view.Matches)).ID("filter-matches"),
		)
	}
	return el("section", "observer-section").ID("filter-playground").Aria("labelledby", "filter-playground-h").Body(
		msgEl(l, "h2", "", "topics.filter").ID("filter-playground-h"),
		msgEl(l, "label", "field-label", "topics.filter.label").Attr("for", "topic-filter"),
		goapp.ElemSelfClosing("input").
			ID("topic-filter").
			Class("filter-input").
			Attr("type", "text").
			Attr("value", p.filter).
			Attr("placeholder", "home/+/temp").
			Attr("autocomplete", "off").
			Spellcheck(false).
			Aria("describedby", "filter-rules").
			OnInput(p.onFilter),
		result,
		el("ul", "rules").ID("filter-rules").Body(
			el("li", "").Body(textEl("code", "", "+"), goapp.Text(" "+l.T("topics.rule.plus"))),
			el("li", "").Body(textEl("code", "", "#"), goapp.Text(" "+l.T("topics.rule.hash"))),
			el("li", "").Body(textEl("code", "", "$"), goapp.Text(" "+l.T("topics.rule.dollar"))),
			el("li", "").Body(textEl("code", "", "$share/{group}/{filter}"), goapp.Text(" "+l.T("topics.rule.share"))),
		),
	)
}

func matchesText(l i18n.Lang, n int) string {
	if n == 1 {
		return l.T("topics.filter.matches_one")
	}
	return obsFill(l.T("topics.filter.matches"), uint64(n))
}

// filterProblem says in l what is wrong with a filter ValidFilter refused.
func filterProblem(l i18n.Lang, filter string) string {
	levels := strings.Split(filter, "/")
	for i, level := range levels {
		if strings.Contains(level, "#") && (level != "#" || i != len(levels)-1) {
			return l.T("topics.problem.hash")
		}
		if strings.Contains(level, "+") && level != "+" {
			return l.T("topics.problem.plus")
		}
	}
	switch {
	case filter == "":
		return l.T("topics.problem.empty")
	case strings.HasPrefix(filter, protocol.SharePrefix):
		return l.T("topics.problem.share")
	case !utf8.ValidString(filter) || strings.ContainsRune(filter, 0):
		return l.T("topics.problem.chars")
	}
	return l.T("topics.problem.other")
}

// renderTree draws the $SYS switch, the figures of the tree and the tree.
func (p *topicsPage) renderTree() goapp.UI {
	l := p.lang
	v := &p.view
	var capped, hidden, dropped, sysErr, body goapp.UI
	if v.Capped > 0 {
		capped = textEl("p", "notice", strings.ReplaceAll(obsFill(l.T("topics.capped"), v.Capped), "{max}", strconv.Itoa(v.MaxNodes))).ID("topics-capped")
	}
	if p.dropped > 0 {
		dropped = textEl("p", "notice", obsFill(l.T("topics.dropped"), p.dropped)).ID("topics-dropped")
	}
	if v.Hidden > 0 {
		hidden = textEl("p", "notice", obsFill(l.T("topics.hidden"), uint64(v.Hidden))).ID("topics-hidden")
	}
	if p.sysErr != nil {
		sysErr = textEl("p", "notice notice-error", p.sysErr.Error()).Attr("role", "alert")
	}
	var bar goapp.UI
	for _, r := range v.Rows {
		if r.Path == p.selected {
			bar = &topicLabBar{Lang: l, Row: r}
			break
		}
	}
	switch {
	case len(v.Rows) > 0:
		body = &topicTreeTable{Lang: l, Rows: v.Rows, Selected: p.selected}
	case p.search != "" && v.Topics > 0:
		body = textEl("p", "empty", tf(l, "topics.search.none", "text", p.search))
	default:
		body = msgEl(l, "p", "empty", "topics.none")
	}
	return el("section", "observer-section").ID("topics-tree").Aria("labelledby", "topics-tree-h").Body(
		msgEl(l, "h2", "", "topics.tree").ID("topics-tree-h"),
		msgEl(l, "p", "caption", "topics.tree.caption"),
		el("label", "check").Body(
			goapp.ElemSelfClosing("input").ID("topics-sys").Attr("type", "checkbox").Attr("checked", p.showSys).Attr("disabled", p.obs == nil).OnChange(p.onSys),
			goapp.Text(" "),
			msgEl(l, "span", "", "topics.sys.label"),
		),
		msgEl(l, "p", "caption", "topics.sys.caption").ID("sys-caption"),
		sysErr,
		textEl("p", "summary", strings.ReplaceAll(obsFill(l.T("topics.summary_line"), v.Messages), "{levels}", obsCount(uint64(v.Nodes)))).ID("topics-summary"),
		p.renderSearch(),
		capped,
		dropped,
		body,
		hidden,
		bar,
	)
}

// renderSearch draws the search box and how many topics it found.
func (p *topicsPage) renderSearch() goapp.UI {
	l := p.lang
	var count goapp.UI
	if p.search != "" {
		count = textEl("span", "", tf(l, "topics.search.count",
			"n", obsCount(uint64(p.view.Found)), "total", obsCount(uint64(p.view.Topics)), "text", p.search)).
			ID("topics-search-count").Attr("role", "status")
	}
	return el("div", "topics-search").Body(
		msgEl(l, "label", "field-label", "topics.search.label").Attr("for", "topics-search"),
		goapp.ElemSelfClosing("input").ID("topics-search").Class("filter-input").Attr("type", "search").
			Attr("value", p.search).Attr("placeholder", l.T("topics.search.placeholder")).OnInput(p.onSearch),
		count,
	)
}

// The actions a row sends: topicToggle when its branch is collapsed or
// expanded, topicSelect when it is selected, both with the row's path;
// topicField with a topicFieldChoice.
const (
	topicToggle = "topics.toggle"
	topicSelect = "topics.select"
	topicField  = "topics.field"
)

// topicTreeTable is the tree as a table. It and each of its rows are
// components of their own: go-app redraws one only when its data changed,
// so a busy topic redraws its row, not the whole tree.
type topicTreeTable struct {
	goapp.Compo

	Lang     i18n.Lang
	Rows     []store.TopicRow
	Selected string
}

// Render draws the table.
func (t *topicTreeTable) Render() goapp.UI {
	l := t.Lang
	return el("div", "table-scroll").Body(
		el("table", "data-table topic-tree").ID("topic-tree").Body(
			tableHead(l, true, topicCols),
			el("tbody", "").Body(
				goapp.Range(t.Rows).Slice(func(i int) goapp.UI {
					return &topicTreeRow{Lang: l, Row: t.Rows[i], Selected: t.Rows[i].Path == t.Selected}
				}),
			),
		),
	)
}

// topicTreeRow is one level of the tree. Its name selects it; a selected
// row offers to go to the lab with it and to choose the numeric field of
// its sparkline.
type topicTreeRow struct {
	goapp.Compo

	Lang     i18n.Lang
	Row      store.TopicRow
	Selected bool
}

// Render draws the row.
func (t *topicTreeRow) Render() goapp.UI {
	l, r := t.Lang, t.Row
	var classes []string
	if r.Match {
		classes = append(classes, "match")
	}
	if r.Inside && r.Collapsed {
		classes = append(classes, "match-inside")
	}
	if !r.Topic {
		classes = append(classes, "level-only")
	}
	if r.Dollar {
		classes = append(classes, "dollar")
	}
	if t.Selected {
		classes = append(classes, "selected")
	}
	var toggle, dollar, below, retained goapp.UI
	if r.Children > 0 {
		label := l.T("topics.collapse")
		if r.Collapsed {
			label = l.T("topics.expand")
		}
		toggle = textEl("button", "tree-toggle", map[bool]string{true: "▸", false: "▾"}[r.Collapsed]).Attr("type", "button").
			Aria("expanded", !r.Collapsed).Aria("label", label+" "+r.Path).Title(label).
			OnClick(t.onToggle)
	} else {
		toggle = el("span", "tree-leaf").Aria("hidden", true)
	}
	if r.Dollar {
		dollar = msgEl(l, "span", "badge badge-dollar", "topics.dollar").Title(l.T("topics.dollar.title"))
	}
	var count goapp.UI
	if r.Topic {
		count = textEl("span", "count", obsCount(r.Count))
	}
	if r.Children > 0 {
		below = textEl("span", "total", "Σ "+obsCount(r.Total)).Title(l.T("topics.total.title"))
	}
	if r.Retained {
		retained = msgEl(l, "span", "badge badge-retained", "topics.retained")
	}
	name := r.Name
	if name == "" {
		name = l.T("topics.empty_level")
	}
	var payload goapp.UI
	if r.Topic && r.Count > 0 {
		payload = payloadPreview(l, r.Preview, r.Binary, r.Cut)
	}
	pick := el("button", "topic-name").Attr("type", "button").Aria("expanded", t.Selected).
		Title(r.Path).Body(textEl("code", "", name)).OnClick(t.onPick)
	return el("tr", "").DataSet("topic", r.Path).Class(classes...).Body(
		el("th", "tree-name").Attr("scope", "row").Style("--depth", strconv.Itoa(r.Depth)).Body(toggle, pick, dollar),
		el("td", "num").Body(count, below),
		textEl("td", "num rate", obsRate(r.Rate)),
		el("td", "").Body(payload),
		el("td", "trend").Body(t.renderSpark()),
		el("td", "").Body(retained),
	)
}

// onToggle and onPick send the row's action with its path as it is now,
// not as it was when the button was first drawn: go-app keeps the first
// handler of an element, and the rows of a live tree change places.
func (t *topicTreeRow) onToggle(ctx goapp.Context, e goapp.Event) {
	ctx.NewActionWithValue(topicToggle, t.Row.Path)
}

func (t *topicTreeRow) onPick(ctx goapp.Context, e goapp.Event) {
	ctx.NewActionWithValue(topicSelect, t.Row.Path)
}

// The columns of the page's tables: class and message key of each.
var topicCols = [][2]string{{"", "topics.col.topic"}, {"num", "topics.col.messages"}, {"num", "topics.col.rate"}, {"", "topics.col.payload"}, {"", "topics.col.trend"}, {"", "topics.col.retained"}}
