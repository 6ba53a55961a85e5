//go:build !js

package browsertest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// page is a small page that exercises the helpers: a button that changes a
// text, an input that echoes, and on demand a console error, an uncaught
// exception and requests that try to leave the machine.
const page = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>browsertest</title></head>
<body>
<p id="out">ready</p>
<button id="b" onclick="setTimeout(() => { document.getElementById('out').textContent = 'clicked' }, 30)">go</button>
<input id="in" oninput="document.getElementById('echo').textContent = this.value">
<p id="echo"></p>
<script>
if (location.search.includes("noise")) {
  console.error("something went wrong");
  setTimeout(() => { throw new Error("uncaught boom") }, 0);
}
if (location.search.includes("escape")) {
  fetch("http://example.com/escape.json").catch(() => {});
  new Image().src = "http://192.0.2.1/escape.png";
}
</script>
</body></html>`

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Test", "yes")
		w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestClickTypeText(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tab := NewTab(t)
	tab.Navigate(srv.URL + "/")
	tab.WaitVisible("#b")
	if got := tab.Text("#out"); got != "ready" {
		t.Errorf("text before the click = %q, want ready", got)
	}
	tab.Click("#b")
	if got := tab.WaitText("#out", "clicked"); got != "clicked" {
		t.Errorf("text after the click = %q", got)
	}
	tab.Type("#in", "hello 你好")
	tab.WaitText("#echo", "hello 你好")
	title, err := Eval[string](tab, "document.title")
	if err != nil || title != "browsertest" {
		t.Errorf("Eval(document.title) = %q, %v", title, err)
	}
	if errs := tab.ConsoleErrors(); len(errs) != 0 {
		t.Errorf("console errors on a clean page: %q", errs)
	}
}

func TestRequestsAndHeaders(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tab := NewTab(t)
	tab.Navigate(srv.URL + "/")
	tab.Navigate(srv.URL + "/missing")

	reqs := tab.Requests()
	var doc, missing *Request
	for i := range reqs {
		switch reqs[i].URL {
		case srv.URL + "/":
			doc = &reqs[i]
		case srv.URL + "/missing":
			missing = &reqs[i]
		}
	}
	if doc == nil || missing == nil {
		t.Fatalf("requests %+v lack the two pages", reqs)
	}
	if doc.Status != 200 || doc.Header.Get("X-Test") != "yes" || doc.Type != "Document" {
		t.Errorf("page request: status %d, X-Test %q, type %q", doc.Status, doc.Header.Get("X-Test"), doc.Type)
	}
	if missing.Status != 404 {
		t.Errorf("missing page: status %d, want 404", missing.Status)
	}
}

func TestConsoleErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tab := NewTab(t)
	tab.Navigate(srv.URL + "/?noise")
	tab.WaitFunc(`true`)
	var errs []string
	// The exception is thrown from a timer: wait for it to be reported.
	for range 100 {
		if errs = tab.ConsoleErrors(); len(errs) >= 2 {
			break
		}
		tab.WaitFunc(`new Promise(r => setTimeout(() => r(true), 20))`)
	}
	joined := strings.Join(errs, "\n")
	for _, want := range []string{"error: something went wrong", "uncaught boom"} {
		if !strings.Contains(joined, want) {
			t.Errorf("console errors %q lack %q", errs, want)
		}
	}
}

func TestEscapedRequestsAreCaught(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tab := NewTab(t)
	tab.Navigate(srv.URL + "/?escape")
	want := []string{"GET http://example.com/escape.json", "GET http://192.0.2.1/escape.png"}
	for range 250 {
		if got := Escaped(); containsAll(got, want) {
			return
		}
		tab.WaitFunc(`new Promise(r => setTimeout(() => r(true), 20))`)
	}
	t.Errorf("Escaped() = %q, want it to hold %q", Escaped(), want)
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
