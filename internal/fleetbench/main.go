//go:build linux

// Command fleetbench measures how many virtual devices mqttlab runs and how
// fast: the fleet runner (server/fleet) with its devices in-process against
// our broker, and against Debian's mosquitto over TCP as `mqttlab fleet`
// runs them.
//
//	go run ./internal/fleetbench [flags]     (make bench runs it)
//
// Phases (-phases, in this order):
//
//	idle       N devices connect at once and idle: connections per second,
//	           memory per idle device (Go heap and stacks, and RSS)
//	load       N devices each publishing every 10 s at QoS 1 (N/10 msg/s),
//	           one subscriber on the fleet's topics at QoS 1 over TCP:
//	           sustained rate, CPU per message, RSS (fails above -max-rss),
//	           lost and duplicate messages (fails unless 0)
//	rates      N devices publishing ever faster: the highest rate sustained
//	sizes      ever more devices each publishing every 10 s: the largest
//	           fleet sustained within -max-rss
//	mosquitto  -mosq-devices devices against mosquitto over TCP through
//	           protocol/client: connections per second and messages per
//	           second
//
// A step is sustained when the devices published at least 97% of the
// messages due in the window, the subscriber kept up (its backlog grew by
// less than 3% of the rate), no message was lost or duplicated and
// nothing failed.
// Everything runs on loopback or in-process; the whole run is bounded
// (about 6 minutes with the defaults). It reads /proc: Linux only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is what the flags say.
type config struct {
	devices     int
	window      time.Duration
	maxRSS      int64
	phases      []string
	rates       []time.Duration
	sizes       []int
	mosqDevices int
	mosqEvery   time.Duration
	mosquitto   string
	cpuprofile  string
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("fleetbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.devices, "devices", 100_000, "devices of the idle, load and rates phases")
	fs.DurationVar(&cfg.window, "window", 20*time.Second, "measuring window of each step, after the devices are connected and have published once")
	maxRSS := fs.Int("max-rss", 2048, "RSS limit of the load phase, MiB (also the budget of the sizes phase, times 4)")
	phases := fs.String("phases", "idle,load,rates,sizes,mosquitto", "phases to run, comma-separated")
	rates := fs.String("rates", "2s,1s,500ms,250ms,125ms", "publish intervals the rates phase tries, in order, with -devices devices")
	sizes := fs.String("sizes", "250000,500000,1000000", "fleet sizes the sizes phase tries, in order, each publishing every 10 s")
	fs.IntVar(&cfg.mosqDevices, "mosq-devices", 5000, "devices of the mosquitto phase (each is a TCP connection)")
	fs.DurationVar(&cfg.mosqEvery, "mosq-interval", 100*time.Millisecond, "publish interval of each device in the mosquitto phase")
	fs.StringVar(&cfg.mosquitto, "mosquitto", "/usr/sbin/mosquitto", "mosquitto binary")
	fs.StringVar(&cfg.cpuprofile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg.maxRSS = int64(*maxRSS) << 20
	cfg.phases = strings.Split(*phases, ",")
	for _, p := range cfg.phases {
		switch p {
		case "idle", "load", "rates", "sizes", "mosquitto":
		default:
			return nil, fmt.Errorf("-phases: unknown phase %q (idle, load, rates, sizes, mosquitto)", p)
		}
	}
	for _, s := range strings.Split(*rates, ",") {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("-rates: %q is not a duration", s)
		}
		cfg.rates = append(cfg.rates, d)
	}
	for _, s := range strings.Split(*sizes, ",") {
		var n int
		if _, err := fmt.Sscan(s, &n); err != nil || n <= 0 || n > 1_000_000 {
			return nil, fmt.Errorf("-sizes: %q is not a fleet size (1 to 1,000,000)", s)
		}
		cfg.sizes = append(cfg.sizes, n)
	}
	if cfg.devices <= 0 || cfg.devices > 1_000_000 {
		return nil, fmt.Errorf("-devices %d: 1 to 1,000,000", cfg.devices)
	}
	return cfg, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "fleetbench:", err)
		return 2
	}
	fmt.Fprintf(stdout, "fleetbench: %d CPUs; figures are of this one process (broker, runner and subscriber)\n", numCPU())
	if cfg.cpuprofile != "" {
		f, err := os.Create(cfg.cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, "fleetbench:", err)
			return 1
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	failed := false
	for _, p := range cfg.phases {
		if ctx.Err() != nil {
			break
		}
		var err error
		switch p {
		case "idle":
			err = phaseIdle(ctx, cfg, stdout)
		case "load":
			err = phaseLoad(ctx, cfg, stdout)
		case "rates":
			err = phaseRates(ctx, cfg, stdout)
		case "sizes":
			err = phaseSizes(ctx, cfg, stdout)
		case "mosquitto":
			err = phaseMosquitto(ctx, cfg, stdout)
		}
		if err != nil {
			fmt.Fprintf(stdout, "FAIL %s: %v\n", p, err)
			failed = true
		}
	}
	if failed {
		return 1
	}
	return 0
}
