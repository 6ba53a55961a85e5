package protocol

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestMatch covers the examples of §4.7 of both specifications and the
// corners between them.
func TestMatch(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		filter, topic string
		want          bool
	}{
		// §4.7.1.2: the multi-level wildcard.
		{"sport/tennis/player1/#", "sport/tennis/player1", true},
		{"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
		{"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
		{"sport/tennis/player1/#", "sport/tennis/player2", false},
		{"sport/#", "sport", true},
		{"sport/#", "sport/", true},
		{"sport/#", "sports", false},
		{"#", "sport/tennis", true},
		{"#", "/", true},
		{"#", "a", true},
		// §4.7.1.3: the single-level wildcard.
		{"sport/tennis/+", "sport/tennis/player1", true},
		{"sport/tennis/+", "sport/tennis/player2", true},
		{"sport/tennis/+", "sport/tennis/player1/ranking", false},
		{"sport/+", "sport", false},
		{"sport/+", "sport/", true},
		{"sport/+/player1", "sport/tennis/player1", true},
		{"sport/+/player1", "sport/tennis/player2", false},
		{"+/tennis/#", "sport/tennis/player1", true},
		{"+/tennis/#", "sport/tennis", true},
		{"+/+", "/finance", true},
		{"/+", "/finance", true},
		{"+", "/finance", false},
		{"+", "finance", true},
		{"+/+", "/", true},
		{"+", "/", false},
		{"a/+/#", "a/b", true},
		{"a/+/#", "a", false},
		// §4.7.2: topics beginning with $.
		{"#", "$SYS/monitor/Clients", false},
		{"+/monitor/Clients", "$SYS/monitor/Clients", false},
		{"$SYS/#", "$SYS/monitor/Clients", true},
		{"$SYS/#", "$SYS", true},
		{"$SYS/monitor/+", "$SYS/monitor/Clients", true},
		{"+", "$SYS", false},
		{"#", "$", false},
		{"+/#", "$x/y", false},
		{"a/$b", "a/$b", true},
		{"a/+", "a/$b", true}, // only the first level is special
		// §4.7.3: names are compared as they are.
		{"ACCOUNTS", "Accounts", false},
		{"Accounts payable", "Accounts payable", true},
		{"/finance", "finance", false},
		{"finance", "/finance", false},
		{"a//b", "a//b", true},
		{"a/+/b", "a//b", true},
		{"a/b", "a/b/", false},
		{"a/b/", "a/b", false},
		{"a", "a/b", false},
		{"a/b", "a", false},
		{"é/+", "é/ü", true},
	} {
		if got := Match(c.filter, c.topic); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.filter, c.topic, got, c.want)
		}
		if got := refMatch(c.filter, c.topic); got != c.want {
			t.Errorf("the test's reference matcher is wrong on %q, %q", c.filter, c.topic)
		}
	}
}

// refMatch is a second, plainer matcher: level by level over Levels.
func refMatch(filter, topic string) bool {
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	f, n := Levels(filter), Levels(topic)
	for i, l := range f {
		switch {
		case l == "#":
			return true // also when the topic has ended: "a/#" matches "a"
		case i >= len(n):
			return false
		case l != "+" && l != n[i]:
			return false
		}
	}
	return len(f) == len(n)
}

// TestValidFilter: filters of §4.7, shared subscriptions of §4.8.2.
func TestValidFilter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		filter string
		err    error
	}{
		{"#", nil}, {"+", nil}, {"+/+", nil}, {"/", nil}, {"/+", nil}, {"a", nil}, {"a/b/c", nil},
		{"sport/tennis/#", nil}, {"+/tennis/#", nil}, {"sport/+/player1", nil}, {"$SYS/#", nil},
		{"a//b", nil}, {"//", nil}, {"Accounts payable", nil}, {"é/#", nil}, {"\ufeff", nil},
		{"$share/g/#", nil}, {"$share/group-1/a/+/b", nil}, {"$share/g//", nil}, {"$share/g/$SYS/#", nil},
		{"$share", nil}, {"$shared/x", nil}, {"$SHARE/g", nil}, // not shared subscriptions
		{"", ErrFilterEmpty},
		{"sport/tennis#", ErrFilterHash}, {"sport/tennis/#/ranking", ErrFilterHash}, {"#/", ErrFilterHash},
		{"##", ErrFilterHash}, {"+#", ErrFilterHash}, {"#+", ErrFilterHash},
		{"sport+", ErrFilterPlus}, {"++", ErrFilterPlus}, {"a/+b", ErrFilterPlus},
		{"$share/", ErrSharedName}, {"$share//a", ErrSharedName}, {"$share/g", ErrSharedName},
		{"$share/g/", ErrSharedName}, {"$share/g+/a", ErrSharedName}, {"$share/g#/a", ErrSharedName},
		{"$share/g/a#", ErrFilterHash}, {"$share/g/+x", ErrFilterPlus},
		{"a\x00", ErrNullCharacter}, {"\xed\xa0\x80", ErrInvalidUTF8}, {strings.Repeat("a", MaxString+1), ErrStringTooLong},
	} {
		if err := ValidFilter(c.filter); err != c.err {
			t.Errorf("ValidFilter(%.20q) = %v, want %v", c.filter, err, c.err)
		}
	}
}

// TestValidTopicName: topic names of §4.7: no wildcards, not empty, UTF-8
// without U+0000, at most 65,535 bytes.
func TestValidTopicName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		topic string
		err   error
	}{
		{"a", nil}, {"/", nil}, {"a/b", nil}, {"$SYS/broker/uptime", nil}, {"Accounts payable", nil},
		{"é/ü", nil}, {"a//b", nil}, {"$share/g/a", nil}, {strings.Repeat("a", MaxString), nil},
		{"", ErrTopicEmpty}, {"a/+", ErrTopicWildcard}, {"#", ErrTopicWildcard}, {"a+b", ErrTopicWildcard},
		{"a\x00", ErrNullCharacter}, {"é\x00", ErrNullCharacter}, {"\xff", ErrInvalidUTF8}, {"\xc0\xaf", ErrInvalidUTF8},
		{strings.Repeat("a", MaxString+1), ErrStringTooLong},
	} {
		err := ValidTopicName(c.topic)
		if err != c.err {
			t.Errorf("ValidTopicName(%.20q) = %v, want %v", c.topic, err, c.err)
		}
		if c.err != nil && ReasonCodeOf(err) == Success {
			t.Errorf("ValidTopicName(%.20q): no reason code", c.topic)
		}
	}
}

// TestParseShared splits $share/{group}/{filter}.
func TestParseShared(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, group, filter string
		ok                bool
	}{
		{"$share/g/a/b", "g", "a/b", true},
		{"$share/consumers/sensors/+/temp", "consumers", "sensors/+/temp", true},
		{"$share/g/#", "g", "#", true},
		{"$share/g//", "g", "/", true},
		{"a/b", "", "a/b", false},
		{"$share", "", "$share", false},
		{"$share/g", "", "$share/g", false},
		{"$SHARE/g/a", "", "$SHARE/g/a", false},
	} {
		g, f, ok := ParseShared(c.in)
		if g != c.group || f != c.filter || ok != c.ok {
			t.Errorf("ParseShared(%q) = %q, %q, %v; want %q, %q, %v", c.in, g, f, ok, c.group, c.filter, c.ok)
		}
	}
}

// TestLevelsAndWildcards covers the two small helpers.
func TestLevelsAndWildcards(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in     string
		levels []string
		wild   bool
	}{
		{"a/b/c", []string{"a", "b", "c"}, false},
		{"/", []string{"", ""}, false},
		{"a//b", []string{"a", "", "b"}, false},
		{"+/#", []string{"+", "#"}, true},
		{"a/+", []string{"a", "+"}, true},
	} {
		if got := Levels(c.in); !reflect.DeepEqual(got, c.levels) {
			t.Errorf("Levels(%q) = %q", c.in, got)
		}
		if HasWildcard(c.in) != c.wild {
			t.Errorf("HasWildcard(%q) = %v", c.in, !c.wild)
		}
	}
}

// FuzzTopic checks the topic functions on any strings: no panics, Match
// agrees with the reference matcher on valid input, a valid topic name
// matches itself and '#', and a valid filter's errors carry 0x8F.
func FuzzTopic(f *testing.F) {
	for _, s := range [][2]string{{"sport/#", "sport"}, {"+/+", "/finance"}, {"#", "$SYS/x"}, {"$share/g/a/+", "a/b"},
		{"a/+/#", "a/b"}, {"a//b", "a/+/b"}, {"é/+", "é/ü"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, filter, topic string) {
		ferr, terr := ValidFilter(filter), ValidTopicName(topic)
		Match(filter, topic)
		ParseShared(filter)
		if ferr != nil {
			var e *Error
			if !errors.As(ferr, &e) || (e.Code != TopicFilterInvalid && e.Code != MalformedPacket) {
				t.Fatalf("ValidFilter(%q): %v", filter, ferr)
			}
		}
		if terr != nil {
			return
		}
		if !Match(topic, topic) {
			t.Fatalf("topic %q does not match itself", topic)
		}
		if Match("#", topic) == strings.HasPrefix(topic, "$") {
			t.Fatalf("Match(#, %q) = %v", topic, Match("#", topic))
		}
		if ferr == nil {
			if _, sf, shared := ParseShared(filter); shared {
				filter = sf
			}
			if got, want := Match(filter, topic), refMatch(filter, topic); got != want {
				t.Fatalf("Match(%q, %q) = %v, reference says %v", filter, topic, got, want)
			}
		}
	})
}
