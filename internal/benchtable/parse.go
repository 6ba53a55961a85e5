package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A sample is one result line of `go test -bench`: a benchmark named
// Group/case/impl and its metrics by unit ("ns/op", "B/op", "allocs/op",
// and any the benchmark reports itself).
type sample struct {
	group, kase, impl string
	metrics           map[string]float64
}

// A report is everything read from `go test -bench` output.
type report struct {
	env      []string // "goos: linux", "cpu: ...", once each
	samples  []sample
	failures []string // lines saying a test, benchmark or build failed
}

// parse reads `go test -bench` output. Lines that are not results (logs,
// PASS, ok) are skipped; a line that looks like a result but cannot be
// read is an error naming name:line.
func parse(r io.Reader, name string) (*report, error) {
	rep := &report{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		switch {
		case isEnv(text):
			if !seen[text] {
				seen[text] = true
				rep.env = append(rep.env, text)
			}
		case isFailure(text):
			rep.failures = append(rep.failures, text)
		case strings.HasPrefix(text, "Benchmark"):
			s, ok, err := parseResult(text)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, line, err)
			}
			if ok {
				rep.samples = append(rep.samples, s)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rep, nil
}

func isEnv(text string) bool {
	for _, p := range []string{"goos:", "goarch:", "cpu:"} {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	return false
}

func isFailure(text string) bool {
	return text == "FAIL" || strings.HasPrefix(text, "FAIL\t") || strings.HasPrefix(text, "--- FAIL") ||
		strings.HasPrefix(text, "panic:")
}

// parseResult reads "BenchmarkName-2  1000  123 ns/op  0 B/op ...". ok is
// false for a line naming a benchmark without results (printed before
// its log output).
func parseResult(text string) (s sample, ok bool, err error) {
	f := strings.Fields(text)
	if len(f) < 2 {
		return s, false, nil
	}
	if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
		return s, false, nil
	}
	if len(f) < 4 || len(f)%2 != 0 {
		return s, false, fmt.Errorf("benchmark %s: want value/unit pairs after the iteration count, got %q", f[0], strings.Join(f[2:], " "))
	}
	s.metrics = make(map[string]float64, (len(f)-2)/2)
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return s, false, fmt.Errorf("benchmark %s: value %q of %s is not a number", f[0], f[i], f[i+1])
		}
		s.metrics[f[i+1]] = v
	}
	s.group, s.kase, s.impl = splitName(f[0])
	return s, true, nil
}

// splitName splits "BenchmarkGroup/case/impl-2" into its group, case and
// implementation: the first element, the middle ones and the last. A name
// of two elements has no case; a name of one has no implementation ("-").
// The -N suffix go test adds for GOMAXPROCS > 1 is dropped.
func splitName(name string) (group, kase, impl string) {
	name = strings.TrimPrefix(name, "Benchmark")
	if i := strings.LastIndexByte(name, '-'); i >= 0 && i < len(name)-1 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	parts := strings.Split(name, "/")
	switch len(parts) {
	case 1:
		return parts[0], "", "-"
	case 2:
		return parts[0], "", parts[1]
	}
	return parts[0], strings.Join(parts[1:len(parts)-1], "/"), parts[len(parts)-1]
}
