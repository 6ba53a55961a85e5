package auth

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
	"golang.org/x/crypto/bcrypt"
)

// hashFor hashes at bcrypt's lowest cost, to keep tests fast.
func hashFor(t testing.TB, password string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

func TestParseUsersErrors(t *testing.T) {
	t.Parallel()
	good := hashFor(t, "pw")
	for _, c := range []struct {
		name, text string
		line       int
		want       string
	}{
		{"missing colon", "# users\nalice " + good + "\n", 2, "missing ':' between user name and hash"},
		{"empty name", "\n:" + good + "\n", 2, "missing user name before ':'"},
		{"empty hash", "alice:   \n", 1, `missing hash after "alice:"`},
		{"short hash", "alice:$2a$10$abc\n", 1, "not a bcrypt hash"},
		{"plain text", "alice:secret\n", 1, "not a bcrypt hash"},
		{"bad cost", "alice:" + strings.Replace(good, "$04$", "$99$", 1) + "\n", 1, "not a bcrypt hash"},
		{"trailing junk", "alice:" + good + "x\n", 1, "not a bcrypt hash"},
		{"mosquitto hash", "alice:$7$101$OQcD4zD2cuohJ3RH$ppgDTcXFS6uV89pfrzLcpo9HNbXi==\n", 1, "mosquitto's own hash format"},
		{"duplicate", "alice:" + good + "\nbob:" + good + "\n\nalice:" + good + "\n", 4, `user "alice" is already defined on line 1`},
		{"name not utf-8", "al\xffce:" + good + "\n", 1, "not valid UTF-8"},
		{"line too long", "alice:" + good + "\n" + strings.Repeat("x", maxLine+1), 2, "line longer than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseUsers("users.txt", strings.NewReader(c.text))
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LineError", err)
			}
			if le.File != "users.txt" || le.Line != c.line || !strings.Contains(le.Msg, c.want) {
				t.Errorf("err = %q, want users.txt:%d: ...%s...", err, c.line, c.want)
			}
		})
	}
}

func TestUsersAuthenticate(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("p", 72)
	text := fmt.Sprintf("# the users\n\n  alice : %s  \r\nbob:%s\nlong:%s\n", hashFor(t, "secret"), hashFor(t, "hunter2"), hashFor(t, long))
	u, err := ParseUsers("users.txt", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if u.Len() != 3 {
		t.Errorf("Len = %d, want 3", u.Len())
	}
	for _, c := range []struct {
		user, password string
		want           bool
	}{
		{"alice", "secret", true},
		{"bob", "hunter2", true},
		{"alice", "hunter2", false}, // bob's password
		{"alice", "Secret", false},
		{"alice", "secret ", false},
		{"alice", "", false},
		{"Alice", "secret", false}, // names are case-sensitive
		{"carol", "secret", false}, // unknown
		{"", "", false},
		{"long", long, true},
		{"long", long + "x", false}, // bcrypt would ignore the 73rd byte
	} {
		if got := u.Authenticate(c.user, []byte(c.password)); got != c.want {
			t.Errorf("Authenticate(%q, %q) = %v, want %v", c.user, c.password, got, c.want)
		}
	}
	var none *Users
	if none.Authenticate("alice", []byte("secret")) || none.Len() != 0 {
		t.Error("nil Users authenticated someone")
	}
}

func TestUsersEmptyPasswordHash(t *testing.T) {
	t.Parallel()
	// A hash of the empty password, written by hand: it still never logs in.
	u, err := ParseUsers("users.txt", strings.NewReader("eve:"+hashFor(t, "")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Authenticate("eve", nil) || u.Authenticate("eve", []byte{}) {
		t.Error("empty password authenticated")
	}
}

// TestUsersUnknownUserCostsAsMuch checks the hash that refusing an unknown
// user is timed against: the file's most expensive one.
func TestUsersUnknownUserCostsAsMuch(t *testing.T) {
	t.Parallel()
	h5, _ := bcrypt.GenerateFromPassword([]byte("x"), 5)
	text := "a:" + hashFor(t, "x") + "\nb:" + string(h5) + "\nc:" + hashFor(t, "y") + "\n"
	u, err := ParseUsers("users.txt", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(u.dummy, h5) {
		t.Errorf("dummy = %s, want the cost-5 hash %s", u.dummy, h5)
	}
	empty, err := ParseUsers("users.txt", strings.NewReader("# nobody yet\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost(empty.dummy); err != nil || cost != bcrypt.DefaultCost || checkHash(string(empty.dummy)) != "" {
		t.Errorf("dummy of an empty file: cost %d, %v; want a valid hash at the default cost", cost, err)
	}
}

func TestUsersLogin(t *testing.T) {
	t.Parallel()
	u, err := ParseUsers("users.txt", strings.NewReader("alice:"+hashFor(t, "secret")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	none := protocol.Opt[string]{}
	noPass := protocol.Opt[[]byte]{}
	alice := protocol.Some("alice")
	right, wrong := protocol.Some([]byte("secret")), protocol.Some([]byte("nope"))

	for _, c := range []struct {
		name     string
		users    *Users
		username protocol.Opt[string]
		password protocol.Opt[[]byte]
		want     bool
	}{
		{"right password", u, alice, right, true},
		{"wrong password", u, alice, wrong, false},
		{"no password", u, alice, noPass, false},
		{"password without its flag", u, alice, protocol.Opt[[]byte]{Value: []byte("secret")}, false},
		{"unknown user", u, protocol.Some("bob"), right, false},
		{"anonymous refused by default", u, none, noPass, false},
		{"anonymous with a password", u, none, right, false},
		{"no users file: anonymous", nil, none, noPass, true},
		{"no users file: anyone", nil, protocol.Some("whoever"), wrong, true},
	} {
		if got := c.users.Login(c.username, c.password); got != c.want {
			t.Errorf("%s: Login = %v, want %v", c.name, got, c.want)
		}
	}
	u.AllowAnonymous = true
	if !u.Login(none, noPass) {
		t.Error("AllowAnonymous: anonymous refused")
	}
	if u.Login(alice, wrong) {
		t.Error("AllowAnonymous: a wrong password let in")
	}
}

func TestLoadUsers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "users.txt")
	if err := os.WriteFile(path, []byte("# ok\nalice\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadUsers(path)
	if err == nil || err.Error() != path+":2: missing ':' between user name and hash" {
		t.Errorf("err = %v", err)
	}
	_, err = LoadUsers(filepath.Join(dir, "missing.txt"))
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "users file: ") {
		t.Errorf("err = %v, want users file: ... not exist", err)
	}
}
