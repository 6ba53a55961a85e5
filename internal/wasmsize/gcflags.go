package main

import (
	"fmt"
	"strings"
)

// appGCFlags are the compiler flags of the browser app's build: the
// Makefile's WASM_GCFLAGS, which TestAppGCFlagsMatchMakefile keeps equal.
// Inlining is off except in the runtime. In Go's WebAssembly every call
// site is costly code, and inlined bodies repeat it at each caller: the
// app's UI code is a tree of calls, and without inlining it compresses
// by ~130 KB (brotli) better. The runtime keeps its inlining, because its
// allocation and map fast paths are where the app spends its time.
var appGCFlags = []string{"all=-l", "runtime=", "internal/runtime/...="}

// gcflags is a repeatable -gcflags: go build takes one per package pattern,
// the last matching one winning.
type gcflags struct {
	list []string
	set  bool // given on the command line, replacing any default
}

func (g *gcflags) Set(v string) error {
	if !g.set {
		g.list, g.set = nil, true
	}
	g.list = append(g.list, v)
	return nil
}

// String returns the flags as they appear on a go build command line,
// each after a space, or "".
func (g *gcflags) String() string {
	var b strings.Builder
	for _, f := range g.list {
		fmt.Fprintf(&b, " -gcflags=%q", f)
	}
	return b.String()
}
