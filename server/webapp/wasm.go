package webapp

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// encoded is one representation of app.wasm.
type encoded struct {
	// encoding is the Content-Encoding token, "" for the raw file.
	encoding string
	body     []byte
	etag     string
}

// wasmFile is app.wasm with its precompressed forms, best first.
type wasmFile struct {
	rawSize int
	forms   []encoded // br, gzip, raw: those the build produced
}

// newWasmFile returns app.wasm and its compressed forms from files, or nil
// when the build did not produce app.wasm. A compressed form without the
// raw file is ignored: the raw file is what every other form is checked
// against.
func newWasmFile(files map[string][]byte, version string) *wasmFile {
	raw, ok := files["app.wasm"]
	if !ok || len(raw) == 0 {
		return nil
	}
	f := &wasmFile{rawSize: len(raw)}
	for _, form := range []struct{ encoding, suffix string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if b, ok := files["app.wasm"+form.suffix]; ok && len(b) > 0 {
			f.forms = append(f.forms, encoded{
				encoding: form.encoding,
				body:     b,
				etag:     `"` + version + "-" + form.encoding + `"`,
			})
		}
	}
	f.forms = append(f.forms, encoded{body: raw, etag: `"` + version + `"`})
	return f
}

// choose returns the best form the client accepts; the raw file is always
// acceptable.
func (f *wasmFile) choose(acceptEncoding string) encoded {
	for _, form := range f.forms {
		if form.encoding == "" || accepts(acceptEncoding, form.encoding) {
			return form
		}
	}
	return f.forms[len(f.forms)-1]
}

// serve sends app.wasm. The URL does not change between builds, so the
// response must be revalidated (no-cache) and carries a strong ETag per
// form: an unchanged build costs a 304, a new one is fetched at once.
// go-app's service worker keeps its own copy per version.
func (f *wasmFile) serve(w http.ResponseWriter, r *http.Request) {
	form := f.choose(r.Header.Get("Accept-Encoding"))
	h := w.Header()
	h.Set("Content-Type", "application/wasm")
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", form.etag)
	h.Set(WasmLengthHeader, strconv.Itoa(f.rawSize))
	if form.encoding != "" {
		h.Set("Content-Encoding", form.encoding)
		// ServeContent leaves Content-Length out when Content-Encoding is
		// set (it cannot know the handler did not compress on the fly); the
		// body here is the encoded file, so its length is known. A range
		// request replaces it with the range's length.
		h.Set("Content-Length", strconv.Itoa(len(form.body)))
	}
	http.ServeContent(w, r, "app.wasm", time.Time{}, bytes.NewReader(form.body))
}

// accepts reports whether an Accept-Encoding header value allows coding:
// named with a q-value above zero, or covered by "*" and not named.
func accepts(header, coding string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		ok := qualityAboveZero(params)
		switch name {
		case coding:
			return ok
		case "*":
			star = ok
		}
	}
	return star
}

// qualityAboveZero reads the q parameter of one Accept-Encoding entry; no q
// means 1, an unreadable q is treated as 0.
func qualityAboveZero(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q > 0
	}
	return true
}
