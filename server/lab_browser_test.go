//go:build !js

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/internal/browsertest"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"golang.org/x/crypto/bcrypt"
)

// The lab page in a real browser: clients made by clicking, speaking MQTT
// over WebSocket to the lab's broker (or to mosquitto), checked by what the
// page shows.

// labTab is the lab page in a browser tab, with the steps a user takes.
type labTab struct {
	*browsertest.Tab
	t *testing.T
	// expected are console errors the test provokes: the browser logs a
	// WebSocket that fails to connect, whatever the page does about it.
	expected []string
}

// openLab opens /lab of lab in a new tab and waits for the running app.
func openLab(t *testing.T, lab *labServer) *labTab {
	t.Helper()
	tab := browsertest.NewTab(t)
	tab.Navigate(lab.URL + "/lab")
	tab.WaitApp(appReady + " .lab")
	lt := &labTab{Tab: tab, t: t}
	t.Cleanup(lt.checkConsole)
	return lt
}

// checkConsole fails the test on console errors, except those it expects,
// and on requests that tried to leave the machine.
func (lt *labTab) checkConsole() {
	var errs []string
	for _, e := range lt.ConsoleErrors() {
		if !slices.ContainsFunc(lt.expected, func(s string) bool { return strings.Contains(e, s) }) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		lt.t.Errorf("console errors: %q", errs)
	}
	if esc := browsertest.Escaped(); len(esc) > 0 {
		lt.t.Errorf("requests left the machine: %v", esc)
	}
}

// set replaces the value of the input or select matching selector, as
// typing or choosing would, firing input and change.
func (lt *labTab) set(selector, value string) {
	lt.t.Helper()
	lt.WaitVisible(selector)
	js := `((sel, v) => { const e = document.querySelector(sel); e.focus(); e.value = v;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true}));
		return e.value; })(` + jsQuote(selector) + `, ` + jsQuote(value) + `)`
	got, err := browsertest.Eval[string](lt.Tab, js)
	if err != nil || got != value {
		lt.t.Fatalf("setting %s to %q: got %q, %v", selector, value, got, err)
	}
}

// click clicks the element matching selector, once visible, after
// scrolling it to the middle of the window: at the top, the page's sticky
// header would take the click.
func (lt *labTab) click(selector string) {
	lt.t.Helper()
	lt.WaitVisible(selector)
	if _, err := browsertest.Eval[bool](lt.Tab, `(document.querySelector(`+jsQuote(selector)+`).scrollIntoView({block: "center"}), true)`); err != nil {
		lt.t.Fatalf("scrolling to %s: %v", selector, err)
	}
	lt.Click(selector)
}

func jsQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// clientItem is the selector of a client's entry in the list.
func clientItem(name string) string { return `.lab-client[data-name=` + jsQuote(name) + `]` }

// add adds a client by its name and waits for it to be shown.
func (lt *labTab) add(name string) {
	lt.t.Helper()
	lt.Type("#lab-add-name", name)
	lt.click("#lab-add")
	lt.WaitVisible(clientItem(name) + `[aria-current="true"]`)
	lt.WaitText("#lab-client-title", name)
}

// pick selects the client named name.
func (lt *labTab) pick(name string) {
	lt.t.Helper()
	lt.click(clientItem(name))
	lt.WaitVisible(`#lab-detail[data-client=` + jsQuote(name) + `]`)
}

// connect connects the selected client and waits until it is.
func (lt *labTab) connect() {
	lt.t.Helper()
	lt.click("#lab-connect")
	lt.WaitVisible(`#lab-status[data-status="connected"]`)
}

// subscribe subscribes the selected client to filter at qos and waits for
// the SUBACK.
func (lt *labTab) subscribe(filter, qos string) string {
	lt.t.Helper()
	lt.set("#lab-sub-filter", filter)
	lt.set("#lab-sub-qos", qos)
	lt.click("#lab-subscribe")
	return lt.WaitText("#lab-sub-result", filter)
}

// publish publishes payload to topic from the selected client and waits
// until it is sent.
func (lt *labTab) publish(topic, payload string) {
	lt.t.Helper()
	lt.set("#lab-pub-topic", topic)
	lt.set("#lab-pub-payload", payload)
	lt.click("#lab-publish")
	lt.WaitText("#lab-pub-result", topic)
}

// count evaluates how many elements match selector.
func (lt *labTab) count(selector string) int {
	lt.t.Helper()
	n, err := browsertest.Eval[int](lt.Tab, `document.querySelectorAll(`+jsQuote(selector)+`).length`)
	if err != nil {
		lt.t.Fatal(err)
	}
	return n
}

func TestLabPublishSubscribe(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLab(t, lab)

	lt.add("A")
	lt.connect()
	lt.WaitText("#lab-connack", "Session present")
	lt.add("B")
	lt.connect()
	if got := lt.subscribe("lab/#", "1"); !strings.Contains(got, "0x01 Granted QoS 1") {
		t.Errorf("subscribe result %q, want the granted QoS with its reason code", got)
	}
	lt.WaitText(`#lab-subs .lab-sub[data-filter="lab/#"]`, "0x01 Granted QoS 1")

	lt.pick("A")
	lt.publish("lab/x", "hello from A")
	lt.click("#lab-pub-props")
	lt.click("#lab-pub-user-add")
	lt.set("#lab-user-key-1", "unit")
	lt.set("#lab-user-value-1", "°C")
	lt.set("#lab-pub-content-type", "application/json")
	lt.set("#lab-pub-qos", "1")
	lt.publish("lab/x", `{"t":21.5,"ok":true}`)

	lt.pick("B")
	lt.WaitText("#lab-counters", "2 received")
	newest := "#lab-log .lab-msg:first-child"
	lt.WaitText(newest+" .lab-msg-topic", "lab/x")
	lt.WaitText(newest+" .lab-msg-qos", "QoS 1")
	lt.WaitText(newest+" .lab-msg-payload", `{"t":21.5,"ok":true}`)
	lt.WaitText(newest+" .lab-msg-props", "unit = °C")
	lt.WaitText(newest+" .lab-msg-props", "application/json")
	lt.WaitText("#lab-log .lab-msg:nth-child(2) .lab-msg-payload", "hello from A")

	lt.click("#lab-view-json")
	lt.WaitText(newest+" .lab-msg-payload", "\"t\": 21.5,\n  \"ok\": true")
	lt.WaitText("#lab-log .lab-msg:nth-child(2) .lab-msg-note", "Not JSON")
	lt.click("#lab-view-hex")
	lt.WaitText(newest+" .lab-msg-payload", "7b 22 74 22 3a 32 31 2e 35")
	lt.click("#lab-view-base64")
	lt.WaitText("#lab-log .lab-msg:nth-child(2) .lab-msg-payload", "aGVsbG8gZnJvbSBB")

	// The client list and its settings come back after a reload,
	// disconnected; the messages do not.
	lt.Reload()
	lt.WaitApp(appReady + " .lab")
	lt.WaitVisible(clientItem("A") + `[data-status="disconnected"]`)
	lt.WaitVisible(clientItem("B") + `[aria-current="true"]`)
	lt.WaitVisible("#lab-log-empty")
	if pressed, _ := browsertest.Eval[string](lt.Tab, `document.getElementById("lab-view-base64").getAttribute("aria-pressed")`); pressed != "true" {
		t.Errorf("after a reload the base64 view has aria-pressed=%q, want true", pressed)
	}
}

func TestLabWill(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLab(t, lab)

	lt.add("observer")
	lt.connect()
	lt.subscribe("status/#", "0")

	lt.add("W")
	lt.click("#lab-will")
	lt.set("#lab-will-topic", "status/w")
	lt.set("#lab-will-payload", "offline")
	lt.connect()

	// A clean disconnect: DISCONNECT, so the broker discards the will.
	lt.click("#lab-disconnect")
	lt.WaitVisible(`#lab-status[data-status="disconnected"]`)
	waitUntil(t, "W's session to end", func() bool { return lab.Broker.Stats().Sessions == 1 })
	if n := lab.Broker.Stats().WillsPublished; n != 0 {
		t.Errorf("%d wills published after a clean disconnect", n)
	}

	// Drop: the connection closes without DISCONNECT; the will fires.
	lt.connect()
	lt.click("#lab-drop")
	lt.WaitVisible(`#lab-status[data-status="disconnected"]`)
	if lt.count("#lab-conn-error") != 0 {
		t.Errorf("a drop the user asked for shows an error: %q", lt.Text("#lab-conn-error"))
	}
	lt.pick("observer")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-topic", "status/w")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-payload", "offline")
	if n := lt.count("#lab-log .lab-msg"); n != 1 {
		t.Errorf("the observer received %d messages, want the will only", n)
	}
}

func TestLabReceivesFromNativeClient(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLab(t, lab)
	lt.add("S")
	lt.connect()
	lt.subscribe("native/#", "2")

	// The clients live in the page, not in the lab's view of them: they
	// stay connected, and keep receiving, while the user is elsewhere.
	lt.click(`.app-nav a[href="/inspector"]`)
	lt.WaitFunc(`location.pathname === "/inspector" && !document.querySelector(".lab")`)

	c := nativeClient(t, lab.WS)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m := &client.Message{Topic: "native/go", Payload: []byte("from Go"), QoS: 2, Retain: true}
	if err := c.Publish(ctx, m); err != nil {
		t.Fatal(err)
	}
	lt.click(`.app-nav a[href="/lab"]`)
	lt.WaitVisible(clientItem("S") + `[data-status="connected"]`)
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-topic", "native/go")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-payload", "from Go")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-qos", "QoS 2")
	if lt.count("#lab-log .lab-msg:first-child .lab-msg-retain") != 0 {
		t.Error("a message delivered live is marked retained")
	}

	// A later subscriber gets the retained copy, marked so.
	lt.add("late")
	lt.connect()
	lt.subscribe("native/#", "1")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-payload", "from Go")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-retain", "retained")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-qos", "QoS 1")
}

// nativeClient connects a protocol/client over WebSocket to url.
func nativeClient(t *testing.T, url string) *client.Client {
	t.Helper()
	dial, err := client.Dialer(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Config{Dial: dial, Connect: protocol.Connect{ClientID: "native", CleanStart: true}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestLabBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLab(t, lab)
	lt.add("A")

	// A bad number: the field says so and the client does not connect.
	lt.set("#lab-keepalive", "sixty")
	lt.WaitText("#lab-keepalive-error", "Enter a whole number from 0 to 65535")
	lt.click("#lab-connect")
	lt.WaitText("#lab-keepalive-error", "whole number")
	if st := lab.Broker.Stats(); st.Connects != 0 {
		t.Errorf("the broker saw %d connections after a connect with a bad keepalive", st.Connects)
	}
	lt.set("#lab-url", "http://example.com/mqtt")
	lt.WaitText("#lab-url-error", "ws:// or wss://")
	lt.set("#lab-url", "")
	lt.set("#lab-keepalive", "30")
	lt.WaitFunc(`document.querySelectorAll(".lab-field-invalid").length === 0`)
	lt.connect()

	before := lab.Broker.Stats()
	lt.set("#lab-sub-filter", "sensors/#/temp")
	lt.click("#lab-subscribe")
	lt.WaitText("#lab-sub-filter-error", "# must be a whole level, and the last one")
	lt.WaitText("#lab-sub-filter-error", "MQTT-4.7.1")
	if inv, _ := browsertest.Eval[string](lt.Tab, `document.getElementById("lab-sub-filter").getAttribute("aria-invalid")`); inv != "true" {
		t.Errorf("the filter input has aria-invalid=%q, want true", inv)
	}
	lt.set("#lab-pub-topic", "sensors/+")
	lt.click("#lab-publish")
	lt.WaitText("#lab-pub-topic-error", "cannot contain + or #")
	lt.set("#lab-pub-topic", "sensors/a")
	lt.set("#lab-pub-expiry", "-5")
	// A property filled in opens the properties, which pushes the button
	// down: wait for it, or a busy page takes the click where it was.
	lt.WaitFunc(`document.querySelector(".lab-props").open`)
	lt.click("#lab-publish")
	lt.WaitText("#lab-pub-expiry-error", "whole number")

	if after := lab.Broker.Stats(); after.Subscriptions != before.Subscriptions || after.MessagesReceived != before.MessagesReceived {
		t.Errorf("bad input reached the broker: subscriptions %d → %d, messages %d → %d",
			before.Subscriptions, after.Subscriptions, before.MessagesReceived, after.MessagesReceived)
	}
	if lt.count("#lab-subs") != 0 {
		t.Error("the refused filter shows in the subscriptions")
	}
}

func TestLabRefusals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	users := writeUsers(t, dir, "alice", "wonderland")
	acl := writeFile(t, dir, "acl", "user alice\ntopic readwrite lab/#\n")
	lab := startPages(t, "-scenario", "none", "-users", users, "-acl", acl)
	lt := openLab(t, lab)

	// CONNACK refusals, with reason code, name and meaning.
	lt.add("anon")
	lt.click("#lab-connect")
	lt.WaitText("#lab-conn-error", "CONNACK refused: 0x87 Not authorized — The client is not allowed to do this.")
	lt.WaitText("#lab-conn-error", "anonymous clients are not allowed")
	lt.WaitVisible(`#lab-status[data-status="disconnected"]`)

	lt.set("#lab-username", "alice")
	lt.set("#lab-password", "rabbit")
	lt.click("#lab-connect")
	lt.WaitText("#lab-conn-error", "CONNACK refused: 0x86 Bad User Name or Password")

	// The same page in Chinese.
	lt.click("#lang-zh")
	lt.WaitText("#lab-conn-error", "CONNACK 被拒绝：0x86 用户名或密码错误 — 服务器不接受该用户名或密码。")
	lt.click("#lang-en")

	// SUBACK refusal.
	lt.set("#lab-password", "wonderland")
	lt.connect()
	if lt.count("#lab-conn-error") != 0 {
		t.Errorf("the error stays after connecting: %q", lt.Text("#lab-conn-error"))
	}
	lt.set("#lab-sub-filter", "secret/#")
	lt.click("#lab-subscribe")
	lt.WaitText("#lab-sub-error", "SUBACK refused: 0x87 Not authorized — The client is not allowed to do this.")
	lt.subscribe("lab/#", "1")
	if n := lt.count("#lab-subs .lab-sub"); n != 1 {
		t.Errorf("%d subscriptions listed, want lab/# only", n)
	}
	lt.click(`.lab-sub[data-filter="lab/#"] .lab-unsubscribe`)
	lt.WaitText("#lab-sub-result", "Unsubscribed from lab/#: 0x00 Success")
	lt.WaitFunc(`!document.querySelector("#lab-subs")`)
}

func TestLabConnectionErrors(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLab(t, lab)

	// Nothing listens there.
	nowhere := "ws://127.0.0.1:" + freePort(t) + "/mqtt"
	lt.expected = append(lt.expected, "WebSocket connection to '"+nowhere+"' failed")
	lt.add("nowhere")
	lt.set("#lab-url", nowhere)
	lt.click("#lab-connect")
	lt.WaitText("#lab-conn-error", "Could not reach a broker at "+nowhere)
	lt.WaitVisible(`#lab-status[data-status="disconnected"]`)

	// Another connection with the same client identifier takes the
	// session over: the broker disconnects the page's client.
	lt.add("P")
	lt.set("#lab-client-id", "taken-over")
	lt.connect()
	dial, err := client.Dialer(lab.WS, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := client.New(client.Config{Dial: dial, Connect: protocol.Connect{ClientID: "taken-over", CleanStart: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := other.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	lt.WaitText("#lab-conn-error", "Connection lost: The broker sent DISCONNECT: 0x8e Session taken over — Another connection with the same client identifier took this session over.")
	lt.WaitVisible(`#lab-status[data-status="disconnected"]`)
	lt.WaitVisible(clientItem("P") + `[data-status="disconnected"]`)
}

// writeFile writes a file of the test and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeUsers writes a -users file with one user.
func writeUsers(t *testing.T, dir, user, password string) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, "users", user+":"+string(hash)+"\n")
}

// waitUntil polls cond until it holds, failing the test after the browser
// step timeout.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(browsertest.Timeout); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestLabListsAfterRemoval acts on the rows of the lab's lists after a row
// above them went away: each row acts on what it shows, not on what was in
// its place when it was first drawn.
func TestLabListsAfterRemoval(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLab(t, lab)
	lt.add("A")
	lt.connect()
	for _, f := range []string{"a/#", "b/#", "c/#"} {
		lt.subscribe(f, "0")
	}
	lt.click(`.lab-sub[data-filter="b/#"] .lab-unsubscribe`)
	lt.WaitText("#lab-sub-result", "Unsubscribed from b/#")
	lt.WaitFunc(`!document.querySelector('.lab-sub[data-filter="b/#"]')`)
	lt.click(`.lab-sub[data-filter="c/#"] .lab-unsubscribe`)
	lt.WaitText("#lab-sub-result", "Unsubscribed from c/#")
	lt.WaitFunc(`document.querySelectorAll(".lab-sub").length === 1`)
	if got := lt.Text("#lab-subs"); !strings.Contains(got, "a/#") {
		t.Errorf("after unsubscribing b/# and c/#, the list reads %q", got)
	}

	lt.add("B")
	lt.add("C")
	lt.pick("A")
	lt.click("#lab-remove")
	lt.WaitFunc(`!document.querySelector('` + clientItem("A") + `')`)
	lt.pick("C")
	lt.pick("B")
}

// TestLabLogPause pauses a log that filled since it was first drawn: the
// log holds what it showed at the click, and shows what came meanwhile
// once resumed.
func TestLabLogPause(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openLab(t, lab)
	lt.add("A")
	lt.connect()
	lt.subscribe("p/#", "0")
	lt.publish("p/1", "one")
	lt.publish("p/2", "two")
	lt.WaitFunc(`document.querySelectorAll("#lab-log .lab-msg").length === 2`)

	lt.click("#lab-log-pause")
	lt.WaitVisible(`#lab-log-pause[aria-pressed="true"]`)
	if n := lt.count("#lab-log .lab-msg"); n != 2 {
		t.Errorf("the paused log shows %d messages, want the 2 it showed", n)
	}
	lt.publish("p/3", "three")
	lt.WaitText("#lab-counters", "3 received")
	if n := lt.count("#lab-log .lab-msg"); n != 2 {
		t.Errorf("the paused log shows %d messages after one more came, want 2", n)
	}
	lt.click("#lab-log-pause")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-payload", "three")
}
