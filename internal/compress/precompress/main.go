// Command precompress writes FILE.br and FILE.gz beside each FILE, for the
// web server to send to browsers that accept them. The Makefile runs it on
// web/app.wasm.
//
//	go run ./internal/compress/precompress [-quality 11] [-window 24] FILE...
//	go run ./internal/compress/precompress -measure FILE
//
// -measure writes nothing: it prints the size and time of brotli at each
// quality, to choose the build's setting.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/mqttlab/mqttlab/internal/compress"
)

func main() {
	quality := flag.Int("quality", compress.DefaultBrotliQuality, "brotli quality, 0 to 11")
	window := flag.Int("window", compress.DefaultBrotliWindow, "brotli window bits, 10 to 24 (0: automatic)")
	measure := flag.Bool("measure", false, "print brotli size and time per quality instead of writing files")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: precompress [flags] FILE...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	for _, path := range flag.Args() {
		var err error
		if *measure {
			err = measureFile(path)
		} else {
			err = compressFile(path, compress.Options{BrotliQuality: *quality, BrotliWindow: *window})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "precompress:", err)
			os.Exit(1)
		}
	}
}

func compressFile(path string, opts compress.Options) error {
	res, err := compress.File(path, opts)
	if err != nil {
		return err
	}
	fmt.Println(res)
	return nil
}

func measureFile(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %s raw\n", path, compress.MB(len(src)))
	start := time.Now()
	gz, err := compress.Gzip(src)
	if err != nil {
		return err
	}
	fmt.Printf("  gzip -9                 %s %9d bytes %5.1f s\n", compress.MB(len(gz)), len(gz), time.Since(start).Seconds())
	for _, c := range []struct{ quality, window int }{
		{5, 0}, {6, 0}, {7, 0}, {8, 0}, {9, 0}, {9, 24}, {10, 0}, {10, 24}, {11, 0}, {11, 24},
	} {
		start := time.Now()
		br, err := compress.Brotli(src, c.quality, c.window)
		if err != nil {
			return err
		}
		fmt.Printf("  brotli q%-2d window %-4s %s %9d bytes %5.1f s\n", c.quality, windowName(c.window),
			compress.MB(len(br)), len(br), time.Since(start).Seconds())
	}
	return nil
}

func windowName(w int) string {
	if w == 0 {
		return "auto"
	}
	return fmt.Sprint(w)
}
