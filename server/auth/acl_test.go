package auth

import (
	"strings"
	"testing"
)

// testACL exercises every kind of rule; the decision tables below read it.
const testACL = `# rules for clients without a user name
topic read public/#
topic readwrite anon/+/data
topic deny public/secret

user alice
topic readwrite home/alice/#
topic deny home/alice/private
topic read $SYS/#
topic readwrite $SYSTEM/#
topic write a b c
topic readwrite devices/c9/locked

user bob
topic read home/#

pattern readwrite devices/%c/#
pattern read users/%u/inbox
pattern deny devices/%c/locked
pattern write x%cy/%u%u
pattern read everyone/#
pattern write $SYS/broker/connection/%c/state

user alice
topic write merged/#
`

func mustParseACL(t testing.TB, text string) *ACL {
	t.Helper()
	a, err := ParseACL("acl.txt", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func anon(clientID string) Identity { return Identity{Anonymous: true, ClientID: clientID} }
func user(name, clientID string) Identity {
	return Identity{Username: name, ClientID: clientID}
}

type aclCase struct {
	id     Identity
	topic  string
	access Access
	want   bool
}

func runACLCases(t *testing.T, a *ACL, cases []aclCase) {
	t.Helper()
	for _, c := range cases {
		if got := a.Allow(c.id, c.topic, c.access); got != c.want {
			t.Errorf("%+v %s %q = %v, want %v", c.id, c.access, c.topic, got, c.want)
		}
		// The bound form must say the same.
		if got := a.For(c.id).Allow(c.topic, c.access); got != c.want {
			t.Errorf("For(%+v).Allow(%q, %s) = %v, want %v", c.id, c.topic, c.access, got, c.want)
		}
	}
}

func TestACLAnonymousSection(t *testing.T) {
	t.Parallel()
	a := mustParseACL(t, testACL)
	c1 := anon("c1")
	runACLCases(t, a, []aclCase{
		{c1, "public/news", Read, true},
		{c1, "public/news", Write, false},       // read only
		{c1, "public", Read, true},              // "public/#" matches its parent
		{c1, "public/secret", Read, false},      // deny wins over public/#
		{c1, "public/secret/x", Read, true},     // deny is exact, not a prefix
		{c1, "anon/x/data", Write, true},        // '+' is one level
		{c1, "anon//data", Write, true},         // ...also an empty one
		{c1, "anon/x/y/data", Write, false},     // ...and only one
		{c1, "devices/c1/temp", Write, true},    // pattern %c
		{c1, "devices/c2/temp", Write, false},   // someone else's
		{c1, "devices/c1/locked", Write, false}, // deny pattern
		{c1, "users//inbox", Read, false},       // %u patterns skip anonymous clients
		{c1, "everyone/x", Read, true},          // patterns apply to all
		{c1, "everyone/x", Write, false},
		{c1, "home/alice/x", Read, false}, // users' rules do not apply
		{c1, "$SYS/broker/load", Read, false},
		{c1, "xc1y/", Write, false}, // pattern with %u skipped
	})
}

func TestACLUserSections(t *testing.T) {
	t.Parallel()
	a := mustParseACL(t, testACL)
	alice := user("alice", "c1")
	runACLCases(t, a, []aclCase{
		{alice, "home/alice/x", Read | Write, true},
		{alice, "home/alice", Read, true},
		{alice, "home/alice/private", Read, false},
		{alice, "home/alice/private", Write, false},
		{alice, "home/bob", Read, false},
		{alice, "public/news", Read, false}, // the anonymous section is for anonymous clients only
		{alice, "merged/x", Write, true},    // her second section adds up with the first
		{alice, "a b c", Write, true},       // a filter with spaces
		{alice, "a b c", Read, false},
		{alice, "everyone/x", Read, true}, // pattern
		{alice, "users/alice/inbox", Read, true},
		{alice, "users/alice/inbox", Write, false},
		{alice, "users/bob/inbox", Read, false},
		{alice, "xc1y/alicealice", Write, true}, // %c and %u inside levels, twice
		{alice, "devices/c1/x", Write, true},
		{alice, "devices/c1/locked", Write, false},
		// Her own grant wins over the deny pattern: topic rules are checked first.
		{user("alice", "c9"), "devices/c9/locked", Write, true},
		{user("bob", "c9"), "devices/c9/locked", Write, false},
		// bob's rules are his own: alice's deny does not reach him.
		{user("bob", "b"), "home/alice/private", Read, true},
		{user("bob", "b"), "home/alice/private", Write, false},
		// A user without a section has the patterns only.
		{user("carol", "k"), "everyone/x", Read, true},
		{user("carol", "k"), "users/carol/inbox", Read, true},
		{user("carol", "k"), "home/carol", Read, false},
		{user("carol", "k"), "public/news", Read, false},
		// An empty user name is a user name, not anonymity.
		{user("", "k"), "users//inbox", Read, true},
		{user("", "k"), "public/news", Read, false},
	})
}

func TestACLDangerousNames(t *testing.T) {
	t.Parallel()
	a := mustParseACL(t, testACL)
	runACLCases(t, a, []aclCase{
		// '+' or '#' in a name closes the pattern stage, for every pattern.
		{user("ev+l", "e"), "everyone/x", Read, false},
		{user("ev#l", "e"), "everyone/x", Read, false},
		{user("alice", "c+1"), "everyone/x", Read, false},
		{anon("c#"), "everyone/x", Read, false},
		// The topic rules still apply: they come first.
		{user("alice", "c+1"), "home/alice/x", Write, true},
		{anon("c+"), "public/news", Read, true},
		// '/' is allowed and adds levels.
		{user("bo/b", "x"), "users/bo/b/inbox", Read, true},
		{user("bo/b", "x"), "users/bo/inbox", Read, false},
		{anon("a/b"), "devices/a/b/t", Write, true},
		// A user name starting with '$' reaches '$' topics through a pattern.
		{user("$SYS", "x"), "users/$SYS/inbox", Read, true},
	})
}

func TestACLDollarTopics(t *testing.T) {
	t.Parallel()
	a := mustParseACL(t, testACL+"user root\ntopic readwrite #\ntopic readwrite $app/#\n")
	alice, root := user("alice", "c1"), user("root", "r")
	runACLCases(t, a, []aclCase{
		{alice, "$SYS/broker/load", Read, true},
		{alice, "$SYS/broker/load", Write, false},                     // nobody writes $SYS...
		{anon("c1"), "$SYS/broker/connection/c1/state", Write, true},  // ...but bridges their state
		{anon("c2"), "$SYS/broker/connection/c1/state", Write, false}, // (with a grant)
		{alice, "$SYSTEM/x", Read, true},
		{alice, "$SYSTEM/x", Write, false}, // "$SYS" is a prefix rule
		{root, "anything/at/all", Write, true},
		{root, "$SYS/broker/load", Read, false}, // '#' does not match '$' topics
		{root, "$app/x", Write, true},
		{root, "$share/g/x", Write, false},
		{root, "$shared/x", Read, false},
		{root, "$share/g/#", Subscribe, true},
	})
}

func TestACLSubscribeIsNeverRefused(t *testing.T) {
	t.Parallel()
	a := mustParseACL(t, testACL)
	for _, id := range []Identity{anon("c1"), user("alice", "c1"), user("ev+l", "c"), user("nobody", "c")} {
		for _, f := range []string{"#", "+/+", "home/alice/private", "$SYS/#", "$share/g/a/#"} {
			if !a.Allow(id, f, Subscribe) {
				t.Errorf("%+v subscribe %q refused; mosquitto's acl_file grants every subscription", id, f)
			}
		}
	}
}

func TestACLNoFile(t *testing.T) {
	t.Parallel()
	var a *ACL
	id := user("x", "y")
	runACLCases(t, a, []aclCase{
		{id, "a/b", Read | Write, true},
		{id, "$foo/bar", Read | Write, true},
		{id, "$SYS/broker/load", Read, true},
		{id, "$SYS/broker/load", Write, false},
		{id, "$SYS/broker/connection/x/state", Write, true},
		{id, "$share/g/x", Read, false},
		{id, "$share/g/#", Subscribe, true},
		{id, "", Read, false},
		{id, "a/+", Write, false},
		{id, "a/#", Read, false},
	})
	if c := a.For(id); c != nil {
		t.Errorf("nil ACL For = %v, want nil", c)
	}
}

func TestACLEmptyFileDeniesAll(t *testing.T) {
	t.Parallel()
	a := mustParseACL(t, "# nothing\n\n")
	for _, id := range []Identity{anon("c"), user("alice", "c")} {
		if a.Allow(id, "a", Read) || a.Allow(id, "a", Write) {
			t.Errorf("empty ACL allowed %+v", id)
		}
		if !a.Allow(id, "a", Subscribe) {
			t.Errorf("empty ACL refused a subscription of %+v", id)
		}
	}
	var zero ClientACL
	if zero.Allow("a", Read) || zero.Allow("a", Write) {
		t.Error("zero ClientACL allowed")
	}
}

func TestACLAccessValues(t *testing.T) {
	t.Parallel()
	a := mustParseACL(t, "topic read r\ntopic readwrite rw\n")
	c := a.For(anon("c"))
	for _, x := range []struct {
		topic  string
		access Access
		want   bool
	}{
		{"rw", Read | Write, true},
		{"r", Read | Write, false},
		{"r", Read | Subscribe, true},
		{"rw", 0, false},
		{"rw", 1 << 5, false},
		{"rw", Read | 1<<5, false},
	} {
		if got := c.Allow(x.topic, x.access); got != x.want {
			t.Errorf("Allow(%q, %s) = %v, want %v", x.topic, x.access, got, x.want)
		}
	}
	if s := (Read | Write | Subscribe | 1<<6).String(); s != "read|write|subscribe|0x40" {
		t.Errorf("String = %q", s)
	}
	if s := Access(0).String(); s != "none" {
		t.Errorf("String = %q", s)
	}
}

func TestACLForDoesNotAllocateOnCheck(t *testing.T) {
	a := mustParseACL(t, testACL)
	c := a.For(user("alice", "c1"))
	allocs := testing.AllocsPerRun(100, func() {
		c.Allow("devices/c1/temperature", Write)
		c.Allow("home/alice/private", Read)
	})
	if allocs != 0 {
		t.Errorf("ClientACL.Allow allocates %v times per call", allocs)
	}
}
