//go:build !js

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Tab is one browser tab of a test, in a browser context of its own. Its
// methods fail the test on error; they are for the test's goroutine.
type Tab struct {
	t      testing.TB
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	order    []network.RequestID
	requests map[network.RequestID]*Request
	console  []chromedp.ConsoleMessage

	consoleDone chan struct{}
	closeOnce   sync.Once
}

// Request is one network request of the tab, as the browser reports it.
type Request struct {
	URL    string
	Method string
	// Type is the kind of resource: Document, Script, Fetch, …
	Type string
	// Status is the HTTP status, 0 until a response arrives.
	Status int64
	// Header holds the response headers.
	Header http.Header
	// FromServiceWorker reports a response served by the page's service
	// worker; FromCache one from the HTTP cache.
	FromServiceWorker bool
	FromCache         bool
	// Failed is the browser's error text when the request failed.
	Failed string
}

// NewTab opens a tab for the test, starting the browser if no test has yet.
// The tab closes when the test ends; if the test failed, a screenshot of the
// tab is saved first and its path logged. Without a browser the test fails
// (or skips, with MQTTLAB_SKIP_BROWSER=1).
func NewTab(t testing.TB) *Tab {
	t.Helper()
	if os.Getenv(SkipEnv) == "1" {
		t.Skip("browser tests skipped: " + SkipEnv + "=1")
	}
	if err := start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithNewBrowserContext())
	tab := &Tab{
		t:           t,
		ctx:         ctx,
		cancel:      cancel,
		requests:    map[network.RequestID]*Request{},
		consoleDone: make(chan struct{}),
	}
	// Subscribe before the first navigation, so nothing is missed.
	messages := chromedp.Console(ctx)
	if err := chromedp.Listen(ctx, tab.onEvent); err != nil {
		cancel()
		t.Fatalf("browsertest: opening a tab: %v", err)
	}
	go func() {
		defer close(tab.consoleDone)
		for m, err := range messages {
			if err != nil {
				return
			}
			tab.mu.Lock()
			tab.console = append(tab.console, m)
			tab.mu.Unlock()
		}
	}()
	t.Cleanup(tab.Close)
	return tab
}

// Close closes the tab and its browser context, first saving a screenshot
// if the test has failed. The end of the test closes it too; closing twice
// does nothing.
func (tab *Tab) Close() {
	tab.closeOnce.Do(tab.close)
}

func (tab *Tab) close() {
	if tab.t.Failed() {
		if path, err := tab.screenshot(); err != nil {
			tab.t.Logf("browsertest: no screenshot: %v", err)
		} else {
			tab.t.Logf("browsertest: screenshot of the failed test: %s", path)
		}
	}
	tab.cancel()
	<-tab.consoleDone
}

// onEvent records the network events; it runs on the tab's event loop and
// must be quick.
func (tab *Tab) onEvent(ev any) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r := &Request{URL: ev.Request.URL, Method: ev.Request.Method, Type: string(ev.Type)}
		if _, ok := tab.requests[ev.RequestID]; !ok {
			tab.order = append(tab.order, ev.RequestID)
		}
		tab.requests[ev.RequestID] = r // a redirect replaces the request
	case *network.EventResponseReceived:
		r, ok := tab.requests[ev.RequestID]
		if !ok {
			r = &Request{URL: ev.Response.URL, Type: string(ev.Type)}
			tab.requests[ev.RequestID] = r
			tab.order = append(tab.order, ev.RequestID)
		}
		r.Status = ev.Response.Status
		r.Header = http.Header{}
		for k, v := range ev.Response.Headers {
			// Headers that occur more than once arrive joined by newlines.
			for line := range strings.SplitSeq(fmt.Sprint(v), "\n") {
				r.Header.Add(k, line)
			}
		}
		r.FromServiceWorker = ev.Response.FromServiceWorker
		r.FromCache = ev.Response.FromDiskCache
	case *network.EventLoadingFailed:
		if r, ok := tab.requests[ev.RequestID]; ok {
			r.Failed = ev.ErrorText
		}
	}
}

// Context is the tab's chromedp context, for actions this package has no
// helper for. Bound it with a timeout derived from it.
func (tab *Tab) Context() context.Context { return tab.ctx }

// do runs actions with the step timeout and fails the test on error.
func (tab *Tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tab.t.Fatalf("browsertest: %s: %v%s", what, err, tab.consoleReport())
	}
}

// Navigate loads url and waits for its load event.
func (tab *Tab) Navigate(url string) {
	tab.t.Helper()
	tab.do("navigate to "+url, chromedp.Navigate(url))
}

// Reload reloads the page and waits for its load event.
func (tab *Tab) Reload() {
	tab.t.Helper()
	tab.do("reload", chromedp.Reload())
}

// WaitVisible waits until an element matching the CSS selector is visible.
func (tab *Tab) WaitVisible(selector string) {
	tab.t.Helper()
	tab.do("wait for "+selector, chromedp.WaitVisible(chromedp.CSS(selector)))
}

// WaitApp waits until go-app has started the WebAssembly app (its loading
// screen is gone) and an element matching the CSS selector is visible. Use
// a selector only the running app renders: go-app's server pre-renders the
// same components into the HTML.
func (tab *Tab) WaitApp(selector string) {
	tab.t.Helper()
	tab.do("wait for the app ("+selector+")",
		chromedp.WaitNotPresent(chromedp.CSS("#app-wasm-loader")),
		chromedp.WaitVisible(chromedp.CSS(selector)),
	)
}

// Click clicks the first element matching the CSS selector, once visible.
func (tab *Tab) Click(selector string) {
	tab.t.Helper()
	tab.do("click "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// Type types text into the element matching the CSS selector, as key
// presses.
func (tab *Tab) Type(selector, text string) {
	tab.t.Helper()
	tab.do("type into "+selector, chromedp.SendKeys(chromedp.CSS(selector), text, chromedp.NodeVisible))
}

// Text returns the visible text of the first element matching the CSS
// selector.
func (tab *Tab) Text(selector string) string {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector), chromedp.NodeVisible))
	if err != nil {
		tab.t.Fatalf("browsertest: text of %s: %v%s", selector, err, tab.consoleReport())
	}
	return s
}

// WaitText waits until the text of the first element matching the CSS
// selector contains want, and returns that text. This is how a test waits
// for the app to react to a click: the app renders asynchronously.
func (tab *Tab) WaitText(selector, want string) string {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.PollFunction[bool](
		`(sel, want) => { const e = document.querySelector(sel); return !!e && e.innerText.includes(want); }`,
		chromedp.WithPollingArgs(selector, want),
		chromedp.WithPollingInterval(20*time.Millisecond),
		chromedp.WithPollingTimeout(Timeout),
	))
	if err != nil {
		got, _ := Eval[string](tab, `(document.querySelector(`+jsString(selector)+`) || {}).innerText || "(no such element)"`)
		tab.t.Fatalf("browsertest: waiting for %q in %s: %v\nit reads: %q%s", want, selector, err, got, tab.consoleReport())
	}
	return tab.Text(selector)
}

// WaitFunc waits until the JavaScript expression is truthy.
func (tab *Tab) WaitFunc(expression string) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expression,
		chromedp.WithPollingInterval(20*time.Millisecond),
		chromedp.WithPollingTimeout(Timeout),
	))
	if err != nil {
		tab.t.Fatalf("browsertest: waiting for %s: %v%s", expression, err, tab.consoleReport())
	}
}

// Eval evaluates a JavaScript expression in the tab and decodes its value
// into T (awaiting it if it is a promise).
func Eval[T any](tab *Tab, expression string) (T, error) {
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// Requests returns the tab's network requests so far, in the order they
// were sent.
func (tab *Tab) Requests() []Request {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	out := make([]Request, 0, len(tab.order))
	for _, id := range tab.order {
		r := *tab.requests[id]
		r.Header = r.Header.Clone()
		out = append(out, r)
	}
	return out
}

// Console returns every console message, uncaught exception and browser
// log entry of the tab so far.
func (tab *Tab) Console() []chromedp.ConsoleMessage {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), tab.console...)
}

// ConsoleErrors returns the errors among Console: console.error calls,
// uncaught exceptions and rejections, and browser log errors (such as a
// failed load or a violated Content-Security-Policy), each as
// "kind: text (url:line)".
func (tab *Tab) ConsoleErrors() []string {
	var errs []string
	for _, m := range tab.Console() {
		if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException {
			continue
		}
		s := m.String()
		if m.URL != "" {
			s += fmt.Sprintf(" (%s:%d)", m.URL, m.Line+1)
		}
		errs = append(errs, s)
	}
	return errs
}

// consoleReport adds the console errors to a failure message.
func (tab *Tab) consoleReport() string {
	errs := tab.ConsoleErrors()
	if len(errs) == 0 {
		return ""
	}
	return "\nconsole errors:\n  " + strings.Join(errs, "\n  ")
}

// Screenshot saves a PNG of the whole page and returns its path.
func (tab *Tab) Screenshot() string {
	tab.t.Helper()
	path, err := tab.screenshot()
	if err != nil {
		tab.t.Fatalf("browsertest: screenshot: %v", err)
	}
	return path
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func (tab *Tab) screenshot() (string, error) {
	ctx, cancel := context.WithTimeout(tab.ctx, 15*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "", err
	}
	dir := os.Getenv(ScreenshotEnv)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "mqttlab-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := unsafeName.ReplaceAllString(tab.t.Name(), "_") + "-" + time.Now().Format("150405.000") + ".png"
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "", err
	}
	return path, nil
}
