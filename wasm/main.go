//go:build js && wasm

// Command wasm is the browser side of mqttlab: built with GOOS=js
// GOARCH=wasm into web/app.wasm, it declares the routes and hands the page
// to go-app. It imports only the app and what the app imports, never the
// server's packages, which keeps the download small.
package main

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app"
)

func main() {
	app.Register()
	goapp.RunWhenOnBrowser()
}
