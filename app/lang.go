package app

import (
	"encoding/json"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// langState is the local storage key of the language the user chose, a
// shared value (shared.go): a reload keeps it, other tabs of the app follow.
const langState = "mqttlab.lang"

// observeLang keeps *lang equal to the chosen language for as long as the
// component that owns ctx is mounted, and keeps the lang attribute of the
// page in step. Pages call it in OnMount and pass the language down to the
// components they render.
func observeLang(ctx goapp.Context, lang *i18n.Lang) {
	sharedLang.watch(ctx, func(raw json.RawMessage) {
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, lang); err != nil {
				goapp.Log("app: " + langState + ": " + err.Error())
			}
		}
		*lang = i18n.Parse(string(*lang))
		ctx.Page().SetLang(lang.HTMLTag())
	})
}

// setLang makes l the language of the app, in this tab and the others, now
// and after a reload.
func setLang(ctx goapp.Context, l i18n.Lang) {
	sharedLang.set(ctx, l)
}
