// Command benchtable turns `go test -bench` output into plain-text tables
// that compare implementations: one table per top-level benchmark, one
// row per case, for each implementation its ns/op, B/op and allocs/op
// (medians over the runs), and how many times faster the reference
// implementation is than each peer ("2.7× paho"). The input may hold
// several runs of each benchmark: from -count N, or better, from N rounds
// of -count 1, whose k-th runs of every benchmark ran close in time.
//
// Benchmarks are read as Group/case/implementation, e.g.
// BenchmarkPublishDecode/v5-16B/paho. Implementations whose name starts
// with the reference's ("mqttlab-new") are variants of it, not peers.
//
// Usage:
//
//	go test -run '^$' -bench . -benchmem -count 5 ./protocol | go run ./internal/benchtable
//	go run ./internal/benchtable [-ref mqttlab] [FILE...]
//
// It exits with status 1 when the input reports a failure (so a pipe in a
// Makefile fails with the benchmarks) or holds no results.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchtable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ref := fs.String("ref", "mqttlab", "the implementation the others are compared with")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go test -bench ... | benchtable [-ref NAME]\n       benchtable [-ref NAME] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rep, err := read(fs.Args(), stdin)
	if err != nil {
		fmt.Fprintln(stderr, "benchtable:", err)
		return 1
	}
	if err := write(stdout, rep, *ref); err != nil {
		fmt.Fprintln(stderr, "benchtable:", err)
		return 1
	}
	if len(rep.failures) > 0 {
		fmt.Fprintln(stderr, "benchtable: the benchmark run failed:")
		for _, f := range rep.failures {
			fmt.Fprintln(stderr, "  "+f)
		}
		return 1
	}
	return 0
}

// read parses the files named, or stdin when there are none, into one report.
func read(files []string, stdin io.Reader) (*report, error) {
	if len(files) == 0 {
		return parse(stdin, "stdin")
	}
	all := &report{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		rep, err := parse(f, name)
		f.Close()
		if err != nil {
			return nil, err
		}
		for _, e := range rep.env {
			if !contains(all.env, e) {
				all.env = append(all.env, e)
			}
		}
		all.samples = append(all.samples, rep.samples...)
		all.failures = append(all.failures, rep.failures...)
	}
	return all, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var errNoResults = errors.New("no benchmark results in the input (did the benchmarks run? is -bench set?)")

// write prints the environment, one table per group and a legend.
func write(w io.Writer, rep *report, ref string) error {
	if len(rep.samples) == 0 {
		if len(rep.failures) > 0 {
			return nil // run reports the failures
		}
		return errNoResults
	}
	var b strings.Builder
	if len(rep.env) > 0 {
		b.WriteString(strings.Join(rep.env, "   ") + "\n\n")
	}
	groups := summarize(rep.samples, ref)
	runs, worst, where := 0, 0.0, ""
	for _, g := range groups {
		if err := g.render(&b, ref); err != nil {
			return err
		}
		b.WriteString("\n")
		for k, c := range g.cells {
			if runs == 0 || c.runs < runs {
				runs = c.runs
			}
			if c.spread > worst {
				worst, where = c.spread, g.name+"/"+joinName(k[0], k[1])
			}
		}
	}
	fmt.Fprintf(&b, "Figures are medians of %s per cell", plural(runs, "run"))
	if worst > 0 {
		fmt.Fprintf(&b, "; the widest ns/op spread (max-min)/median is %.0f%% (%s)", worst*100, where)
	}
	b.WriteString(".\n")
	fmt.Fprintf(&b, "\"2.7× peer\" is the peer's ns/op over %s's (the median of the ratios of the k-th runs):\nabove 1×, %s is faster.\n", ref, ref)
	_, err := io.WriteString(w, b.String())
	return err
}

func joinName(kase, impl string) string {
	if kase == "" {
		return impl
	}
	return kase + "/" + impl
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
