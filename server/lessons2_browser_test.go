//go:build !js

package main

import (
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/internal/browsertest"
)

// Lessons 7 to 11 in a real browser: each experiment done as a learner
// would, by clicking and typing, on real packets through the lab's broker;
// the self-check turns green only when the step was done.

// openExperiment opens /lessons/{slug} of lab in a new tab and waits for the
// running experiment.
func openExperiment(t *testing.T, lab *labServer, slug string) *labTab {
	t.Helper()
	tab := browsertest.NewTab(t)
	tab.Navigate(lab.URL + "/lessons/" + slug)
	tab.WaitApp(appReady + " .exp")
	lt := &labTab{Tab: tab, t: t}
	t.Cleanup(lt.checkConsole)
	return lt
}

// press clicks the button matching selector once it is enabled.
func (lt *labTab) press(selector string) {
	lt.t.Helper()
	lt.WaitVisible(selector + ":not([disabled])")
	lt.click(selector)
}

// stepDone waits until the experiment's checklist item id is ticked.
func (lt *labTab) stepDone(id string) {
	lt.t.Helper()
	lt.WaitVisible("#" + id + `[data-ok="true"]`)
}

// lessonDone waits until the lesson's self-check is green.
func (lt *labTab) lessonDone() {
	lt.t.Helper()
	lt.WaitVisible(`#self-check[data-done="true"]`)
}

// notDone fails the test if the self-check or the checklist item id is
// green.
func (lt *labTab) notDone(id string) {
	lt.t.Helper()
	got, err := browsertest.Eval[[]string](lt.Tab, `[document.querySelector("#self-check").dataset.done,
		document.getElementById(`+jsQuote(id)+`).dataset.ok]`)
	if err != nil {
		lt.t.Fatal(err)
	}
	if got[0] != "false" || got[1] != "false" {
		lt.t.Errorf("self-check done=%s, %s ok=%s: want both false", got[0], id, got[1])
	}
}

// receiverDiagram is the sequence diagram of the QoS lesson's receiver.
const receiverDiagram = `.sequence[data-client="qos-receiver"]`

func TestLessonQoS(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "qos")

	// QoS 1: the receiver fails before its PUBACK and its link is cut; the
	// broker sends the message again with DUP, and it is delivered twice.
	lt.WaitVisible("#qos-publish:not([disabled])")
	lt.click("#qos-withhold")
	lt.press("#qos-publish")
	lt.WaitText("#qos-delivered", "message 1 · QoS 1")
	lt.press("#qos-cut")
	lt.stepDone("check-qos1-dup")
	lt.WaitText("#qos-delivered", "message 1 · QoS 1 · DUP")
	lt.WaitVisible(receiverDiagram + ` [data-seq="arrow"][aria-label*="DUP"]`)
	lt.notDone("check-qos2-once")

	// QoS 2: the same fault; the message comes again with DUP, the
	// handshake completes and the application gets it once.
	lt.click("#qos-clear")
	lt.set("#qos-level", "2")
	lt.click("#qos-withhold")
	lt.press("#qos-publish")
	lt.WaitText("#qos-delivered", "message 2 · QoS 2")
	lt.press("#qos-cut")
	lt.stepDone("check-qos2-once")
	lt.lessonDone()
	if got := lt.Text(receiverDiagram); !containsAll(got, "QoS 2", "DUP", "PUBREC", "PUBREL", "PUBCOMP") {
		t.Errorf("the diagram reads %q: want the QoS 2 handshake with the DUP re-send", got)
	}
	if n := lt.count("#qos-delivered li"); n != 1 {
		t.Errorf("%d deliveries at QoS 2, want 1", n)
	}
}

// Without the fault, cutting the link re-sends nothing: no duplicate, and
// the self-check stays red.
func TestLessonQoSNotDone(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "qos")
	lt.press("#qos-publish")
	lt.WaitText("#qos-delivered", "message 1")
	lt.press("#qos-cut")
	lt.WaitFunc(`document.querySelectorAll('` + receiverDiagram + ` [data-type="CONNACK"]').length == 2`)
	// The broker re-sends what is in flight before anything new: once
	// message 2 is in, a re-send of message 1 would be too.
	lt.press("#qos-publish")
	lt.WaitText("#qos-delivered", "message 2")
	lt.notDone("check-qos1-dup")
	if n := lt.count("#qos-delivered li"); n != 2 {
		t.Errorf("%d deliveries, want 2", n)
	}
}

func TestLessonWildcards(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "wildcards")
	lt.press("#wildcards-samples")
	lt.WaitText(`#topic-tree tr[data-topic="home/garden/soil/moisture"]`, "0.31")

	setFilter(t, lt.Tab, "home/+/temp")
	lt.WaitText("#filter-matches", "2 topics")
	lt.stepDone("check-plus")
	lt.notDone("check-hash")
	setFilter(t, lt.Tab, "home/#")
	lt.WaitText("#filter-matches", "4 topics")
	lt.stepDone("check-hash")
	lt.lessonDone()
	if got := lt.Text("#check-plus"); !strings.Contains(got, "home/+/temp") {
		t.Errorf("the checklist reads %q: want the filter that matched", got)
	}
}

// On the lab as it starts by default, the demo fleet's topics are there to
// be matched: its devices' statuses are retained, so the tree has them at
// once.
func TestLessonWildcardsDemo(t *testing.T) {
	t.Parallel()
	lab := startPages(t)
	lt := openExperiment(t, lab, "wildcards")
	setFilter(t, lt.Tab, "building/+/thermostat/+/status")
	lt.WaitText("#filter-matches", "3 topics")
	lt.stepDone("check-plus")
	setFilter(t, lt.Tab, "building/utility/#")
	lt.stepDone("check-hash")
	lt.lessonDone()
}

// Filters that match nothing, match without a wildcard, or are not valid
// leave the self-check red. (They are set whole: typed key by key,
// home/#/temp passes through home/#, which matches.)
func TestLessonWildcardsNotDone(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "wildcards")
	lt.press("#wildcards-samples")
	lt.WaitText(`#topic-tree tr[data-topic="office/desk/temp"]`, "23.2")
	lt.set("#topic-filter", "garage/+/temp")
	lt.WaitText("#filter-matches", "0 topics")
	lt.set("#topic-filter", "home/kitchen/temp")
	lt.WaitText("#filter-matches", "1 topic ")
	lt.set("#topic-filter", "home/#/temp")
	lt.WaitText("#filter-error", "Not a valid filter")
	lt.notDone("check-plus")
	lt.notDone("check-hash")
}

func TestLessonRetained(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "retained")
	lt.press("#retain-connect")
	lt.press("#retain-publish")
	// Stored once the broker acknowledged it: "online", then the reading.
	lt.WaitFunc(`document.querySelectorAll('.sequence[data-client="retain-sensor"] [data-type="PUBACK"]').length == 2`)
	lt.press("#retain-subscribe")
	lt.WaitText("#retain-got", "sensor/temp = 20.5 · RETAIN")
	lt.WaitText("#retain-got", "sensor/status = online · RETAIN")
	lt.stepDone("check-retained")
	lt.notDone("check-will")

	lt.press("#retain-drop")
	lt.WaitText("#retain-got", "sensor/status = offline")
	lt.lessonDone()
}

// A display that subscribes before the sensor publishes gets live
// messages, without RETAIN: no stored value was needed, and the check
// stays red.
func TestLessonRetainedNotDone(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "retained")
	lt.press("#retain-subscribe")
	lt.WaitVisible(`.sequence[data-client="retain-display"] [data-type="SUBACK"]`)
	lt.press("#retain-connect")
	lt.press("#retain-publish")
	lt.WaitText("#retain-got", "sensor/temp = 20.5")
	if got := lt.Text("#retain-got"); strings.Contains(got, "RETAIN") {
		t.Errorf("live messages marked retained: %q", got)
	}
	lt.notDone("check-retained")
}

// phoneDiagram and deviceDiagram are the sequence diagrams of the
// sessions lesson's clients.
const (
	phoneDiagram  = `.sequence[data-client="session-phone"]`
	deviceDiagram = `.sequence[data-client="ka-device"]`
)

func TestLessonSessions(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "sessions")

	// A persistent session: away, a message waits for the phone in it.
	lt.click("#session-clean")
	lt.set("#session-expiry", "300")
	lt.press("#session-connect")
	lt.WaitText("#session-connacks", "Session Present = 0")
	lt.WaitVisible(phoneDiagram + ` [data-type="SUBACK"]`)
	lt.press("#session-disconnect")
	lt.press("#session-send")
	lt.WaitText("#session-sent", "message 1")
	lt.press("#session-connect")
	lt.WaitText("#session-connacks", "Session Present = 1")
	lt.WaitText("#session-inbox", "message 1")
	lt.stepDone("check-session")
	lt.notDone("check-keepalive")

	// A silent device: the broker ends it at 1.5 keepalives and
	// publishes its will.
	lt.press("#keepalive-connect")
	lt.press("#keepalive-pause")
	lt.WaitText("#keepalive-watch", "device/status = offline")
	lt.WaitText("#keepalive-watch", "no packet within 1.5 times the keep alive")
	lt.WaitVisible(deviceDiagram + ` [data-type="DISCONNECT"]`)
	lt.lessonDone()
}

// With Clean Start the broker forgets the phone: Session Present = 0 and
// the message sent meanwhile is lost; a device that keeps pinging stays.
func TestLessonSessionsNotDone(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "sessions")
	lt.press("#session-connect")
	lt.WaitVisible(phoneDiagram + ` [data-type="SUBACK"]`)
	lt.press("#session-disconnect")
	lt.press("#session-send")
	lt.WaitText("#session-sent", "message 1")
	lt.press("#session-connect")
	lt.WaitFunc(`document.querySelectorAll("#session-connacks li").length == 2`)
	lt.WaitVisible(phoneDiagram + ` [data-type="SUBACK"]`)
	if got := lt.Text("#session-connacks"); strings.Contains(got, "Session Present = 1") {
		t.Errorf("the broker kept a clean session: %q", got)
	}
	lt.press("#keepalive-connect")
	lt.WaitVisible(deviceDiagram + ` [data-type="PINGRESP"]`)
	lt.notDone("check-session")
	lt.notDone("check-keepalive")
	if got := lt.Text("#session-inbox"); strings.Contains(got, "message 1") {
		t.Errorf("a message sent before a clean start arrived: %q", got)
	}
}

func TestLessonMQTT5(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "mqtt5")

	// A reason code: jobs nobody subscribed to.
	lt.press("#v5-jobs")
	lt.WaitText("#v5-counts", "0x10 No matching subscribers")
	// Shared: the broker deals the jobs out, one member each.
	lt.press("#v5-workers")
	lt.WaitText("#v5-counts", "$share/workers/lesson/")
	lt.press("#v5-jobs")
	lt.stepDone("check-shared")
	for _, w := range []string{"v5-worker-1: 3 jobs", "v5-worker-2: 3 jobs", "v5-worker-3: 3 jobs", "0x00 Success"} {
		lt.WaitText("#v5-counts", w)
	}
	lt.notDone("check-alias")

	// Topic aliases, both ways, measured on the packets.
	lt.press("#v5-readings")
	lt.WaitText("#v5-sizes", "The meter sent 5 PUBLISH")
	lt.WaitText("#v5-sizes", "The broker sent the dashboard 5 PUBLISH")
	lt.stepDone("check-alias")
	lt.lessonDone()

	// Request/response: the answer carries the request's correlation data.
	lt.press("#v5-request")
	lt.WaitFunc(`document.querySelectorAll("#v5-answer li").length == 3`)
	got := lt.Text("#v5-answer")
	lines := strings.Split(got, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "Correlation Data: ") ||
		!strings.Contains(lines[2], strings.TrimPrefix(lines[1], "Correlation Data: ")) {
		t.Errorf("request/response reads %q: want the request's correlation data in the answer", got)
	}

	// Message expiry: a retained message read while it lives shows the
	// time it has left.
	lt.press("#v5-expiring")
	lt.press("#v5-read")
	lt.WaitText("#v5-reads", "s left before it expires")
}

// Without $share every worker gets every job: not split, and the check
// stays red.
func TestLessonMQTT5NotDone(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "mqtt5")
	lt.click("#v5-shared")
	lt.press("#v5-workers")
	lt.WaitText("#v5-counts", "The workers subscribed to lesson/")
	lt.press("#v5-jobs")
	for _, w := range []string{"v5-worker-1: 9 jobs", "v5-worker-2: 9 jobs", "v5-worker-3: 9 jobs"} {
		lt.WaitText("#v5-counts", w)
	}
	lt.notDone("check-shared")
	lt.notDone("check-alias")
}

// Every lesson of 7 to 11 reads in Chinese, its experiment included,
// walked through with the lessons' own "next" links.
func TestLessons7to11Chinese(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	lt := openExperiment(t, lab, "wildcards")
	lt.click("#lang-zh")
	for i, want := range []struct{ title, control, text string }{
		{"主题与通配符", "#wildcards-samples", "发布示例消息"},
		{"QoS 0、1 和 2", "#qos-cut", "切断接收方的连接"},
		{"保留消息与遗嘱", "#retain-drop", "拔掉传感器的插头"},
		{"会话与保活", "#keepalive-pause", "停掉它的心跳"},
		{"MQTT 5.0 带来了什么", "#v5-workers", "启动 3 个工作者"},
	} {
		if i > 0 {
			lt.click("#lesson-next")
		}
		lt.WaitText("main h1", want.title)
		lt.WaitText(want.control, want.text)
		lt.WaitText("#self-check", "自测")
		if got := lt.Text("main"); strings.Contains(got, "[lesson.") {
			t.Errorf("%s: a message is missing: %q", want.title, got)
		}
	}
}
