// Package compress precompresses the web app's build outputs, so the server
// sends app.wasm as brotli or gzip without compressing on each request, and
// the build needs nothing but Go.
package compress

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// Brotli settings for app.wasm. Measured on the 7.50 MB app.wasm of the
// first shell (2 cores): quality 9 gives 1.68 MB in 1.1 s, 10 gives 1.54 MB
// in 13 s, 11 gives 1.49 MB in 24 s (gzip -9: 2.02 MB in 0.9 s). Every first
// visit downloads the file and the transfer budget of the whole app is
// 2.0 MB, so the build takes the smallest; it only runs when the app's
// sources change, and `make wasm BROTLI_QUALITY=9` trades bytes for time
// while iterating. A 16 MiB window (the largest browsers decode) costs
// nothing and helps as the app grows past the 4 MiB default.
const (
	DefaultBrotliQuality = 11
	DefaultBrotliWindow  = 24
)

// Options tells File how hard to compress.
type Options struct {
	// BrotliQuality is 0 to 11.
	BrotliQuality int
	// BrotliWindow is the base 2 logarithm of the window, 10 to 24; 0 lets
	// the encoder choose from the quality.
	BrotliWindow int
}

// DefaultOptions are the settings the build uses.
var DefaultOptions = Options{BrotliQuality: DefaultBrotliQuality, BrotliWindow: DefaultBrotliWindow}

// Output describes one compressed file.
type Output struct {
	Path string
	Size int
	Took time.Duration
}

// Result is what File wrote.
type Result struct {
	Path    string
	Size    int
	Brotli  Output
	Gzip    Output
	Elapsed time.Duration
}

// String is the one line the build prints.
func (r Result) String() string {
	return fmt.Sprintf("%s: %s raw, gzip -9 %s (%.1f s), brotli %s (%.1f s)",
		r.Path, MB(r.Size),
		MB(r.Gzip.Size), r.Gzip.Took.Seconds(),
		MB(r.Brotli.Size), r.Brotli.Took.Seconds())
}

// MB formats a byte count in megabytes (10^6), as download sizes are quoted.
func MB(n int) string {
	return fmt.Sprintf("%.2f MB", float64(n)/1e6)
}

// Brotli compresses src with the given quality and window.
func Brotli(src []byte, quality, window int) ([]byte, error) {
	if quality < 0 || quality > 11 {
		return nil, fmt.Errorf("brotli quality %d: want 0 to 11", quality)
	}
	if window != 0 && (window < 10 || window > 24) {
		return nil, fmt.Errorf("brotli window %d: want 10 to 24, or 0 for automatic", window)
	}
	var buf bytes.Buffer
	buf.Grow(len(src) / 4)
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: quality, LGWin: window})
	if _, err := w.Write(src); err != nil {
		return nil, fmt.Errorf("brotli: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("brotli: %w", err)
	}
	return buf.Bytes(), nil
}

// Gzip compresses src at gzip's best compression.
func Gzip(src []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(src) / 3)
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if _, err := w.Write(src); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// File writes path+".br" and path+".gz" beside path, compressing in parallel.
// Each output is written to a temporary file and renamed into place, so an
// interrupted build never leaves a truncated file that looks current.
func File(path string, opts Options) (Result, error) {
	start := time.Now()
	src, err := os.ReadFile(path)
	if err != nil {
		return Result{}, fmt.Errorf("precompress: %w", err)
	}
	if len(src) == 0 {
		return Result{}, fmt.Errorf("precompress %s: the file is empty", path)
	}
	res := Result{Path: path, Size: len(src)}

	var wg sync.WaitGroup
	var brErr, gzErr error
	wg.Go(func() {
		res.Brotli, brErr = compressTo(path+".br", func() ([]byte, error) {
			return Brotli(src, opts.BrotliQuality, opts.BrotliWindow)
		})
	})
	wg.Go(func() {
		res.Gzip, gzErr = compressTo(path+".gz", func() ([]byte, error) { return Gzip(src) })
	})
	wg.Wait()
	if err := errors.Join(brErr, gzErr); err != nil {
		return Result{}, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

func compressTo(dst string, compress func() ([]byte, error)) (Output, error) {
	start := time.Now()
	b, err := compress()
	if err != nil {
		return Output{}, fmt.Errorf("precompress %s: %w", dst, err)
	}
	took := time.Since(start)
	if err := writeAtomic(dst, b); err != nil {
		return Output{}, err
	}
	return Output{Path: dst, Size: len(b), Took: took}, nil
}

func writeAtomic(dst string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*")
	if err != nil {
		return fmt.Errorf("precompress: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("precompress %s: %w", dst, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("precompress %s: %w", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("precompress %s: %w", dst, err)
	}
	return nil
}
