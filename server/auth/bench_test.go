package auth

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// benchACL is a plausible deployment: 200 users with a few rules each,
// anonymous read-only access, and patterns for devices and inboxes. With
// rulesPerUser large it also stands for an ACL generated from a device
// inventory.
func benchACL(b *testing.B, rulesPerUser int) (*ACL, *refACL) {
	b.Helper()
	var text strings.Builder
	text.WriteString("topic read public/#\ntopic deny public/secret\n")
	for u := range 200 {
		fmt.Fprintf(&text, "user user%d\n", u)
		for r := range rulesPerUser {
			fmt.Fprintf(&text, "topic readwrite site/%d/room/%d/+\n", u, r)
		}
		fmt.Fprintf(&text, "topic deny site/%d/room/0/locked\ntopic read site/%d/#\n", u, u)
	}
	text.WriteString("pattern readwrite devices/%c/#\npattern read users/%u/inbox/#\npattern deny devices/%c/firmware\npattern read broadcast/#\n")
	a := mustParseACL(b, text.String())
	return a, referenceFrom(b, text.String())
}

// referenceFrom builds the reference decider of an ACL text by replaying
// its lines (it understands only the lines benchACL writes).
func referenceFrom(b *testing.B, text string) *refACL {
	b.Helper()
	ref := &refACL{users: map[string][]refEntry{}}
	section := ""
	anonymous := true
	bits := map[string]grant{"read": grantRead, "write": grantWrite, "readwrite": grantRead | grantWrite}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "user":
			section, anonymous = f[1], false
		case len(f) == 3:
			e := refEntry{f[2], f[1] == "deny", bits[f[1]]}
			switch {
			case f[0] == "pattern":
				ref.add(&ref.patterns, e)
			case anonymous:
				ref.add(&ref.anon, e)
			default:
				list := ref.users[section]
				ref.add(&list, e)
				ref.users[section] = list
			}
		}
	}
	return ref
}

var benchChecks = []struct {
	name   string
	topic  string
	access Access
}{
	{"own rule", "site/42/room/3/temperature", Write},
	{"pattern", "devices/sensor-42/temperature", Write},
	{"denied", "site/41/room/3/temperature", Write},
	{"deep read", "broadcast/a/b/c/d/e/f/g", Read},
}

// BenchmarkACLCheck is the check a broker makes for every PUBLISH it
// receives and every message it delivers: a client's bound ACL.
func BenchmarkACLCheck(b *testing.B) {
	for _, rules := range []int{5, 1000} {
		a, ref := benchACL(b, rules)
		id := user("user42", "sensor-42")
		c := a.For(id)
		for _, chk := range benchChecks {
			want := ref.allow(id, chk.topic, chk.access)
			if c.Allow(chk.topic, chk.access) != want {
				b.Fatalf("%s: compiled and reference disagree", chk.name)
			}
			b.Run(fmt.Sprintf("rules=%d/%s", rules, chk.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					c.Allow(chk.topic, chk.access)
				}
			})
			// What checking mosquitto's way, entry by entry with the
			// patterns substituted at each check, costs on the same input.
			b.Run(fmt.Sprintf("rules=%d/%s/linear", rules, chk.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ref.allow(id, chk.topic, chk.access)
				}
			})
		}
	}
}

// BenchmarkACLFor is the work done once per connection.
func BenchmarkACLFor(b *testing.B) {
	a, _ := benchACL(b, 5)
	id := user("user42", "sensor-42")
	b.ReportAllocs()
	for b.Loop() {
		a.For(id)
	}
}

// BenchmarkAuthenticate shows what a login costs at a few bcrypt costs:
// each step of cost doubles it, for right and wrong passwords and unknown
// users alike. This is CPU time per CONNECT, which is why a broker should
// bound how many logins it checks at once.
func BenchmarkAuthenticate(b *testing.B) {
	for _, cost := range []int{bcrypt.MinCost, bcrypt.DefaultCost, 12} {
		h, err := bcrypt.GenerateFromPassword([]byte("secret"), cost)
		if err != nil {
			b.Fatal(err)
		}
		u, err := ParseUsers("users.txt", strings.NewReader("alice:"+string(h)+"\n"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("cost=%d", cost), func(b *testing.B) {
			for b.Loop() {
				u.Authenticate("alice", []byte("secret"))
			}
		})
	}
}
