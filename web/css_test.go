package web

import (
	"strings"
	"testing"
)

// The stylesheet is edited by hand in blocks per page: an unclosed block
// silently swallows every rule after it, so check the braces balance.
func TestStylesheetBracesBalance(t *testing.T) {
	css, err := Files.ReadFile("app.css")
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for i, line := range strings.Split(string(css), "\n") {
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			t.Fatalf("app.css:%d: a } closes nothing", i+1)
		}
		if depth > 0 && strings.HasPrefix(line, "/* ---") {
			t.Errorf("app.css:%d: a section starts inside an unclosed block", i+1)
		}
	}
	if depth != 0 {
		t.Errorf("app.css: %d blocks left open at the end", depth)
	}
}
