package webapp

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

	"github.com/mqttlab/mqttlab/internal/compress"
)

// fakeWasm stands in for app.wasm: what matters here is that each form
// decodes back to it.
var fakeWasm = bytes.Repeat([]byte("\x00asm fake module for the handler tests "), 2000)

const fakeWasmExec = "// wasm_exec.js of the toolchain that built app.wasm\n"

// testFiles returns a web directory with the build outputs named in forms
// ("raw", "br", "gz", "exec") and the committed assets.
func testFiles(t testing.TB, forms ...string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{
		"app.css":            {Data: []byte("body { color: black }\n")},
		"icons/icon.svg":     {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		"icons/icon-192.png": {Data: []byte("png-192")},
		"icons/icon-512.png": {Data: []byte("png-512")},
		"embed.go":           {Data: []byte("package web\n")},
	}
	for _, f := range forms {
		switch f {
		case "raw":
			fsys["app.wasm"] = &fstest.MapFile{Data: fakeWasm}
		case "br":
			b, err := compress.Brotli(fakeWasm, 5, 0)
			if err != nil {
				t.Fatal(err)
			}
			fsys["app.wasm.br"] = &fstest.MapFile{Data: b}
		case "gz":
			b, err := compress.Gzip(fakeWasm)
			if err != nil {
				t.Fatal(err)
			}
			fsys["app.wasm.gz"] = &fstest.MapFile{Data: b}
		case "exec":
			fsys["wasm_exec.js"] = &fstest.MapFile{Data: []byte(fakeWasmExec)}
		default:
			t.Fatalf("unknown form %q", f)
		}
	}
	return fsys
}

func newTestHandler(t testing.TB, fsys fstest.MapFS) *Handler {
	t.Helper()
	h, err := New(Options{Files: fsys})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return h
}

// do serves one request and returns the recorded response.
func do(t testing.TB, h http.Handler, method, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t testing.TB, res *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t testing.TB, encoding string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "":
		return b
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("gzip body: %v", err)
		}
		r = zr
	default:
		t.Fatalf("unexpected Content-Encoding %q", encoding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s body: %v", encoding, err)
	}
	return out
}

func TestWasmEncoding(t *testing.T) {
	t.Parallel()
	all := newTestHandler(t, testFiles(t, "raw", "br", "gz", "exec"))
	gzOnly := newTestHandler(t, testFiles(t, "raw", "gz", "exec"))
	rawOnly := newTestHandler(t, testFiles(t, "raw", "exec"))

	tests := []struct {
		name   string
		h      *Handler
		accept string
		want   string
	}{
		{"browser", all, "gzip, deflate, br, zstd", "br"},
		{"br first", all, "br, gzip", "br"},
		{"gzip only", all, "gzip", "gzip"},
		{"none", all, "", ""},
		{"identity", all, "identity", ""},
		{"unknown coding", all, "deflate", ""},
		{"br refused", all, "br;q=0, gzip", "gzip"},
		{"br low q", all, "br;q=0.1, gzip;q=1", "br"},
		{"upper case", all, "BR", "br"},
		{"star", all, "*", "br"},
		{"star refused", all, "*;q=0", ""},
		{"star but not br", all, "br;q=0, *", "gzip"},
		{"bad q", all, "br;q=x, gzip", "gzip"},
		{"no br built", gzOnly, "br, gzip", "gzip"},
		{"nothing compressed", rawOnly, "br, gzip", ""},
	}
	etags := map[string]string{}
	for _, tt := range tests {
		res := do(t, tt.h, http.MethodGet, "/web/app.wasm", map[string]string{"Accept-Encoding": tt.accept})
		b := body(t, res)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tt.name, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Encoding"); got != tt.want {
			t.Errorf("%s: Accept-Encoding %q gave Content-Encoding %q, want %q", tt.name, tt.accept, got, tt.want)
		}
		if !bytes.Equal(decode(t, res.Header.Get("Content-Encoding"), b), fakeWasm) {
			t.Errorf("%s: the body does not decode to app.wasm", tt.name)
		}
		for k, want := range map[string]string{
			"Content-Type":   "application/wasm",
			"Vary":           "Accept-Encoding",
			"Cache-Control":  "no-cache",
			WasmLengthHeader: strconv.Itoa(len(fakeWasm)),
			"Content-Length": strconv.Itoa(len(b)),
		} {
			if got := res.Header.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", tt.name, k, got, want)
			}
		}
		etag := res.Header.Get("ETag")
		if tt.h == all {
			if prev, ok := etags[tt.want]; ok && prev != etag {
				t.Errorf("%s: ETag %s differs from %s for the same form", tt.name, etag, prev)
			}
			etags[tt.want] = etag
		}
	}
	if len(etags) != 3 || etags["br"] == etags["gzip"] || etags["br"] == etags[""] || etags["gzip"] == etags[""] {
		t.Errorf("each form needs its own ETag, got %q", etags)
	}
}

func TestWasmConditionalHeadRange(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, testFiles(t, "raw", "br", "gz", "exec"))
	br := map[string]string{"Accept-Encoding": "br"}

	full := do(t, h, http.MethodGet, "/web/app.wasm", br)
	fullBody := body(t, full)
	etag := full.Header.Get("ETag")

	t.Run("if-none-match", func(t *testing.T) {
		res := do(t, h, http.MethodGet, "/web/app.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": etag})
		if res.StatusCode != http.StatusNotModified {
			t.Fatalf("status %d, want 304", res.StatusCode)
		}
		if n := len(body(t, res)); n != 0 {
			t.Errorf("304 with a %d-byte body", n)
		}
		for _, k := range []string{"Content-Encoding", "Content-Length"} {
			if v := res.Header.Get(k); v != "" {
				t.Errorf("304 carries %s: %s", k, v)
			}
		}
	})
	t.Run("stale etag", func(t *testing.T) {
		res := do(t, h, http.MethodGet, "/web/app.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": `"old"`})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d, want 200", res.StatusCode)
		}
	})
	t.Run("head", func(t *testing.T) {
		res := do(t, h, http.MethodHead, "/web/app.wasm", br)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if n := len(body(t, res)); n != 0 {
			t.Errorf("HEAD answered with a %d-byte body", n)
		}
		if got, want := res.Header.Get("Content-Length"), strconv.Itoa(len(fullBody)); got != want {
			t.Errorf("HEAD Content-Length %s, want %s", got, want)
		}
		if got := res.Header.Get("Content-Encoding"); got != "br" {
			t.Errorf("HEAD Content-Encoding %q, want br", got)
		}
	})
	t.Run("range", func(t *testing.T) {
		res := do(t, h, http.MethodGet, "/web/app.wasm", map[string]string{"Accept-Encoding": "br", "Range": "bytes=0-9"})
		b := body(t, res)
		if res.StatusCode != http.StatusPartialContent {
			t.Fatalf("status %d, want 206", res.StatusCode)
		}
		if !bytes.Equal(b, fullBody[:10]) {
			t.Errorf("range body %x, want %x", b, fullBody[:10])
		}
		if got := res.Header.Get("Content-Length"); got != "10" {
			t.Errorf("range Content-Length %s, want 10", got)
		}
		if got, want := res.Header.Get("Content-Range"), "bytes 0-9/"+strconv.Itoa(len(fullBody)); got != want {
			t.Errorf("Content-Range %q, want %q", got, want)
		}
	})
}

func TestWasmExecIsTheBuiltCopy(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, testFiles(t, "raw", "exec"))
	res := do(t, h, http.MethodGet, "/wasm_exec.js", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got := string(body(t, res)); got != fakeWasmExec {
		t.Errorf("/wasm_exec.js served %q, want the embedded copy", got)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, testFiles(t, "raw", "exec"))
	tests := []struct {
		path, contentType, body string
	}{
		{"/web/app.css", "text/css; charset=utf-8", "body { color: black }\n"},
		{"/web/icons/icon.svg", "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg"/>`},
		{"/web/icons/icon-192.png", "image/png", "png-192"},
	}
	for _, tt := range tests {
		res := do(t, h, http.MethodGet, tt.path, nil)
		b := body(t, res)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tt.path, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Type"); got != tt.contentType {
			t.Errorf("%s: Content-Type %q, want %q", tt.path, got, tt.contentType)
		}
		if string(b) != tt.body {
			t.Errorf("%s: body %q", tt.path, b)
		}
		if res.Header.Get("Cache-Control") != "no-cache" || res.Header.Get("ETag") == "" {
			t.Errorf("%s: Cache-Control %q, ETag %q; want no-cache and an ETag", tt.path,
				res.Header.Get("Cache-Control"), res.Header.Get("ETag"))
		}
		again := do(t, h, http.MethodGet, tt.path, map[string]string{"If-None-Match": res.Header.Get("ETag")})
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("%s: revalidation gave %d, want 304", tt.path, again.StatusCode)
		}
		head := do(t, h, http.MethodHead, tt.path, nil)
		if n := len(body(t, head)); head.StatusCode != http.StatusOK || n != 0 {
			t.Errorf("%s: HEAD gave %d with %d bytes", tt.path, head.StatusCode, n)
		}
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, testFiles(t, "raw", "br", "gz", "exec"))
	for _, p := range []string{
		"/web/nope.css",
		"/web/embed.go",     // the Go source embedded beside the assets
		"/web/app.wasm.br",  // only through /web/app.wasm
		"/web/app.wasm.gz",  //
		"/web/wasm_exec.js", // only at /wasm_exec.js
		"/web/",
		"/web/icons",
		"/nope",
		"/lab/nope",
		"/lessonsx",
		"/robots.txt", // go-app would fetch these from the request's Host
		"/sitemap.xml",
		"/ads.txt",
	} {
		res := do(t, h, http.MethodGet, p, map[string]string{"Host": "example.com"})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, res.StatusCode)
		}
	}
}

func TestRobotsFromFiles(t *testing.T) {
	t.Parallel()
	fsys := testFiles(t, "raw", "exec")
	fsys["robots.txt"] = &fstest.MapFile{Data: []byte("User-agent: *\nDisallow:\n")}
	h := newTestHandler(t, fsys)
	res := do(t, h, http.MethodGet, "/robots.txt", nil)
	if res.StatusCode != http.StatusOK || string(body(t, res)) != "User-agent: *\nDisallow:\n" {
		t.Errorf("robots.txt: status %d", res.StatusCode)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, testFiles(t, "raw", "exec"))
	for _, p := range []string{"/", "/web/app.wasm", "/web/app.css", "/app.js"} {
		res := do(t, h, http.MethodPost, p, nil)
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: status %d, want 405", p, res.StatusCode)
		}
		if got := res.Header.Get("Allow"); got != "GET, HEAD" {
			t.Errorf("POST %s: Allow %q", p, got)
		}
	}
}

func TestPages(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, testFiles(t, "raw", "br", "gz", "exec"))
	for _, p := range []string{"/", "/lab", "/inspector", "/broker", "/fleet", "/topics", "/visualize", "/lessons", "/lessons/qos"} {
		res := do(t, h, http.MethodGet, p, nil)
		b := string(body(t, res))
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", p, res.StatusCode)
			continue
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", p, csp)
		}
		for _, want := range []string{`class="app"`, `href="/lab"`, `id="lang-zh"`, `src="/wasm_exec.js"`, `href="/web/app.css"`} {
			if !strings.Contains(b, want) {
				t.Errorf("GET %s: page lacks %s", p, want)
			}
		}
		assertLocalRefs(t, p, b)
	}
}

// refAttr finds the attributes through which a page makes the browser fetch
// something. (Meta tags such as og:url name addresses but fetch nothing.)
var refAttr = regexp.MustCompile(`\b(?:src|href|srcset|poster|action|data)="([^"]*)"`)

// assertLocalRefs fails when the page would fetch from another host.
func assertLocalRefs(t *testing.T, name, page string) {
	t.Helper()
	refs := refAttr.FindAllStringSubmatch(page, -1)
	if len(refs) == 0 {
		t.Errorf("%s: no src or href found; the check is broken", name)
	}
	for _, m := range refs {
		if ref := m[1]; strings.Contains(ref, "//") || strings.Contains(ref, ":") {
			t.Errorf("%s: %s refers to another host", name, m[0])
		}
	}
}

func TestManifestAndWorkerAreLocal(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, testFiles(t, "raw", "br", "gz", "exec"))

	res := do(t, h, http.MethodGet, "/manifest.webmanifest", nil)
	var manifest struct {
		Name  string
		Icons []struct{ Src, Type, Sizes string }
	}
	if err := json.Unmarshal(body(t, res), &manifest); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if manifest.Name != "mqttlab" || len(manifest.Icons) != 3 {
		t.Errorf("manifest: name %q, %d icons", manifest.Name, len(manifest.Icons))
	}
	for _, icon := range manifest.Icons {
		if !strings.HasPrefix(icon.Src, "/web/icons/") {
			t.Errorf("manifest icon %q is not a local file", icon.Src)
		}
		if got := do(t, h, http.MethodGet, icon.Src, nil); got.StatusCode != http.StatusOK {
			t.Errorf("manifest icon %s: status %d", icon.Src, got.StatusCode)
		}
	}

	worker := string(body(t, do(t, h, http.MethodGet, "/app-worker.js", nil)))
	m := regexp.MustCompile(`const resourcesToCache = (\[.*\]);`).FindStringSubmatch(worker)
	if m == nil {
		t.Fatalf("app-worker.js lists no resources:\n%s", worker)
	}
	var cached []string
	if err := json.Unmarshal([]byte(m[1]), &cached); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/", "/web/app.wasm", "/wasm_exec.js", "/web/app.css", "/web/icons/icon.svg"} {
		if !slices.Contains(cached, want) {
			t.Errorf("the service worker does not cache %s (it caches %q)", want, cached)
		}
	}
	for _, p := range cached {
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
			t.Errorf("the service worker caches %q, not a local path", p)
			continue
		}
		if got := do(t, h, http.MethodGet, p, nil); got.StatusCode != http.StatusOK {
			t.Errorf("the service worker caches %s, which answers %d", p, got.StatusCode)
		}
	}
	if !strings.Contains(worker, h.Version()) {
		t.Errorf("app-worker.js does not carry the version %s", h.Version())
	}
	appJS := string(body(t, do(t, h, http.MethodGet, "/app.js", nil)))
	if !strings.Contains(appJS, `"`+WasmLengthHeader+`"`) {
		t.Errorf("app.js does not read the %s header", WasmLengthHeader)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	a := newTestHandler(t, testFiles(t, "raw", "exec"))
	b := newTestHandler(t, testFiles(t, "raw", "exec"))
	if a.Version() != b.Version() {
		t.Errorf("the same files gave versions %s and %s", a.Version(), b.Version())
	}
	changed := testFiles(t, "raw", "exec")
	changed["app.wasm"] = &fstest.MapFile{Data: append([]byte("x"), fakeWasm...)}
	if c := newTestHandler(t, changed); c.Version() == a.Version() {
		t.Errorf("a new app.wasm kept the version %s", a.Version())
	}
	css := testFiles(t, "raw", "exec")
	css["app.css"] = &fstest.MapFile{Data: []byte("body { color: red }\n")}
	if c := newTestHandler(t, css); c.Version() == a.Version() {
		t.Errorf("a new stylesheet kept the version %s", a.Version())
	}
	res := do(t, a, http.MethodGet, "/", nil)
	if got := res.Header.Get("ETag"); got != `"`+a.Version()+`"` {
		t.Errorf("page ETag %s, want the version %s", got, a.Version())
	}
}

func TestNotBuilt(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, testFiles(t))
	if err := h.Check(); !errors.Is(err, ErrNoWasm) {
		t.Errorf("Check() = %v, want ErrNoWasm", err)
	}
	for _, p := range []string{"/", "/lab", "/nope"} {
		res := do(t, h, http.MethodGet, p, nil)
		b := string(body(t, res))
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("GET %s: status %d, want 503", p, res.StatusCode)
		}
		if !strings.Contains(b, "make run") || !strings.Contains(b, "web/app.wasm") {
			t.Errorf("GET %s: the page does not say how to build the app:\n%s", p, b)
		}
	}
	for _, p := range []string{"/web/app.wasm", "/wasm_exec.js"} {
		res := do(t, h, http.MethodGet, p, nil)
		if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body(t, res)), "make") {
			t.Errorf("GET %s: status %d, want 503 naming make", p, res.StatusCode)
		}
	}
	for _, p := range []string{"/web/app.css", "/app.js", "/manifest.webmanifest", "/app-worker.js"} {
		if res := do(t, h, http.MethodGet, p, nil); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200 even without app.wasm", p, res.StatusCode)
		}
	}

	// Only the compressed forms, without the raw file: still not built.
	if h := newTestHandler(t, testFiles(t, "br", "gz", "exec")); h.Check() == nil {
		t.Error("Check() = nil without app.wasm")
	}
	// app.wasm without wasm_exec.js cannot run either.
	if h := newTestHandler(t, testFiles(t, "raw")); h.Check() == nil {
		t.Error("Check() = nil without wasm_exec.js")
	}
}

// TestEmbeddedFiles checks the files committed in web/: the icons are real
// PNGs of the sizes the manifest promises, and the stylesheet is there.
func TestEmbeddedFiles(t *testing.T) {
	t.Parallel()
	h, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for path, size := range map[string]int{"/web/icons/icon-192.png": 192, "/web/icons/icon-512.png": 512} {
		res := do(t, h, http.MethodGet, path, nil)
		img, err := png.Decode(bytes.NewReader(body(t, res)))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Errorf("%s is %dx%d, want %dx%d", path, b.Dx(), b.Dy(), size, size)
		}
	}
	for _, p := range []string{"/web/app.css", "/web/icons/icon.svg"} {
		res := do(t, h, http.MethodGet, p, nil)
		b := body(t, res)
		if res.StatusCode != http.StatusOK || len(b) == 0 {
			t.Errorf("%s: status %d, %d bytes", p, res.StatusCode, len(b))
		}
		if regexp.MustCompile(`url\(\s*['"]?(https?:)?//`).Match(b) {
			t.Errorf("%s refers to another host", p)
		}
	}
}

// TestServesFromAnEmptyDirectory runs the handler where the working
// directory holds nothing, as a binary copied alone would: every file comes
// from the binary.
func TestServesFromAnEmptyDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	h := newTestHandler(t, testFiles(t, "raw", "br", "exec"))
	for _, p := range []string{"/", "/lab", "/web/app.css", "/web/icons/icon.svg", "/web/app.wasm", "/wasm_exec.js", "/app.js", "/app-worker.js"} {
		if res := do(t, h, http.MethodGet, p, nil); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s from an empty directory: status %d", p, res.StatusCode)
		}
	}
}
