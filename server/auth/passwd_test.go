package auth

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

type passwdRun struct {
	code           int
	stdout, stderr string
}

func runPasswd(t *testing.T, stdin string, args ...string) passwdRun {
	t.Helper()
	var out, errs bytes.Buffer
	code := Passwd(args, strings.NewReader(stdin), &out, &errs)
	return passwdRun{code, out.String(), errs.String()}
}

func loadUsersFile(t *testing.T, path string) *Users {
	t.Helper()
	u, err := LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPasswdPrintsLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, stdin string
		args        []string
		password    string
	}{
		{"stdin", "s3cret pass\nignored second line\n", nil, "s3cret pass"},
		{"stdin CRLF", "s3cret\r\n", nil, "s3cret"},
		{"stdin without newline", "s3cret", nil, "s3cret"},
		{"flag", "not read\n", []string{"-password", "fl4g"}, "fl4g"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := runPasswd(t, c.stdin, append(append([]string{"-cost", "4"}, c.args...), "alice")...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			u, err := ParseUsers("stdout", strings.NewReader(r.stdout))
			if err != nil {
				t.Fatalf("%v in %q", err, r.stdout)
			}
			if !u.Authenticate("alice", []byte(c.password)) {
				t.Errorf("printed line %q does not authenticate %q", r.stdout, c.password)
			}
			_, hash, _ := strings.Cut(strings.TrimSpace(r.stdout), ":")
			if cost, _ := bcrypt.Cost([]byte(hash)); cost != 4 {
				t.Errorf("cost %d, want 4", cost)
			}
		})
	}
}

func TestPasswdEditsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "users.txt")

	r := runPasswd(t, "first\n", "-cost", "4", "-f", path, "alice")
	if r.code != 0 || r.stdout != "added alice to "+path+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("new file: %v, mode %v; want 0600", err, st.Mode())
	}

	// Comments, other users and the file's mode survive an edit.
	old, _ := os.ReadFile(path)
	edited := "# people\n" + string(old) + "\n# robots\nbot:" + hashFor(t, "beep") + "\n"
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	r = runPasswd(t, "", "-cost", "4", "-password", "second", "-f", path, "alice")
	if r.code != 0 || r.stdout != "changed the password of alice in "+path+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	u := loadUsersFile(t, path)
	if u.Authenticate("alice", []byte("first")) || !u.Authenticate("alice", []byte("second")) || !u.Authenticate("bot", []byte("beep")) {
		t.Error("passwords after the change are wrong")
	}
	data, _ := os.ReadFile(path)
	lines := strings.Split(string(data), "\n")
	if len(lines) != 6 || lines[0] != "# people" || !strings.HasPrefix(lines[1], "alice:") || lines[3] != "# robots" {
		t.Errorf("file after the change:\n%s", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", st.Mode())
	}

	r = runPasswd(t, "", "-f", path, "-delete", "alice")
	if r.code != 0 || r.stdout != "removed alice from "+path+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if u := loadUsersFile(t, path); u.Len() != 1 || u.Authenticate("alice", []byte("second")) {
		t.Error("alice is still there")
	}
	r = runPasswd(t, "", "-f", path, "-delete", "alice")
	if r.code != 1 || !strings.Contains(r.stderr, `no user "alice"`) {
		t.Errorf("deleting again: exit %d, stderr %q", r.code, r.stderr)
	}

	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left beside the users file: %v", entries)
	}
}

func TestPasswdFollowsSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real, link := filepath.Join(dir, "real.txt"), filepath.Join(dir, "link.txt")
	if err := os.WriteFile(real, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if r := runPasswd(t, "pw\n", "-cost", "4", "-f", link, "alice"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if !loadUsersFile(t, real).Authenticate("alice", []byte("pw")) {
		t.Error("the linked file was not edited")
	}
}

func TestPasswdRefusesBrokenFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "users.txt")
	broken := "alice:" + hashFor(t, "x") + "\nbob-without-hash\n"
	if err := os.WriteFile(path, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runPasswd(t, "pw\n", "-cost", "4", "-f", path, "carol")
	if r.code != 1 || !strings.Contains(r.stderr, path+":2: missing ':'") || !strings.Contains(r.stderr, "fix the file first") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(path); string(data) != broken {
		t.Errorf("broken file was changed to:\n%s", data)
	}
}

func TestPasswdMistakes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string // in stderr
	}{
		{"no user", "", nil, 2, "missing USER"},
		{"two users", "", []string{"alice", "bob"}, 2, "want one USER"},
		{"flag after user", "", []string{"alice", "-f", "x"}, 2, "flags go before USER"},
		{"colon in name", "pw\n", []string{"al:ice"}, 2, "contains ':'"},
		{"comment name", "pw\n", []string{"#alice"}, 2, "starts with '#'"},
		{"spaces around name", "pw\n", []string{" alice"}, 2, "white space"},
		{"name not utf-8", "pw\n", []string{"al\xffce"}, 2, "not valid UTF-8"},
		{"delete without file", "", []string{"-delete", "alice"}, 2, "-delete needs -f FILE"},
		{"delete with password", "", []string{"-f", "x", "-delete", "-password", "p", "alice"}, 2, "takes no password"},
		{"cost too low", "pw\n", []string{"-cost", "3", "alice"}, 2, "-cost 3: want 4 to 31"},
		{"unknown flag", "", []string{"-x", "alice"}, 2, "flag provided but not defined: -x"},
		{"empty password", "\n", []string{"alice"}, 1, "empty password"},
		{"no input", "", []string{"alice"}, 1, "empty password"},
		{"long password", strings.Repeat("p", 73) + "\n", []string{"alice"}, 1, "at most 72"},
		{"delete from missing file", "", []string{"-f", "/nonexistent/users.txt", "-delete", "alice"}, 1, "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := runPasswd(t, c.stdin, c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q (want %q)", r.code, c.code, r.stdout, r.stderr, c.want)
			}
		})
	}
}

func TestPasswdHelp(t *testing.T) {
	t.Parallel()
	r := runPasswd(t, "", "-h")
	if r.code != 0 || !strings.Contains(r.stderr, "usage: mqttlab passwd") || !strings.Contains(r.stderr, "-cost N") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
