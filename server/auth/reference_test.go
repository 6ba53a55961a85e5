package auth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
)

// refACL decides the way mosquitto's code does, step by step: a list of
// entries per section with the deny entries moved to the front, then the
// patterns, substituted at every check, each matched in turn. It is slow
// and obvious; the compiled ACL must agree with it on every input, and the
// interoperability test checks that mosquitto agrees with both.
type refACL struct {
	anon     []refEntry
	users    map[string][]refEntry
	patterns []refEntry
}

type refEntry struct {
	filter string
	deny   bool
	bits   grant
}

func (r *refACL) add(list *[]refEntry, e refEntry) {
	if e.deny {
		*list = append([]refEntry{e}, *list...)
		return
	}
	*list = append(*list, e)
}

func (r *refACL) allow(id Identity, topic string, a Access) bool {
	if a == Subscribe {
		return true
	}
	if topic == "" || strings.ContainsAny(topic, "+#") {
		return false
	}
	if strings.HasPrefix(topic, "$SYS") && a == Write && !protocol.Match("$SYS/broker/connection/+/state", topic) {
		return false
	}
	if strings.HasPrefix(topic, "$share") {
		return false
	}
	bit := grantRead
	if a == Write {
		bit = grantWrite
	}
	list := r.users[id.Username]
	if id.Anonymous {
		list = r.anon
	}
	for _, e := range list {
		if protocol.Match(e.filter, topic) {
			if e.deny {
				return false
			}
			if e.bits&bit != 0 {
				return true
			}
		}
	}
	if len(r.patterns) == 0 {
		return false
	}
	if strings.ContainsAny(id.ClientID, "+#") || !id.Anonymous && strings.ContainsAny(id.Username, "+#") {
		return false
	}
	for _, p := range r.patterns {
		if id.Anonymous && strings.Contains(p.filter, "%u") {
			continue
		}
		f := strings.ReplaceAll(p.filter, "%c", id.ClientID)
		if !id.Anonymous {
			f = strings.ReplaceAll(f, "%u", id.Username)
		}
		if protocol.Match(f, topic) {
			if p.deny {
				return false
			}
			if p.bits&bit != 0 {
				return true
			}
		}
	}
	return false
}

// randomACL makes an ACL file and its reference from small alphabets, so
// that rules and topics collide often.
func randomACL(rng *rand.Rand) (string, *refACL) {
	ref := &refACL{users: map[string][]refEntry{}}
	var b strings.Builder
	access := []string{"", "read ", "write ", "readwrite ", "deny "}
	bits := map[string]grant{"": grantRead | grantWrite, "read ": grantRead, "write ": grantWrite, "readwrite ": grantRead | grantWrite}
	section := ""
	anonymous := true
	for range 1 + rng.IntN(12) {
		switch rng.IntN(5) {
		case 0:
			section = pick(rng, refUsers)
			anonymous = false
			fmt.Fprintf(&b, "user %s\n", section)
		case 1:
			acc, f := pick(rng, access), randomFilter(rng, true)
			fmt.Fprintf(&b, "pattern %s%s\n", acc, f)
			ref.add(&ref.patterns, refEntry{f, acc == "deny ", bits[acc]})
		default:
			acc, f := pick(rng, access), randomFilter(rng, false)
			fmt.Fprintf(&b, "topic %s%s\n", acc, f)
			e := refEntry{f, acc == "deny ", bits[acc]}
			if anonymous {
				ref.add(&ref.anon, e)
			} else {
				list := ref.users[section]
				ref.add(&list, e)
				ref.users[section] = list
			}
		}
	}
	return b.String(), ref
}

var (
	refUsers     = []string{"u1", "u2", "u/1", "u+", "$s"}
	refClientIDs = []string{"c1", "c2", "c/1", "c#", "u1"}
	refLevels    = []string{"a", "b", "", "c1", "u1", "xc1", "$s", "$SYS", "$share", "$SYSTEM"}
)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func randomFilter(rng *rand.Rand, pattern bool) string {
	levels := []string{"a", "b", "", "+", "c1", "u1", "$s", "$SYS"}
	if pattern {
		levels = append(levels, "%c", "%u", "x%c", "%u%c")
	}
	for {
		n := 1 + rng.IntN(3)
		var parts []string
		for i := range n {
			if i == n-1 && rng.IntN(4) == 0 {
				parts = append(parts, "#")
				break
			}
			parts = append(parts, pick(rng, levels))
		}
		if f := strings.Join(parts, "/"); f != "" { // an empty filter is no filter
			return f
		}
	}
}

func randomTopic(rng *rand.Rand) string {
	n := 1 + rng.IntN(4)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = pick(rng, refLevels)
	}
	return strings.Join(parts, "/")
}

func randomIdentity(rng *rand.Rand) Identity {
	if rng.IntN(4) == 0 {
		return anon(pick(rng, refClientIDs))
	}
	return user(pick(rng, append(refUsers, "", "nobody")), pick(rng, refClientIDs))
}

// TestACLAgreesWithReference compares the compiled ACL with the reference
// on random files, clients and topics.
func TestACLAgreesWithReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	checks := 0
	for range 1500 {
		text, ref := randomACL(rng)
		a, err := ParseACL("random.acl", strings.NewReader(text))
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		for range 20 {
			id := randomIdentity(rng)
			c := a.For(id)
			for range 5 {
				topic := randomTopic(rng)
				for _, acc := range []Access{Read, Write, Subscribe} {
					checks++
					if got, want := c.Allow(topic, acc), ref.allow(id, topic, acc); got != want {
						t.Fatalf("%+v %s %q = %v, reference says %v; ACL:\n%s", id, acc, topic, got, want, text)
					}
				}
			}
		}
	}
	t.Logf("%d checks", checks)
}

// TestTrieMatchesProtocolMatch compares the trie with the codec's Match,
// filter by filter.
func TestTrieMatchesProtocolMatch(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var n node
		var filters []string
		for i := range 1 + rng.IntN(6) {
			f := randomFilter(rng, false)
			filters = append(filters, f)
			n.insert(f, grant(1)<<(i%3))
		}
		topic := randomTopic(rng)
		if topic == "" {
			continue // not a topic name: the trie matches nothing, by design
		}
		var want grant
		for i, f := range filters {
			if protocol.Match(f, topic) {
				want |= grant(1) << (i % 3)
			}
		}
		if got := n.match(topic); got != want {
			t.Fatalf("filters %q, topic %q: trie %03b, Match %03b", filters, topic, got, want)
		}
	}
}
