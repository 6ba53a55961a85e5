package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The fleet page's side of the fleet API that mqttlab serves under
// /api/fleet (server/fleet/API.md). The types mirror its JSON; the app
// does not import server packages, which would not build for the browser
// and would grow app.wasm.

// fleetAPI is where the API is served, on the page's own origin.
const fleetAPI = "/api/fleet"

type fleetOverview struct {
	Scenario    string      `json:"scenario"`
	Description string      `json:"description"`
	File        string      `json:"file"`
	Source      string      `json:"source"`
	Running     bool        `json:"running"`
	Stats       fleetStats  `json:"stats"`
	Fleets      []fleetInfo `json:"fleets"`
	Builtins    []string    `json:"builtins"`
}

type fleetStats struct {
	Running bool          `json:"running"`
	Fleets  []fleetCounts `json:"fleets"`
	Total   fleetCounts   `json:"total"`
	Peak    int           `json:"peak"`
}

type fleetCounts struct {
	Name       string  `json:"name"`
	Devices    int     `json:"devices"`
	Connected  int     `json:"connected"`
	Published  uint64  `json:"published"`
	Failed     uint64  `json:"failed"`
	Reconnects uint64  `json:"reconnects"`
	Commands   uint64  `json:"commands"`
	Rate       float64 `json:"rate"`
	LastError  string  `json:"last_error"`
}

type fleetInfo struct {
	Name         string      `json:"name"`
	Filter       string      `json:"filter"`
	StatusFilter string      `json:"status_filter"`
	Format       string      `json:"format"`
	Version      string      `json:"version"`
	Fields       []fieldInfo `json:"fields"`
}

type fieldInfo struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
}

type fleetDevice struct {
	ID       string    `json:"id"`
	Fleet    string    `json:"fleet"`
	Index    int       `json:"index"`
	State    string    `json:"state"`
	Online   bool      `json:"online"`
	Topic    string    `json:"topic"`
	Value    string    `json:"value"`
	Last     time.Time `json:"last"`
	Sent     uint32    `json:"sent"`
	Interval string    `json:"interval"`
	Command  string    `json:"command_topic"`
	Reply    string    `json:"reply_topic"`
	Status   string    `json:"status_topic"`
	Version  string    `json:"version"`
}

type devicePage struct {
	Total   int           `json:"total"`
	Offset  int           `json:"offset"`
	Devices []fleetDevice `json:"devices"`
}

// scenarioProblem is one problem of a scenario the server refused.
type scenarioProblem struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// apiError is an answer of the API other than 200.
type apiError struct {
	Status   int
	Msg      string            `json:"error"`
	Problems []scenarioProblem `json:"errors"`
}

func (e *apiError) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	if len(e.Problems) > 0 {
		p := e.Problems[0]
		return fmt.Sprintf("line %d: %s: %s", p.Line, p.Field, p.Message)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// fleetCall makes a request to the fleet API and decodes its answer into
// out (when not nil). It blocks: call it from ctx.Async, never from a
// render or an event handler.
func fleetCall(ctx context.Context, method, path string, body []byte, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	u := goapp.Window().URL()
	status, b, err := fetch(ctx, method, u.Scheme+"://"+u.Host+fleetAPI+path, body)
	if err != nil {
		return err
	}
	if status != 200 {
		e := &apiError{Status: status}
		json.Unmarshal(b, e)
		return e
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// jsonBody encodes v for a request.
func jsonBody(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
