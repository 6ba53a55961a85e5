package webapp

import (
	"html/template"
	"net/http"
)

// notBuiltPage explains a binary built without app.wasm; it loads nothing,
// so it shows even when every other file is missing.
var notBuiltPage = template.Must(template.New("notbuilt").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mqttlab: the web app is not built</title>
<style>
body { font: 16px/1.6 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1b2233; }
code { background: #eef1f7; padding: 0.1em 0.35em; border-radius: 4px; }
h1 { font-size: 1.5rem; }
</style>
</head>
<body>
<h1>The web app is not built</h1>
<p>This mqttlab binary was built without <code>web/app.wasm</code>, the WebAssembly app this page runs.</p>
<p>Build and start it with <code>make run</code>, or build it with <code>make build</code>: both compile the WebAssembly app first and then the server, which embeds it.</p>
<p>The MQTT broker works without it.</p>
</body>
</html>
`))

// serveNotBuilt answers a page request when app.wasm is missing.
func serveNotBuilt(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method == http.MethodHead {
		return
	}
	notBuiltPage.Execute(w, nil)
}
