// Command wasmsize measures what the protocol package adds to a program
// compiled for the browser: it builds, with GOOS=js GOARCH=wasm and the
// app's linker flags, a hello world and the same hello world using
// protocol for real (encode, decode, Explain, Match), and prints both
// sizes, raw and gzip'ed, and the difference. It then tells what the
// added code is made of, by package, from a build that keeps function
// names; over the target (-max) it lists the largest functions too and
// exits with status 1.
//
// With -app it measures the whole browser app instead (./wasm, built into
// web/app.wasm): raw, gzip'ed and brotli'ed as the server sends it, against
// the transfer target (-appmax), and what its code is made of by module,
// package and, with -funcs, function. Over the target it exits with
// status 1.
//
// Usage, from inside the module:
//
//	go run ./internal/wasmsize [-ldflags "-s -w"] [-gcflags FLAGS]... [-max 300000] [-top 8] [-funcs 0]
//	go run ./internal/wasmsize -app [-appmax 2000000] [-quality 11] [-top 8] [-funcs 0]
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/mqttlab/mqttlab/internal/compress"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	ldflags string
	gcflags gcflags
	max     int // bytes protocol may add, raw; 0: no target
	top     int // packages listed
	funcs   int // functions listed; within the target only when asked
	app     bool
	appMax  int // bytes the app may take brotli'ed; 0: no target
	quality int // brotli quality of the app's measure
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wasmsize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.ldflags, "ldflags", "-s -w", "linker flags of the real app's wasm build")
	fs.Var(&o.gcflags, "gcflags", "compiler flags, to try one on both builds (e.g. -gcflags=PKG=-l); repeat it for several\npatterns. With -app it replaces the app's own (the Makefile's WASM_GCFLAGS)")
	fs.IntVar(&o.max, "max", 300_000, "most bytes (raw) protocol may add; 0 for no target")
	fs.IntVar(&o.top, "top", 8, "packages to list in the breakdown")
	fs.IntVar(&o.funcs, "funcs", 0, "largest functions to list (20 when over the target)")
	fs.BoolVar(&o.app, "app", false, "measure the whole browser app (./wasm) instead of protocol")
	fs.IntVar(&o.appMax, "appmax", 2_000_000, "with -app: most bytes the app may take brotli'ed; 0 for no target")
	fs.IntVar(&o.quality, "quality", compress.DefaultBrotliQuality, "with -app: brotli quality, 0 to 11 (the build's is 11)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.app && !o.gcflags.set {
		o.gcflags = gcflags{list: appGCFlags}
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "wasmsize: no arguments expected, got", fs.Args())
		return 2
	}
	measureFunc := measure
	if o.app {
		measureFunc = measureApp
	}
	over, err := measureFunc(stdout, o)
	if err != nil {
		fmt.Fprintln(stderr, "wasmsize:", err)
		return 1
	}
	if over {
		return 1
	}
	return 0
}

// measure builds and reports; over says whether the target was missed.
func measure(w io.Writer, o options) (over bool, err error) {
	modFile, modPath, err := thisModule()
	if err != nil {
		return false, err
	}
	pkg := modPath + "/protocol"
	ws, err := newWorkspace(filepath.Dir(modFile), pkg, o.ldflags, o.gcflags.list)
	if err != nil {
		return false, err
	}
	defer ws.close()
	hello, err := ws.build("hello")
	if err != nil {
		return false, err
	}
	using, err := ws.build("using")
	if err != nil {
		return false, err
	}
	added := using.raw - hello.raw
	over = o.max > 0 && added > o.max

	var b strings.Builder
	flags := fmt.Sprintf("-ldflags=%q", o.ldflags) + o.gcflags.String()
	fmt.Fprintf(&b, "wasm size of %s (GOOS=js GOARCH=wasm, %s, %s)\n\n", pkg, runtime.Version(), flags)
	rows := [][3]string{
		{"", "raw", "gzip -9"},
		{"hello world", commas(hello.raw), commas(hello.gz)},
		{"hello world + protocol", commas(using.raw), commas(using.gz)},
		{"protocol adds", signed(added), signed(using.gz - hello.gz)},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-24s %11s %11s\n", r[0], r[1], r[2])
	}
	if o.max > 0 {
		verdict := "met"
		if over {
			verdict = "MISSED"
		}
		fmt.Fprintf(&b, "\n  target: protocol adds at most %s bytes raw: %s (%.0f%% of it)\n", commas(o.max), verdict,
			100*float64(added)/float64(o.max))
	}
	deps, err := ws.deps("using")
	if err != nil {
		return false, err
	}
	breakdown(&b, hello.mod, using.mod, newPackager(deps), o.top)
	if n := o.funcs; n > 0 || over {
		if n == 0 {
			n = 20
		}
		largest(&b, "largest functions added", hello.mod, using.mod, n)
	}
	_, err = io.WriteString(w, b.String())
	return over, err
}

// breakdown writes what the added bytes are: code by package, then the
// other sections (data holds strings and tables, which have no names).
func breakdown(b *strings.Builder, base, with *module, pk *packager, top int) {
	basePkgs, withPkgs := byPackage(base, pk), byPackage(with, pk)
	type delta struct {
		name string
		n    int
	}
	var pkgs []delta
	for p, n := range withPkgs {
		if d := n - basePkgs[p]; d != 0 {
			pkgs = append(pkgs, delta{p, d})
		}
	}
	slices.SortFunc(pkgs, func(x, y delta) int { return cmp.Or(y.n-x.n, strings.Compare(x.name, y.name)) })
	fmt.Fprintf(b, "\nwhat it adds (a build keeping names; sizes differ slightly from the stripped build):\n")
	var sections []delta
	for s, n := range with.sections {
		if d := n - base.sections[s]; d != 0 {
			sections = append(sections, delta{s, d})
		}
	}
	slices.SortFunc(sections, func(x, y delta) int { return cmp.Or(y.n-x.n, strings.Compare(x.name, y.name)) })
	for _, s := range sections {
		fmt.Fprintf(b, "  %11s  %s section\n", signed(s.n), s.name)
	}
	if len(pkgs) == 0 {
		return
	}
	names, sizes := make([]string, len(pkgs)), make([]int, len(pkgs))
	for i, p := range pkgs {
		names[i], sizes[i] = p.name, p.n
	}
	writePackages(b, names, sizes, top, signed)
}

// writePackages lists the first top packages, largest first, with their
// sizes written by num, and sums the others in one line.
func writePackages(b io.Writer, names []string, sizes []int, top int, num func(int) string) {
	fmt.Fprintf(b, "\n  code by package:\n")
	rest := 0
	for i, name := range names {
		if i < top {
			fmt.Fprintf(b, "  %11s  %s\n", num(sizes[i]), name)
		} else {
			rest += sizes[i]
		}
	}
	if len(names) > top {
		fmt.Fprintf(b, "  %11s  %d other packages\n", num(rest), len(names)-top)
	}
}

// largest writes, under title, the n largest functions that are new or
// grew from base to with.
func largest(b *strings.Builder, title string, base, with *module, n int) {
	type fn struct {
		name string
		size int
	}
	var fns []fn
	for name, size := range with.funcs {
		if d := size - base.funcs[name]; d > 0 {
			fns = append(fns, fn{name, d})
		}
	}
	slices.SortFunc(fns, func(x, y fn) int { return cmp.Or(y.size-x.size, strings.Compare(x.name, y.name)) })
	fmt.Fprintf(b, "\n  %s:\n", title)
	for i, f := range fns {
		if i == n {
			break
		}
		fmt.Fprintf(b, "  %11s  %s\n", signed(f.size), f.name)
	}
}

func byPackage(m *module, pk *packager) map[string]int {
	out := map[string]int{}
	for name, size := range m.funcs {
		out[pk.packageOf(name)] += size
	}
	return out
}

// commas formats n with thousands separators: 2,580,845.
func commas(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// signed is commas with an explicit sign.
func signed(n int) string {
	if n >= 0 {
		return "+" + commas(n)
	}
	return commas(n)
}

// thisModule returns the go.mod file of the module wasmsize runs in and
// the module's path.
func thisModule() (modFile, modPath string, err error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", "", fmt.Errorf("go env GOMOD: %w", err)
	}
	modFile = strings.TrimSpace(string(gomod))
	if modFile == "" || modFile == os.DevNull {
		return "", "", errors.New("run wasmsize inside the mqttlab module (go env GOMOD is empty)")
	}
	modPath, err = modulePath(modFile)
	return modFile, modPath, err
}
