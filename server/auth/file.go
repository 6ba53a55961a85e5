package auth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// LineError is a mistake in a users or ACL file: the file's name, the
// 1-based line and what is wrong there. Its text reads
// "users.txt:3: missing ':' between user name and hash", the form editors
// and terminals turn into a link.
type LineError struct {
	File string
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// maxLine bounds a line of a users or ACL file.
const maxLine = 1 << 20

// eachLine calls fn with every line of r (without its line ending) and its
// 1-based number, stopping at the first error.
func eachLine(name string, r io.Reader, fn func(line string, n int) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	n := 0
	for sc.Scan() {
		n++
		if err := fn(sc.Text(), n); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &LineError{name, n + 1, fmt.Sprintf("line longer than %d bytes", maxLine)}
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// checkText reports why s cannot be a name or topic in MQTT, which
// carries UTF-8 without U+0000 [MQTT-1.5.3-1] [MQTT-1.5.3-2].
func checkText(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "not valid UTF-8"
	case strings.IndexByte(s, 0) >= 0:
		return "contains a NUL character"
	}
	return ""
}
