// Package web holds the static files of the web app and embeds them in the
// binary, so that mqttlab copied alone into an empty directory still serves
// its page.
//
// The stylesheet and the icons are committed. app.wasm, its precompressed
// app.wasm.br and app.wasm.gz, and wasm_exec.js are written by `make wasm`
// and never committed. A fresh clone that has not built them still compiles:
// the pattern below embeds whatever the directory holds (always at least
// this file), and the server reports a missing app.wasm on the page.
package web

import "embed"

// Files is the directory, embedded at build time. It also holds this Go
// file; the server serves only the files it knows.
//
//go:embed *
var Files embed.FS
