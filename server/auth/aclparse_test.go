package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseACLErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, text string
		line       int
		want       string // part of the message
	}{
		{"unknown keyword", "topic a\nsubscribe a/b\n", 2, `unknown keyword "subscribe"`},
		{"keyword case", "Topic a\n", 1, `unknown keyword "Topic"`},
		{"tab after keyword", "topic\tread a\n", 1, "not tabs"},
		{"tab after access", "topic read\ta\n", 1, "not tabs"},
		{"indented comment", "topic a\n  # note\n", 2, "first column"},
		{"topic without filter", "\n\ntopic\n", 3, `missing topic filter after "topic"`},
		{"topic with spaces only", "topic    \n", 1, `missing topic filter after "topic"`},
		{"pattern without filter", "pattern\n", 1, `missing topic filter after "pattern"`},
		{"access without filter", "topic read\n", 1, `missing topic filter after "topic read"`},
		{"deny without filter", "pattern deny  \n", 1, `missing topic filter after "pattern deny"`},
		{"unknown access", "topic readonly a/b\n", 1, `unknown access "readonly"`},
		{"filter with spaces, no access", "topic my topic\n", 1, `unknown access "my"`},
		{"user without name", "user\n", 1, `missing user name`},
		{"user with blanks only", "user \t \n", 1, `missing user name`},
		{"user not utf-8", "user \xff\n", 1, "not valid UTF-8"},
		{"hash inside level", "topic a/b#\n", 1, "'#' must be the whole last level"},
		{"hash not last", "topic read a/#/b\n", 1, "'#' must be the whole last level"},
		{"plus inside level", "pattern write a/+b\n", 1, "'+' must be a whole level"},
		{"plus after text", "topic a+\n", 1, "'+' must be a whole level"},
		{"pattern plus next to %u", "pattern read +%u\n", 1, "'+' must be a whole level"},
		{"filter not utf-8", "topic read a/\xc3\n", 1, "not valid UTF-8"},
		{"filter with NUL", "topic read a\x00b\n", 1, "NUL"},
		{"too many levels", "topic " + strings.Repeat("a/", 201) + "a\n", 1, "more than 201 levels"},
		{"too long", "topic " + strings.Repeat("a", 65536) + "\n", 1, "longer than 65,535 bytes"},
		{"line too long", "topic a\n" + strings.Repeat("a", maxLine+1) + "\n", 2, "line longer than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseACL("acl.txt", strings.NewReader(c.text))
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LineError", err)
			}
			if le.File != "acl.txt" || le.Line != c.line || !strings.Contains(le.Msg, c.want) {
				t.Errorf("err = %q, want acl.txt:%d: ...%s...", err, c.line, c.want)
			}
			if !strings.HasPrefix(err.Error(), "acl.txt:") {
				t.Errorf("err = %q does not start with file:line", err)
			}
		})
	}
}

// TestParseACLLines checks the lines mosquitto accepts, read the way
// mosquitto reads them.
func TestParseACLLines(t *testing.T) {
	t.Parallel()
	text := strings.Join([]string{
		"#comment right at the start",
		"",
		"   ",
		"topic   a/default",       // no access word: readwrite; extra spaces skipped
		"  topic read   b/x   \t", // leading spaces before the keyword, trailing blanks
		"topic write my topic/x",  // the filter is the rest of the line
		"topic read \t tabbed/x",  // blanks around the filter are trimmed
		"topic read read",         // access, then a filter that looks like one
		"topic readwrite c/#\r",   // CRLF
		"topic deny c/d",          //
		"topic write e/\tinner",   // a tab inside a filter is part of it
		"user  spaced name  ",     // a user name with a space
		"topic read f",            //
	}, "\n")
	a := mustParseACL(t, text)
	id := anon("c")
	runACLCases(t, a, []aclCase{
		{id, "a/default", Read | Write, true},
		{id, "b/x", Read, true},
		{id, "b/x", Write, false},
		{id, "my topic/x", Write, true},
		{id, "tabbed/x", Read, true},
		{id, "read", Read, true},
		{id, "read", Write, false},
		{id, "c/x", Read | Write, true},
		{id, "c/d", Read, false},
		{id, "e/\tinner", Write, true},
		{user("spaced name", "c"), "f", Read, true},
		{user("spaced name", "c"), "a/default", Read, false},
	})
}

func TestLoadACL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "acl.txt")
	if err := os.WriteFile(path, []byte("topic read a\nuser\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadACL(path)
	if err == nil || err.Error() != path+":2: missing user name after \"user\"" {
		t.Errorf("err = %v", err)
	}
	_, err = LoadACL(filepath.Join(dir, "missing.txt"))
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "acl file: ") {
		t.Errorf("err = %v, want acl file: ... not exist", err)
	}
}
