// Command icongen draws the app's icon: web/icons/icon.svg for browsers that
// take vector icons, and the PNG sizes go-app and the PWA manifest ask for
// (192 and 512 pixels). One list of shapes produces all of them, so they
// cannot drift. The outputs are committed; run it again only to change the
// icon:
//
//	go run ./internal/icongen -o web/icons
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// The icon lives on a 512×512 canvas: a rounded square in the accent colour
// with a hub (the broker) joined to three devices.
const canvas = 512

var (
	accent = color.NRGBA{0x2f, 0x4e, 0xb8, 0xff} // --accent in web/app.css
	white  = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

// shape is one filled primitive; dist returns the signed distance from
// (x, y) to its edge, negative inside.
type shape struct {
	fill color.NRGBA
	dist func(x, y float64) float64
	svg  string
}

func roundedSquare(size, r float64, fill color.NRGBA) shape {
	h := size / 2
	return shape{
		fill: fill,
		dist: func(x, y float64) float64 {
			qx := math.Abs(x-h) - (h - r)
			qy := math.Abs(y-h) - (h - r)
			out := math.Hypot(math.Max(qx, 0), math.Max(qy, 0))
			return out + math.Min(math.Max(qx, qy), 0) - r
		},
		svg: fmt.Sprintf(`<rect width="%g" height="%g" rx="%g" fill="%s"/>`, size, size, r, hex(fill)),
	}
}

func circle(cx, cy, r float64, fill color.NRGBA) shape {
	return shape{
		fill: fill,
		dist: func(x, y float64) float64 { return math.Hypot(x-cx, y-cy) - r },
		svg:  fmt.Sprintf(`<circle cx="%g" cy="%g" r="%g" fill="%s"/>`, cx, cy, r, hex(fill)),
	}
}

// line is a segment with round caps: a capsule of the given width.
func line(x1, y1, x2, y2, width float64, stroke color.NRGBA) shape {
	return shape{
		fill: stroke,
		dist: func(x, y float64) float64 {
			px, py := x-x1, y-y1
			dx, dy := x2-x1, y2-y1
			t := math.Max(0, math.Min(1, (px*dx+py*dy)/(dx*dx+dy*dy)))
			return math.Hypot(px-t*dx, py-t*dy) - width/2
		},
		svg: fmt.Sprintf(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="%g" stroke-linecap="round"/>`,
			x1, y1, x2, y2, hex(stroke), width),
	}
}

func hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// icon returns the shapes, back to front.
func icon() []shape {
	// The hub sits below the centre so that the figure (one arm up, two
	// down) is centred as a whole.
	const hubX, hubY, arm, stroke = 256.0, 290.0, 136.0, 26.0
	shapes := []shape{roundedSquare(canvas, 112, accent)}
	var devices []shape
	for _, deg := range []float64{-90, 30, 150} {
		a := deg * math.Pi / 180
		x := math.Round((hubX+arm*math.Cos(a))*10) / 10
		y := math.Round((hubY+arm*math.Sin(a))*10) / 10
		shapes = append(shapes, line(hubX, hubY, x, y, stroke, white))
		devices = append(devices, circle(x, y, 38, white))
	}
	shapes = append(shapes, devices...)
	return append(shapes,
		circle(hubX, hubY, 70, white),
		circle(hubX, hubY, 38, accent),
	)
}

func svg(shapes []shape) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d">`+"\n", canvas, canvas)
	for _, s := range shapes {
		b.WriteString("  " + s.svg + "\n")
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

// raster draws the shapes at size×size pixels, with 4×4 samples a pixel for
// smooth edges; pixels outside the rounded square stay transparent.
func raster(shapes []shape, size int) *image.NRGBA {
	const n = 4
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := float64(canvas) / float64(size)
	for py := range size {
		for px := range size {
			var r, g, b, a float64
			for sy := range n {
				for sx := range n {
					x := (float64(px) + (float64(sx)+0.5)/n) * scale
					y := (float64(py) + (float64(sy)+0.5)/n) * scale
					var c color.NRGBA // the topmost shape that covers the sample
					for i := len(shapes) - 1; i >= 0; i-- {
						if shapes[i].dist(x, y) <= 0 {
							c = shapes[i].fill
							break
						}
					}
					fa := float64(c.A) / 255
					r += float64(c.R) * fa
					g += float64(c.G) * fa
					b += float64(c.B) * fa
					a += fa
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a)),
				G: uint8(math.Round(g / a)),
				B: uint8(math.Round(b / a)),
				A: uint8(math.Round(a / (n * n) * 255)),
			})
		}
	}
	return img
}

func main() {
	out := flag.String("o", "web/icons", "output directory")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "icongen:", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	shapes := icon()
	if err := os.WriteFile(filepath.Join(dir, "icon.svg"), svg(shapes), 0o644); err != nil {
		return err
	}
	for _, size := range []int{192, 512} {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, raster(shapes, size)); err != nil {
			return fmt.Errorf("icon %d: %w", size, err)
		}
		name := filepath.Join(dir, fmt.Sprintf("icon-%d.png", size))
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
