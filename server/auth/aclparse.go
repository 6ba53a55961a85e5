package auth

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// LoadACL reads the ACL file at path (see the package documentation for
// its syntax and meaning). Errors name the file and line.
func LoadACL(path string) (*ACL, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("acl file: %w", err)
	}
	defer f.Close()
	return ParseACL(path, f)
}

// ParseACL reads an ACL file from r; name is the file's name for errors.
//
// It reads lines as mosquitto 2.0 does: a '#' in the first column starts a
// comment, words are separated by spaces, trailing white space is ignored,
// and the filter or user name is the rest of the line, so it may contain
// spaces. Each mistake is a *LineError.
func ParseACL(name string, r io.Reader) (*ACL, error) {
	a := &ACL{users: make(map[string]*node)}
	var user *node // the rules of the current "user" section; nil before the first
	err := eachLine(name, r, func(line string, n int) error {
		fail := func(format string, args ...any) error {
			return &LineError{name, n, fmt.Sprintf(format, args...)}
		}
		line = strings.TrimRight(line, cSpace)
		if line == "" || line[0] == '#' {
			return nil
		}
		rest := strings.TrimLeft(line, " ")
		if rest[0] == '#' {
			return fail("a comment must start in the first column (mosquitto reads an indented '#' as a keyword)")
		}
		keyword, rest, _ := strings.Cut(rest, " ")
		switch keyword {
		case "topic", "pattern":
			filter, g, msg := parseRule(keyword, rest)
			if msg != "" {
				return fail("%s", msg)
			}
			if keyword == "pattern" {
				a.patterns = append(a.patterns, pattern{filter, g, strings.Contains(filter, "%u")})
				return nil
			}
			if user == nil {
				if a.anon == nil {
					a.anon = &node{}
				}
				a.anon.insert(filter, g)
				return nil
			}
			user.insert(filter, g)
		case "user":
			username := strings.Trim(rest, cSpace)
			if username == "" {
				return fail("missing user name after \"user\"")
			}
			if msg := checkText(username); msg != "" {
				return fail("user name %q: %s", username, msg)
			}
			user = a.users[username] // a user's sections add up
			if user == nil {
				user = &node{}
				a.users[username] = user
			}
		default:
			if strings.Contains(keyword, "\t") {
				return fail("separate words with spaces, not tabs (mosquitto does not read tabs there)")
			}
			return fail("unknown keyword %q: want topic, pattern or user", keyword)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// cSpace is what C's isspace accepts, which mosquitto trims.
const cSpace = " \t\n\v\f\r"

// accessWords are the access words of "topic" and "pattern" lines.
var accessWords = map[string]grant{
	"read":      grantRead,
	"write":     grantWrite,
	"readwrite": grantRead | grantWrite,
	"deny":      grantDeny,
}

// parseRule reads what follows "topic" or "pattern": an optional access
// word and a filter. It returns why the line is wrong, if it is.
func parseRule(keyword, rest string) (filter string, g grant, msg string) {
	rest = strings.TrimLeft(rest, " ")
	if rest == "" {
		return "", 0, fmt.Sprintf("missing topic filter after %q", keyword)
	}
	word, filter, two := strings.Cut(rest, " ")
	if strings.Contains(word, "\t") {
		return "", 0, "separate words with spaces, not tabs (mosquitto does not read tabs there)"
	}
	if two {
		var ok bool
		if g, ok = accessWords[word]; !ok {
			return "", 0, fmt.Sprintf("unknown access %q: want read, write, readwrite or deny "+
				"(a filter with spaces needs the access word before it)", word)
		}
		filter = strings.Trim(filter, cSpace)
	} else {
		if _, ok := accessWords[word]; ok {
			// mosquitto would grant readwrite on the topic named like the word.
			return "", 0, fmt.Sprintf("missing topic filter after %q", keyword+" "+word)
		}
		filter, g = word, grantRead|grantWrite
	}
	if msg := checkFilter(filter); msg != "" {
		return "", 0, fmt.Sprintf("topic filter %q: %s", filter, msg)
	}
	return filter, g, ""
}

// checkFilter applies mosquitto's check of a subscription filter: '+' as
// a whole level, '#' as the whole last level, at most 65,535 bytes and 200
// '/' separators; and MQTT's UTF-8 rules.
func checkFilter(f string) string {
	if len(f) > 65535 {
		return "longer than 65,535 bytes"
	}
	if strings.Count(f, "/") > 200 {
		return "more than 201 levels"
	}
	if msg := checkText(f); msg != "" {
		return msg
	}
	for i := 0; i < len(f); i++ {
		first := i == 0 || f[i-1] == '/'
		switch f[i] {
		case '+':
			if !first || i+1 < len(f) && f[i+1] != '/' {
				return "'+' must be a whole level"
			}
		case '#':
			if !first || i+1 < len(f) {
				return "'#' must be the whole last level"
			}
		}
	}
	return ""
}
