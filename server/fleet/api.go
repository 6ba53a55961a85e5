package fleet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// APIPrefix is where the server mounts Handler.
const APIPrefix = "/api/fleet"

// Handler serves the JSON API of the fleet page under APIPrefix (see
// API.md beside this file). Only same-origin requests are served: a
// request whose Origin names another host, unless it matches one of
// origins (host patterns such as "*.example.com", as for /mqtt), is
// refused with 403, so that no other site can drive the fleet from a
// visitor's browser.
func Handler(r *Runner, origins []string) http.Handler {
	a := &api{r: r, origins: origins}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+APIPrefix, a.overview)
	mux.HandleFunc("GET "+APIPrefix+"/devices", a.devices)
	mux.HandleFunc("PUT "+APIPrefix+"/scenario", a.scenario)
	mux.HandleFunc("POST "+APIPrefix+"/start", a.start)
	mux.HandleFunc("POST "+APIPrefix+"/stop", a.stop)
	mux.HandleFunc("POST "+APIPrefix+"/scale", a.scale)
	mux.HandleFunc("POST "+APIPrefix+"/devices/{id}/offline", a.offline)
	mux.HandleFunc("POST "+APIPrefix+"/devices/{id}/online", a.online)
	a.mux = mux
	return a
}

type api struct {
	r       *Runner
	origins []string
	mux     *http.ServeMux
}

// ErrConflict marks a request the device's state does not allow, such as
// taking an offline device offline.
var ErrConflict = errors.New("conflict")

type conflictError struct{ error }

func (e conflictError) Is(target error) bool { return target == ErrConflict }
func (e conflictError) Unwrap() error        { return e.error }

func (a *api) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if err := checkOrigin(req, a.origins); err != nil {
		writeError(w, http.StatusForbidden, err)
		return
	}
	a.mux.ServeHTTP(w, req)
}

// checkOrigin lets through requests without an Origin (not from a
// browser page), from the same host, or from an allowed host pattern.
func checkOrigin(req *http.Request, patterns []string) error {
	o := req.Header.Get("Origin")
	if o == "" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil {
		return fmt.Errorf("bad Origin header %q", o)
	}
	if strings.EqualFold(u.Host, req.Host) {
		return nil
	}
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(u.Host)); ok {
			return nil
		}
	}
	return fmt.Errorf("requests from %s are not allowed (only the page's own origin; see -origin)", u.Host)
}

// Overview is the answer of GET /api/fleet.
type Overview struct {
	Scenario    string      `json:"scenario"` // name; empty when none is loaded
	Description string      `json:"description,omitempty"`
	File        string      `json:"file,omitempty"`
	Source      string      `json:"source"` // the YAML
	Running     bool        `json:"running"`
	Stats       Stats       `json:"stats"`
	Fleets      []FleetInfo `json:"fleets"` // what the page needs to subscribe and chart
	Builtins    []string    `json:"builtins"`
}

// FleetInfo describes a fleet's messages for the page: the filter that
// matches every device's data topic, and the fields of its payload.
type FleetInfo struct {
	Name   string `json:"name"`
	Topic  string `json:"topic"`  // the data topic template
	Filter string `json:"filter"` // the template with + for every level that differs per device
	// StatusFilter matches the devices' status topics (birth and will);
	// empty when the fleet has no status.
	StatusFilter string      `json:"status_filter,omitempty"`
	Format       string      `json:"format"` // json, plain, csv, hex
	Version      string      `json:"version"`
	Fields       []FieldInfo `json:"fields"`
}

// FieldInfo is one field of a fleet's payload.
type FieldInfo struct {
	Name string `json:"name"` // dotted for a nested JSON member
	Unit string `json:"unit,omitempty"`
}

// fleetInfo describes f.
func fleetInfo(f *scenario.Fleet) FleetInfo {
	fi := FleetInfo{Name: f.Name, Topic: f.Topic.String(), Filter: topicFilter(f.Topic.String()),
		Format: f.Format.String(), Version: f.Version.String(), Fields: make([]FieldInfo, len(f.Fields))}
	for i, fl := range f.Fields {
		fi.Fields[i] = FieldInfo{Name: fl.Name, Unit: fl.Unit}
	}
	if f.Status != nil {
		fi.StatusFilter = topicFilter(f.Status.Topic.String())
	}
	return fi
}

// topicFilter turns a topic template into a filter matching every
// device's topic: a level with a placeholder becomes +.
func topicFilter(template string) string {
	levels := strings.Split(template, "/")
	for i, l := range levels {
		if strings.Contains(l, "{") {
			levels[i] = "+"
		}
	}
	return strings.Join(levels, "/")
}

func (a *api) overview(w http.ResponseWriter, _ *http.Request) {
	s, src := a.r.Scenario()
	o := Overview{Source: string(src), Running: a.r.Running(), Stats: a.r.Stats(), Builtins: scenario.BuiltinNames(), Fleets: []FleetInfo{}}
	if s != nil {
		o.Scenario, o.Description, o.File = s.Name, s.Description, s.File
		for _, f := range s.Fleets {
			o.Fleets = append(o.Fleets, fleetInfo(f))
		}
	}
	writeJSON(w, http.StatusOK, o)
}

func (a *api) devices(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	offset, err1 := intParam(q, "offset", 0)
	limit, err2 := intParam(q, "limit", 100)
	if err := errors.Join(err1, err2); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	p, err := a.r.Devices(q.Get("fleet"), offset, limit)
	if err != nil {
		writeError(w, status(err), err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func intParam(q url.Values, name string, def int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s=%q: expected a number ≥ 0", name, s)
	}
	return n, nil
}

// ScenarioError is one problem of a scenario sent with PUT, for the editor
// to show at its line.
type ScenarioError struct {
	Line    int    `json:"line"` // 1-based; 0 when the problem has no single place
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (a *api) scenario(w http.ResponseWriter, req *http.Request) {
	src, err := io.ReadAll(http.MaxBytesReader(w, req.Body, scenario.MaxFileSize))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Errorf("scenario larger than %d bytes", scenario.MaxFileSize))
		return
	}
	name := req.URL.Query().Get("file")
	if name == "" {
		name = "scenario.yaml"
	}
	err = a.r.Replace(path.Base(name), src)
	var errs scenario.Errors
	if errors.As(err, &errs) {
		out := struct {
			Errors []ScenarioError `json:"errors"`
		}{make([]ScenarioError, len(errs))}
		for i, e := range errs {
			out.Errors[i] = ScenarioError{Line: e.Line, Field: e.Path, Message: e.Msg}
		}
		writeJSON(w, http.StatusBadRequest, out)
		return
	}
	if err != nil {
		writeError(w, status(err), err)
		return
	}
	a.overview(w, req)
}

func (a *api) start(w http.ResponseWriter, req *http.Request) {
	if err := a.r.Start(); err != nil {
		writeError(w, status(err), err)
		return
	}
	a.overview(w, req)
}

func (a *api) stop(w http.ResponseWriter, req *http.Request) {
	if err := a.r.Stop(req.Context()); err != nil {
		writeError(w, status(err), err)
		return
	}
	a.overview(w, req)
}

func (a *api) scale(w http.ResponseWriter, req *http.Request) {
	var body struct {
		Fleet string `json:"fleet"`
		Count *int   `json:"count"`
	}
	if err := readJSON(w, req, &body); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if body.Fleet == "" || body.Count == nil {
		writeError(w, http.StatusBadRequest, errors.New(`expected {"fleet": name, "count": devices}`))
		return
	}
	if err := a.r.Scale(body.Fleet, *body.Count); err != nil {
		writeError(w, status(err), err)
		return
	}
	a.overview(w, req)
}

func (a *api) offline(w http.ResponseWriter, req *http.Request) {
	var body struct {
		Mode    string  `json:"mode"`
		Seconds float64 `json:"seconds"`
	}
	if err := readJSON(w, req, &body); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	var drop bool
	switch body.Mode {
	case "", "clean":
	case "abrupt":
		drop = true
	default:
		writeError(w, http.StatusBadRequest, fmt.Errorf("mode %q: expected \"clean\" or \"abrupt\"", body.Mode))
		return
	}
	if body.Seconds < 0 || body.Seconds > MaxOffline.Seconds() {
		writeError(w, http.StatusBadRequest, fmt.Errorf("seconds %g: expected 0 (the device's default) to %g", body.Seconds, MaxOffline.Seconds()))
		return
	}
	d := time.Duration(body.Seconds * float64(time.Second))
	if err := a.r.Offline(req.PathValue("id"), drop, d); err != nil {
		writeError(w, status(err), err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (a *api) online(w http.ResponseWriter, req *http.Request) {
	if err := a.r.Online(req.PathValue("id")); err != nil {
		writeError(w, status(err), err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// readJSON decodes a small JSON body; an empty body is an empty object.
func readJSON(w http.ResponseWriter, req *http.Request, v any) error {
	b, err := io.ReadAll(http.MaxBytesReader(w, req.Body, 4096))
	if err != nil {
		return errors.New("request body too large")
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad JSON body: %v", err)
	}
	return nil
}

// status maps a runner error to an HTTP status.
func status(err error) int {
	switch {
	case errors.Is(err, ErrNoDevice), errors.Is(err, ErrNoFleet):
		return http.StatusNotFound
	case errors.Is(err, ErrNoScenario), errors.Is(err, ErrConflict):
		return http.StatusConflict
	case errors.Is(err, ErrClosed):
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

func writeError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.Encode(v)
}
