package main

import (
	"reflect"
	"testing"
)

func uleb(n int) []byte {
	var b []byte
	for n >= 0x80 {
		b = append(b, byte(n)|0x80)
		n >>= 7
	}
	return append(b, byte(n))
}

func wname(s string) []byte { return append(uleb(len(s)), s...) }

func section(id byte, parts ...[]byte) []byte {
	var content []byte
	for _, p := range parts {
		content = append(content, p...)
	}
	return append(append([]byte{id}, uleb(len(content))...), content...)
}

// testModule is a small wasm binary shaped like Go's: imports (a function
// and a memory), two function bodies, a name section and data.
func testModule() []byte {
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, section(2, uleb(2),
		wname("gojs"), wname("debug"), []byte{0}, uleb(0), // function import, type 0
		wname("env"), wname("mem"), []byte{2, 1}, uleb(1), uleb(2), // memory, min 1 max 2
	)...)
	m = append(m, section(10, uleb(2),
		uleb(3), []byte{0, 0x01, 0x0b},
		uleb(200), make([]byte, 200), // a body whose size takes two LEB128 bytes
	)...)
	names := append(uleb(3), uleb(0)...)
	names = append(names, wname("gojs.debug")...)
	names = append(names, uleb(1)...)
	names = append(names, wname("main.main")...)
	names = append(names, uleb(2)...)
	names = append(names, wname("github.com_x_y.__T_.m")...)
	m = append(m, section(0, wname("name"), []byte{1}, uleb(len(names)), names)...)
	return append(m, section(11, make([]byte, 300))...)
}

func TestParseModule(t *testing.T) {
	t.Parallel()
	mod, err := parseModule(testModule())
	if err != nil {
		t.Fatal(err)
	}
	wantFuncs := map[string]int{"main.main": 1 + 3, "github.com_x_y.__T_.m": 2 + 200}
	if !reflect.DeepEqual(mod.funcs, wantFuncs) {
		t.Errorf("funcs = %v, want %v", mod.funcs, wantFuncs)
	}
	if got, want := mod.sections["code"], 1+2+1+4+202; got != want {
		t.Errorf("code section = %d bytes, want %d", got, want)
	}
	if got, want := mod.sections["data"], 1+2+300; got != want {
		t.Errorf("data section = %d bytes, want %d", got, want)
	}
	if _, ok := mod.sections["custom:name"]; !ok {
		t.Errorf("no custom:name section in %v", mod.sections)
	}
}

func TestParseModuleStripped(t *testing.T) {
	t.Parallel()
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, section(10, uleb(1), uleb(1), []byte{0x0b})...)
	mod, err := parseModule(m)
	if err != nil {
		t.Fatal(err)
	}
	if mod.funcs != nil || mod.sections["code"] != 5 {
		t.Errorf("stripped module: funcs %v, sections %v; want no funcs and a 5-byte code section", mod.funcs, mod.sections)
	}
}

// TestParseModuleTruncated cuts the module everywhere: a cut inside a
// section is an error, never a panic.
func TestParseModuleTruncated(t *testing.T) {
	t.Parallel()
	m := testModule()
	if _, err := parseModule(m[:4]); err == nil {
		t.Error("a 4-byte prefix parsed without error")
	}
	boundaries := map[int]bool{8: true, len(m): true}
	for off := 8; off < len(m); {
		r := &reader{b: m, off: off + 1}
		size, err := r.uleb()
		if err != nil {
			t.Fatal(err)
		}
		off = r.off + size
		boundaries[off] = true
	}
	for i := 8; i <= len(m); i++ {
		_, err := parseModule(m[:i])
		if boundaries[i] != (err == nil) {
			t.Errorf("prefix of %d bytes (section boundary %v): error %v", i, boundaries[i], err)
		}
	}
}

func TestPackageOf(t *testing.T) {
	t.Parallel()
	pk := newPackager([]string{"fmt", "internal/reflectlite", "github.com/x/y", "github.com/x/y/z", "github.com/x/y_z"})
	tests := map[string]string{
		"github.com_x_y.__T_.m":       "github.com/x/y",
		"github.com_x_y_z.F":          "github.com/x/y/z", // y/z and y_z look alike once renamed: the first listed wins
		"github.com_x_y.Opt_go.shape": "github.com/x/y",
		"internal_reflectlite.Value":  "internal/reflectlite",
		"type_.eq.fmt.pp":             "fmt",
		"main.main":                   "main",
		"runtime.mallocgc":            "runtime",
		"wasm_export_run":             "wasm_export_run",
	}
	for name, want := range tests {
		if got := pk.packageOf(name); got != want {
			t.Errorf("packageOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestWasmName(t *testing.T) {
	t.Parallel()
	if got, want := wasmName("github.com/x/y.(*T).m"), "github.com_x_y.__T_.m"; got != want {
		t.Errorf("wasmName = %q, want %q", got, want)
	}
}
