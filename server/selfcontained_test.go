//go:build !js

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// localRef matches the site-local URLs a page refers to.
var localRef = regexp.MustCompile(`(?:href|src)="(/[^"/][^"]*)"`)

// TestBinaryIsSelfContained builds the mqttlab command, copies nothing but
// the binary into an empty directory, runs it from there and fetches the
// page and everything the page refers to: the app is embedded, not read
// from the source tree.
func TestBinaryIsSelfContained(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "mqttlab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-http", "127.0.0.1:0", "-mqtt", "127.0.0.1:0", "-scenario", "none")
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	var web string
	sc := bufio.NewScanner(stdout)
	for web == "" && sc.Scan() {
		if m := webLine.FindStringSubmatch(sc.Text() + "\n"); m != nil {
			web = "http://" + m[1]
		}
	}
	if web == "" {
		t.Fatalf("the command printed no web address (%v)", sc.Err())
	}
	go io.Copy(io.Discard, stdout)

	page := fetch(t, web+"/", "")
	refs := localRef.FindAllStringSubmatch(page, -1)
	if len(refs) < 3 {
		t.Fatalf("the page refers to %d local files, want its stylesheet, scripts and icons:\n%s", len(refs), page)
	}
	for _, r := range refs {
		fetch(t, web+r[1], "")
	}
	t.Logf("fetched the page and the %d local files it refers to", len(refs))
	fetch(t, web+"/wasm_exec.js", "")
	if enc := fetchEncoding(t, web+"/web/app.wasm", "br"); enc != "br" {
		t.Errorf("app.wasm with Accept-Encoding: br came as %q", enc)
	}
}

// fetch GETs url and returns its body; anything but 200 fails the test.
func fetch(t *testing.T, url, acceptEncoding string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %s", strings.TrimPrefix(url, "http://"), resp.Status)
	}
	return string(b)
}

// fetchEncoding GETs url asking for acceptEncoding and returns the
// Content-Encoding it came with.
func fetchEncoding(t *testing.T, url, acceptEncoding string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %s", url, resp.Status)
	}
	return resp.Header.Get("Content-Encoding")
}
