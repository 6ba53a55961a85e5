package app

import (
	"context"
	"errors"
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// labConnection shows a client's connection — its status, the broker's
// CONNACK, why it failed or ended — with the buttons that connect,
// disconnect and drop it, and the settings of its CONNECT, editable while
// it is disconnected. Valid settings are saved as they are typed.
type labConnection struct {
	goapp.Compo

	Lang       i18n.Lang
	Name       string
	Settings   store.Settings
	Status     store.Status
	Err        error
	Connack    *client.Connack
	DefaultURL string

	form     connForm
	errs     fieldErrors
	opErr    error // an error of the last button that the store does not show
	shownFor string
}

// Render draws the connection card.
func (c *labConnection) Render() goapp.UI {
	l := c.Lang
	if c.shownFor != c.Name {
		c.shownFor, c.form, c.errs, c.opErr = c.Name, connFormOf(c.Settings), nil, nil
	}
	err := c.Err
	if c.opErr != nil {
		err = c.opErr
	}
	return el("section", "").
		Class("lab-card", "lab-connection").
		Aria("labelledby", "lab-conn-heading").
		Body(
			msgEl(l, "h3", "", "lab.conn").ID("lab-conn-heading"),
			el("div", "lab-status-row").Body(
				c.renderStatus(l),
				el("div", "lab-actions").Body(
					button("lab-connect", l.T("lab.connect"), c.Status != store.Disconnected, c.connect).
						Class("button-primary"),
					button("lab-disconnect", l.T("lab.disconnect"), c.Status == store.Disconnected, c.disconnect).
						Title(l.T("lab.disconnect.hint")),
					button("lab-drop", l.T("lab.drop"), c.Status != store.Connected, c.drop).
						Title(l.T("lab.drop.hint")),
				),
			),
			goapp.If(err != nil,
				textEl("p", "lab-error", describeError(l, err)).ID("lab-conn-error").Attr("role", "alert"),
			),
			c.renderConnack(l),
			c.renderSettings(l),
		)
}

func (c *labConnection) renderStatus(l i18n.Lang) goapp.UI {
	url := c.Settings.URL
	if url == "" {
		url = c.DefaultURL
	}
	text := statusText(l, c.Status)
	if c.Status != store.Disconnected {
		text = tf(l, "lab.status.to", "status", text, "url", url, "version", versionName(l, c.Settings.Version))
	}
	return el("p", "lab-status").
		ID("lab-status").
		DataSet("status", c.Status.String()).
		Attr("role", "status").
		Body(
			el("span", "lab-badge").DataSet("status", c.Status.String()).Aria("hidden", true),
			goapp.Text(text),
		)
}

// renderConnack lists what the broker said in CONNACK.
func (c *labConnection) renderConnack(l i18n.Lang) goapp.UI {
	a := c.Connack
	if a == nil || c.Status != store.Connected {
		return nil
	}
	yes := func(b bool) string {
		if b {
			return l.T("lab.yes")
		}
		return l.T("lab.no")
	}
	items := []struct{ k, v string }{
		{l.T("lab.connack.session"), yes(a.SessionPresent)},
		{l.T("lab.connack.client_id"), a.ClientID},
		{l.T("lab.connack.keepalive"), tf(l, "lab.seconds", "n", strconv.Itoa(int(a.KeepAlive.Seconds())))},
	}
	if c.Settings.Version == protocol.V5 {
		items = append(items,
			struct{ k, v string }{l.T("lab.connack.max_qos"), strconv.Itoa(int(a.MaximumQoS))},
			struct{ k, v string }{l.T("lab.connack.retain"), yes(a.RetainAvailable)},
			struct{ k, v string }{l.T("lab.connack.receive_max"), strconv.Itoa(int(a.ReceiveMaximum))},
			struct{ k, v string }{l.T("lab.connack.alias_max"), strconv.Itoa(int(a.TopicAliasMaximum))},
		)
		if a.ReasonString != "" {
			items = append(items, struct{ k, v string }{l.T("lab.connack.reason"), a.ReasonString})
		}
	}
	return el("dl", "lab-connack").
		ID("lab-connack").
		Aria("label", l.T("lab.connack")).
		Body(goapp.Range(items).Slice(func(i int) goapp.UI {
			return el("div", "").Body(textEl("dt", "", items[i].k), textEl("dd", "", items[i].v))
		}))
}

func (c *labConnection) renderSettings(l i18n.Lang) goapp.UI {
	f := &c.form
	v5 := f.Version != protocol.V311
	cleanLabel := l.T("lab.clean_start")
	if !v5 {
		cleanLabel = l.T("lab.clean_session")
	}
	return el("form", "lab-settings").
		ID("lab-settings").
		OnSubmit(func(ctx goapp.Context, e goapp.Event) {
			e.PreventDefault()
			c.connect(ctx, e)
		}).
		Body(
			lockable(el("fieldset", ""), c.Status != store.Disconnected).
				Body(
					msgEl(l, "legend", "", "lab.settings"),
					goapp.If(c.Status != store.Disconnected, msgEl(l, "p", "lab-hint", "lab.settings.locked")),
					el("div", "lab-grid").Body(
						el("div", "lab-field lab-field-wide").Body(
							textField(l, "lab-url", l.T("lab.url"), f.URL, c.errs["lab-url"], false, c.set(func(s string) { f.URL = s })),
							textEl("p", "lab-hint", tf(l, "lab.url.hint", "url", c.DefaultURL)),
						),
						selectField("lab-version", l.T("lab.version"), strconv.Itoa(int(f.Version)), []choice{
							{"5", versionName(l, protocol.V5)}, {"4", versionName(l, protocol.V311)},
						}, c.set(func(s string) { f.Version = protocol.Version(atoiOr(s, 5)) })),
						textField(l, "lab-client-id", l.T("lab.client_id"), f.ClientID, c.errs["lab-client-id"], false, c.set(func(s string) { f.ClientID = s })),
						textField(l, "lab-keepalive", l.T("lab.keepalive"), f.KeepAlive, c.errs["lab-keepalive"], true, c.set(func(s string) { f.KeepAlive = s })),
						goapp.If(v5, textField(l, "lab-session-expiry", l.T("lab.session_expiry"), f.SessionExpiry, c.errs["lab-session-expiry"], true, c.set(func(s string) { f.SessionExpiry = s }))),
						checkField("lab-clean", cleanLabel, f.CleanStart, c.setBool(func(b bool) { f.CleanStart = b })),
						textField(l, "lab-username", l.T("lab.username"), f.Username, c.errs["lab-username"], false, c.set(func(s string) { f.Username = s })),
						el("div", "lab-field").Body(
							passwordField("lab-password", l.T("lab.password"), f.Password, c.set(func(s string) { f.Password = s })),
							errorLine(l, "lab-password", c.errs["lab-password"]),
						),
					),
					c.renderWill(l, v5),
				),
		)
}

func (c *labConnection) renderWill(l i18n.Lang, v5 bool) goapp.UI {
	f := &c.form
	return el("fieldset", "lab-will").
		Body(
			msgEl(l, "legend", "", "lab.will"),
			checkField("lab-will", l.T("lab.will.enable"), f.Will, c.setBool(func(b bool) { f.Will = b })),
			goapp.If(f.Will, el("div", "lab-grid").Body(
				textField(l, "lab-will-topic", l.T("lab.topic"), f.WillTopic, c.errs["lab-will-topic"], false, c.set(func(s string) { f.WillTopic = s })),
				textField(l, "lab-will-payload", l.T("lab.payload"), f.WillPayload, nil, false, c.set(func(s string) { f.WillPayload = s })),
				selectField("lab-will-qos", l.T("lab.qos"), strconv.Itoa(int(f.WillQoS)), qosChoices(l),
					c.set(func(s string) { f.WillQoS = protocol.QoS(atoiOr(s, 0)) })),
				goapp.If(v5, textField(l, "lab-will-delay", l.T("lab.will.delay"), f.WillDelay, c.errs["lab-will-delay"], true, c.set(func(s string) { f.WillDelay = s }))),
				checkField("lab-will-retain", l.T("lab.retain"), f.WillRetain, c.setBool(func(b bool) { f.WillRetain = b })),
			)),
		)
}

// set returns the input handler of a text field: it changes the form, and
// saves the settings when they are all valid.
func (c *labConnection) set(change func(string)) func(string) {
	return func(s string) {
		change(s)
		c.save()
	}
}

func (c *labConnection) setBool(change func(bool)) func(bool) {
	return func(b bool) {
		change(b)
		c.save()
	}
}

// save checks the form and, when it is valid, stores the settings.
func (c *labConnection) save() {
	s, errs := c.form.settings()
	c.errs, c.opErr = errs, nil
	if len(errs) == 0 {
		c.opErr = store.Clients.SetSettings(c.Name, s)
	}
}

func (c *labConnection) connect(ctx goapp.Context, e goapp.Event) {
	s, errs := c.form.settings()
	c.errs, c.opErr = errs, nil
	if len(errs) > 0 {
		return
	}
	name := c.Name
	if c.opErr = store.Clients.SetSettings(name, s); c.opErr != nil {
		return
	}
	c.run(ctx, func(ctx context.Context) error { return store.Clients.Connect(ctx, name) })
}

func (c *labConnection) disconnect(ctx goapp.Context, e goapp.Event) {
	name := c.Name
	c.run(ctx, func(ctx context.Context) error { return store.Clients.Disconnect(ctx, name) })
}

func (c *labConnection) drop(ctx goapp.Context, e goapp.Event) {
	name := c.Name
	c.run(ctx, func(context.Context) error { return store.Clients.Drop(name) })
}

// run runs a connection operation; its error is shown unless the store
// already shows it as the client's error.
func (c *labConnection) run(ctx goapp.Context, op func(context.Context) error) {
	c.opErr = nil
	name := c.Name
	labChanged(ctx)
	labDo(ctx, op, func(err error) {
		if v, ok := store.Clients.Client(name); ok && v.Err != nil && errors.Is(err, v.Err) {
			err = nil
		}
		if name == c.Name {
			c.opErr = err
		}
	})
}

// lockable disables a fieldset while locked.
func lockable(fs goapp.HTMLElem, locked bool) goapp.HTMLElem {
	if locked {
		return fs.Attr("disabled", true)
	}
	return fs
}

// versionName is the usual name of a protocol version.
func versionName(l i18n.Lang, v protocol.Version) string {
	if v == protocol.V311 {
		return l.T("lab.version.311")
	}
	return l.T("lab.version.5")
}

// atoiOr reads a number from a select's value, or returns def.
func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
