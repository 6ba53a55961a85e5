package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The app's size is measured with the flags it is built with.
func TestAppGCFlagsMatchMakefile(t *testing.T) {
	t.Parallel()
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^WASM_GCFLAGS\s*:?=\s*(.*)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("the Makefile defines no WASM_GCFLAGS")
	}
	var got []string
	for _, f := range strings.Fields(string(m[1])) {
		v, ok := strings.CutPrefix(f, "-gcflags=")
		if !ok {
			t.Fatalf("WASM_GCFLAGS holds %q, want only -gcflags=... words", f)
		}
		got = append(got, strings.Trim(v, `'"`))
	}
	if !slices.Equal(got, appGCFlags) {
		t.Errorf("Makefile WASM_GCFLAGS = %q, wasmsize measures with %q", got, appGCFlags)
	}
}

func TestGCFlagsRepeat(t *testing.T) {
	t.Parallel()
	g := gcflags{list: appGCFlags}
	if got := g.String(); got != ` -gcflags="all=-l" -gcflags="runtime=" -gcflags="internal/runtime/...="` {
		t.Errorf("default String() = %s", got)
	}
	for _, v := range []string{"a=-l", "b=-N"} {
		if err := g.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(g.list, []string{"a=-l", "b=-N"}) {
		t.Errorf("after two Set: %q, want the given flags replacing the default", g.list)
	}
}
