//go:build !js

package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/internal/browsertest"
	"github.com/mqttlab/mqttlab/server/broker"
	"github.com/mqttlab/mqttlab/server/fleet"
	"github.com/mqttlab/mqttlab/server/webapp"
	"go.uber.org/goleak"
)

// TestMain stops the shared browser of the page tests, then fails the
// package if a test left a goroutine behind.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := browsertest.Shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		code = max(code, 1)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// labServer is the whole lab over HTTP for a page test: the web app, /mqtt
// and the broker behind it, on 127.0.0.1.
type labServer struct {
	// URL is the page's base, http://127.0.0.1:port.
	URL string
	// WS is the ws:// URL of /mqtt.
	WS     string
	Broker *broker.Broker
	// Fleet runs the -scenario's devices (the demo unless -scenario none).
	Fleet *fleet.Runner
}

// startPages serves the command's HTTP handler, configured by flags (as on
// the command line), for the browser tests. It fails the test when the
// binary was built without app.wasm (`make test` builds it first).
func startPages(t *testing.T, flags ...string) *labServer {
	t.Helper()
	app, err := webapp.New(webapp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Check(); err != nil {
		t.Fatalf("%v\n(`make test` builds it before running the tests)", err)
	}
	cfg, err := parseServeFlags(flags, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	if err := configureAuth(cfg); err != nil { // -users, -acl
		t.Fatal(err)
	}
	return serveLab(t, cfg)
}

// serveLab serves the command's HTTP handler for cfg with the broker and
// fleet it configures, on 127.0.0.1, until the test ends.
func serveLab(t *testing.T, cfg *config) *labServer {
	t.Helper()
	b, err := broker.New(cfg.broker)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := newFleet(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux, err := newMux(b, fr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		if err := closeFleet(fr); err != nil {
			t.Errorf("fleet close: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := b.Shutdown(ctx); err != nil {
			t.Errorf("broker shutdown: %v", err)
		}
	})
	return &labServer{URL: srv.URL, WS: "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt", Broker: b, Fleet: fr}
}

// appReady matches the shell once the WebAssembly app has rendered it.
const appReady = `.app[data-runtime="wasm"]`

func TestPagesHome(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t)
	lab := startPages(t)
	tab.Navigate(lab.URL + "/")
	tab.WaitApp(appReady)
	tab.Click(`.app-nav a[href="/broker"]`)
	tab.WaitText("main h1", "Broker")
	if esc := browsertest.Escaped(); len(esc) > 0 {
		t.Errorf("requests left the machine: %v", esc)
	}
}
