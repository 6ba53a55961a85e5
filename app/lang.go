package app

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// langState is the go-app state that holds the language the user chose. It
// is persisted in local storage, so a reload keeps it, and broadcast, so
// other tabs of the app follow.
const langState = "mqttlab.lang"

// observeLang keeps *lang equal to the chosen language for as long as the
// component that owns ctx is mounted, and keeps the lang attribute of the
// page in step. Pages call it in OnMount and pass the language down to the
// components they render.
func observeLang(ctx goapp.Context, lang *i18n.Lang) {
	ctx.ObserveState(langState).
		OnChange(func() {
			*lang = i18n.Parse(string(*lang))
			ctx.Page().SetLang(lang.HTMLTag())
		}).
		Value(lang)
	*lang = i18n.Parse(string(*lang))
	ctx.Page().SetLang(lang.HTMLTag())
}

// setLang makes l the language of the app, in this tab and the others, now
// and after a reload.
func setLang(ctx goapp.Context, l i18n.Lang) {
	ctx.SetState(langState, l, goapp.Persist, goapp.Broadcast)
}
