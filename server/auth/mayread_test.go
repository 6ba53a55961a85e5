package auth

import (
	"strings"
	"testing"
)

func TestMayRead(t *testing.T) {
	t.Parallel()
	acl, err := ParseACL("acl", strings.NewReader(`topic read public/#
user alice
topic readwrite home/alice/#
topic write only/write
topic read sensors/+/temp
topic read $SYS/broker/uptime
pattern read devices/%c/cmd
`))
	if err != nil {
		t.Fatal(err)
	}
	alice := acl.For(Identity{Username: "alice", ClientID: "k1"})
	anon := acl.For(Identity{Anonymous: true, ClientID: "k2"})
	cases := []struct {
		c      *ClientACL
		filter string
		want   bool
	}{
		{alice, "home/alice/x", true},
		{alice, "home/alice", true}, // "home/alice/#" matches "home/alice"
		{alice, "home/#", true},
		{alice, "home/+/x", true},
		{alice, "home/bob/x", false},
		{alice, "#", true},
		{alice, "+", false},
		{alice, "only/write", false},
		{alice, "sensors/k1/temp", true},
		{alice, "sensors/#", true},
		{alice, "sensors/k1/hum", false},
		{alice, "devices/k1/cmd", true},
		{alice, "devices/k2/cmd", false},
		{alice, "devices/+/cmd", true},
		{alice, "$SYS/#", true},
		{alice, "$SYS/broker/load", false},
		{alice, "+/broker/uptime", false}, // '+' does not meet "$SYS"
		{alice, "public/x", false},        // the anonymous section is not alice's
		{anon, "public/x", true},
		{anon, "#", true},
		{anon, "home/#", false},
		{anon, "devices/k2/cmd", true},
		{nil, "anything/#", true},
	}
	for _, tc := range cases {
		if got := tc.c.MayRead(tc.filter); got != tc.want {
			t.Errorf("MayRead(%q) = %v, want %v", tc.filter, got, tc.want)
		}
	}
}
