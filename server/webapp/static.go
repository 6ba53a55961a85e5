package webapp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"path"
	"time"
)

// staticFile is one embedded file with what its responses need, computed
// once.
type staticFile struct {
	name        string
	body        []byte
	etag        string
	contentType string
}

func newStaticFile(name string, body []byte) *staticFile {
	sum := sha256.Sum256(body)
	return &staticFile{
		name:        name,
		body:        body,
		etag:        `"` + hex.EncodeToString(sum[:10]) + `"`,
		contentType: contentType(name),
	}
}

// serve sends the file. The URLs of static files carry no version, so
// browsers revalidate each use (no-cache) against the content's ETag: cheap
// 304s while the file is unchanged, the new file as soon as it changes.
func (f *staticFile) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.body))
}

// contentType gives the type of a file by its extension, with the types
// the web app uses fixed here rather than left to the system's tables.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".json":
		return "application/json"
	case ".webmanifest":
		return "application/manifest+json"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".wasm":
		return "application/wasm"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}
