package auth

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

const passwdUsage = `usage: mqttlab passwd [-cost N] [-password PASSWORD] USER
       mqttlab passwd -f FILE [-cost N] [-password PASSWORD] USER
       mqttlab passwd -f FILE -delete USER

Makes the users-file line "USER:bcrypt-hash" for mqttlab -users. Without -f
it prints the line; with -f it adds the user to FILE, or replaces the user's
password, in place (FILE is created if missing). The password is the first
line of standard input unless -password gives it, e.g.

       printf '%s\n' "$PASS" | mqttlab passwd -f users.txt alice

Flags:
`

// Passwd is the `mqttlab passwd` command; args are the arguments after
// "passwd". It returns the process exit code: 0 on success, 1 when the
// work failed, 2 for a usage mistake.
func Passwd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("mqttlab passwd", flag.ContinueOnError)
	fset.SetOutput(stderr)
	file := fset.String("f", "", "add or replace the user in `FILE`, atomically")
	password := fset.String("password", "", "the `PASSWORD` (other users of the machine may see it in the process list; standard input is safer)")
	cost := fset.Int("cost", bcrypt.DefaultCost, "bcrypt cost `N`, 4 to 31: each step doubles the time every login of this user takes")
	del := fset.Bool("delete", false, "remove USER from the -f FILE")
	fset.Usage = func() {
		io.WriteString(stderr, passwdUsage)
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "mqttlab passwd: %s\n", msg)
		fmt.Fprintf(stderr, "run 'mqttlab passwd -h' for help\n")
		return 2
	}
	switch {
	case fset.NArg() == 0:
		return usage("missing USER")
	case fset.NArg() > 1:
		return usage(fmt.Sprintf("want one USER, got %q (flags go before USER)", fset.Args()))
	case *del && *file == "":
		return usage("-delete needs -f FILE")
	case *del && *password != "":
		return usage("-delete takes no password")
	case *cost < bcrypt.MinCost || *cost > bcrypt.MaxCost:
		return usage(fmt.Sprintf("-cost %d: want %d to %d", *cost, bcrypt.MinCost, bcrypt.MaxCost))
	}
	user := fset.Arg(0)
	if msg := checkUsername(user); msg != "" {
		return usage(fmt.Sprintf("user name %q: %s", user, msg))
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "mqttlab passwd: %v\n", err)
		return 1
	}

	if *del {
		found, err := editUsersFile(*file, user, "")
		if err != nil {
			return fail(err)
		}
		if !found {
			return fail(fmt.Errorf("%s: no user %q", *file, user))
		}
		fmt.Fprintf(stdout, "removed %s from %s\n", user, *file)
		return 0
	}

	pw := []byte(*password)
	if *password == "" {
		var err error
		if pw, err = readPassword(stdin, stderr, user); err != nil {
			return fail(err)
		}
	}
	switch {
	case len(pw) == 0:
		return fail(errors.New("empty password: give one on standard input or with -password"))
	case len(pw) > 72:
		return fail(fmt.Errorf("password of %d bytes: bcrypt reads only the first 72, so at most 72 are allowed", len(pw)))
	}
	hash, err := bcrypt.GenerateFromPassword(pw, *cost)
	if err != nil {
		return fail(err)
	}
	line := user + ":" + string(hash)
	if *file == "" {
		fmt.Fprintln(stdout, line)
		return 0
	}
	found, err := editUsersFile(*file, user, line)
	if err != nil {
		return fail(err)
	}
	if found {
		fmt.Fprintf(stdout, "changed the password of %s in %s\n", user, *file)
	} else {
		fmt.Fprintf(stdout, "added %s to %s\n", user, *file)
	}
	return 0
}

// checkUsername reports why name cannot be written into a users file so
// that it reads back as the same user.
func checkUsername(name string) string {
	switch {
	case name == "":
		return "empty"
	case strings.Contains(name, ":"):
		return "contains ':', which separates the name from the hash"
	case strings.TrimSpace(name) != name:
		return "starts or ends with white space"
	case name[0] == '#':
		return "starts with '#', which starts a comment"
	case strings.ContainsAny(name, "\r\n"):
		return "contains a line break"
	}
	return checkText(name)
}

// readPassword reads the first line of stdin, without its line ending.
// On a terminal it prompts first; the typing is visible.
func readPassword(stdin io.Reader, stderr io.Writer, user string) ([]byte, error) {
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintf(stderr, "password for %s (shown as you type): ", user)
		}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadBytes('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the password from standard input: %w", err)
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	return line, nil
}

// editUsersFile replaces the line of user in the users file at path by
// line, appends line if the user is not there, or removes the user if line
// is empty. It refuses a file that does not parse, keeps every other line
// as it is, and replaces the file atomically: a reader sees the old file
// or the new one, never half of one. found reports whether user was there.
func editUsersFile(path, user, line string) (found bool, err error) {
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		path = resolved // edit the file a link points to, keep the link
	}
	perm := fs.FileMode(0o600) // hashes are secrets of a kind
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if line == "" {
			return false, err
		}
	case err != nil:
		return false, err
	default:
		if _, err := ParseUsers(path, bytes.NewReader(data)); err != nil {
			return false, fmt.Errorf("%w (fix the file first)", err)
		}
		if st, err := os.Stat(path); err == nil {
			perm = st.Mode().Perm()
		}
	}

	var out bytes.Buffer
	for rest := data; len(rest) > 0; {
		cur, next, _ := bytes.Cut(rest, []byte("\n"))
		rest = next
		if name, _, _ := parseUserLine(string(cur)); name == user {
			found = true
			if line == "" {
				continue
			}
			cur = []byte(line)
		}
		out.Write(cur)
		out.WriteByte('\n')
	}
	if !found && line != "" {
		out.WriteString(line + "\n")
	}
	if !found && line == "" {
		return false, nil
	}
	return found, writeAtomic(path, out.Bytes(), perm)
}

// writeAtomic replaces the file at path by data: it writes a temporary
// file beside it, flushes it to disk and renames it over the old one.
func writeAtomic(path string, data []byte, perm fs.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		dir.Sync() // make the rename itself durable, where the system allows
		dir.Close()
	}
	return nil
}
