//go:build !js

package auth

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
)

// interopACL is read by mosquitto and by ParseACL; the test checks that
// both decide every case alike.
const interopACL = `# clients without a user name
topic read anon/#
topic readwrite public/#
topic deny public/secret
pattern readwrite clients/%c/#
pattern deny clients/%c/locked
pattern read x%c/y
pattern readwrite users/%u/#
pattern read everyone/#
pattern write $SYS/broker/connection/%c/state
topic write wills/anon
pattern write wills/%c/#

user alice
topic read a/b/#
topic write a/w
topic deny a/b/secret
topic read $SYS/broker/version
topic readwrite $app/#
topic readwrite clients/alice-pinned/locked
topic write wills/alice

user ev+l
topic readwrite evil/own

user admin
topic readwrite #
topic readwrite $app/#
topic read $SYS/#

user alice
topic readwrite merged/#
`

// interopTopics are published by every client of the test; those the admin
// may write are also the retained messages that subscriptions deliver.
var interopTopics = []string{
	"anon/x", "public/a", "public/secret", "public",
	"clients/c1/t", "clients/c1/locked", "clients/c/1/t", "clients/alice-pinned/locked", "clients/adm/t",
	"xc1/y", "xc/1/y", "users/alice/t", "users/bo/b/t", "users/bob/t", "everyone/t",
	"a/b", "a/b/c", "a/w", "a/b/secret", "merged/x", "evil/own", "other/x", "other//x",
	"$app/x", "$app", "$other/x",
	"$SYS/test", "$SYSTEM/x", "$sharex/y", "$SYS/broker/connection/c1/state", "$SYS/broker/connection/e1/state",
}

// interopFilters are subscribed to by every client of the test.
var interopFilters = []string{
	"#", "+/+", "+/+/+", "a/#", "clients/#", "users/+/t", "$app/#", "$SYS/broker/version", "$SYS/#", "$other/+",
}

// interopClients and their passwords (anonymous clients have none).
var interopClients = []Identity{
	anon("c1"),
	anon("c+1"), // a client ID that could widen a pattern
	anon("c/1"), // a client ID with levels
	user("alice", "alice-pinned"),
	user("alice", "c1"),
	user("bo/b", "b1"),
	user("ev+l", "e1"),
	user("bob", "b2"), // a user without a section
	user("admin", "adm"),
}

func password(name string) string { return "pw-" + name }

// TestMosquittoAgreesOnACL runs Debian's mosquitto with interopACL and
// checks, for every client, topic and filter above, that mosquitto allows
// exactly what our ACL allows: publishing (from the PUBACK reason code of
// an MQTT 5 QoS 1 PUBLISH), subscribing (from the SUBACK) and reading (from
// the retained messages a subscription delivers).
func TestMosquittoAgreesOnACL(t *testing.T) {
	dir := t.TempDir()
	aclPath, pwPath := filepath.Join(dir, "acl.txt"), filepath.Join(dir, "passwd")
	writeLines(t, aclPath, strings.Split(interopACL, "\n"))
	acl, err := LoadACL(aclPath)
	if err != nil {
		t.Fatal(err)
	}
	passwords := map[string]string{}
	for _, id := range interopClients {
		if !id.Anonymous {
			passwords[id.Username] = password(id.Username)
		}
	}
	mosquittoPasswd(t, pwPath, passwords)
	m := startMosquitto(t, dir,
		"allow_anonymous true",
		"password_file "+pwPath,
		"acl_file "+aclPath,
	)

	// The admin leaves a retained message on every topic it may write.
	admin := user("admin", "adm")
	ac := dial(t, m.addr, protocol.V5, admin, password("admin"))
	var retained []string
	for _, topic := range interopTopics {
		got, want := ac.publish(topic, true), acl.Allow(admin, topic, Write)
		if got != want {
			t.Errorf("admin publish %q: mosquitto %v, ours %v", topic, got, want)
		}
		if got {
			retained = append(retained, topic)
		}
	}
	// mosquitto's own retained messages include this one.
	known := append(retained, "$SYS/broker/version")

	t.Run("publish", func(t *testing.T) {
		allowed, denied := 0, 0
		for _, id := range interopClients {
			c := dial(t, m.addr, protocol.V5, id, password(id.Username))
			for _, topic := range interopTopics {
				got, want := c.publish(topic, false), acl.Allow(id, topic, Write)
				if got != want {
					t.Errorf("%+v publish %q: mosquitto %v, ours %v", id, topic, got, want)
				}
				if got {
					allowed++
				} else {
					denied++
				}
			}
		}
		t.Logf("%d publications allowed, %d denied", allowed, denied)
	})

	t.Run("subscribe and read", func(t *testing.T) {
		versions := []protocol.Version{protocol.V5, protocol.V311}
		n, reads := 0, 0
		for _, id := range interopClients {
			for _, filter := range interopFilters {
				n++
				c := dial(t, m.addr, versions[n%2], id, password(id.Username))
				granted, delivered := c.subscribe(filter)
				if want := acl.Allow(id, filter, Subscribe); granted != want {
					t.Errorf("%+v subscribe %q: mosquitto grants %v, ours %v", id, filter, granted, want)
				}
				checkDelivered(t, acl, id, filter, known, delivered)
				reads += len(delivered)
			}
		}
		t.Logf("%d subscriptions granted, %d retained messages delivered", n, reads)
	})

	// mosquitto accepts a CONNECT whose will it may not publish, and drops
	// the will when the time comes: the broker checks Write then.
	t.Run("will", func(t *testing.T) {
		watcher := dial(t, m.addr, protocol.V5, admin, password("admin"))
		watcher.subscribe("wills/#")
		for _, c := range []struct {
			id    Identity
			topic string
		}{
			{anon("c1"), "wills/anon"},
			{anon("c1"), "wills/alice"},
			{user("alice", "c1"), "wills/alice"},
			{user("alice", "c1"), "wills/anon"},
			{anon("c2"), "wills/c2/x"},
			{user("bob", "b2"), "wills/c1/x"},
			{user("bob", "b2"), "wills/b2"},
			{anon("c1"), "$SYS/will"},
		} {
			will := &protocol.WillMessage{Topic: c.topic, Payload: []byte("bye")}
			dialWill(t, m.addr, protocol.V5, c.id, password(c.id.Username), will).disconnectWithWill()
			got := watcher.publishAndCollect("wills/sentinel")
			sent := len(got) == 1 && got[0] == c.topic
			if len(got) > 1 || len(got) == 1 && !sent {
				t.Fatalf("unexpected messages %q", got)
			}
			if want := acl.Allow(c.id, c.topic, Write); sent != want {
				t.Errorf("%+v will on %q: mosquitto sent it %v, ours allows %v", c.id, c.topic, sent, want)
			}
		}
	})
}

// checkDelivered compares the topics mosquitto delivered to a
// subscription of filter with what our ACL lets id read.
func checkDelivered(t *testing.T, acl *ACL, id Identity, filter string, known []string, delivered map[string]bool) {
	t.Helper()
	var missing, extra []string
	for _, topic := range known {
		want := protocol.Match(filter, topic) && acl.Allow(id, topic, Read)
		if want && !delivered[topic] {
			missing = append(missing, topic)
		}
		if !want && delivered[topic] {
			extra = append(extra, topic)
		}
	}
	for topic := range delivered {
		if !protocol.Match(filter, topic) || !acl.Allow(id, topic, Read) {
			extra = append(extra, topic)
		}
	}
	sort.Strings(extra)
	extra = compactStrings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("%+v subscribed to %q: mosquitto did not deliver %q that we allow, and delivered %q that we deny",
			id, filter, missing, extra)
	}
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// TestMosquittoAgreesWithoutACL checks the rules that hold without an ACL
// file (a nil *ACL) against mosquitto without one.
func TestMosquittoAgreesWithoutACL(t *testing.T) {
	dir := t.TempDir()
	m := startMosquitto(t, dir, "allow_anonymous true")
	var acl *ACL
	id := anon("c1")
	c := dial(t, m.addr, protocol.V5, id, "")
	var retained []string
	for _, topic := range interopTopics {
		got, want := c.publish(topic, true), acl.Allow(id, topic, Write)
		if got != want {
			t.Errorf("publish %q: mosquitto %v, ours %v", topic, got, want)
		}
		if got {
			retained = append(retained, topic)
		}
	}
	known := append(retained, "$SYS/broker/version")
	for _, filter := range interopFilters {
		granted, delivered := dial(t, m.addr, protocol.V5, id, "").subscribe(filter)
		if !granted {
			t.Errorf("subscribe %q refused", filter)
		}
		checkDelivered(t, acl, id, filter, known, delivered)
	}
}
