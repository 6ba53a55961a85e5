package main

import (
	"html/template"
	"net/http"

	"github.com/mqttlab/mqttlab/server/broker"
)

var statusTmpl = template.Must(template.New("status").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mqttlab</title></head>
<body><h1>mqttlab</h1>
<p>The broker is running. Connect an MQTT client to it over TCP or over WebSocket at <code>/mqtt</code>.</p>
<table>
<tr><td>Uptime</td><td>{{.Uptime}}</td></tr>
<tr><td>Clients connected</td><td>{{.ClientsConnected}}</td></tr>
<tr><td>Sessions</td><td>{{.Sessions}}</td></tr>
<tr><td>Subscriptions</td><td>{{.Subscriptions}}</td></tr>
<tr><td>Retained messages</td><td>{{.Retained}}</td></tr>
<tr><td>Messages received / sent / dropped</td><td>{{.MessagesReceived}} / {{.MessagesSent}} / {{.MessagesDropped}}</td></tr>
</table></body></html>
`))

// statusPage shows the broker's statistics.
func statusPage(b *broker.Broker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		statusTmpl.Execute(w, b.Stats())
	})
}
