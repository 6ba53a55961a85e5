package main

import (
	"bytes"
	"encoding/xml"
	"image/color"
	"os"
	"path/filepath"
	"testing"
)

// TestRasterMatchesShapes samples the drawn icon where the shapes say what
// must be there, so the PNGs and the SVG cannot disagree unnoticed.
func TestRasterMatchesShapes(t *testing.T) {
	t.Parallel()
	img := raster(icon(), 128)
	scale := 128.0 / canvas
	at := func(x, y float64) color.NRGBA { return img.NRGBAAt(int(x*scale), int(y*scale)) }
	tests := []struct {
		name string
		x, y float64
		want color.NRGBA
	}{
		{"corner outside the rounded square", 2, 2, color.NRGBA{}},
		{"background", 60, 256, accent},
		{"hub ring", 256, 290 - 55, white},
		{"hub centre", 256, 290, accent},
		{"top device", 256, 154, white},
	}
	for _, tt := range tests {
		if got := at(tt.x, tt.y); got != tt.want {
			t.Errorf("%s at (%g, %g): %v, want %v", tt.name, tt.x, tt.y, got, tt.want)
		}
	}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	svgData, err := os.ReadFile(filepath.Join(dir, "icon.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svgData, new(struct{})); err != nil {
		t.Errorf("icon.svg is not well-formed XML: %v", err)
	}
	for _, name := range []string{"icon-192.png", "icon-512.png"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s is not a PNG", name)
		}
	}
	// The committed icons are what the generator draws.
	for _, name := range []string{"icon.svg", "icon-192.png", "icon-512.png"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", "..", "web", "icons", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("web/icons/%s differs from what icongen draws: run go run ./internal/icongen", name)
		}
	}
}
