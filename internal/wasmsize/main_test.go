package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCommas(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 2580905: "2,580,905", -486053: "-486,053"} {
		if got := commas(n); got != want {
			t.Errorf("commas(%d) = %q, want %q", n, got, want)
		}
	}
	if got := signed(486053); got != "+486,053" {
		t.Errorf("signed(486053) = %q", got)
	}
}

func TestGoMod(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(good, []byte("// c\nmodule example.com/m\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if v, err := goDirective(good); err != nil || v != "1.26" {
		t.Errorf("goDirective = %q, %v; want 1.26", v, err)
	}
	if p, err := modulePath(good); err != nil || p != "example.com/m" {
		t.Errorf("modulePath = %q, %v; want example.com/m", p, err)
	}
	bad := filepath.Join(dir, "bad.mod")
	if err := os.WriteFile(bad, []byte("nothing here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := goDirective(bad); err == nil || !strings.Contains(err.Error(), "bad.mod: no go directive") {
		t.Errorf("goDirective(bad) error = %v", err)
	}
	if _, err := modulePath(bad); err == nil || !strings.Contains(err.Error(), "bad.mod: no module directive") {
		t.Errorf("modulePath(bad) error = %v", err)
	}
}

func TestWithoutStrip(t *testing.T) {
	t.Parallel()
	if got := withoutStrip("-s -w -X main.v=1"); got != "-w -X main.v=1" {
		t.Errorf("withoutStrip = %q", got)
	}
}

// TestRun builds the two programs for real (GOOS=js GOARCH=wasm) and
// checks the report: the sizes, the breakdown naming the protocol
// package, and the exit status against a target it must miss.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two wasm programs")
	}
	t.Parallel()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-max", "1", "-top", "3"}, &stdout, &stderr)
	out := stdout.String()
	if code != 1 {
		t.Fatalf("exit %d with a 1-byte target, want 1\nstdout:\n%s\nstderr:\n%s", code, out, stderr.String())
	}
	for _, re := range []string{
		`hello world +[\d,]+ +[\d,]+\n`,
		`hello world \+ protocol +[\d,]+ +[\d,]+\n`,
		`protocol adds +\+[\d,]+ +\+[\d,]+\n`,
		`target: protocol adds at most 1 bytes raw: MISSED`,
		`\+[\d,]+  code section`,
		`\+[\d,]+  github.com/mqttlab/mqttlab/protocol\n`,
		`largest functions added:\n +\+[\d,]+  github.com_mqttlab_mqttlab_protocol\.`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output lacks %s:\n%s", re, out)
		}
	}
	stdout.Reset()
	if code := run([]string{"-max", "0", "-gcflags", "github.com/mqttlab/mqttlab/protocol=-l"}, &stdout, &stderr); code != 0 {
		t.Errorf("exit %d without a target, want 0\nstderr:\n%s", code, stderr.String())
	}
	if out := stdout.String(); !strings.Contains(out, `-gcflags="github.com/mqttlab/mqttlab/protocol=-l"`) ||
		strings.Contains(out, "target:") {
		t.Errorf("with -gcflags and no target, output:\n%s", out)
	}
	if code := run([]string{"extra"}, &stdout, &stderr); code != 2 {
		t.Errorf("exit %d with an argument, want 2", code)
	}
}

func TestModuleGroup(t *testing.T) {
	t.Parallel()
	const mod = "github.com/mqttlab/mqttlab"
	for pkg, want := range map[string]string{
		"github.com/mqttlab/mqttlab/app": mod + " (the app)",
		"github.com/mqttlab/mqttlab":     mod + " (the app)",
		"main":                           mod + " (the app)",
		"github.com/maxence-charriere/go-app/v9/pkg/app": "go-app",
		"github.com/coder/websocket/internal/wsjs":       "github.com/coder/websocket",
		"github.com/google/uuid":                         "github.com/google/uuid",
		"runtime":                                        "standard library and runtime",
		"vendor/golang.org/x/net/idna":                   "standard library and runtime",
		"type_":                                          "standard library and runtime",
		"github.com/mqttlab/mqttlabx":                    "github.com/mqttlab/mqttlabx",
	} {
		if got := moduleGroup(pkg, mod); got != want {
			t.Errorf("moduleGroup(%q) = %q, want %q", pkg, got, want)
		}
	}
}

// TestRunApp builds the whole app for real and checks the report at a fast
// brotli quality: the three sizes, the verdict against a target it must
// miss, and the breakdown by module and package.
func TestRunApp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the app for the browser twice")
	}
	t.Parallel()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-app", "-quality", "1", "-appmax", "1", "-top", "3", "-funcs", "2"}, &stdout, &stderr)
	out := stdout.String()
	if code != 1 {
		t.Fatalf("exit %d with a 1-byte target, want 1\nstdout:\n%s\nstderr:\n%s", code, out, stderr.String())
	}
	for _, re := range []string{
		`size of the browser app \./wasm`,
		`raw +[\d,]+ +[\d.]+ MB\n`,
		`gzip -9 +[\d,]+ +[\d.]+ MB\n`,
		`brotli q1 \(transferred\) +[\d,]+ +[\d.]+ MB\n`,
		`target: at most 0\.00 MB transferred: MISSED`,
		`[\d,]+  code section`,
		`code by module:\n(?: +[\d,]+  .*\n)*? +[\d,]+  github\.com/mqttlab/mqttlab \(the app\)\n`,
		`code by module:\n(?: +[\d,]+  .*\n)*? +[\d,]+  go-app\n`,
		`code by package:\n( +[\d,]+  \S+\n){3} +[\d,]+  \d+ other packages\n`,
		`largest functions:\n( +\+[\d,]+  \S+\n){2}$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output lacks %s:\n%s", re, out)
		}
	}
	stdout.Reset()
	if code := run([]string{"-app", "-quality", "0", "-appmax", "0"}, &stdout, &stderr); code != 0 {
		t.Errorf("exit %d without a target, want 0\nstderr:\n%s", code, stderr.String())
	}
	if out := stdout.String(); strings.Contains(out, "target:") || strings.Contains(out, "largest functions") {
		t.Errorf("with no target and no -funcs, output:\n%s", out)
	}
}
