package fleet

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// apiCall makes a request to the API and decodes the JSON answer into out
// (when not nil); it returns the status code.
func apiCall(t *testing.T, srv *httptest.Server, method, path, body string, out any, header ...string) int {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed && ct != "application/json" {
		t.Fatalf("%s %s: Content-Type %q: %s", method, path, ct, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

func startAPI(t *testing.T) (*Runner, *httptest.Server, *watcher) {
	t.Helper()
	b, addr := startBroker(t)
	w := watch(t, addr, "rt/#", 1)
	r := startRunner(t, Options{Broker: b}, runnerDoc)
	srv := httptest.NewServer(Handler(r, []string{"lab.example"}))
	t.Cleanup(srv.Close)
	return r, srv, w
}

func TestAPIOverviewAndDevices(t *testing.T) {
	t.Parallel()
	r, srv, _ := startAPI(t)
	waitStats(t, r, "all connected", func(s Stats) bool { return s.Total.Connected == 5 })
	var o Overview
	if code := apiCall(t, srv, "GET", "/api/fleet", "", &o); code != 200 {
		t.Fatalf("status %d", code)
	}
	if o.Scenario != "rt" || !o.Running || o.Source != runnerDoc || len(o.Stats.Fleets) != 2 || o.Stats.Total.Connected != 5 || len(o.Builtins) == 0 {
		t.Fatalf("overview %+v", o)
	}
	if f := o.Fleets; len(f) != 2 || f[0].Filter != "rt/th/+/telemetry" || f[0].StatusFilter != "rt/th/+/status" || f[0].Format != "json" || f[0].Version != "5.0" ||
		len(f[0].Fields) != 1 || f[0].Fields[0].Name != "temp" || f[1].Version != "3.1.1" {
		t.Fatalf("fleets %+v", f)
	}
	var p DevicePage
	if code := apiCall(t, srv, "GET", "/api/fleet/devices?fleet=th&offset=1&limit=1", "", &p); code != 200 {
		t.Fatalf("status %d", code)
	}
	if p.Total != 3 || len(p.Devices) != 1 || p.Devices[0].ID != "th-002" || p.Devices[0].Fleet != "th" || p.Devices[0].Index != 2 ||
		!p.Devices[0].Online || p.Devices[0].Topic != "rt/th/2/telemetry" || p.Devices[0].Command != "rt/th/2/cmd" || p.Devices[0].Status != "rt/th/2/status" ||
		p.Devices[0].Reply != "rt/th/2/reply" || p.Devices[0].Version != "5.0" {
		t.Fatalf("devices %+v", p)
	}
	if code := apiCall(t, srv, "GET", "/api/fleet/devices?offset=2&limit=2", "", &p); code != 200 || p.Total != 5 || len(p.Devices) != 2 ||
		p.Devices[0].ID != "th-003" || p.Devices[1].ID != "old-001" {
		t.Fatalf("status %d, devices across fleets %+v", code, p)
	}
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/api/fleet/devices?fleet=nope", 404},
		{"/api/fleet/devices?offset=-1", 400},
		{"/api/fleet/devices?limit=x", 400},
	} {
		var e map[string]string
		if code := apiCall(t, srv, "GET", tc.path, "", &e); code != tc.code || e["error"] == "" {
			t.Errorf("GET %s: %d %v, want %d and an error", tc.path, code, e, tc.code)
		}
	}
}

func TestAPIScenario(t *testing.T) {
	t.Parallel()
	r, srv, _ := startAPI(t)
	bad := strings.Replace(runnerDoc, "    interval: 30ms\n    qos: 1", "    interval: 30ms\n    qos: 7", 1)
	var e struct{ Errors []ScenarioError }
	if code := apiCall(t, srv, "PUT", "/api/fleet/scenario", bad, &e); code != 400 {
		t.Fatalf("bad scenario: status %d", code)
	}
	if len(e.Errors) != 1 || e.Errors[0].Line != 8 || e.Errors[0].Field != "fleets[0].qos" || e.Errors[0].Message == "" {
		t.Fatalf("errors %+v", e)
	}
	if s, _ := r.Scenario(); s.Name != "rt" || !r.Running() {
		t.Fatal("a bad scenario replaced the running one")
	}
	good := strings.NewReplacer("name: rt", "name: rt2").Replace(runnerDoc)
	var o Overview
	if code := apiCall(t, srv, "PUT", "/api/fleet/scenario?file=mine.yaml", good, &o); code != 200 || o.Scenario != "rt2" || o.File != "mine.yaml" || !o.Running {
		t.Fatalf("good scenario: %d %+v", code, o)
	}
}

func TestAPIControl(t *testing.T) {
	t.Parallel()
	r, srv, w := startAPI(t)
	w.waitFor(t, "births", func(ms []msg) bool { return count(ms, "rt/old/1/status", "online") == 1 })
	var ok map[string]any
	if code := apiCall(t, srv, "POST", "/api/fleet/devices/old-001/offline", `{"mode":"abrupt","seconds":3600}`, &ok); code != 200 {
		t.Fatalf("offline: %d %v", code, ok)
	}
	w.waitFor(t, "the will", func(ms []msg) bool { return count(ms, "rt/old/1/status", "offline") == 1 })
	for _, tc := range []struct {
		path, body string
		code       int
	}{
		{"/api/fleet/devices/old-001/offline", `{"mode":"clean"}`, 409},
		{"/api/fleet/devices/nobody/offline", `{}`, 404},
		{"/api/fleet/devices/old-002/offline", `{"mode":"gently"}`, 400},
		{"/api/fleet/devices/old-002/offline", `{"seconds":-1}`, 400},
		{"/api/fleet/devices/old-002/offline", `{"mood":"clean"}`, 400},
		{"/api/fleet/scale", `{"fleet":"th"}`, 400},
		{"/api/fleet/scale", `{"fleet":"nope","count":2}`, 404},
		{"/api/fleet/scale", `{"fleet":"th","count":-2}`, 400},
	} {
		var e map[string]string
		if code := apiCall(t, srv, "POST", tc.path, tc.body, &e); code != tc.code || e["error"] == "" {
			t.Errorf("POST %s %s: %d %v, want %d and an error", tc.path, tc.body, code, e, tc.code)
		}
	}
	if code := apiCall(t, srv, "POST", "/api/fleet/devices/old-001/online", "", &ok); code != 200 {
		t.Fatalf("online: %d", code)
	}
	w.waitFor(t, "back online", func(ms []msg) bool { return count(ms, "rt/old/1/status", "online") == 2 })

	var o Overview
	if code := apiCall(t, srv, "POST", "/api/fleet/scale", `{"fleet":"th","count":4}`, &o); code != 200 || o.Stats.Fleets[0].Devices != 4 {
		t.Fatalf("scale: %d %+v", code, o.Stats)
	}
	if code := apiCall(t, srv, "POST", "/api/fleet/stop", "", &o); code != 200 || o.Running {
		t.Fatalf("stop: %d %+v", code, o)
	}
	if r.Running() {
		t.Fatal("still running")
	}
	if code := apiCall(t, srv, "POST", "/api/fleet/start", "", &o); code != 200 || !o.Running || o.Stats.Fleets[0].Devices != 4 {
		t.Fatalf("start: %d %+v", code, o)
	}
	waitStats(t, r, "6 connected", func(s Stats) bool { return s.Total.Connected == 6 })
}

// TestAPIOrigin: the API answers its own page and allowed origins only.
func TestAPIOrigin(t *testing.T) {
	t.Parallel()
	_, srv, _ := startAPI(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, tc := range []struct {
		origin string
		code   int
	}{
		{"", 200},
		{"http://" + host, 200},
		{"http://lab.example", 200},
		{"http://evil.example", 403},
		{"http://" + host + ".evil.example", 403},
	} {
		var o map[string]any
		h := []string{}
		if tc.origin != "" {
			h = []string{"Origin", tc.origin}
		}
		if code := apiCall(t, srv, "POST", "/api/fleet/start", "", &o, h...); code != tc.code {
			t.Errorf("Origin %q: %d, want %d (%v)", tc.origin, code, tc.code, o)
		}
	}
	if code := apiCall(t, srv, "DELETE", "/api/fleet", "", nil); code != 405 {
		t.Errorf("DELETE: %d", code)
	}
	if code := apiCall(t, srv, "GET", "/api/fleet/nope", "", nil); code != 404 {
		t.Errorf("unknown path: %d", code)
	}
}
