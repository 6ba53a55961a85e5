package scenario

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem found in a scenario file: where it is and what was
// expected.
type Error struct {
	File string // the name given to Load
	Line int    // 1-based; 0 when the problem has no single place
	Path string // field path, e.g. fleets[0].fields.temp.model
	Msg  string // what is wrong and what was expected
}

// Error formats the problem as file:line: path: message, the form editors
// and terminals can jump to.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a scenario, in file order. Load reports
// them all at once so that one edit can fix them all.
type Errors []*Error

// Error lists the problems one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes each *Error to errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Compare(a.Line, b.Line)
	})
}

// oneOf renders a list of choices for "expected one of" messages.
func oneOf[T fmt.Stringer](choices []T) string {
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = c.String()
	}
	return strings.Join(names, ", ")
}

// suggest returns the choice closest to s when it looks like a typo of
// it (edit distance at most 2, and less than half of s).
func suggest(s string, choices []string) string {
	best, bestD := "", 3
	for _, c := range choices {
		if d := editDistance(s, c); d < bestD && d*2 < len(s)+1 {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (short keys
// only: the callers pass scenario keys).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
