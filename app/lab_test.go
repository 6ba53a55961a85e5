package app

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

func TestParseUint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		max  uint64
		want uint64
		ok   bool
	}{
		{"", 10, 0, true},
		{" 7 ", 10, 7, true},
		{"10", 10, 10, true},
		{"11", 10, 0, false},
		{"-1", 10, 0, false},
		{"1.5", 10, 0, false},
		{"sixty", 65535, 0, false},
		{"4294967295", 1<<32 - 1, 1<<32 - 1, true},
		{"99999999999999999999", 1<<32 - 1, 0, false},
	} {
		got, err := parseUint(tc.in, tc.max)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseUint(%q, %d) = %d, %v; want %d, ok %v", tc.in, tc.max, got, err, tc.want, tc.ok)
		}
		if err != nil && !strings.Contains(describeError(i18n.En, err), strconv.FormatUint(tc.max, 10)) {
			t.Errorf("parseUint(%q) error %q does not name the maximum", tc.in, describeError(i18n.En, err))
		}
	}
}

func TestCheckBrokerURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in  string
		key string // "" for valid
	}{
		{"", ""},
		{"ws://127.0.0.1:8080/mqtt", ""},
		{"WSS://broker.example", ""},
		{"tcp://127.0.0.1:1883", "lab.err.url_scheme"},
		{"http://example.com/mqtt", "lab.err.url_scheme"},
		{"ws:///mqtt", "lab.err.url_host"},
		{"ws://[::1", "lab.err.url_parse"},
	} {
		err := checkBrokerURL(tc.in)
		var in *inputError
		switch {
		case tc.key == "" && err != nil:
			t.Errorf("checkBrokerURL(%q) = %v, want nil", tc.in, err)
		case tc.key != "" && (!errors.As(err, &in) || in.key != tc.key):
			t.Errorf("checkBrokerURL(%q) = %v, want %s", tc.in, err, tc.key)
		}
	}
}

func TestPageBrokerURL(t *testing.T) {
	t.Parallel()
	for page, want := range map[string]string{
		"http://127.0.0.1:8080/lab":     "ws://127.0.0.1:8080/mqtt",
		"https://lab.example/lab?x=1#y": "wss://lab.example/mqtt",
	} {
		u, err := url.Parse(page)
		if err != nil {
			t.Fatal(err)
		}
		if got := pageBrokerURL(u); got != want {
			t.Errorf("pageBrokerURL(%s) = %s, want %s", page, got, want)
		}
	}
}

func TestConnFormRoundTrip(t *testing.T) {
	t.Parallel()
	s := store.Settings{
		URL: "ws://x/mqtt", Version: protocol.V5, ClientID: "id", CleanStart: true, SessionExpiry: 300, KeepAlive: 30,
		Username: "u", Password: "p",
		Will: &store.Will{Topic: "status/a", Payload: "offline", QoS: 1, Retain: true, Delay: 5},
	}
	got, errs := connFormOf(s).settings()
	if len(errs) > 0 || got.KeepAlive != 30 || got.SessionExpiry != 300 || got.Will == nil || *got.Will != *s.Will || got.Password != "p" {
		t.Errorf("settings → form → settings: %+v (will %+v), errors %v", got, got.Will, errs)
	}

	f := connFormOf(s)
	f.Version = protocol.V311
	f.SessionExpiry, f.WillDelay = "not checked in 3.1.1", "nor this"
	f.Username = ""
	got, errs = f.settings()
	if _, ok := errs["lab-password"]; !ok || len(errs) != 1 {
		t.Errorf("3.1.1 with a password and no user name: errors %v, want lab-password only", errs)
	}
	if got.SessionExpiry != 0 || got.Will.Delay != 0 {
		t.Errorf("3.1.1 settings carry 5.0 fields: %+v", got)
	}

	bad := connFormOf(s)
	bad.KeepAlive, bad.SessionExpiry, bad.WillTopic, bad.WillDelay, bad.URL = "70000", "x", "a/#", "-1", "mqtt://x"
	_, errs = bad.settings()
	for _, id := range []string{"lab-keepalive", "lab-session-expiry", "lab-will-topic", "lab-will-delay", "lab-url"} {
		if errs[id] == nil {
			t.Errorf("no error for %s in %v", id, errs)
		}
	}
}

func TestSubForm(t *testing.T) {
	t.Parallel()
	f := subForm{Filter: "a/+/c", QoS: 2, NoLocal: true, RetainAsPublished: true, RetainHandling: 2}
	s, err := f.subscription(protocol.V5)
	if err != nil || s != (protocol.Subscription{Filter: "a/+/c", QoS: 2, NoLocal: true, RetainAsPublished: true, RetainHandling: 2}) {
		t.Errorf("5.0: %+v, %v", s, err)
	}
	s, err = f.subscription(protocol.V311)
	if err != nil || s.NoLocal || s.RetainAsPublished || s.RetainHandling != 0 {
		t.Errorf("3.1.1 keeps 5.0 options: %+v, %v", s, err)
	}
	for filter, want := range map[string]error{
		"":           protocol.ErrFilterEmpty,
		"a/#/b":      protocol.ErrFilterHash,
		"a/b+":       protocol.ErrFilterPlus,
		"$share//a":  protocol.ErrSharedName,
		"a/\x00/b":   protocol.ErrNullCharacter,
		"$share/g/a": nil,
	} {
		_, err := subForm{Filter: filter}.subscription(protocol.V5)
		if !errors.Is(err, want) {
			t.Errorf("filter %q: %v, want %v", filter, err, want)
		}
	}
	if _, err := (subForm{Filter: "$share/g/a", NoLocal: true}).subscription(protocol.V5); err == nil {
		t.Error("no local on a shared subscription accepted")
	}
}

func TestPubForm(t *testing.T) {
	t.Parallel()
	f := pubForm{
		Topic: "a/b", Payload: `{"x":1}`, QoS: 1, Retain: true,
		ContentType: "application/json", ResponseTopic: "reply/a", Correlation: "42", Expiry: "60", UTF8: true,
		User: []userProp{{"k", "v"}, {"", ""}, {"k2", ""}},
	}
	m, errs := f.message(protocol.V5)
	p := m.Props
	if len(errs) > 0 || m.Topic != "a/b" || string(m.Payload) != `{"x":1}` || m.QoS != 1 || !m.Retain ||
		p.ContentType.Value != "application/json" || p.ResponseTopic.Value != "reply/a" || string(p.CorrelationData.Value) != "42" ||
		p.MessageExpiry.Value != 60 || p.PayloadFormat.Value != 1 || len(p.User) != 2 || p.User[1] != (protocol.UserProperty{Key: "k2"}) {
		t.Errorf("message %+v, props %+v, errors %v", m, p, errs)
	}
	m, errs = f.message(protocol.V311)
	if len(errs) > 0 || m.Props.ContentType.Present || len(m.Props.User) > 0 {
		t.Errorf("3.1.1 message carries properties: %+v, %v", m.Props, errs)
	}
	bad := pubForm{Topic: "a/+", ResponseTopic: "r/#", Expiry: "soon", User: []userProp{{"k\x00", "v"}}}
	_, errs = bad.message(protocol.V5)
	for _, id := range []string{"lab-pub-topic", "lab-pub-response-topic", "lab-pub-expiry", "lab-user-0"} {
		if errs[id] == nil {
			t.Errorf("no error for %s in %v", id, errs)
		}
	}
}

func TestFormatPayload(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("é", maxShownPayload) // 2 bytes each: cut inside a character
	for _, tc := range []struct {
		name      string
		in        []byte
		view      store.PayloadView
		want      string
		note      string
		truncated bool
	}{
		{"text", []byte("hello"), store.ViewText, "hello", "", false},
		{"json", []byte(`{"a":[1,2]}`), store.ViewJSON, "{\n  \"a\": [\n    1,\n    2\n  ]\n}", "", false},
		{"not json", []byte("hello"), store.ViewJSON, "hello", "lab.log.not_json", false},
		{"hex", []byte{0, 0xff, 'A'}, store.ViewHex, "00 ff 41", "", false},
		{"hex rows", make([]byte, 17), store.ViewHex, strings.Repeat("00 ", 15) + "00\n00", "", false},
		{"base64", []byte("hello"), store.ViewBase64, "aGVsbG8=", "", false},
		{"binary as text", []byte{0xff, 0xfe}, store.ViewText, "ff fe", "lab.log.not_utf8", false},
		{"empty", nil, store.ViewText, "", "", false},
		{"long text", []byte(big), store.ViewText, strings.Repeat("é", maxShownPayload/2), "", true},
	} {
		got := formatPayload(tc.in, tc.view)
		if got.Text != tc.want || got.Note != tc.note || got.Truncated != tc.truncated {
			t.Errorf("%s: %+v, want %q note %q truncated %v", tc.name, got, tc.want, tc.note, tc.truncated)
		}
	}
}

func TestReasonCodeMessages(t *testing.T) {
	t.Parallel()
	for c := 0; c < 256; c++ {
		code := protocol.ReasonCode(c)
		if !code.Known() {
			continue
		}
		if _, ok := reasonZh[code]; !ok {
			t.Errorf("reason code 0x%02x (%s) has no Chinese name", c, code)
		}
	}
	for code := range reasonZh {
		if !code.Known() {
			t.Errorf("reasonZh names 0x%02x, which MQTT 5.0 does not define", byte(code))
		}
	}
	if got := reasonFull(i18n.En, protocol.NotAuthorized, protocol.SUBACK); got != "0x87 Not authorized — The client is not allowed to do this." {
		t.Errorf("0x87 in English: %q", got)
	}
	if got := reasonFull(i18n.Zh, protocol.NotAuthorized, protocol.SUBACK); got != "0x87 未授权 — 客户端无权执行此操作。" {
		t.Errorf("0x87 in Chinese: %q", got)
	}
	if got := reasonCode(i18n.En, protocol.Success, protocol.SUBACK); got != "0x00 Granted QoS 0" {
		t.Errorf("0x00 in SUBACK: %q", got)
	}
	if got := reasonCode(i18n.En, 0x7f, protocol.PUBACK); !strings.HasPrefix(got, "0x7f Unknown") {
		t.Errorf("an unknown code: %q", got)
	}
}

func TestDescribeError(t *testing.T) {
	t.Parallel()
	refused := &client.ReasonError{Packet: protocol.SUBACK, Code: protocol.NotAuthorized, Filter: "secret", Reason: "no"}
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"nil", nil, []string{""}},
		{"SUBACK", refused, []string{"SUBACK refused: 0x87 Not authorized — The client is not allowed to do this.", "“no”"}},
		{"wrapped", fmt.Errorf("subscribing: %w", refused), []string{"SUBACK refused: 0x87"}},
		{"client check", &client.ReasonError{Code: protocol.QoSNotSupported}, []string{"as the broker announced in CONNACK: 0x9b QoS not supported"}},
		{"taken over", &client.ConnectionLostError{Cause: &client.ReasonError{Packet: protocol.DISCONNECT, Code: protocol.SessionTakenOver}},
			[]string{"Connection lost: The broker sent DISCONNECT: 0x8e Session taken over"}},
		{"ping", &client.ConnectionLostError{Cause: client.ErrPingTimeout}, []string{"no PINGRESP"}},
		{"eof", &client.ConnectionLostError{Cause: errors.New("EOF")}, []string{"Connection lost: the connection was closed. (EOF)"}},
		{"dial", &store.DialError{URL: "ws://x/mqtt", Err: errors.New("refused")}, []string{"Could not reach a broker at ws://x/mqtt", "(refused)"}},
		{"dial timeout", &store.DialError{URL: "ws://x/mqtt", Err: context.DeadlineExceeded}, []string{"No answer from ws://x/mqtt"}},
		{"topic", protocol.ValidTopicName("a/#"), []string{"cannot contain + or #", "[MQTT-3.3.2-2]"}},
		{"null", protocol.ValidString("a\x00"), []string{"U+0000"}},
		{"name taken", store.ErrNameTaken, []string{"Another client has this name."}},
		{"not connected", store.ErrNotConnected, []string{"connect it first"}},
		{"input", errInput("lab.err.number", "max", "9"), []string{"from 0 to 9."}},
		{"other", errors.New("odd"), []string{"Something went wrong. (odd)"}},
	} {
		got := describeError(i18n.En, tc.err)
		for _, want := range tc.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %q lacks %q", tc.name, got, want)
			}
		}
		if zh := describeError(i18n.Zh, tc.err); tc.err != nil && zh == got && tc.name != "other" {
			t.Errorf("%s: the same text in Chinese: %q", tc.name, zh)
		}
	}
}

// TestLabMessageKeys checks the message keys the lab passes to tf and
// errInput, which TestMessageKeysAreDefined does not see, and the keys it
// builds.
func TestLabMessageKeys(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("lab*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			arg := -1
			switch calleeName(call) {
			case "tf":
				arg = 1
			case "errInput":
				arg = 0
			}
			if arg < 0 || len(call.Args) <= arg {
				return true
			}
			lit, ok := call.Args[arg].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			found++
			if !i18n.Has(key) {
				t.Errorf("%s: message %q is not in the catalog", fset.Position(lit.Pos()), key)
			}
			return true
		})
	}
	if found < 20 {
		t.Errorf("found only %d tf/errInput keys: the source scan is broken", found)
	}
	var keys []string
	for _, v := range store.PayloadViews {
		keys = append(keys, "lab.view."+v.String())
	}
	keys = append(keys, "lab.rh0", "lab.rh1", "lab.rh2")
	for _, e := range protocolInputErrors {
		keys = append(keys, e.key)
	}
	for _, e := range storeErrors {
		keys = append(keys, e.key)
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("message %q is not in the catalog", k)
		}
	}
}

func TestNextClientName(t *testing.T) {
	t.Parallel()
	if got := nextClientName([]labItem{{Name: "A"}, {Name: "C"}}); got != "B" {
		t.Errorf("next after A, C: %q", got)
	}
	var all []labItem
	for r := 'A'; r <= 'Z'; r++ {
		all = append(all, labItem{Name: string(r)})
	}
	all = append(all, labItem{Name: "client-27"})
	if got := nextClientName(all); got != "client-28" {
		t.Errorf("next after A…Z and client-27: %q", got)
	}
}
