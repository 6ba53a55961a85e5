//go:build !js

// Package browsertest runs the web app in a real headless Chromium for the
// tests: one browser per test binary, shared by the tests, each test in its
// own tab and its own browser context (fresh storage, cookies and service
// workers).
//
// A package with browser tests starts and stops the browser from TestMain:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
//	func TestPage(t *testing.T) {
//		tab := browsertest.NewTab(t)
//		tab.Navigate(srv.URL + "/")
//		tab.WaitApp(`[data-runtime="wasm"]`)
//		tab.Click(`a[href="/lab"]`)
//		...
//	}
//
// The browser reaches nothing but this machine: host names other than
// 127.0.0.1 do not resolve, and every request that would leave the loopback
// interface is sent to a recording proxy that refuses it, so Escaped lists
// anything the page (or its service worker, or the browser itself) tried to
// fetch from elsewhere.
//
// Chromium must be installed (`make test` installs it). Without it the tests
// fail saying so, unless MQTTLAB_SKIP_BROWSER=1 makes them skip.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Environment variables that change how the browser is found and used.
const (
	// SkipEnv set to 1 skips every browser test instead of failing when no
	// browser is installed.
	SkipEnv = "MQTTLAB_SKIP_BROWSER"
	// ChromiumEnv names the browser binary, if not chromium on the PATH.
	ChromiumEnv = "MQTTLAB_CHROMIUM"
	// ScreenshotEnv names the directory for screenshots of failed tests;
	// default: mqttlab-screenshots in the system's temporary directory.
	ScreenshotEnv = "MQTTLAB_SCREENSHOTS"
)

// Timeout bounds each step of a test in the browser (a navigation, a wait,
// a click). Loading the WebAssembly app is the slow step: seconds, more
// under the race detector on a busy machine.
var Timeout = 60 * time.Second

// startTimeout bounds the start of the browser.
const startTimeout = 60 * time.Second

// browser is the one browser of the test binary, started by the first tab.
var browser struct {
	once    sync.Once
	err     error
	ctx     context.Context // the browser's first target; tabs derive from it
	cancel  func()          // closes the browser
	dataDir string
	sink    *sink
}

// Main runs the tests of the package and then closes the browser, if a test
// started one, and removes its profile directory. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if err := Shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		if code == 0 {
			os.Exit(1)
		}
	}
	os.Exit(code)
}

// Shutdown stops the shared browser, if one was started. Main calls it; a
// TestMain that must do more after the tests (a goroutine leak check)
// calls it itself.
func Shutdown() error { return shutdown() }

// start launches the browser once; every later call returns the first
// outcome.
func start() error {
	browser.once.Do(func() { browser.err = launch() })
	return browser.err
}

// errNoBrowser says how to get a browser.
var errNoBrowser = errors.New("chromium is not installed: run `make test`, which installs it " +
	"(or set " + SkipEnv + "=1 to skip the browser tests)")

func findChromium() (string, error) {
	if p := os.Getenv(ChromiumEnv); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%s=%s: %w", ChromiumEnv, p, err)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errNoBrowser
}

func launch() error {
	path, err := findChromium()
	if err != nil {
		return err
	}
	dataDir, err := os.MkdirTemp("", "mqttlab-chromium-")
	if err != nil {
		return fmt.Errorf("browsertest: profile directory: %w", err)
	}
	sk, err := startSink()
	if err != nil {
		os.RemoveAll(dataDir)
		return err
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dataDir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		// Whatever is not for the loopback interface goes to the sink.
		chromedp.Flag("proxy-server", "http://"+sk.addr),
		chromedp.Flag("lang", "en-US"),
		// Quieten the browser's own traffic (see chromiumOwn for what is
		// left): network time, search preconnects, DNS prefetch, form
		// autofill lookups, media router, optimization hints.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,NetworkTimeServiceQuerying,"+
			"PreconnectToSearch,AutofillServerCommunication,MediaRouter,OptimizationHints"),
		chromedp.Flag("dns-prefetch-disable", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)

	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-time.After(startTimeout):
		err = fmt.Errorf("no answer after %v", startTimeout)
	}
	stop := func() {
		cancel()
		allocCancel()
	}
	if err != nil {
		stop()
		sk.close()
		os.RemoveAll(dataDir)
		return fmt.Errorf("browsertest: starting %s: %w", path, err)
	}
	browser.ctx, browser.cancel, browser.dataDir, browser.sink = ctx, stop, dataDir, sk
	return nil
}

// shutdown closes the browser and removes its profile.
func shutdown() error {
	if browser.cancel == nil {
		return nil
	}
	// Close gracefully, so Chromium flushes and exits on its own; kill it
	// if it takes too long.
	closed := make(chan error, 1)
	go func() { closed <- chromedp.Cancel(browser.ctx) }()
	var closeErr error
	select {
	case err := <-closed:
		if err != nil {
			closeErr = fmt.Errorf("closing the browser: %w", err)
		}
	case <-time.After(10 * time.Second):
		closeErr = errors.New("closing the browser: no answer after 10s; killed it")
	}
	browser.cancel()
	browser.sink.close()
	var rmErr error
	for range 20 {
		if rmErr = os.RemoveAll(browser.dataDir); rmErr == nil {
			break
		}
		time.Sleep(50 * time.Millisecond) // helpers may still be exiting
	}
	if rmErr != nil {
		rmErr = fmt.Errorf("removing the browser profile: %w", rmErr)
	}
	browser.cancel = nil
	return errors.Join(closeErr, rmErr)
}

// chromiumOwn are the connections Chromium opens by itself, whatever the
// page: account sign-in checks when a profile or browser context starts and
// the push-messaging check-in. No flag turns them off; they never reach the
// network (the sink refuses them), and Escaped leaves them out so that it
// lists only what a page or its service worker asked for. Requests of the
// page itself to these hosts still show in Tab.Requests.
var chromiumOwn = map[string]bool{
	"CONNECT accounts.google.com:443":        true,
	"CONNECT www.google.com:443":             true,
	"CONNECT android.clients.google.com:443": true,
}

// Escaped returns every request the browser tried to send off this machine
// since it started, as "METHOD URL" (a CONNECT shows the host and port),
// except Chromium's own background connections (chromiumOwn). Tests assert
// it is empty.
func Escaped() []string {
	if browser.sink == nil {
		return nil
	}
	var out []string
	for _, r := range browser.sink.requests() {
		if !chromiumOwn[r] {
			out = append(out, r)
		}
	}
	return out
}

// sink is the browser's proxy for everything not on the loopback interface:
// it records each request and refuses it.
type sink struct {
	addr string
	srv  *http.Server
	mu   sync.Mutex
	seen []string
}

func startSink() (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("browsertest: proxy listener: %w", err)
	}
	s := &sink{addr: ln.Addr().String()}
	s.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			target := r.URL.String()
			if r.Method == http.MethodConnect {
				target = r.Host
			}
			s.mu.Lock()
			s.seen = append(s.seen, r.Method+" "+target)
			s.mu.Unlock()
			http.Error(w, "browsertest: requests may not leave this machine", http.StatusForbidden)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go s.srv.Serve(ln)
	return s, nil
}

func (s *sink) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

func (s *sink) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close()
	}
}
