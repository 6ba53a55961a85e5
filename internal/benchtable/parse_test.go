package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, group, kase, impl string
	}{
		{"BenchmarkPublishDecode/v5-16B/mqttlab-2", "PublishDecode", "v5-16B", "mqttlab"},
		{"BenchmarkPublishDecode/v5-16B/mqttlab-new-2", "PublishDecode", "v5-16B", "mqttlab-new"},
		{"BenchmarkPublishDecode/v5-16B/mqttlab-new", "PublishDecode", "v5-16B", "mqttlab-new"}, // GOMAXPROCS=1: no suffix
		{"BenchmarkTopicMatch/10filters-8topics/paho-router-16", "TopicMatch", "10filters-8topics", "paho-router"},
		{"BenchmarkFanout/a/b/mochi-4", "Fanout", "a/b", "mochi"},
		{"BenchmarkEncode/paho-8", "Encode", "", "paho"},
		{"BenchmarkSmoke-2", "Smoke", "", "-"},
		{"BenchmarkSmoke", "Smoke", "", "-"},
	}
	for _, tt := range tests {
		g, k, i := splitName(tt.name)
		if g != tt.group || k != tt.kase || i != tt.impl {
			t.Errorf("splitName(%q) = %q, %q, %q; want %q, %q, %q", tt.name, g, k, i, tt.group, tt.kase, tt.impl)
		}
	}
}

const sampleOutput = `goos: linux
goarch: amd64
pkg: github.com/mqttlab/mqttlab/protocol
cpu: Intel(R) Xeon(R) Processor
BenchmarkPublishDecode/v5-16B/mqttlab-2         	  517664	       235.3 ns/op	       0 B/op	       0 allocs/op
BenchmarkPublishDecode/v5-16B/paho-2            	   17089	      6660 ns/op	   10832 B/op	      42 allocs/op
BenchmarkLogs
    compare_test.go:12: a log line
BenchmarkLogs-2     	 1000	  12.5 ns/op	 3.0 MB/s
PASS
ok  	github.com/mqttlab/mqttlab/protocol	5.487s
`

func TestParse(t *testing.T) {
	t.Parallel()
	rep, err := parse(strings.NewReader(sampleOutput), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	wantEnv := []string{"goos: linux", "goarch: amd64", "cpu: Intel(R) Xeon(R) Processor"}
	if !reflect.DeepEqual(rep.env, wantEnv) {
		t.Errorf("env = %q, want %q", rep.env, wantEnv)
	}
	want := []sample{
		{"PublishDecode", "v5-16B", "mqttlab", map[string]float64{"ns/op": 235.3, "B/op": 0, "allocs/op": 0}},
		{"PublishDecode", "v5-16B", "paho", map[string]float64{"ns/op": 6660, "B/op": 10832, "allocs/op": 42}},
		{"Logs", "", "-", map[string]float64{"ns/op": 12.5, "MB/s": 3}},
	}
	if !reflect.DeepEqual(rep.samples, want) {
		t.Errorf("samples =\n%v\nwant\n%v", rep.samples, want)
	}
	if len(rep.failures) != 0 {
		t.Errorf("failures = %q, want none", rep.failures)
	}
}

func TestParseFailures(t *testing.T) {
	t.Parallel()
	in := "--- FAIL: BenchmarkX/a/b\n    x_test.go:3: boom\nFAIL\nFAIL\tgithub.com/x/y\t0.1s\npanic: oops\n"
	rep, err := parse(strings.NewReader(in), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"--- FAIL: BenchmarkX/a/b", "FAIL", "FAIL\tgithub.com/x/y\t0.1s", "panic: oops"}
	if !reflect.DeepEqual(rep.failures, want) {
		t.Errorf("failures = %q, want %q", rep.failures, want)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line, want string
	}{
		{"BenchmarkA/b/c-2  100  12 ns/op  4", "x.txt:2: benchmark BenchmarkA/b/c-2: want value/unit pairs"},
		{"BenchmarkA/b/c-2  100", "x.txt:2: benchmark BenchmarkA/b/c-2: want value/unit pairs"},
		{"BenchmarkA/b/c-2  100  fast ns/op", `x.txt:2: benchmark BenchmarkA/b/c-2: value "fast" of ns/op is not a number`},
	}
	for _, tt := range tests {
		_, err := parse(strings.NewReader("goos: linux\n"+tt.line+"\n"), "x.txt")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parse(%q) error = %v, want it to contain %q", tt.line, err, tt.want)
		}
	}
}
