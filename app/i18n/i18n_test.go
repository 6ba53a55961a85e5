package i18n

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Lang
	}{
		{"en", En},
		{"zh", Zh},
		{"zh-CN", Zh},
		{"ZH-tw", Zh},
		{" zh ", Zh},
		{"en-US", En},
		{"", En},
		{"fr", En},
		{"\"zh\"", En},
	}
	for _, tt := range tests {
		if got := Parse(tt.in); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHTMLTag(t *testing.T) {
	t.Parallel()
	for l, want := range map[Lang]string{En: "en", Zh: "zh-CN", "": "en", "xx": "en"} {
		if got := l.HTMLTag(); got != want {
			t.Errorf("Lang(%q).HTMLTag() = %q, want %q", l, got, want)
		}
	}
}

func TestTextIn(t *testing.T) {
	t.Parallel()
	txt := Text{En: "Lab", Zh: "实验室"}
	for l, want := range map[Lang]string{En: "Lab", Zh: "实验室", "": "Lab", "zh-CN": "实验室"} {
		if got := txt.In(l); got != want {
			t.Errorf("In(%q) = %q, want %q", l, got, want)
		}
	}
}

func TestCatalogLookup(t *testing.T) {
	t.Parallel()
	c := newCatalog()
	c.define(map[string]Text{"a.b": {En: "A", Zh: "甲"}})

	if got, err := c.lookup(Zh, "a.b"); err != nil || got != "甲" {
		t.Errorf("lookup(zh, a.b) = %q, %v; want 甲, nil", got, err)
	}
	if _, err := c.lookup(En, "nope"); !errors.Is(err, ErrMissing) {
		t.Errorf("lookup(en, nope) error = %v, want ErrMissing", err)
	}
	if got := c.t(En, "nope"); got != "[nope]" {
		t.Errorf("t(en, nope) = %q, want [nope]", got)
	}
	if got := c.missingKeys(); !slices.Equal(got, []string{"nope"}) {
		t.Errorf("missing = %q, want [nope]", got)
	}
	if !c.has("a.b") || c.has("nope") {
		t.Errorf("has: a.b=%v nope=%v, want true false", c.has("a.b"), c.has("nope"))
	}
}

func TestCatalogCheck(t *testing.T) {
	t.Parallel()
	c := newCatalog()
	c.define(map[string]Text{"ok": {En: "x", Zh: "y"}, "no.zh": {En: "x"}, "no.en": {Zh: " "}})
	c.define(map[string]Text{"ok": {En: "again", Zh: "再"}})

	err := c.check()
	if err == nil {
		t.Fatal("check() = nil, want errors")
	}
	for _, want := range []string{`"ok" is defined twice`, `"no.zh" has no zh text`, `"no.en" has no en text`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("check() = %v\nwant it to mention %s", err, want)
		}
	}
	if got, _ := c.lookup(En, "ok"); got != "x" {
		t.Errorf("a duplicate replaced the first text: got %q, want x", got)
	}
	if got := c.keys(); !slices.Equal(got, []string{"no.en", "no.zh", "ok"}) {
		t.Errorf("keys() = %q", got)
	}
}

func TestCatalogCheckClean(t *testing.T) {
	t.Parallel()
	c := newCatalog()
	c.define(map[string]Text{"a": {En: "A", Zh: "甲"}})
	if err := c.check(); err != nil {
		t.Errorf("check() = %v, want nil", err)
	}
}
