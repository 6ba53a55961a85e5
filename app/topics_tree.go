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
			ruleUI = goapp.Elem("span").Class("rule").Text("[" + rule + "]")
		}
		result = goapp.P().ID("filter-error").Class("filter-result", "error").Attr("role", "alert").Body(
			goapp.Elem("span").Class("error-title").Text(l.T("topics.filter.invalid")+" "),
			goapp.Text(filterProblem(l, p.filter)+" "),
			ruleUI,
		)
	default:
		result = goapp.P().ID("filter-result").Class("filter-result", "ok").Body(
			goapp.Code().Text(p.filter),
			goapp.Text(" "),
			goapp.Elem("span").ID("filter-matches").Text(matchesText(l, p.view.Matches)),
		)
	}
	return goapp.Elem("section").ID("filter-playground").Class("observer-section").Aria("labelledby", "filter-playground-h").Body(
		goapp.Elem("h2").ID("filter-playground-h").Text(l.T("topics.filter")),
		goapp.Elem("label").Attr("for", "topic-filter").Class("field-label").Text(l.T("topics.filter.label")),
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
		goapp.Elem("ul").ID("filter-rules").Class("rules").Body(
			goapp.Elem("li").Body(goapp.Code().Text("+"), goapp.Text(" "+l.T("topics.rule.plus"))),
			goapp.Elem("li").Body(goapp.Code().Text("#"), goapp.Text(" "+l.T("topics.rule.hash"))),
			goapp.Elem("li").Body(goapp.Code().Text("$"), goapp.Text(" "+l.T("topics.rule.dollar"))),
			goapp.Elem("li").Body(goapp.Code().Text("$share/{group}/{filter}"), goapp.Text(" "+l.T("topics.rule.share"))),
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
	if len(v.Rows) == 0 {
		body = goapp.P().Class("empty").Text(l.T("topics.none"))
	} else {
		body = &topicTreeTable{Lang: l, Rows: v.Rows}
	}
	return goapp.Elem("section").ID("topics-tree").Class("observer-section").Aria("labelledby", "topics-tree-h").Body(
		goapp.Elem("h2").ID("topics-tree-h").Text(l.T("topics.tree")),
		goapp.P().Class("caption").Text(l.T("topics.tree.caption")),
		goapp.Elem("label").Class("check").Body(
			goapp.ElemSelfClosing("input").ID("topics-sys").Attr("type", "checkbox").Attr("checked", p.showSys).Attr("disabled", p.obs == nil).OnChange(p.onSys),
			goapp.Text(" "),
			goapp.Elem("span").Text(l.T("topics.sys.label")),
		),
		goapp.P().ID("sys-caption").Class("caption").Text(l.T("topics.sys.caption")),
		sysErr,
		goapp.P().ID("topics-summary").Class("summary").Text(
			strings.ReplaceAll(obsFill(l.T("topics.summary_line"), v.Messages), "{levels}", obsCount(uint64(v.Nodes)))),
		capped,
		dropped,
		body,
		hidden,
	)
}

// topicToggle is the action a row sends when its branch is collapsed or
// expanded; its value is the row's path.
const topicToggle = "topics.toggle"

// topicTreeTable is the tree as a table. It and each of its rows are
// components of their own: go-app redraws one only when its data changed,
// so a busy topic redraws its row, not the whole tree.
type topicTreeTable struct {
	goapp.Compo

	Lang i18n.Lang
	Rows []store.TopicRow
}

// Render draws the table.
func (t *topicTreeTable) Render() goapp.UI {
	l := t.Lang
	return goapp.Div().Class("table-scroll").Body(
		goapp.Elem("table").ID("topic-tree").Class("data-table", "topic-tree").Body(
			goapp.Elem("thead").Body(goapp.Elem("tr").Body(
				goapp.Elem("th").Attr("scope", "col").Text(l.T("topics.col.topic")),
				goapp.Elem("th").Attr("scope", "col").Class("num").Text(l.T("topics.col.messages")),
				goapp.Elem("th").Attr("scope", "col").Class("num").Text(l.T("topics.col.rate")),
				goapp.Elem("th").Attr("scope", "col").Text(l.T("topics.col.payload")),
				goapp.Elem("th").Attr("scope", "col").Text(l.T("topics.col.retained")),
			)),
			goapp.Elem("tbody").Body(
				goapp.Range(t.Rows).Slice(func(i int) goapp.UI { return &topicTreeRow{Lang: l, Row: t.Rows[i]} }),
			),
		),
	)
}

// topicTreeRow is one level of the tree.
type topicTreeRow struct {
	goapp.Compo

	Lang i18n.Lang
	Row  store.TopicRow
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
	var toggle, dollar, below, retained goapp.UI
	if r.Children > 0 {
		path := r.Path
		label := l.T("topics.collapse")
		if r.Collapsed {
			label = l.T("topics.expand")
		}
		toggle = goapp.Elem("button").Attr("type", "button").Class("tree-toggle").
			Aria("expanded", !r.Collapsed).Aria("label", label+" "+r.Path).Title(label).
			Text(map[bool]string{true: "▸", false: "▾"}[r.Collapsed]).
			OnClick(func(ctx goapp.Context, e goapp.Event) { ctx.NewActionWithValue(topicToggle, path) })
	} else {
		toggle = goapp.Elem("span").Class("tree-leaf").Aria("hidden", true)
	}
	if r.Dollar {
		dollar = goapp.Elem("span").Class("badge", "badge-dollar").Title(l.T("topics.dollar.title")).Text(l.T("topics.dollar"))
	}
	var count goapp.UI
	if r.Topic {
		count = goapp.Elem("span").Class("count").Text(obsCount(r.Count))
	}
	if r.Children > 0 {
		below = goapp.Elem("span").Class("total").Title(l.T("topics.total.title")).Text("Σ " + obsCount(r.Total))
	}
	if r.Retained {
		retained = goapp.Elem("span").Class("badge", "badge-retained").Text(l.T("topics.retained"))
	}
	name := r.Name
	if name == "" {
		name = l.T("topics.empty_level")
	}
	var payload goapp.UI
	if r.Topic && r.Count > 0 {
		payload = payloadPreview(l, r.Preview, r.Binary, r.Cut)
	}
	return goapp.Elem("tr").DataSet("topic", r.Path).Class(classes...).Body(
		goapp.Elem("th").Attr("scope", "row").Class("tree-name").Style("--depth", strconv.Itoa(r.Depth)).Body(toggle, goapp.Code().Title(r.Path).Text(name), dollar),
		goapp.Elem("td").Class("num").Body(count, below),
		goapp.Elem("td").Class("num", "rate").Text(obsRate(r.Rate)),
		goapp.Elem("td").Body(payload),
		goapp.Elem("td").Body(retained),
	)
}
