package app

import (
	"encoding/json"
	"net/url"
	"sync"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/store"
)

// labStorageKey is where the lab keeps its clients' settings in the
// browser's local storage.
const labStorageKey = "mqttlab.lab"

var labStarted sync.Once

// startLab prepares the lab's store on the first visit of the page: the
// default broker is this server's /mqtt, the clients saved by an earlier
// visit come back (disconnected), and every change of settings is saved.
func startLab(ctx goapp.Context) {
	labStarted.Do(func() {
		store.Clients.SetDefaultURL(pageBrokerURL(ctx.Page().URL()))
		storage := ctx.LocalStorage()
		var saved json.RawMessage
		if err := storage.Get(labStorageKey, &saved); err != nil {
			goapp.Log("lab: the saved clients cannot be read: " + err.Error())
		} else if len(saved) > 0 && string(saved) != "null" {
			if err := store.Clients.Restore(saved); err != nil {
				goapp.Log("lab: " + err.Error())
			}
		}
		store.Clients.SetSaver(func(b []byte) {
			if err := storage.Set(labStorageKey, json.RawMessage(b)); err != nil {
				goapp.Log("lab: saving the clients: " + err.Error())
			}
		})
	})
}

// pageBrokerURL is the URL of MQTT over WebSocket on the server of the
// page at u: ws:// beside http://, wss:// beside https://.
func pageBrokerURL(u *url.URL) string {
	scheme := "ws"
	if u.Scheme == "https" {
		scheme = "wss"
	}
	return (&url.URL{Scheme: scheme, Host: u.Host, Path: "/mqtt"}).String()
}
