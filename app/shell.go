package app

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// shell is the frame of every page: the header with the name, the
// navigation and the language switch, the main area with the page's content,
// and the footer. The page owns the shell and sets all of its fields; the
// shell keeps no state of its own.
type shell struct {
	goapp.Compo

	// Lang is the language to render in.
	Lang i18n.Lang
	// Active is the path of the navigation entry to mark as the current
	// page; empty on the home page.
	Active string
	// Title is the page's title in Lang; it becomes the document title.
	Title string
	// Content is what the page shows in the main area.
	Content []goapp.UI
}

// OnMount and OnUpdate keep the document title in step with the page and
// its language.
func (s *shell) OnMount(ctx goapp.Context)  { s.setTitle(ctx) }
func (s *shell) OnUpdate(ctx goapp.Context) { s.setTitle(ctx) }

// OnPreRender gives the HTML the server renders the same title.
func (s *shell) OnPreRender(ctx goapp.Context) { s.setTitle(ctx) }

func (s *shell) setTitle(ctx goapp.Context) {
	name := s.Lang.T("app.name")
	if s.Title == "" || s.Title == name {
		ctx.Page().SetTitle(name)
		return
	}
	ctx.Page().SetTitle(s.Title + " · " + name)
}

// Render draws the frame. The root carries data-runtime="wasm" once the
// WebAssembly app has rendered it, which tells tests (and curious readers of
// the DOM) that the page is live and not the server's pre-rendered copy.
func (s *shell) Render() goapp.UI {
	runtime := "server"
	if goapp.IsClient {
		runtime = "wasm"
	}
	return el("div", "app").
		DataSet("runtime", runtime).
		Body(
			textEl("a", "skip-link", s.Lang.T("shell.skip")).
				Attr("href", "#main"),
			el("header", "app-header").
				Body(
					el("div", "app-header-inner").
						Body(
							s.renderBrand(),
							s.renderNav(),
							s.renderLangSwitch(),
						),
				),
			el("main", "app-main").
				ID("main").
				Body(s.Content...),
			el("footer", "app-footer").
				Body(
					textEl("p", "", s.Lang.T("shell.footer")),
				),
		)
}

func (s *shell) renderBrand() goapp.UI {
	return el("a", "brand").
		Attr("href", "/").
		Body(
			goapp.ElemSelfClosing("img").
				Class("brand-icon").
				Attr("src", "/web/icons/icon.svg").
				Attr("alt", "").
				Attr("width", 28).
				Attr("height", 28),
			textEl("span", "brand-name", s.Lang.T("app.name")),
		)
}

func (s *shell) renderNav() goapp.UI {
	return el("nav", "app-nav").
		Aria("label", s.Lang.T("shell.nav")).
		Body(
			el("ul", "").Body(
				goapp.Range(sections).Slice(func(i int) goapp.UI {
					sec := sections[i]
					link := textEl("a", "", s.Lang.T(sec.Nav)).
						Attr("href", sec.Path)
					if sec.Path == s.Active {
						link = link.Class("active").Aria("current", "page")
					}
					return el("li", "").Body(link)
				}),
			),
		)
}

func (s *shell) renderLangSwitch() goapp.UI {
	current := i18n.Parse(string(s.Lang))
	return el("div", "lang-switch").
		Aria("label", s.Lang.T("shell.language")).
		Attr("role", "group").
		Body(
			goapp.Range(i18n.Langs).Slice(func(i int) goapp.UI {
				l := i18n.Langs[i]
				return textEl("button", "", s.Lang.T("lang."+string(l))).
					ID("lang-%s", l).
					Attr("type", "button").
					Lang(l.HTMLTag()).
					Aria("pressed", l == current).
					OnClick(func(ctx goapp.Context, e goapp.Event) {
						setLang(ctx, l)
					})
			}),
		)
}
