package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"github.com/mqttlab/mqttlab/server/fleet"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// fleetConfig is what the fleet command's flags say.
type fleetConfig struct {
	broker    string
	username  string
	password  string
	duration  time.Duration
	qos       int
	count     int
	insecure  bool
	cafile    string
	print     bool
	scen      *scenario.Scenario
	src       []byte
	scenarioA string
}

const fleetUsage = `Usage: mqttlab fleet -broker URL [flags] SCENARIO

Runs the devices of SCENARIO (a YAML file, or a built-in: %s)
against any MQTT broker, printing a line of rates every second and a summary
at the end. Ctrl+C, SIGTERM or -duration stops it: every device publishes its
offline status and disconnects.

`

// parseFleetFlags reads the fleet command's flags and its scenario.
func parseFleetFlags(args []string, stderr io.Writer) (*fleetConfig, error) {
	cfg := &fleetConfig{}
	fs := flag.NewFlagSet("mqttlab fleet", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.broker, "broker", "", "broker URL: tcp://host:1883, mqtts://host:8883, ws://host:8080/mqtt, wss://host/mqtt")
	fs.StringVar(&cfg.username, "username", "", "user name of every device (replaces the scenario's)")
	fs.StringVar(&cfg.password, "password", "", "password of every device, with -username")
	fs.DurationVar(&cfg.duration, "duration", 0, "stop after this long (0: until Ctrl+C)")
	fs.IntVar(&cfg.qos, "qos", -1, "QoS of every data message, replacing the scenario's (-1: the scenario's)")
	fs.IntVar(&cfg.count, "count", 0, "devices of every fleet, replacing the scenario's counts (0: the scenario's)")
	fs.BoolVar(&cfg.insecure, "insecure", false, "accept any TLS certificate (self-signed test brokers only)")
	fs.StringVar(&cfg.cafile, "cafile", "", "PEM file of the certificate authorities to trust (mqtts://, wss://)")
	fs.BoolVar(&cfg.print, "print", false, "print the scenario's YAML and exit (e.g. to start your own from a built-in)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintf(stderr, fleetUsage, joinNames(scenario.BuiltinNames()))
			fs.PrintDefaults()
			return nil, errHelp
		}
		return nil, err
	}
	switch fs.NArg() {
	case 0:
		return nil, errors.New("which scenario? (mqttlab fleet -broker URL SCENARIO; built-in: " + joinNames(scenario.BuiltinNames()) + ")")
	case 1:
	default:
		return nil, fmt.Errorf("unexpected argument %q after the scenario (flags go before it)", fs.Arg(1))
	}
	cfg.scenarioA = fs.Arg(0)
	var err error
	if cfg.scen, cfg.src, err = loadScenario(cfg.scenarioA); err != nil {
		return nil, err
	}
	if cfg.print {
		return cfg, nil
	}
	switch {
	case cfg.broker == "":
		return nil, errors.New("-broker is required (e.g. -broker tcp://127.0.0.1:1883)")
	case cfg.qos < -1 || cfg.qos > 2:
		return nil, fmt.Errorf("-qos %d: must be 0, 1 or 2 (or -1 for the scenario's)", cfg.qos)
	case cfg.count < 0 || cfg.count > scenario.MaxDevices:
		return nil, fmt.Errorf("-count %d: must be 1 to %d (or 0 for the scenario's)", cfg.count, scenario.MaxDevices)
	case cfg.count*len(cfg.scen.Fleets) > scenario.MaxDevices:
		return nil, fmt.Errorf("-count %d: %d fleets would make more than %d devices", cfg.count, len(cfg.scen.Fleets), scenario.MaxDevices)
	case cfg.duration < 0:
		return nil, fmt.Errorf("-duration %v: must be positive", cfg.duration)
	case cfg.password != "" && cfg.username == "":
		return nil, errors.New("-password needs -username")
	}
	if err := fleet.CheckURL(cfg.broker); err != nil {
		return nil, fmt.Errorf("-broker: %w", err)
	}
	return cfg, nil
}

func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

// fleetCommand is `mqttlab fleet`: a scenario's devices against any broker.
func fleetCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFleetFlags(args, stderr)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "mqttlab fleet:", err)
		return 2
	}
	if cfg.print {
		stdout.Write(cfg.src)
		return 0
	}
	o := fleet.Options{URL: cfg.broker, Username: cfg.username, Password: cfg.password,
		Dial: &client.DialOptions{InsecureSkipVerify: cfg.insecure, CAFile: cfg.cafile}}
	if cfg.qos >= 0 {
		o.QoS = protocol.Some(protocol.QoS(cfg.qos))
	}
	r, err := fleet.NewRunner(o)
	if err != nil {
		fmt.Fprintln(stderr, "mqttlab fleet: -broker:", err)
		return 2
	}
	err = r.SetScenario(cfg.scen, cfg.src)
	if cfg.count > 0 {
		for _, f := range cfg.scen.Fleets {
			err = errors.Join(err, r.Scale(f.Name, cfg.count))
		}
	}
	if err == nil {
		err = r.Start()
	}
	if err != nil {
		closeFleet(r)
		fmt.Fprintln(stderr, "mqttlab fleet:", err)
		return 2
	}
	return watchFleet(ctx, r, cfg, stdout, stderr)
}

// watchFleet prints a line of rates every second until ctx ends or the
// duration passes, then stops the fleet and prints the summary.
func watchFleet(ctx context.Context, r *fleet.Runner, cfg *fleetConfig, stdout, stderr io.Writer) int {
	st := r.Stats()
	fmt.Fprintf(stdout, "mqttlab fleet: %s, %d devices in %d fleets, against %s; Ctrl+C stops\n",
		st.Scenario, st.Total.Devices, len(st.Fleets), cfg.broker)
	start := time.Now()
	var stop <-chan time.Time
	if cfg.duration > 0 {
		t := time.NewTimer(cfg.duration)
		defer t.Stop()
		stop = t.C
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	last, lastAt := st.Total, start
	for running := true; running; {
		select {
		case <-ctx.Done():
			running = false
		case <-stop:
			running = false
		case now := <-tick.C:
			t := r.Stats().Total
			rate := float64(t.Published-last.Published) / now.Sub(lastAt).Seconds()
			fmt.Fprintf(stdout, "%6.0fs  connected %d/%d  msgs/s %.1f  published %d  failed %d  reconnects %d\n",
				now.Sub(start).Seconds(), t.Connected, t.Devices, rate, t.Published, t.Failed, t.Reconnects)
			last, lastAt = t, now
		}
	}
	fmt.Fprintln(stdout, "mqttlab fleet: stopping (offline status and DISCONNECT from every device)")
	closeErr := closeFleet(r)
	st = r.Stats()
	t := st.Total
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "mqttlab fleet: summary: %d/%d connected at most, %d published (%.1f msgs/s), %d failed, %d reconnects in %s\n",
		st.Peak, t.Devices, t.Published, float64(t.Published)/elapsed.Seconds(), t.Failed, t.Reconnects, elapsed.Round(time.Millisecond))
	if t.LastError != "" {
		fmt.Fprintln(stdout, "mqttlab fleet: last error:", t.LastError)
	}
	if closeErr != nil {
		fmt.Fprintln(stderr, "mqttlab fleet:", closeErr)
		return 1
	}
	if st.Peak == 0 && t.Devices > 0 {
		fmt.Fprintln(stderr, "mqttlab fleet: no device could connect")
		return 1
	}
	return 0
}
