package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/broker"
)

// config is what the serve flags say.
type config struct {
	httpAddr       string
	mqttAddr       string
	scenario       string
	users          string
	allowAnonymous bool
	acl            string
	origins        []string
	broker         broker.Options
}

var errHelp = errors.New("help")

func parseServeFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{broker: broker.Defaults()}
	d := broker.Defaults()
	fs := flag.NewFlagSet("mqttlab", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: mqttlab [flags]\n\nServes the lab at -http, the MQTT broker over WebSocket at /mqtt and over TCP at -mqtt.\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nOther commands:\n  mqttlab passwd USER          write a line for a -users file\n  mqttlab fleet -broker URL SCENARIO   run a fleet against any broker\n")
	}
	fs.StringVar(&cfg.httpAddr, "http", "127.0.0.1:8080", "HTTP address of the web app and of MQTT over WebSocket (/mqtt)")
	fs.StringVar(&cfg.mqttAddr, "mqtt", "127.0.0.1:1883", "TCP address of the MQTT broker; empty to disable")
	fs.StringVar(&cfg.scenario, "scenario", "demo", "fleet scenario to run: a built-in name, a YAML file, or none")
	fs.StringVar(&cfg.users, "users", "", "users file (lines user:bcrypt-hash, see mqttlab passwd); anonymous clients are refused when set")
	fs.BoolVar(&cfg.allowAnonymous, "allow-anonymous", false, "with -users, also let clients without a user name connect")
	fs.StringVar(&cfg.acl, "acl", "", "access control file in mosquitto's acl_file syntax")
	origins := fs.String("origin", "", "comma-separated Origin host patterns allowed to open /mqtt (default: the same host only)")
	fs.DurationVar(&cfg.broker.ConnectTimeout, "connect-timeout", d.ConnectTimeout, "time a new connection has to send CONNECT")
	fs.IntVar(&cfg.broker.MaxConnections, "max-connections", d.MaxConnections, "maximum simultaneous connections")
	fs.IntVar(&cfg.broker.MaxPacketSize, "max-packet-size", d.MaxPacketSize, "maximum packet size in bytes, both ways")
	fs.IntVar(&cfg.broker.MaxInflight, "max-inflight", d.MaxInflight, "QoS 1/2 messages in flight per client (the Receive Maximum announced)")
	fs.IntVar(&cfg.broker.MaxQueued, "max-queued", d.MaxQueued, "QoS 1/2 messages queued per offline or slow session; more are dropped and counted")
	fs.IntVar(&cfg.broker.MaxOutBuffer, "max-out-buffer", d.MaxOutBuffer, "bytes waiting to be written per connection; QoS 0 beyond it is dropped and counted")
	maxQoS := fs.Int("max-qos", 2, "highest QoS accepted from publishers (0-2)")
	fs.DurationVar(&cfg.broker.MaxKeepAlive, "max-keepalive", 0, "longest keep alive allowed; 5.0 clients asking for more or for none get this (0: no limit)")
	topicAliasMax := fs.Int("topic-alias-max", int(d.TopicAliasMax), "Topic Alias Maximum announced to 5.0 clients (0 disables aliases)")
	fs.Float64Var(&cfg.broker.PublishRate, "publish-rate", 0, "PUBLISH packets per second allowed per client; faster clients are slowed down (0: no limit)")
	fs.DurationVar(&cfg.broker.SysInterval, "sys-interval", d.SysInterval, "interval of the $SYS statistics; negative disables them")
	noRetain := fs.Bool("no-retain", false, "refuse retained messages")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see mqttlab -h)", fs.Arg(0))
	}
	if *maxQoS < 0 || *maxQoS > 2 {
		return nil, fmt.Errorf("-max-qos %d: must be 0, 1 or 2", *maxQoS)
	}
	if *maxQoS < 2 {
		cfg.broker.MaxQoS = protocol.Some(protocol.QoS(*maxQoS))
	}
	if *topicAliasMax < 0 || *topicAliasMax > 65535 {
		return nil, fmt.Errorf("-topic-alias-max %d: must be 0 to 65535", *topicAliasMax)
	}
	cfg.broker.TopicAliasMax = uint16(*topicAliasMax)
	cfg.broker.DisableRetain = *noRetain
	cfg.broker.Version = "mqttlab " + version()
	if *origins != "" {
		for _, o := range strings.Split(*origins, ",") {
			if o = strings.TrimSpace(o); o != "" {
				cfg.origins = append(cfg.origins, o)
			}
		}
	}
	if cfg.broker.ConnectTimeout <= 0 {
		return nil, fmt.Errorf("-connect-timeout %v: must be positive", cfg.broker.ConnectTimeout)
	}
	if cfg.broker.MaxKeepAlive > 65535*time.Second {
		return nil, fmt.Errorf("-max-keepalive %v: at most 65535s", cfg.broker.MaxKeepAlive)
	}
	return cfg, nil
}

// version is the module version, or the VCS revision of a development build.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}
