//go:build !js

package webapp

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// appReady matches the shell once the WebAssembly app has rendered it; the
// server's pre-rendered copy says data-runtime="server".
const appReady = `.app[data-runtime="wasm"]`

// newAppServer serves the handler with the files embedded in this build on
// 127.0.0.1.
func newAppServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	h, err := New(Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := h.Check(); err != nil {
		tb.Fatalf("%v\n(`make test` builds it before running the tests)", err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

func TestAppInBrowser(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t) // first: it skips when told to
	srv := newAppServer(t)

	tab.Navigate(srv.URL + "/")
	tab.WaitApp(appReady)
	tab.WaitText("main h1", "See MQTT at work")
	ready, err := browsertest.Eval[float64](tab, "performance.now()")
	if err == nil {
		t.Logf("from navigation to the running app: %.0f ms", ready)
	}

	// Client-side routing: the page changes without a page load, which
	// would drop this marker.
	if _, err := browsertest.Eval[bool](tab, "window.mqttlabMarker = true"); err != nil {
		t.Fatal(err)
	}
	tab.Click(`.app-nav a[href="/lab"]`)
	tab.WaitText("main h1", "Lab")
	if path, _ := browsertest.Eval[string](tab, "location.pathname"); path != "/lab" {
		t.Errorf("after the click the address is %q, want /lab", path)
	}
	if kept, _ := browsertest.Eval[bool](tab, "window.mqttlabMarker === true"); !kept {
		t.Error("following the link reloaded the page: routing is not client-side")
	}
	if current, _ := browsertest.Eval[string](tab, `document.querySelector('.app-nav a[aria-current="page"]')?.getAttribute("href") ?? ""`); current != "/lab" {
		t.Errorf("the navigation marks %q as the current page, want /lab", current)
	}

	// Switch to Chinese.
	tab.Click("#lang-zh")
	tab.WaitText("main h1", "实验室")
	tab.WaitText(".app-nav", "检查器")
	if lang, _ := browsertest.Eval[string](tab, "document.documentElement.lang"); lang != "zh-CN" {
		t.Errorf("<html lang> = %q, want zh-CN", lang)
	}
	if pressed, _ := browsertest.Eval[string](tab, `document.getElementById("lang-zh").getAttribute("aria-pressed")`); pressed != "true" {
		t.Errorf("the 中文 button has aria-pressed=%q, want true", pressed)
	}
	if title, _ := browsertest.Eval[string](tab, "document.title"); title != "实验室 · mqttlab" {
		t.Errorf("document.title = %q", title)
	}

	// The choice survives a reload.
	tab.Reload()
	tab.WaitApp(appReady)
	tab.WaitText("main h1", "实验室")
	tab.WaitText("footer", "学习")

	// And back.
	tab.Click("#lang-en")
	tab.WaitText("main h1", "Lab")

	checkTraffic(t, tab, srv.URL)
}

// checkTraffic asserts what the page fetched: app.wasm as brotli, nothing
// from anywhere but the test server, and a clean console.
func checkTraffic(t *testing.T, tab *browsertest.Tab, origin string) {
	t.Helper()
	var wasm *browsertest.Request
	reqs := tab.Requests()
	for i, r := range reqs {
		if !strings.HasPrefix(r.URL, origin+"/") {
			t.Errorf("request to %s: only the test server %s may be asked", r.URL, origin)
		}
		if r.Failed != "" {
			t.Errorf("request to %s failed: %s", r.URL, r.Failed)
		}
		if r.URL == origin+wasmPath && wasm == nil {
			wasm = &reqs[i]
		}
	}
	if wasm == nil {
		t.Fatalf("the page never fetched app.wasm; it fetched %d URLs", len(reqs))
	}
	if wasm.FromServiceWorker || wasm.FromCache {
		t.Errorf("the first app.wasm came from a cache (service worker %v, HTTP cache %v)", wasm.FromServiceWorker, wasm.FromCache)
	}
	if got := wasm.Header.Get("Content-Encoding"); got != "br" {
		t.Errorf("app.wasm arrived with Content-Encoding %q, want br", got)
	}
	if got := wasm.Header.Get("Content-Type"); got != "application/wasm" {
		t.Errorf("app.wasm arrived as %q, want application/wasm", got)
	}
	if n, err := strconv.Atoi(wasm.Header.Get(WasmLengthHeader)); err != nil || n < 1_000_000 {
		t.Errorf("%s = %q, want the size of app.wasm", WasmLengthHeader, wasm.Header.Get(WasmLengthHeader))
	}
	if escaped := browsertest.Escaped(); len(escaped) > 0 {
		t.Errorf("the browser tried to leave the machine: %q", escaped)
	}
	if errs := tab.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n  %s", strings.Join(errs, "\n  "))
	}
}

func TestDeepLinkInBrowser(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t) // first: it skips when told to
	srv := newAppServer(t)

	tab.Navigate(srv.URL + "/lessons/qos")
	tab.WaitApp(appReady)
	tab.WaitText("main h1", "QoS 0, 1 and 2")
	if current, _ := browsertest.Eval[string](tab, `document.querySelector('.app-nav a[aria-current="page"]')?.getAttribute("href") ?? ""`); current != "/lessons" {
		t.Errorf("the navigation marks %q as the current page, want /lessons", current)
	}
	tab.Click(`a.brand`)
	tab.WaitText("main h1", "See MQTT at work")
	// This package serves the app without a broker, so the lesson's
	// clients find no /mqtt; the server package runs the lessons against
	// the real one. Any other console error is a failure.
	var errs []string
	for _, e := range tab.ConsoleErrors() {
		if !strings.Contains(e, "/mqtt") {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		t.Errorf("console errors:\n  %s", strings.Join(errs, "\n  "))
	}
}

// BenchmarkPageReady measures a first visit: from the start of the
// navigation, with empty caches, to the app running and showing its page
// (for /lab: its client list and "add client" form, ready to take a
// click). It reports the browser's own clock (ms-to-ready) beside the wall
// time.
//
//	go test -run '^$' -bench PageReady ./server/webapp/
func BenchmarkPageReady(b *testing.B) {
	browsertest.NewTab(b).Close() // skips when told to, and starts the browser
	srv := newAppServer(b)
	for _, page := range []struct{ name, path, ready string }{
		{"home", "/", appReady},
		{"lab", "/lab", appReady + " #lab-add-form"},
	} {
		b.Run(page.name, func(b *testing.B) {
			var total float64
			for b.Loop() {
				tab := browsertest.NewTab(b)
				start := time.Now()
				tab.Navigate(srv.URL + page.path)
				tab.WaitApp(page.ready)
				ms, err := browsertest.Eval[float64](tab, "performance.now()")
				if err != nil {
					b.Fatal(err)
				}
				total += ms
				b.Logf("%s ready after %.0f ms in the browser, %v wall", page.path, ms, time.Since(start).Round(time.Millisecond))
				tab.Close()
			}
			b.ReportMetric(total/float64(b.N), "ms-to-ready")
		})
	}
}
