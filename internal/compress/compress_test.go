package compress

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// sample is compressible but not trivial: repeated text with a counter.
func sample() []byte {
	var b bytes.Buffer
	for i := range 4000 {
		b.WriteString("mqttlab packet ")
		b.WriteByte(byte('a' + i%26))
		b.WriteByte(byte(i))
	}
	return b.Bytes()
}

func TestBrotliRoundTrip(t *testing.T) {
	t.Parallel()
	src := sample()
	for _, c := range []struct{ quality, window int }{{0, 0}, {5, 10}, {9, 0}, {11, 24}} {
		br, err := Brotli(src, c.quality, c.window)
		if err != nil {
			t.Fatalf("Brotli(q%d, w%d): %v", c.quality, c.window, err)
		}
		got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
		if err != nil {
			t.Fatalf("decompress q%d w%d: %v", c.quality, c.window, err)
		}
		if !bytes.Equal(got, src) {
			t.Fatalf("q%d w%d: round trip changed the data", c.quality, c.window)
		}
		if len(br) >= len(src) {
			t.Errorf("q%d w%d: %d bytes from %d: no smaller", c.quality, c.window, len(br), len(src))
		}
	}
}

func TestBrotliBadSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		quality, window int
		want            string
	}{
		{-1, 0, "quality -1"},
		{12, 0, "quality 12"},
		{9, 9, "window 9"},
		{9, 25, "window 25"},
	}
	for _, tt := range tests {
		if _, err := Brotli([]byte("x"), tt.quality, tt.window); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Brotli(q%d, w%d) error = %v, want one naming %q", tt.quality, tt.window, err, tt.want)
		}
	}
}

func TestGzipRoundTrip(t *testing.T) {
	t.Parallel()
	src := sample()
	gz, err := Gzip(src)
	if err != nil {
		t.Fatal(err)
	}
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, src) {
		t.Fatal("round trip changed the data")
	}
}

func TestFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "app.wasm")
	src := sample()
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := File(path, Options{BrotliQuality: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Size != len(src) {
		t.Errorf("Size = %d, want %d", res.Size, len(src))
	}
	for _, out := range []Output{res.Brotli, res.Gzip} {
		fi, err := os.Stat(out.Path)
		if err != nil {
			t.Fatal(err)
		}
		if int(fi.Size()) != out.Size || out.Size == 0 {
			t.Errorf("%s: %d bytes on disk, result says %d", out.Path, fi.Size(), out.Size)
		}
	}
	if res.Brotli.Path != path+".br" || res.Gzip.Path != path+".gz" {
		t.Errorf("outputs %q, %q; want %s.br and %s.gz", res.Brotli.Path, res.Gzip.Path, path, path)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("directory holds %d files, want 3 (no temporary files left)", len(entries))
	}
	if s := res.String(); !strings.Contains(s, "app.wasm") || !strings.Contains(s, "brotli") {
		t.Errorf("String() = %q", s)
	}
}

func TestFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.wasm")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		opts       Options
		want       string
	}{
		{"missing", filepath.Join(dir, "nope.wasm"), DefaultOptions, "nope.wasm"},
		{"empty", empty, DefaultOptions, "empty"},
	}
	for _, tt := range tests {
		if _, err := File(tt.path, tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: File error = %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}

	src := filepath.Join(dir, "data")
	if err := os.WriteFile(src, sample(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := File(src, Options{BrotliQuality: 12}); err == nil || !strings.Contains(err.Error(), "quality 12") {
		t.Errorf("bad quality: File error = %v", err)
	}
	if _, err := os.Stat(src + ".br"); !os.IsNotExist(err) {
		t.Errorf("a failed brotli left %s.br behind (stat error %v)", src, err)
	}
}
