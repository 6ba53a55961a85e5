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
		result = goapp.P().ID("filter-result").Class("filter-result", "hint").Text(l.T("topics.filter.hint"))
	case p.view.FilterErr != nil:
		rule := protocol.RuleOf(p.view.FilterErr)
		var ruleUI goapp.UI
		if rule != "" {
			ruleUI = goapp.Span().Class("rule").Text("[" + rule + "]")
		}
		result = goapp.P().ID("filter-error").Class("filter-result", "error").Attr("role", "alert").Body(
			goapp.Span().Class("error-title").Text(l.T("topics.filter.invalid")+" "),
			goapp.Text(filterProblem(l, p.filter)+" "),
			ruleUI,
		)
	default:
		result = goapp.P().ID("filter-result").Class("filter-result", "ok").Body(
			goapp.Code().Text(p.filter),
			goapp.Text(" "),
			goapp.Span().ID("filter-matches").Text(matchesText(l, p.view.Matches)),
		)
	}
	return goapp.Section().ID("filter-playground").Class("observer-section").Aria("labelledby", "filter-playground-h").Body(
		goapp.H2().ID("filter-playground-h").Text(l.T("topics.filter")),
		goapp.Label().For("topic-filter").Class("field-label").Text(l.T("topics.filter.label")),
		goapp.Input().
			ID("topic-filter").
			Class("filter-input").
			Type("text").
			Value(p.filter).
			Placeholder("home/+/temp").
			AutoComplete(false).
			Spellcheck(false).
			Aria("describedby", "filter-rules").
			OnInput(p.onFilter),
		result,
		goapp.Ul().ID("filter-rules").Class("rules").Body(
			goapp.Li().Body(goapp.Code().Text("+"), goapp.Text(" "+l.T("topics.rule.plus"))),
			goapp.Li().Body(goapp.Code().Text("#"), goapp.Text(" "+l.T("topics.rule.hash"))),
			goapp.Li().Body(goapp.Code().Text("$"), goapp.Text(" "+l.T("topics.rule.dollar"))),
			goapp.Li().Body(goapp.Code().Text("$share/{group}/{filter}"), goapp.Text(" "+l.T("topics.rule.share"))),
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
		capped = goapp.P().ID("topics-capped").Class("notice").Text(
			strings.ReplaceAll(obsFill(l.T("topics.capped"), v.Capped), "{max}", strconv.Itoa(v.MaxNodes)))
	}
	if p.dropped > 0 {
		dropped = goapp.P().ID("topics-dropped").Class("notice").Text(obsFill(l.T("topics.dropped"), p.dropped))
	}
	if v.Hidden > 0 {
		hidden = goapp.P().ID("topics-hidden").Class("notice").Text(obsFill(l.T("topics.hidden"), uint64(v.Hidden)))
	}
	if p.sysErr != nil {
		sysErr = goapp.P().Class("notice", "notice-error").Attr("role", "alert").Text(p.sysErr.Error())
	}
	switch {
	case len(v.Rows) > 0:
		body = &topicTreeTable{Lang: l, Rows: v.Rows, Selected: p.selected}
	case p.search != "" && v.Topics > 0:
		body = goapp.P().Class("empty").Text(tf(l, "topics.search.none", "text", p.search))
	default:
		body = goapp.P().Class("empty").Text(l.T("topics.none"))
	}
	return goapp.Section().ID("topics-tree").Class("observer-section").Aria("labelledby", "topics-tree-h").Body(
		goapp.H2().ID("topics-tree-h").Text(l.T("topics.tree")),
		goapp.P().Class("caption").Text(l.T("topics.tree.caption")),
		goapp.Label().Class("check").Body(
			goapp.Input().ID("topics-sys").Type("checkbox").Checked(p.showSys).Disabled(p.obs == nil).OnChange(p.onSys),
			goapp.Text(" "),
			goapp.Span().Text(l.T("topics.sys.label")),
		),
		goapp.P().ID("sys-caption").Class("caption").Text(l.T("topics.sys.caption")),
		sysErr,
		goapp.P().ID("topics-summary").Class("summary").Text(
			strings.ReplaceAll(obsFill(l.T("topics.summary_line"), v.Messages), "{levels}", obsCount(uint64(v.Nodes)))),
		p.renderSearch(),
		capped,
		dropped,
		body,
		hidden,
	)
}

// renderSearch draws the search box and how many topics it found.
func (p *topicsPage) renderSearch() goapp.UI {
	l := p.lang
	var count goapp.UI
	if p.search != "" {
		count = goapp.Span().ID("topics-search-count").Attr("role", "status").Text(tf(l, "topics.search.count",
			"n", obsCount(uint64(p.view.Found)), "total", obsCount(uint64(p.view.Topics)), "text", p.search))
	}
	return goapp.Div().Class("topics-search").Body(
		goapp.Label().For("topics-search").Class("field-label").Text(l.T("topics.search.label")),
		goapp.Input().ID("topics-search").Class("filter-input").Type("search").Value(p.search).
			Placeholder(l.T("topics.search.placeholder")).OnInput(p.onSearch),
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
	return goapp.Div().Class("table-scroll").Body(
		goapp.Table().ID("topic-tree").Class("data-table", "topic-tree").Body(
			goapp.THead().Body(goapp.Tr().Body(
				goapp.Th().Scope("col").Text(l.T("topics.col.topic")),
				goapp.Th().Scope("col").Class("num").Text(l.T("topics.col.messages")),
				goapp.Th().Scope("col").Class("num").Text(l.T("topics.col.rate")),
				goapp.Th().Scope("col").Text(l.T("topics.col.payload")),
				goapp.Th().Scope("col").Text(l.T("topics.col.trend")),
				goapp.Th().Scope("col").Text(l.T("topics.col.retained")),
			)),
			goapp.TBody().Body(
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
		toggle = goapp.Button().Type("button").Class("tree-toggle").
			Aria("expanded", !r.Collapsed).Aria("label", label+" "+r.Path).Title(label).
			Text(map[bool]string{true: "▸", false: "▾"}[r.Collapsed]).
			OnClick(t.onToggle)
	} else {
		toggle = goapp.Span().Class("tree-leaf").Aria("hidden", true)
	}
	if r.Dollar {
		dollar = goapp.Span().Class("badge", "badge-dollar").Title(l.T("topics.dollar.title")).Text(l.T("topics.dollar"))
	}
	var count goapp.UI
	if r.Topic {
		count = goapp.Span().Class("count").Text(obsCount(r.Count))
	}
	if r.Children > 0 {
		below = goapp.Span().Class("total").Title(l.T("topics.total.title")).Text("Σ " + obsCount(r.Total))
	}
	if r.Retained {
		retained = goapp.Span().Class("badge", "badge-retained").Text(l.T("topics.retained"))
	}
	name := r.Name
	if name == "" {
		name = l.T("topics.empty_level")
	}
	var payload goapp.UI
	if r.Topic && r.Count > 0 {
		payload = payloadPreview(l, r.Preview, r.Binary, r.Cut)
	}
	pick := goapp.Button().Type("button").Class("topic-name").Aria("expanded", t.Selected).
		Title(r.Path).Body(goapp.Code().Text(name)).OnClick(t.onPick)
	var actions goapp.UI
	if t.Selected {
		actions = t.renderLabActions()
	}
	return goapp.Tr().DataSet("topic", r.Path).Class(classes...).Body(
		goapp.Th().Scope("row").Class("tree-name").Style("--depth", strconv.Itoa(r.Depth)).Body(toggle, pick, dollar, actions),
		goapp.Td().Class("num").Body(count, below),
		goapp.Td().Class("num", "rate").Text(obsRate(r.Rate)),
		goapp.Td().Body(payload),
		goapp.Td().Class("trend").Body(t.renderSpark()),
		goapp.Td().Body(retained),
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
