package auth_test

import (
	"fmt"
	"strings"

	"github.com/mqttlab/mqttlab/server/auth"
)

// A broker binds the ACL to each client when it connects, then checks
// every PUBLISH it receives (Write) and every message it delivers (Read).
func ExampleACL_For() {
	acl, err := auth.ParseACL("acl.txt", strings.NewReader(`
user alice
topic readwrite home/alice/#
topic deny home/alice/diary
pattern write devices/%c/state
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	lamp := acl.For(auth.Identity{Username: "alice", ClientID: "lamp-1"})
	fmt.Println(lamp.Allow("home/alice/lamp", auth.Write))
	fmt.Println(lamp.Allow("home/alice/diary", auth.Read))
	fmt.Println(lamp.Allow("devices/lamp-1/state", auth.Write))
	fmt.Println(lamp.Allow("devices/lamp-2/state", auth.Write))
	fmt.Println(lamp.Allow("#", auth.Subscribe)) // granted; Read filters what it delivers
	// Output:
	// true
	// false
	// true
	// false
	// true
}

func ExampleParseACL_error() {
	_, err := auth.ParseACL("acl.txt", strings.NewReader("user alice\ntopic read\n"))
	fmt.Println(err)
	// Output:
	// acl.txt:2: missing topic filter after "topic read"
}
