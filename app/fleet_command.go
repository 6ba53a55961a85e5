package app

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// commandPanel sends a command to one device over MQTT, from the page's
// own client, and shows the device's reply.
type commandPanel struct {
	goapp.Compo

	// Lang is the language to render in.
	Lang i18n.Lang
	// Device is the device the commands go to.
	Device fleetDevice
	// Live is the page's MQTT client; nil before it exists.
	Live *fleetLive

	text  string
	busy  bool
	reply string
	err   string
}

// commandExamples are quick commands the panel offers.
var commandExamples = []string{`{"cmd":"status"}`, "setpoint 23", "interval 2s", "reboot"}

func (c *commandPanel) send(ctx goapp.Context) {
	text := c.text
	if text == "" {
		text = commandExamples[0]
	}
	live, dev := c.Live, c.Device
	if live == nil {
		c.err = c.Lang.T("fleet.no_client")
		return
	}
	c.busy, c.reply, c.err = true, "", ""
	ctx.Async(func() {
		reply, err := live.command(ctx, dev, text)
		ctx.Dispatch(func(ctx goapp.Context) {
			c.busy = false
			switch {
			case err != nil:
				c.err = err.Error()
			case reply == "":
				c.reply = c.Lang.T("fleet.sent_no_reply")
			default:
				c.reply = reply
			}
		})
	})
}

// Render draws the command's input, the examples and the reply.
func (c *commandPanel) Render() goapp.UI {
	l := c.Lang
	examples := make([]goapp.UI, 0, len(commandExamples))
	for _, ex := range commandExamples {
		examples = append(examples, textEl("button", "chip", ex).Attr("type", "button").
			OnClick(func(ctx goapp.Context, e goapp.Event) { c.text = ex }))
	}
	value := c.text
	if value == "" {
		value = commandExamples[0]
	}
	return el("form", "command-panel").OnSubmit(func(ctx goapp.Context, e goapp.Event) {
		e.PreventDefault()
		c.send(ctx)
	}).Body(
		el("label", "").Attr("for", "command-text").Body(
			goapp.Text(l.T("fleet.command_to")+" "),
			textEl("code", "", c.Device.Command),
		),
		el("div", "command-input").Body(
			goapp.ElemSelfClosing("input").ID("command-text").Attr("type", "text").Attr("value", value).
				OnInput(func(ctx goapp.Context, e goapp.Event) { c.text = ctx.JSSrc().Get("value").String() }),
			msgEl(l, "button", "button button-primary", "fleet.send").ID("command-send").Attr("type", "submit").Attr("disabled", c.busy),
		),
		el("div", "chips").Body(examples...),
		goapp.If(c.err != "", textEl("p", "notice notice-error", c.err).ID("command-error")),
		goapp.If(c.reply != "", el("div", "").Body(
			msgEl(l, "span", "muted", "fleet.reply"),
			textEl("pre", "reply", c.reply).ID("command-reply"),
		)),
	)
}
