package app

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

func TestCatalogIsComplete(t *testing.T) {
	t.Parallel()
	if err := i18n.Check(); err != nil {
		t.Error(err)
	}
}

// TestMessageKeysAreDefined reads the app's source for every T("key") call
// with a literal key, and every key in the sections table, and checks the
// catalog has it, so a missing message fails here and not on a page.
func TestMessageKeysAreDefined(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	found := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || calleeName(call) != "T" || len(call.Args) == 0 {
				return true
			}
			lit, ok := call.Args[len(call.Args)-1].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Errorf("%s: %v", fset.Position(lit.Pos()), err)
				return true
			}
			found++
			if !i18n.Has(key) {
				t.Errorf("%s: message %q is not in the catalog", fset.Position(lit.Pos()), key)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 10 {
		t.Errorf("found only %d T(\"key\") calls: the source scan is broken", found)
	}
	for _, s := range sections {
		for _, key := range []string{s.Nav, s.Title, s.Summary} {
			if !i18n.Has(key) {
				t.Errorf("section %s: message %q is not in the catalog", s.Path, key)
			}
		}
	}
	for _, l := range i18n.Langs {
		if key := "lang." + string(l); !i18n.Has(key) {
			t.Errorf("language %s: message %q is not in the catalog", l, key)
		}
	}
}

func calleeName(call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		return fn.Sel.Name
	}
	return ""
}

// TestRoutes pre-renders every page on the server side, as go-app does for
// the first request, and checks its heading and navigation.
func TestRoutes(t *testing.T) {
	t.Parallel()
	Register()
	Register() // a second call changes nothing
	srv := httptest.NewServer(&goapp.Handler{
		Name:      "mqttlab",
		Resources: goapp.LocalDir("testdata-none"),
		Icon:      goapp.Icon{Default: "/web/icon.png", SVG: "/web/icon.svg"},
	})
	defer srv.Close()

	type page struct{ path, heading, active string }
	pages := []page{{"/", i18n.T(i18n.En, "home.title"), ""}}
	for _, s := range sections {
		pages = append(pages, page{s.Path, i18n.T(i18n.En, s.Title), s.Path})
	}
	pages = append(pages, page{"/lessons/retained-messages", "Lessons", "/lessons"})

	for _, p := range pages {
		html := get(t, srv.URL+p.path, http.StatusOK)
		if !strings.Contains(html, "<h1>"+p.heading+"</h1>") {
			t.Errorf("%s: no <h1>%s</h1> in the page", p.path, p.heading)
		}
		for _, s := range sections {
			link := `href="` + s.Path + `"`
			if !strings.Contains(html, link) {
				t.Errorf("%s: the navigation lacks %s", p.path, link)
			}
		}
		if p.active != "" && !linkIsCurrent(html, p.active) {
			t.Errorf("%s: %s is not marked as the current page", p.path, p.active)
		}
		if !strings.Contains(html, `data-runtime="server"`) {
			t.Errorf("%s: the pre-rendered shell does not say data-runtime=\"server\"", p.path)
		}
	}
	for _, p := range []string{"/nope", "/lessonsfoo", "/lab/x"} {
		get(t, srv.URL+p, http.StatusNotFound)
	}
	if missing := i18n.Missing(); len(missing) > 0 {
		t.Errorf("pages asked for messages the catalog lacks: %q", missing)
	}
}

// linkIsCurrent reports whether the link to path carries aria-current,
// whatever the order of its attributes (go-app writes them in map order).
func linkIsCurrent(html, path string) bool {
	for _, tag := range strings.Split(html, "<a ")[1:] {
		tag, _, _ = strings.Cut(tag, ">")
		if strings.Contains(tag, `href="`+path+`"`) && strings.Contains(tag, `aria-current="page"`) {
			return true
		}
	}
	return false
}

func get(t *testing.T, url string, status int) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != status {
		t.Errorf("GET %s: status %d, want %d", url, res.StatusCode, status)
	}
	return string(b)
}

// TestWasmDependencies keeps server and test code out of the WebAssembly
// build: every package it pulls in is downloaded by every visitor.
func TestWasmDependencies(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/mqttlab/mqttlab/app") {
		t.Fatalf("go list found no app package among %d dependencies", len(deps))
	}
	for _, d := range deps {
		for _, banned := range []string{
			"github.com/mqttlab/mqttlab/server",
			"github.com/mqttlab/mqttlab/internal/browsertest",
			"github.com/mqttlab/mqttlab/internal/compress",
			"github.com/mqttlab/mqttlab/web",
			"github.com/chromedp",
			"github.com/andybalholm/brotli",
			"testing",
		} {
			if d == banned || strings.HasPrefix(d, banned+"/") {
				t.Errorf("the WebAssembly app depends on %s", d)
			}
		}
	}
}
