package app

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
)

// topicLabBar offers to take the selected topic to the lab: the lab opens
// with the subscribe form's filter, or the publish form's topic, filled
// in, and a client ready to use (see labPage.takePrefill). It stands
// outside the live table, at the bottom of the view: a row moves down
// when a new topic appears above it and is drawn again, and a button in
// it would lose the click that came just then.
type topicLabBar struct {
	goapp.Compo

	Lang i18n.Lang
	Row  store.TopicRow
}

// Render draws the bar.
func (t *topicLabBar) Render() goapp.UI {
	l := t.Lang
	return el("div", "topic-actions").ID("topic-actions").Attr("role", "region").Aria("label", l.T("topics.lab.selected")).Body(
		textEl("code", "topic-actions-path", t.Row.Path),
		button("topic-subscribe", l.T("topics.lab.subscribe"), false, t.onLab),
		button("topic-publish", l.T("topics.lab.publish"), false, t.onLab),
	)
}

// onLab leaves what the button clicked asks the lab to fill in, and opens
// the lab.
func (t *topicLabBar) onLab(ctx goapp.Context, e goapp.Event) {
	sub, pub := topicPrefills(t.Row)
	if ctx.JSSrc().Get("id").String() == "topic-publish" {
		sub = pub
	}
	store.Clients.SetPrefill(sub)
	ctx.Navigate("/lab")
}

// topicPrefills are what the lab fills in to subscribe to a row and to
// publish to it. A level with levels below is subscribed to with its whole
// branch (path/#, which matches the level itself too); a publish starts
// from the topic's last payload when it is text, whole.
func topicPrefills(r store.TopicRow) (sub, pub store.Prefill) {
	sub.Filter = r.Path
	if r.Children > 0 {
		sub.Filter += "/#"
	}
	pub.Topic = r.Path
	if r.Topic && !r.Binary && !r.Cut {
		pub.Payload = r.Preview
	}
	return sub, pub
}
