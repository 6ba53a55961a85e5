package protocol

import "strings"

// ValidTopicName reports whether name may be published to (§4.7): not
// empty, no wildcard characters, valid UTF-8 without U+0000, at most
// 65,535 bytes.
func ValidTopicName(name string) error {
	if name == "" {
		return ErrTopicEmpty // [MQTT-4.7.3-1]
	}
	if hasWildcard(name) {
		return ErrTopicWildcard // [MQTT-3.3.2-2] [MQTT-4.7.1-1] (3.1.1) [MQTT-4.7.0-1] (5.0)
	}
	if err := validString(name); err != nil {
		return err // [MQTT-4.7.3-2] [MQTT-4.7.3-3]
	}
	return nil
}

// checkTopicName applies ValidTopicName to decoded bytes whose UTF-8 the
// cursor has already checked.
func checkTopicName(b []byte) error {
	if len(b) == 0 {
		return ErrTopicEmpty
	}
	return checkWildcards(b)
}

func checkWildcards(b []byte) error {
	for _, c := range b {
		if c == '+' || c == '#' {
			return ErrTopicWildcard // [MQTT-3.3.2-2]
		}
	}
	return nil
}

// SharePrefix starts the filter of a shared subscription (§4.8.2).
const SharePrefix = "$share/"

// ValidFilter reports whether filter may be subscribed to (§4.7): not
// empty; '#' only as a whole last level; '+' only as a whole level; for a
// shared subscription $share/{group}/{filter}, a group of at least one
// character without '/', '+' or '#', followed by a valid filter.
func ValidFilter(filter string) error {
	if filter == "" {
		return ErrFilterEmpty // [MQTT-4.7.3-1]
	}
	if err := validString(filter); err != nil {
		return err // [MQTT-4.7.3-2] [MQTT-4.7.3-3]
	}
	if strings.HasPrefix(filter, SharePrefix) {
		group, rest, ok := cutLevel(filter[len(SharePrefix):])
		if !ok || group == "" || rest == "" || hasWildcard(group) {
			return ErrSharedName // [MQTT-4.8.2-1] [MQTT-4.8.2-2] (5.0)
		}
		filter = rest
	}
	for {
		level, rest, more := cutLevel(filter)
		if strings.IndexByte(level, '#') >= 0 && (level != "#" || more) {
			return ErrFilterHash // [MQTT-4.7.1-2] (3.1.1) [MQTT-4.7.1-1] (5.0)
		}
		if strings.IndexByte(level, '+') >= 0 && level != "+" {
			return ErrFilterPlus // [MQTT-4.7.1-3] (3.1.1) [MQTT-4.7.1-2] (5.0)
		}
		if !more {
			return nil
		}
		filter = rest
	}
}

// ParseShared splits a shared subscription "$share/{group}/{filter}" into
// its group and filter. ok is false for a filter that is not shared; the
// filter is assumed valid (see ValidFilter).
func ParseShared(filter string) (group, topicFilter string, ok bool) {
	if !strings.HasPrefix(filter, SharePrefix) {
		return "", filter, false
	}
	group, topicFilter, ok = cutLevel(filter[len(SharePrefix):])
	if !ok {
		return "", filter, false
	}
	return group, topicFilter, true
}

func isShared(filter string) bool { return strings.HasPrefix(filter, SharePrefix) }

// Match reports whether topic name topic matches topic filter filter
// (§4.7). '+' matches exactly one level, '#' any number of levels
// including the parent ("a/#" matches "a"), and filters starting with a
// wildcard do not match topics starting with '$' [MQTT-4.7.2-1]. A shared
// subscription must be split with ParseShared first.
func Match(filter, topic string) bool {
	if topic != "" && topic[0] == '$' && filter != "" && (filter[0] == '+' || filter[0] == '#') {
		return false // [MQTT-4.7.2-1]
	}
	for {
		fl, frest, fmore := cutLevel(filter)
		if fl == "#" {
			return true
		}
		tl, trest, tmore := cutLevel(topic)
		if fl != "+" && fl != tl {
			return false
		}
		switch {
		case !fmore:
			return !tmore
		case !tmore:
			return frest == "#" // "a/#" matches "a"
		}
		filter, topic = frest, trest
	}
}

// Levels splits a topic name or filter into its levels.
func Levels(topic string) []string {
	n := 1
	for i := 0; i < len(topic); i++ {
		if topic[i] == '/' {
			n++
		}
	}
	out := make([]string, 0, n)
	for {
		level, rest, more := cutLevel(topic)
		out = append(out, level)
		if !more {
			return out
		}
		topic = rest
	}
}

// HasWildcard reports whether a filter contains '+' or '#'.
func HasWildcard(filter string) bool { return hasWildcard(filter) }

func hasWildcard(s string) bool {
	return strings.IndexByte(s, '+') >= 0 || strings.IndexByte(s, '#') >= 0
}

// cutLevel splits a topic name or filter at its first '/': the first
// level, the rest, and whether there was a '/'. Like strings.Cut, with the
// byte search that a one-byte separator needs and nothing more.
func cutLevel(s string) (level, rest string, more bool) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}
