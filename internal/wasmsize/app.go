package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/mqttlab/mqttlab/internal/compress"
)

// appDir is the directory, in the module root, of the command built into
// web/app.wasm.
const appDir = "wasm"

// measureApp builds the whole browser app as the Makefile does and reports
// its transfer size (brotli at o.quality, as precompress writes it) against
// o.appMax, then what its code is made of: sections, packages grouped by
// module, the largest packages and, when asked, the largest functions.
// over says whether the target was missed.
func measureApp(w io.Writer, o options) (over bool, err error) {
	modFile, modPath, err := thisModule()
	if err != nil {
		return false, err
	}
	modDir := filepath.Dir(modFile)
	tmp, err := os.MkdirTemp("", "wasmsize-app-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	ws := &workspace{dir: modDir, env: append(os.Environ(), "GOOS=js", "GOARCH=wasm"), ldflags: o.ldflags, gcflags: o.gcflags.list}

	out := filepath.Join(tmp, "app.wasm")
	if err := ws.goBuild(appDir, o.ldflags, out); err != nil {
		return false, err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return false, err
	}
	gz, err := compress.Gzip(b)
	if err != nil {
		return false, err
	}
	br, err := compress.Brotli(b, o.quality, compress.DefaultBrotliWindow)
	if err != nil {
		return false, err
	}
	named := filepath.Join(tmp, "app.named.wasm")
	if err := ws.goBuild(appDir, withoutStrip(o.ldflags), named); err != nil {
		return false, err
	}
	nb, err := os.ReadFile(named)
	if err != nil {
		return false, err
	}
	mod, err := parseModule(nb)
	if err != nil {
		return false, fmt.Errorf("%s: %w", named, err)
	}
	deps, err := ws.deps(appDir)
	if err != nil {
		return false, err
	}
	over = o.appMax > 0 && len(br) > o.appMax

	var sb strings.Builder
	flags := fmt.Sprintf("-ldflags=%q", o.ldflags) + o.gcflags.String()
	fmt.Fprintf(&sb, "size of the browser app ./%s (GOOS=js GOARCH=wasm, %s, %s)\n\n", appDir, runtime.Version(), flags)
	fmt.Fprintf(&sb, "  %-24s %11s %9s\n", "raw", commas(len(b)), compress.MB(len(b)))
	fmt.Fprintf(&sb, "  %-24s %11s %9s\n", "gzip -9", commas(len(gz)), compress.MB(len(gz)))
	fmt.Fprintf(&sb, "  %-24s %11s %9s\n", fmt.Sprintf("brotli q%d (transferred)", o.quality), commas(len(br)), compress.MB(len(br)))
	if o.appMax > 0 {
		verdict := "met"
		if over {
			verdict = "MISSED"
		}
		fmt.Fprintf(&sb, "\n  target: at most %s transferred: %s (%.0f%% of it, %s to spare)\n",
			compress.MB(o.appMax), verdict, 100*float64(len(br))/float64(o.appMax), signed(o.appMax-len(br)))
	}
	appBreakdown(&sb, mod, newPackager(deps), modPath, o.top)
	if o.funcs > 0 {
		largest(&sb, "largest functions", &module{}, mod, o.funcs)
	}
	_, err = io.WriteString(w, sb.String())
	return over, err
}

// appBreakdown writes the sections of the app, then its code grouped by
// module (the app's own, go-app, the standard library and runtime, the
// rest) and the top largest packages.
func appBreakdown(b *strings.Builder, m *module, pk *packager, modPath string, top int) {
	type part struct {
		name string
		n    int
	}
	bySize := func(x, y part) int { return cmp.Or(y.n-x.n, strings.Compare(x.name, y.name)) }
	var sections []part
	for s, n := range m.sections {
		sections = append(sections, part{s, n})
	}
	slices.SortFunc(sections, bySize)
	fmt.Fprintf(b, "\nwhat it is made of (a build keeping names; sizes differ slightly from the stripped build):\n")
	for _, s := range sections {
		fmt.Fprintf(b, "  %11s  %s section\n", commas(s.n), s.name)
	}
	pkgs := byPackage(m, pk)
	groups := map[string]int{}
	var list []part
	for p, n := range pkgs {
		groups[moduleGroup(p, modPath)] += n
		list = append(list, part{p, n})
	}
	var gl []part
	for g, n := range groups {
		gl = append(gl, part{g, n})
	}
	slices.SortFunc(gl, bySize)
	fmt.Fprintf(b, "\n  code by module:\n")
	for _, g := range gl {
		fmt.Fprintf(b, "  %11s  %s\n", commas(g.n), g.name)
	}
	slices.SortFunc(list, bySize)
	names, sizes := make([]string, len(list)), make([]int, len(list))
	for i, p := range list {
		names[i], sizes[i] = p.name, p.n
	}
	writePackages(b, names, sizes, top, commas)
}

// moduleGroup names the part of the program a package belongs to: the
// app's module, go-app, another module by its first three path elements,
// or the standard library (runtime and compiler glue included).
func moduleGroup(pkg, modPath string) string {
	switch {
	case pkg == modPath || strings.HasPrefix(pkg, modPath+"/") || pkg == "main":
		return modPath + " (the app)"
	case strings.HasPrefix(pkg, "github.com/maxence-charriere/go-app/"):
		return "go-app"
	}
	first, _, _ := strings.Cut(pkg, "/")
	if !strings.Contains(first, ".") {
		return "standard library and runtime"
	}
	parts := strings.SplitN(pkg, "/", 4)
	return strings.Join(parts[:min(3, len(parts))], "/")
}
