//go:build !js

package main

import (
	"testing"
)

// TestLabAgainstMosquitto points a page client at Debian's mosquitto: the
// lab is an MQTT client like any other and works with another broker.
func TestLabAgainstMosquitto(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	url := startMosquittoWS(t)
	lt := openLab(t, lab)

	lt.add("M")
	lt.set("#lab-url", url)
	lt.connect()
	lt.WaitText("#lab-status", url)
	lt.subscribe("lab/mosquitto", "1")
	lt.set("#lab-pub-qos", "1")
	lt.publish("lab/mosquitto", "hello mosquitto")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-topic", "lab/mosquitto")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-payload", "hello mosquitto")
	if n := lab.Broker.Stats().Connects; n != 0 {
		t.Errorf("the lab's own broker saw %d connections: the client did not go to mosquitto", n)
	}
}

// startMosquittoWS runs Debian's mosquitto for the test and returns the
// ws:// URL of its WebSocket listener. (mosquitto 2.0.11 refuses to start
// with a WebSocket listener alone; startMosquitto gives it a TCP one too.)
func startMosquittoWS(t *testing.T) string {
	t.Helper()
	return "ws://" + startMosquitto(t).ws + "/mqtt"
}
