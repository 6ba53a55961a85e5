// Package app is the mqttlab web app: go-app components for every page, the
// shell around them, and the routes. It compiles both for the browser
// (WebAssembly, where it renders and runs) and for the server (where go-app
// pre-renders the same components into the HTML it serves).
//
// Every string a user reads comes from the catalog in app/i18n, in English
// and Chinese; the language is chosen in the shell and kept in local storage.
package app

import (
	"sync"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"
)

// section is one entry of the navigation: a page of the lab.
type section struct {
	// Path is the URL path of the page.
	Path string
	// Nav is the message key of the short name shown in the navigation.
	Nav string
	// Title is the message key of the page's heading and document title.
	Title string
	// Summary is the message key of the one-line description shown on the
	// home page and under the heading.
	Summary string
	// Page makes the page's component; nil shows the heading and summary
	// only, until the page has a component of its own.
	Page func() goapp.Composer
}

// sections lists the pages of the navigation, in the order shown.
var sections = []section{
	{Path: "/lab", Nav: "nav.lab", Title: "lab.title", Summary: "lab.summary", Page: func() goapp.Composer { return &labPage{} }},
	{Path: "/inspector", Nav: "nav.inspector", Title: "inspector.title", Summary: "inspector.summary", Page: func() goapp.Composer { return &inspectorPage{} }},
	{Path: "/broker", Nav: "nav.broker", Title: "broker.title", Summary: "broker.summary", Page: func() goapp.Composer { return &brokerPage{} }},
	{Path: "/fleet", Nav: "nav.fleet", Title: "fleet.title", Summary: "fleet.summary", Page: func() goapp.Composer { return &fleetPage{} }},
	{Path: "/topics", Nav: "nav.topics", Title: "topics.title", Summary: "topics.summary", Page: func() goapp.Composer { return &topicsPage{} }},
	{Path: "/visualize", Nav: "nav.visualize", Title: "visualize.title", Summary: "visualize.summary", Page: func() goapp.Composer { return &visualizePage{} }},
	{Path: "/lessons", Nav: "nav.lessons", Title: "lessons.title", Summary: "lessons.summary", Page: func() goapp.Composer { return &lessonsPage{} }},
}

// lessonsPattern matches /lessons and every lesson below it.
const lessonsPattern = `^/lessons(/.*)?$`

var registerOnce sync.Once

// Register declares the routes of the app. The browser entry point and the
// server both call it: the server needs the routes to pre-render a page and
// to answer 404 for a path the app does not have. Calling it again does
// nothing.
func Register() {
	registerOnce.Do(func() {
		goapp.Route("/", &homePage{})
		for _, s := range sections {
			page := s.Page
			if page == nil {
				page = newSectionPage(s)
			}
			if s.Path == "/lessons" {
				goapp.RouteWithRegexpFunc(lessonsPattern, page)
				continue
			}
			goapp.RouteFunc(s.Path, page)
		}
	})
}
