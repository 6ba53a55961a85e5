// Package i18n is the message catalog of the web app: every string a user
// reads goes through it, in English and Chinese.
//
// A message is a key (dotted, named for where it shows: "nav.lab",
// "home.title") mapped to a Text with both languages. Each page keeps its
// messages in its own table and adds it with Define, so pages written in
// parallel do not edit one shared file. Check reports duplicate keys and
// missing translations; the tests of package app run it and also check that
// every key the code asks for is defined, so a missing message fails a test
// rather than showing a placeholder to a user.
package i18n

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Lang is a language of the user interface. Its value is the BCP 47 primary
// language tag, which is also what is kept in the browser's local storage.
type Lang string

// The languages of the user interface.
const (
	En Lang = "en"
	Zh Lang = "zh"
)

// Langs lists the languages in the order the language switch shows them.
var Langs = []Lang{En, Zh}

// Parse returns the language named by s ("en", "zh", "zh-CN", …), or En when
// s names no language the app has: an unknown stored value must not leave
// the page without text.
func Parse(s string) Lang {
	primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	switch Lang(primary) {
	case Zh:
		return Zh
	default:
		return En
	}
}

// HTMLTag is the value for the lang attribute of the page, which picks the
// fonts and line breaking the browser uses (Chinese needs zh-CN glyphs).
func (l Lang) HTMLTag() string {
	if Parse(string(l)) == Zh {
		return "zh-CN"
	}
	return "en"
}

// T returns the message key in language l; see the package function T.
func (l Lang) T(key string) string {
	return T(l, key)
}

// Text is one message in every language of the app.
type Text struct {
	En string
	Zh string
}

// In returns the text in language l.
func (t Text) In(l Lang) string {
	if Parse(string(l)) == Zh {
		return t.Zh
	}
	return t.En
}

// catalog holds every defined message and the problems found on the way.
type catalog struct {
	mu         sync.RWMutex
	messages   map[string]Text
	duplicates []string
	missing    map[string]bool
}

func newCatalog() *catalog {
	return &catalog{messages: map[string]Text{}, missing: map[string]bool{}}
}

// std is the catalog of the app; the package functions use it.
var std = newCatalog()

// Define adds a table of messages to the catalog. It is meant for package
// variables (var _ = i18n.Define(...)), so it runs before any page renders.
// A key defined twice keeps its first text and is reported by Check.
func Define(table map[string]Text) bool { return std.define(table) }

// ErrMissing is wrapped by Lookup's error for a key that has no message.
var ErrMissing = errors.New("no such message")

// Lookup returns the message key in language l, or an error wrapping
// ErrMissing when the catalog has no such key.
func Lookup(l Lang, key string) (string, error) { return std.lookup(l, key) }

// T returns the message key in language l. A key with no message renders as
// the key in brackets, so it is visible on the page, and it is remembered for
// Missing; the tests keep that from happening in a build.
func T(l Lang, key string) string { return std.t(l, key) }

// Has reports whether the catalog defines key.
func Has(key string) bool { return std.has(key) }

// Keys returns every defined key, sorted.
func Keys() []string { return std.keys() }

// Missing returns the keys that T was asked for and the catalog lacks,
// sorted.
func Missing() []string { return std.missingKeys() }

// Check reports every problem of the catalog: keys defined twice, and
// messages with an empty text in some language.
func Check() error { return std.check() }

func (c *catalog) define(table map[string]Text) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range sortedKeys(table) {
		if _, dup := c.messages[k]; dup {
			c.duplicates = append(c.duplicates, k)
			continue
		}
		c.messages[k] = table[k]
	}
	return true
}

func (c *catalog) lookup(l Lang, key string) (string, error) {
	c.mu.RLock()
	t, ok := c.messages[key]
	c.mu.RUnlock()
	if !ok {
		return "", fmt.Errorf("i18n: message %q: %w", key, ErrMissing)
	}
	return t.In(l), nil
}

func (c *catalog) t(l Lang, key string) string {
	s, err := c.lookup(l, key)
	if err == nil {
		return s
	}
	c.mu.Lock()
	c.missing[key] = true
	c.mu.Unlock()
	return "[" + key + "]"
}

func (c *catalog) has(key string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.messages[key]
	return ok
}

func (c *catalog) keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return sortedKeys(c.messages)
}

func (c *catalog) missingKeys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return sortedKeys(c.missing)
}

func (c *catalog) check() error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var errs []error
	for _, k := range c.duplicates {
		errs = append(errs, fmt.Errorf("i18n: message %q is defined twice", k))
	}
	for _, k := range sortedKeys(c.messages) {
		t := c.messages[k]
		for _, l := range Langs {
			if strings.TrimSpace(t.In(l)) == "" {
				errs = append(errs, fmt.Errorf("i18n: message %q has no %s text", k, l))
			}
		}
	}
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
