package auth

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mqttlab/mqttlab/protocol"
	"golang.org/x/crypto/bcrypt"
)

// Users is a parsed users file: user names and their bcrypt hashes. It is
// safe for concurrent use once loaded. A nil *Users stands for no users
// file: every client may connect.
type Users struct {
	// AllowAnonymous lets clients that send no user name connect. LoadUsers
	// leaves it false: as in mosquitto 2.x, a users file means that every
	// client logs in, unless the command is told otherwise.
	AllowAnonymous bool

	hashes map[string][]byte
	// dummy is compared with the password of an unknown user, so that
	// refusing one costs as long as refusing a wrong password: the most
	// expensive hash of the file (no password of an unknown user is
	// accepted, whatever it matches).
	dummy []byte
}

// dummyHash stands in for the hashes of an empty users file: a bcrypt
// hash at the default cost of a random password nobody knows.
const dummyHash = "$2a$10$RmNaWUlQqe8DtPc8fdcGZeWf5XHyf6bzAjhFCu25iq.OOMyV.ayD6"

// LoadUsers reads the users file at path: lines "name:bcrypt-hash", blank
// lines and '#' comments. Errors name the file and line.
func LoadUsers(path string) (*Users, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	defer f.Close()
	return ParseUsers(path, f)
}

// ParseUsers reads a users file from r; name is the file's name for
// errors. Each mistake is a *LineError.
func ParseUsers(name string, r io.Reader) (*Users, error) {
	u := &Users{hashes: make(map[string][]byte), dummy: []byte(dummyHash)}
	lineOf := make(map[string]int)
	dummyCost := 0
	err := eachLine(name, r, func(line string, n int) error {
		user, hash, msg := parseUserLine(line)
		if msg != "" {
			return &LineError{name, n, msg}
		}
		if user == "" {
			return nil
		}
		if first, dup := lineOf[user]; dup {
			return &LineError{name, n, fmt.Sprintf("user %q is already defined on line %d", user, first)}
		}
		lineOf[user] = n
		u.hashes[user] = []byte(hash)
		if cost, _ := bcrypt.Cost([]byte(hash)); cost > dummyCost {
			dummyCost, u.dummy = cost, []byte(hash)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// parseUserLine reads one line of a users file: the user and hash, both
// empty for a blank or comment line, or why the line is wrong.
func parseUserLine(line string) (user, hash, msg string) {
	s := strings.TrimSpace(line)
	if s == "" || s[0] == '#' {
		return "", "", ""
	}
	user, hash, ok := strings.Cut(s, ":")
	if !ok {
		return "", "", "missing ':' between user name and hash"
	}
	user, hash = strings.TrimSpace(user), strings.TrimSpace(hash)
	if user == "" {
		return "", "", "missing user name before ':'"
	}
	if m := checkText(user); m != "" {
		return "", "", fmt.Sprintf("user name %q: %s", user, m)
	}
	if hash == "" {
		return "", "", fmt.Sprintf("missing hash after %q (make a line with: mqttlab passwd %s)", user+":", user)
	}
	if m := checkHash(hash); m != "" {
		return "", "", fmt.Sprintf("hash of user %q: %s", user, m)
	}
	return user, hash, ""
}

// checkHash reports why hash is not a bcrypt hash.
func checkHash(hash string) string {
	if strings.HasPrefix(hash, "$6$") || strings.HasPrefix(hash, "$7$") {
		return "this is mosquitto's own hash format; mqttlab reads bcrypt hashes ($2a$, $2b$, $2y$): make one with mqttlab passwd"
	}
	if _, err := bcrypt.Cost([]byte(hash)); err != nil || len(hash) != 60 {
		return "not a bcrypt hash (want 60 characters like $2a$10$..., as mqttlab passwd writes)"
	}
	return ""
}

// Len returns the number of users.
func (u *Users) Len() int {
	if u == nil {
		return 0
	}
	return len(u.hashes)
}

// Authenticate reports whether password is the password of the user named
// username. It always costs one bcrypt comparison, also for unknown users
// and empty passwords, and compares in constant time, so its answers and
// their timing do not tell which users exist. An empty password, or one
// longer than bcrypt's 72 bytes, never authenticates.
func (u *Users) Authenticate(username string, password []byte) bool {
	if u == nil {
		return false
	}
	hash, known := u.hashes[username]
	if !known {
		hash = u.dummy
	}
	match := bcrypt.CompareHashAndPassword(hash, password) == nil
	// bcrypt reads only the first 72 bytes: a longer password would match
	// any password it starts with.
	return known && match && len(password) > 0 && len(password) <= 72
}

// Login decides a CONNECT's credentials as mosquitto 2.x does with a
// password file: a client without a user name is let in only if
// AllowAnonymous is set; one with a user name must give that user's
// password. On a nil *Users (no users file) everyone is let in.
func (u *Users) Login(username protocol.Opt[string], password protocol.Opt[[]byte]) bool {
	if u == nil {
		return true
	}
	if !username.Present {
		return u.AllowAnonymous
	}
	// A missing password is refused like an empty one, after the same work.
	return u.Authenticate(username.Value, password.Value) && password.Present
}
