// Package auth is mqttlab's file-based authentication and authorization:
// the users file of `mqttlab -users`, the `mqttlab passwd` command that
// writes it, and the ACL file of `mqttlab -acl`, read in the syntax of
// mosquitto's acl_file and decided exactly as mosquitto 2.0 decides, so a
// file written for one broker means the same on the other. A test runs
// Debian's mosquitto on the same ACL file and checks that both brokers
// agree, case by case.
//
// # Users
//
// A users file has one "name:hash" line per user, the hash made by bcrypt
// (`mqttlab passwd` writes such lines); blank lines and lines starting with
// '#' are ignored. Without a users file every client may connect, with or
// without credentials. With one, as in mosquitto 2.x once a password_file
// is set, a client must name a listed user and give that user's password;
// a client that sends no user name is refused unless Users.AllowAnonymous
// is set (mosquitto's allow_anonymous). A login costs one bcrypt
// comparison whatever happens, also for unknown users, so the time an
// answer takes does not tell which user names exist.
//
// # ACL file
//
//	# rules before the first "user" line apply to clients without a user name
//	topic read public/#
//	user alice
//	topic readwrite home/alice/#
//	topic deny home/alice/private
//	# patterns apply to every client, wherever they stand in the file
//	pattern write devices/%c/state
//	pattern read users/%u/#
//
// "topic [read|write|readwrite|deny] FILTER" grants (or denies) the topics
// matching FILTER; the access defaults to readwrite. "pattern" is the same
// with %c replaced by the client's ID and %u by its user name. A "user"
// line starts the rules of that user; the same user may have several
// sections, which add up.
//
// A check runs in two stages, as in mosquitto:
//
//  1. The topic rules of the client's section (the anonymous section for a
//     client without a user name; none for a user without a section): if a
//     matching rule is "deny" the answer is no; if a matching rule grants
//     the access the answer is yes. Otherwise:
//  2. The patterns: if the user name or client ID contains '+' or '#', the
//     answer is no (such a name could widen a pattern; '/' is allowed and
//     adds levels). Patterns with %u are skipped for clients without a
//     user name. A matching "deny" pattern says no, a matching pattern that
//     grants the access says yes, and anything else is no.
//
// So "deny" wins within a stage, but a user's own topic rule that grants
// the access wins over a deny pattern. An ACL file with no rules at all
// denies everything. Filters starting with a wildcard do not match topics
// starting with '$'; reading $SYS needs a rule such as "topic read $SYS/#".
//
// Whatever the file says, and also without an ACL file: nobody publishes
// to a topic starting with "$SYS" except $SYS/broker/connection/+/state
// (bridge status), and nobody publishes to or reads a topic starting with
// "$share".
//
// # Subscriptions
//
// mosquitto's acl_file never refuses a SUBSCRIBE, whatever the filter: it
// checks read access on each message as it is delivered (live or
// retained), against the message's topic. A client with "topic read a/b"
// that subscribes to "#" is granted the subscription and receives a/b
// only. Allow(topic, Subscribe) therefore always says yes, and a broker
// must check Read before every delivery. ClientACL makes that check cheap.
//
// # Where mqttlab's reader is stricter than mosquitto's
//
// It refuses, with the file and line, a few lines that mosquitto accepts
// but reads differently from what they seem to say: "topic read" with no
// filter (mosquitto grants readwrite on the topic named "read"), a tab
// after the access word (mosquitto reads "topic read<TAB>a/b" as
// readwrite on the topic "read<TAB>a/b"), and names or filters that are
// not valid UTF-8 or hold a NUL. Like mosquitto, it refuses an indented
// '#' comment and a tab right after the keyword. mosquitto warns about a
// pattern without %c or %u; mqttlab accepts it silently (it applies to
// every client, after the client's own topic rules).
package auth
