package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func metrics(ns, b, allocs float64) map[string]float64 {
	return map[string]float64{"ns/op": ns, "B/op": b, "allocs/op": allocs}
}

func TestSummarizeMedians(t *testing.T) {
	t.Parallel()
	samples := []sample{
		{"Dec", "v5", "mqttlab", metrics(100, 0, 0)},
		{"Dec", "v5", "mqttlab", metrics(300, 0, 0)},
		{"Dec", "v5", "mqttlab", metrics(120, 0, 0)},
		{"Dec", "v5", "paho", metrics(1000, 64, 2)},
		{"Dec", "v5", "paho", metrics(1100, 64, 4)},
	}
	g := summarize(samples, "mqttlab")[0]
	ours := g.cells[[2]string{"v5", "mqttlab"}]
	if ours.median["ns/op"] != 120 || ours.runs != 3 {
		t.Errorf("mqttlab median %v over %d runs, want 120 over 3", ours.median["ns/op"], ours.runs)
	}
	if want := (300.0 - 100) / 120; ours.spread != want {
		t.Errorf("spread = %v, want %v", ours.spread, want)
	}
	theirs := g.cells[[2]string{"v5", "paho"}]
	if theirs.median["ns/op"] != 1050 || theirs.median["allocs/op"] != 3 {
		t.Errorf("paho medians %v, want 1050 ns/op and 3 allocs/op (mean of the middle two)", theirs.median)
	}
	// Runs pair up in order: 1000/100 and 1100/300; the third mqttlab
	// run has no partner.
	if got, want := g.ratios("v5", "mqttlab"), "6.8× paho"; got != want {
		t.Errorf("ratios = %q, want %q (median of the paired runs' ratios)", got, want)
	}
}

func TestRatioPairsRuns(t *testing.T) {
	t.Parallel()
	// A burst of load in round 2 slows both; the ratio stays 2.
	peer, ref := []float64{200, 2000, 210}, []float64{100, 1000, 105}
	if got := ratio(peer, ref); got != 2 {
		t.Errorf("ratio = %v, want 2", got)
	}
	if got := ratio(nil, ref); got != 0 {
		t.Errorf("ratio with no peer runs = %v, want 0", got)
	}
}

func TestSummarizeOrder(t *testing.T) {
	t.Parallel()
	samples := []sample{
		{"Enc", "a", "paho", metrics(1, 0, 0)},
		{"Enc", "a", "mochi", metrics(1, 0, 0)},
		{"Dec", "v311", "mochi", metrics(1, 0, 0)},
		{"Dec", "v311", "mqttlab-new", metrics(1, 0, 0)},
		{"Dec", "v311", "mqttlab", metrics(1, 0, 0)},
		{"Dec", "v5", "paho", metrics(1, 0, 0)},
	}
	groups := summarize(samples, "mqttlab")
	if len(groups) != 2 || groups[0].name != "Enc" || groups[1].name != "Dec" {
		t.Fatalf("groups in the wrong order: %v", groups)
	}
	if got, want := strings.Join(groups[1].impls, " "), "mqttlab mqttlab-new paho mochi"; got != want {
		t.Errorf("Dec columns %q, want %q: reference, its variants, then peers as first seen", got, want)
	}
	if got, want := strings.Join(groups[1].cases, " "), "v311 v5"; got != want {
		t.Errorf("Dec rows %q, want %q", got, want)
	}
}

func TestFormatRatio(t *testing.T) {
	t.Parallel()
	for x, want := range map[float64]string{28.3: "28×", 2.74: "2.7×", 1: "1.0×", 0.6: "0.60×"} {
		if got := formatRatio(x); got != want {
			t.Errorf("formatRatio(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	samples := []sample{
		{"PublishDecode", "v311-16B", "mqttlab", metrics(79.14, 0, 0)},
		{"PublishDecode", "v311-16B", "mochi", metrics(47.5, 0, 0)},
		{"PublishDecode", "v5-16B", "mqttlab", metrics(235.3, 0, 0)},
		{"PublishDecode", "v5-16B", "paho-router", metrics(6660, 10832, 42)},
		{"PublishDecode", "v5-16B", "mochi", metrics(460, 80, 2)},
	}
	var b bytes.Buffer
	if err := summarize(samples, "mqttlab")[0].render(&b, "mqttlab"); err != nil {
		t.Fatal(err)
	}
	want := `               mqttlab              mochi                paho-router           mqttlab vs peers
PublishDecode  ns/op  B/op  allocs  ns/op  B/op  allocs  ns/op   B/op  allocs
v311-16B        79.1     0       0   47.5     0       0      -      -       -  0.60× mochi
v5-16B           235     0       0    460    80       2   6660  10832      42  2.0× mochi  28× paho-router
`
	if b.String() != want {
		t.Errorf("render:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("goos: linux\nBenchmarkA/b/c-2 10 x ns/op\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		out, err string // substrings of stdout and stderr
	}{
		{"table", nil, sampleOutput, 0, "28× paho", ""},
		{"reference flag", []string{"-ref", "paho"}, sampleOutput, 0, "paho vs peers", ""},
		{"failed run", nil, sampleOutput + "--- FAIL: BenchmarkZ\nFAIL\n", 1, "28× paho", "--- FAIL: BenchmarkZ"},
		{"build failure", nil, "FAIL\tgithub.com/x/y [build failed]\n", 1, "", "[build failed]"},
		{"no results", nil, "PASS\nok x 0.1s\n", 1, "", "no benchmark results"},
		{"bad file", []string{bad}, "", 1, "", "bad.txt:2: benchmark BenchmarkA/b/c-2"},
		{"missing file", []string{bad + ".none"}, "", 1, "", "bad.txt.none"},
		{"bad flag", []string{"-nope"}, "", 2, "", "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if code != tt.code || !strings.Contains(stdout.String(), tt.out) || !strings.Contains(stderr.String(), tt.err) {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s\nwant stdout with %q, stderr with %q",
					code, tt.code, stdout.String(), stderr.String(), tt.out, tt.err)
			}
		})
	}
}
