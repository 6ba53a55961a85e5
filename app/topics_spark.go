package app

import (
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

// topicFieldChoice is the value of the topicField action: the numeric
// field the sparkline of the topic at Path shows.
type topicFieldChoice struct {
	Path, Field string
}

// renderSpark draws the sparkline of a topic's numeric payloads, if it
// has any, and, on the selected row of a topic with several numeric
// fields, the buttons that choose the field drawn.
func (t *topicTreeRow) renderSpark() goapp.UI {
	l, r := t.Lang, t.Row
	if len(r.Spark) == 0 {
		return nil
	}
	lo, hi := r.Spark[0], r.Spark[0]
	for _, v := range r.Spark {
		lo, hi = min(lo, v), max(hi, v)
	}
	label := tf(l, "topics.spark", "field", fieldName(l, r.Field), "n", strconv.Itoa(len(r.Spark)),
		"min", strconv.FormatFloat(lo, 'g', 6, 64), "max", strconv.FormatFloat(hi, 'g', 6, 64))
	var choices goapp.UI
	if t.Selected && len(r.Fields) > 1 {
		choices = el("div", "spark-fields").Aria("label", l.T("topics.spark.fields")).Body(
			goapp.Range(r.Fields).Slice(func(i int) goapp.UI {
				f := r.Fields[i]
				return textEl("button", "chip", fieldName(l, f)).Attr("type", "button").DataSet("field", f).
					Aria("pressed", f == r.Field).OnClick(t.onField)
			}))
	}
	return el("div", "topic-spark").Attr("title", label).DataSet("field", r.Field).Body(
		&sparkline{Label: label, Series: []sparkSeries{{Name: "value", Values: r.Spark}}, Slots: store.SparkValues, Fit: true},
		choices,
	)
}

// onField chooses the field of the button clicked. It reads the row and
// the button as they are now: go-app keeps the first handler of an
// element, and the rows of a live tree change places.
func (t *topicTreeRow) onField(ctx goapp.Context, e goapp.Event) {
	field := ctx.JSSrc().Get("dataset").Get("field").String()
	ctx.NewActionWithValue(topicField, topicFieldChoice{Path: t.Row.Path, Field: field})
}

// fieldName is how a numeric field is called: a payload that is just a
// number has one field, with no name.
func fieldName(l i18n.Lang, f string) string {
	if f == "" {
		return l.T("topics.spark.value")
	}
	return f
}
