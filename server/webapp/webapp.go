// Package webapp is the HTTP side of the web app: it serves the page, the
// WebAssembly app and the static files, all embedded in the binary, with
// go-app's Handler doing the page, the PWA manifest and the service worker.
//
// What it adds to go-app:
//   - app.wasm precompressed at build time, chosen by Accept-Encoding (br,
//     then gzip, else raw), with the uncompressed length in a header so
//     go-app's loader can show progress;
//   - the wasm_exec.js of the toolchain that built app.wasm, in place of the
//     copy go-app carries for the server's Go version;
//   - local icons and names, so the page never reaches for the internet
//     (go-app's defaults are remote URLs), and a Content-Security-Policy that
//     keeps scripts, styles, images and fonts on this host;
//   - a version derived from the embedded files, so browsers (and go-app's
//     service worker) pick up a new build and keep an unchanged one cached;
//   - a page that says what to do when the binary was built without
//     app.wasm.
//
// The handler knows nothing of MQTT: the server mounts it at "/" beside its
// /mqtt endpoint.
package webapp

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app"
	"github.com/mqttlab/mqttlab/web"
)

// Paths the handler serves itself, ahead of go-app.
const (
	wasmPath     = "/web/app.wasm"
	wasmExecPath = "/wasm_exec.js"
	staticPrefix = "/web/"
)

// WasmLengthHeader carries the size of app.wasm before compression: go-app's
// loader reads it to show progress, because a compressed response has no
// usable Content-Length for that.
const WasmLengthHeader = "X-Uncompressed-Content-Length"

// contentSecurityPolicy keeps every script, style, image, font and worker on
// this host. WebAssembly needs 'wasm-unsafe-eval'; components may set style
// attributes; the page's MQTT client may connect to any WebSocket broker.
const contentSecurityPolicy = "default-src 'self'; " +
	"script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; " +
	"font-src 'self'; " +
	"connect-src 'self' ws: wss:; " +
	"worker-src 'self'; " +
	"manifest-src 'self'; " +
	"object-src 'none'; " +
	"base-uri 'self'; " +
	"frame-ancestors 'self'"

// ErrNoWasm is returned by Handler.Check when the binary holds no app.wasm.
var ErrNoWasm = errors.New("web/app.wasm is not built into this binary: build with `make build` or `make run`, which compile the WebAssembly app first")

// Options configure the web app's handler. The zero value serves mqttlab
// from the files embedded in the binary.
type Options struct {
	// Name is the name of the app, in the title bar and the PWA manifest.
	// Default: "mqttlab".
	Name string
	// Description is the page's description for search engines and the
	// manifest.
	Description string
	// Files holds the static files: app.css, icons/, and the build outputs
	// app.wasm, app.wasm.br, app.wasm.gz and wasm_exec.js. Default: the
	// files embedded from web/.
	Files fs.FS
}

// Handler serves the web app. Create it with New.
type Handler struct {
	app      *goapp.Handler
	wasm     *wasmFile
	wasmExec *staticFile
	static   map[string]*staticFile
	version  string
}

// New returns the handler of the web app. It reads every file once, so a
// broken file system is an error here and not on some later request.
func New(opts Options) (*Handler, error) {
	if opts.Name == "" {
		opts.Name = "mqttlab"
	}
	if opts.Description == "" {
		opts.Description = "Learn, see and test MQTT: a broker, virtual devices and every packet, decoded, in your browser."
	}
	if opts.Files == nil {
		opts.Files = web.Files
	}

	files, err := readFiles(opts.Files)
	if err != nil {
		return nil, fmt.Errorf("webapp: %w", err)
	}
	h := &Handler{
		version: version(files),
		static:  map[string]*staticFile{},
	}
	h.wasm = newWasmFile(files, h.version)
	if b, ok := files["wasm_exec.js"]; ok {
		h.wasmExec = newStaticFile("wasm_exec.js", b)
	}
	for name, b := range files {
		if isStatic(name) {
			h.static[staticPrefix+name] = newStaticFile(name, b)
		}
	}

	app.Register()
	h.app = &goapp.Handler{
		Name:        opts.Name,
		ShortName:   opts.Name,
		Title:       opts.Name,
		Description: opts.Description,
		Lang:        "en",
		Icon: goapp.Icon{
			Default:    "/web/icons/icon-192.png",
			Large:      "/web/icons/icon-512.png",
			SVG:        "/web/icons/icon.svg",
			AppleTouch: "/web/icons/icon-192.png",
		},
		Image:                   "/web/icons/icon-512.png",
		BackgroundColor:         "#f7f8fb",
		ThemeColor:              "#2f4eb8",
		LoadingLabel:            "{progress}%",
		Styles:                  []string{"/web/app.css"},
		CacheableResources:      []string{"/web/icons/icon.svg"},
		Resources:               resources{},
		Version:                 h.version,
		WasmContentLengthHeader: WasmLengthHeader,
	}
	return h, nil
}

// Version identifies the build of the web app: it changes when any embedded
// file does, and go-app hands it to the service worker.
func (h *Handler) Version() string { return h.version }

// Check reports ErrNoWasm when the binary was built without app.wasm, so the
// server can say so at start-up and not only on the page.
func (h *Handler) Check() error {
	if h.wasm == nil || h.wasmExec == nil {
		return ErrNoWasm
	}
	return nil
}

// ServeHTTP routes a request: app.wasm, wasm_exec.js and the static files
// are served here; the pages and go-app's own scripts, manifest and
// service worker by go-app.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}

	p := r.URL.Path
	switch {
	case p == wasmPath:
		if h.wasm == nil {
			http.Error(w, "503 "+ErrNoWasm.Error(), http.StatusServiceUnavailable)
			return
		}
		h.wasm.serve(w, r)
	case p == wasmExecPath:
		if h.wasmExec == nil {
			http.Error(w, "503 "+ErrNoWasm.Error(), http.StatusServiceUnavailable)
			return
		}
		h.wasmExec.serve(w, r)
	case strings.HasPrefix(p, staticPrefix):
		f, ok := h.static[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		f.serve(w, r)
	case isProxyPath(p):
		// go-app would fetch these from the Host the request names: serve
		// them from the embedded files instead, or not at all.
		f, ok := h.static[staticPrefix+strings.TrimPrefix(p, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		f.serve(w, r)
	case h.Check() != nil && !isAppResource(p):
		serveNotBuilt(w, r)
	default:
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		h.app.ServeHTTP(w, r)
	}
}

// isProxyPath reports the paths go-app serves by fetching a URL built from
// the request's Host header; the handler never lets a request reach that.
func isProxyPath(p string) bool {
	return p == "/robots.txt" || p == "/sitemap.xml" || p == "/ads.txt"
}

// isAppResource reports go-app's own files, which are served even when
// app.wasm is missing.
func isAppResource(p string) bool {
	switch p {
	case "/app.js", "/goapp.js", "/app-worker.js", "/app.css", "/manifest.webmanifest", "/manifest.json":
		return true
	}
	return false
}

// resources tells go-app where things are: everything at the root, app.wasm
// under /web/. It is deliberately not an http.Handler, so go-app never
// serves a file from the working directory; the Handler serves them.
type resources struct{}

func (resources) Package() string { return "" }
func (resources) Static() string  { return "" }
func (resources) AppWASM() string { return wasmPath }

// readFiles reads every regular file of fsys, by slash-separated path.
func readFiles(fsys fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		files[name] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the web files: %w", err)
	}
	return files, nil
}

// isStatic reports whether a file of web/ is served under /web/ as it is:
// everything but Go source and the build outputs, which have their own
// paths.
func isStatic(name string) bool {
	base := path.Base(name)
	switch {
	case strings.HasSuffix(base, ".go"):
		return false
	case name == "app.wasm", strings.HasPrefix(name, "app.wasm."), name == "wasm_exec.js":
		return false
	}
	return true
}

// version hashes the names and contents of the files, in name order.
func version(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	sum := sha256.New()
	for _, n := range names {
		fmt.Fprintf(sum, "%s\x00%d\x00", n, len(files[n]))
		sum.Write(files[n])
	}
	return hex.EncodeToString(sum.Sum(nil))[:20]
}
