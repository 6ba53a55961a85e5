package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// helloSource is the baseline: a hello world, as small as a Go program
// for the browser gets while it prints with fmt (as the app does).
const helloSource = `package main

import "fmt"

func main() {
	fmt.Println("hello, mqttlab")
}
`

// usingSource is the same hello world using the package for real: it
// encodes a PUBLISH, reads it back through a Reader, encodes what it
// read, explains the bytes and matches a topic, printing every result so
// that nothing is dead code.
const usingSource = `package main

import (
	"bytes"
	"fmt"

	"PKG"
)

func main() {
	fmt.Println("hello, mqttlab")
	out := &protocol.Publish{Version: protocol.V5, QoS: protocol.QoS1, PacketID: 1, Topic: "lab/hello",
		Payload: []byte("hello"), Props: protocol.Properties{ContentType: protocol.Some("text/plain")}}
	raw, err := out.AppendTo(nil)
	if err != nil {
		fmt.Println("encode:", err)
		return
	}
	r := protocol.NewReader(bytes.NewReader(raw))
	r.Version = protocol.V5
	in, err := r.ReadPacket()
	if err != nil {
		fmt.Println("decode:", err, protocol.ReasonCodeOf(err))
		return
	}
	again, err := in.AppendTo(nil)
	fmt.Println(in.Type(), bytes.Equal(raw, again), err)
	ex := protocol.Explain(raw, protocol.V5)
	for _, f := range ex.Fields {
		fmt.Println(f.Offset, f.Len, f.Path, f.Key, f.Value, f.Meaning, f.Spec)
	}
	fmt.Println(protocol.Match("lab/+", "lab/hello"), protocol.ValidFilter("lab/#"))
}
`

// A probe is a built program and the measures of its binary.
type probe struct {
	raw, gz int
	mod     *module // of a build that keeps function names
}

// workspace is a temporary module holding the two programs, tied by a
// go.work file to the module under test so the programs build against its
// working tree.
type workspace struct {
	dir     string
	env     []string
	ldflags string
	gcflags []string
}

// newWorkspace writes the two programs into a new temporary directory.
// modDir is the root of the module that holds pkg, the import path of
// the protocol package.
func newWorkspace(modDir, pkg, ldflags string, gcflags []string) (*workspace, error) {
	goVersion, err := goDirective(filepath.Join(modDir, "go.mod"))
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "wasmsize-")
	if err != nil {
		return nil, err
	}
	files := map[string]string{
		"go.mod":        "module wasmsize.probe\n\ngo " + goVersion + "\n",
		"go.work":       "go " + goVersion + "\n\nuse (\n\t.\n\t" + modDir + "\n)\n",
		"hello/main.go": helloSource,
		"using/main.go": strings.ReplaceAll(usingSource, `"PKG"`, `"`+pkg+`"`),
	}
	for f, text := range files {
		path := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	env := append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOWORK="+filepath.Join(dir, "go.work"))
	return &workspace{dir: dir, env: env, ldflags: ldflags, gcflags: gcflags}, nil
}

func (w *workspace) close() error { return os.RemoveAll(w.dir) }

// build builds program prog ("hello" or "using") with the app's flags,
// measures the binary raw and gzip'ed, and builds it once more keeping
// function names (no -s) to tell what its code is made of.
func (w *workspace) build(prog string) (*probe, error) {
	out := filepath.Join(w.dir, prog+".wasm")
	if err := w.goBuild(prog, w.ldflags, out); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	gz, err := gzipSize(b)
	if err != nil {
		return nil, err
	}
	named := filepath.Join(w.dir, prog+".named.wasm")
	if err := w.goBuild(prog, withoutStrip(w.ldflags), named); err != nil {
		return nil, err
	}
	nb, err := os.ReadFile(named)
	if err != nil {
		return nil, err
	}
	mod, err := parseModule(nb)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", named, err)
	}
	return &probe{raw: len(b), gz: gz, mod: mod}, nil
}

// deps lists the import paths of the packages program prog is built of.
func (w *workspace) deps(prog string) ([]string, error) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "./"+prog)
	cmd.Dir, cmd.Env = w.dir, w.env
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps ./%s: %w", prog, err)
	}
	return strings.Fields(string(out)), nil
}

func (w *workspace) goBuild(prog, ldflags, out string) error {
	args := []string{"build", "-ldflags=" + ldflags}
	for _, f := range w.gcflags {
		args = append(args, "-gcflags="+f)
	}
	cmd := exec.Command("go", append(args, "-o", out, "./"+prog)...)
	cmd.Dir, cmd.Env = w.dir, w.env
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("GOOS=js GOARCH=wasm go build -ldflags=%q ./%s: %w\n%s", ldflags, prog, err, msg)
	}
	return nil
}

// withoutStrip drops -s from linker flags, keeping the name section.
func withoutStrip(ldflags string) string {
	var keep []string
	for _, f := range strings.Fields(ldflags) {
		if f != "-s" {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, " ")
}

// gzipSize is the size of b compressed by compress/gzip at its best
// compression, as the server precompresses app.wasm.
func gzipSize(b []byte) (int, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := zw.Write(b); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), nil
}

// goDirective returns the go version a go.mod file declares.
func goDirective(gomod string) (string, error) {
	f, err := os.Open(gomod)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "go "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("%s: %w", gomod, err)
	}
	return "", fmt.Errorf("%s: no go directive", gomod)
}

// modulePath returns the module path a go.mod file declares.
func modulePath(gomod string) (string, error) {
	b, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(p), `"`), nil
		}
	}
	return "", errors.New(gomod + ": no module directive")
}
