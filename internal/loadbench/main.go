//go:build linux

// Command loadbench measures mqttlab's broker against Debian's mosquitto
// under the same load in the same run: fan-in, fan-out, QoS 1 pairs, a
// light run for latency, and thousands of idle connections. Both brokers
// run as processes of their own, started and stopped by the benchmark,
// one after the other (ours, mosquitto, ours, mosquitto, ...) for a
// number of rounds; the table reports medians.
//
//	go run ./internal/loadbench [flags]
//
// The load generator speaks MQTT through the protocol package directly
// (see client.go) and shares the machine with the broker it measures, so
// its own CPU is reported beside the broker's.
//
// It reads /proc and starts its brokers with Linux process attributes:
// it builds on Linux only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == childCommand {
		os.Exit(runChild(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is what the flags say.
type config struct {
	rounds          int
	duration        time.Duration
	drain           time.Duration
	scenarios       []string
	brokers         []string
	payload         int
	batch           int
	faninPubs       int
	fanoutSubs      int
	pairs           int
	window          int
	latencyRate     float64
	latencyDuration time.Duration
	idleConns       int
	idleSettle      time.Duration
	workers         int
	srcAddrs        int
	limits          limits
	mosquitto       string
	cpuprofile      string
	memprofile      string
	pubSndBuf       int
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./internal/loadbench [flags]\n\n"+
			"Runs the same MQTT load against our broker and mosquitto, alternately, and prints a table.\n\n")
		fs.PrintDefaults()
	}
	fs.IntVar(&cfg.rounds, "rounds", 5, "rounds; each runs every scenario against each broker; the table shows medians")
	fs.DurationVar(&cfg.duration, "duration", 3*time.Second, "publishing time of the fan-in, fan-out and QoS 1 runs")
	fs.DurationVar(&cfg.drain, "drain", 500*time.Millisecond, "after publishing, wait until every message arrived or none arrived for this long")
	scen := fs.String("scenarios", "fanin,fanout,qos1,latency,idle", "scenarios to run, comma-separated")
	brk := fs.String("brokers", "ours,mosquitto", "brokers to run, comma-separated")
	fs.IntVar(&cfg.payload, "payload", 64, "payload size in bytes (at least 20: sequence number, timestamp, publisher)")
	fs.IntVar(&cfg.batch, "batch", 64, "messages per write of a QoS 0 publisher")
	fs.IntVar(&cfg.faninPubs, "fanin-pubs", 10, "publishers of the fan-in and latency runs")
	fs.IntVar(&cfg.fanoutSubs, "fanout-subs", 50, "subscribers of the fan-out run")
	fs.IntVar(&cfg.pairs, "pairs", 50, "publisher/subscriber pairs of the QoS 1 run")
	fs.IntVar(&cfg.window, "window", 16, "QoS 1 messages each publisher keeps in flight")
	fs.Float64Var(&cfg.latencyRate, "latency-rate", 2000, "messages per second, all publishers together, of the latency run")
	fs.DurationVar(&cfg.latencyDuration, "latency-duration", 3*time.Second, "publishing time of the latency run")
	fs.IntVar(&cfg.idleConns, "idle-conns", 5000, "connections of the idle run")
	fs.DurationVar(&cfg.idleSettle, "idle-settle", time.Second, "idle time before the broker's memory is read")
	fs.IntVar(&cfg.workers, "workers", 8, "connections opened in parallel in the idle run")
	fs.IntVar(&cfg.srcAddrs, "src-addrs", 1, "spread connections over source addresses 127.0.0.1 to 127.0.0.N")
	fs.IntVar(&cfg.limits.outBuffer, "max-out-buffer", 1<<20, "our broker's -max-out-buffer: bytes waiting per connection before QoS 0 is dropped")
	fs.IntVar(&cfg.limits.queued, "max-queued", 0, "mosquitto's max_queued_messages (QoS 0 packets waiting per client; QoS 1 queue) and our -max-queued; 0: as many packets as -max-out-buffer holds")
	fs.IntVar(&cfg.limits.inflight, "max-inflight", 100, "QoS 1 messages in flight towards a subscriber, both brokers")
	fs.StringVar(&cfg.mosquitto, "mosquitto", "/usr/sbin/mosquitto", "mosquitto binary")
	fs.StringVar(&cfg.cpuprofile, "cpuprofile", "", "directory for CPU profiles of our broker, one per run: ours-SCENARIO-rROUND.pprof")
	fs.StringVar(&cfg.memprofile, "memprofile", "", "directory for heap profiles of our broker, one per run, taken at its end (idle: while the connections sit idle): ours-SCENARIO-rROUND.heap.pprof")
	fs.IntVar(&cfg.pubSndBuf, "pub-sndbuf", 64<<10, "publishers' socket send buffer: bounds the backlog a QoS 0 publisher parks in the kernel, and so the wait for it after publishing (0: the kernel's autotuning, up to tcp_wmem)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	}
	cfg.scenarios = splitList(*scen)
	cfg.brokers = splitList(*brk)
	var errs []error
	for _, s := range cfg.scenarios {
		if !slices.ContainsFunc(allScenarios, func(sc scenario) bool { return sc.key == s }) {
			errs = append(errs, fmt.Errorf("-scenarios: unknown scenario %q (known: fanin, fanout, qos1, latency, idle)", s))
		}
	}
	for _, b := range cfg.brokers {
		if !slices.Contains(brokers[:], b) {
			errs = append(errs, fmt.Errorf("-brokers: unknown broker %q (known: ours, mosquitto)", b))
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"-rounds", cfg.rounds}, {"-batch", cfg.batch}, {"-fanin-pubs", cfg.faninPubs}, {"-fanout-subs", cfg.fanoutSubs},
		{"-pairs", cfg.pairs}, {"-idle-conns", cfg.idleConns}, {"-workers", cfg.workers}, {"-src-addrs", cfg.srcAddrs},
		{"-max-inflight", cfg.limits.inflight}} {
		if f.v < 1 {
			errs = append(errs, fmt.Errorf("%s %d: must be at least 1", f.name, f.v))
		}
	}
	if cfg.window < 1 || cfg.window > 65535 {
		errs = append(errs, fmt.Errorf("-window %d: must be 1 to 65535", cfg.window))
	}
	if cfg.srcAddrs > 254 {
		errs = append(errs, fmt.Errorf("-src-addrs %d: at most 254", cfg.srcAddrs))
	}
	if cfg.payload < minPayload {
		errs = append(errs, fmt.Errorf("-payload %d: at least %d bytes, for the sequence number, timestamp and publisher", cfg.payload, minPayload))
	}
	if cfg.duration <= 0 || cfg.latencyDuration <= 0 || cfg.drain <= 0 {
		errs = append(errs, errors.New("-duration, -latency-duration and -drain must be positive"))
	}
	if cfg.latencyRate <= 0 {
		errs = append(errs, fmt.Errorf("-latency-rate %v: must be positive", cfg.latencyRate))
	}
	if cfg.limits.outBuffer < 1024 {
		errs = append(errs, fmt.Errorf("-max-out-buffer %d: at least 1024", cfg.limits.outBuffer))
	}
	if cfg.limits.queued < 0 {
		errs = append(errs, fmt.Errorf("-max-queued %d: must not be negative", cfg.limits.queued))
	}
	if cfg.limits.queued == 0 {
		cfg.limits.queued = max(1, cfg.limits.outBuffer/publishSize(cfg))
	}
	return cfg, errors.Join(errs...)
}

// publishSize is the size of the PUBLISH packets of the QoS 0 runs.
func publishSize(cfg *config) int {
	t, err := newTemplate("bench/0/data", protocol.QoS0, max(cfg.payload, minPayload))
	if err != nil {
		return 1
	}
	return len(t.pkt)
}

func splitList(s string) []string {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadbench:", err)
		return 2
	}
	if err := bench(ctx, cfg, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "loadbench:", err)
		return 1
	}
	return 0
}

// bench runs every round and prints the table.
func bench(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	if err := raiseFileLimit(cfg.idleConns + 1000); err != nil {
		return err
	}
	if slices.Contains(cfg.brokers, "mosquitto") {
		if _, err := exec.LookPath(cfg.mosquitto); err != nil {
			return fmt.Errorf("mosquitto not found at %s (apt-get install mosquitto, or -mosquitto PATH): %w", cfg.mosquitto, err)
		}
	}
	for flagName, dir := range map[string]string{"-cpuprofile": cfg.cpuprofile, "-memprofile": cfg.memprofile} {
		if dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("%s: %w", flagName, err)
			}
		}
	}
	writeHeader(stdout, cfg)
	rs := make(results)
	for round := 1; round <= cfg.rounds; round++ {
		for _, sc := range allScenarios {
			if !slices.Contains(cfg.scenarios, sc.key) {
				continue
			}
			for _, name := range brokers {
				if !slices.Contains(cfg.brokers, name) {
					continue
				}
				r, err := runOne(ctx, cfg, sc, name, round)
				if err != nil {
					return fmt.Errorf("%s against %s, round %d: %w", sc.title, name, round, err)
				}
				rs.add(sc.key, name, r)
				fmt.Fprintf(stderr, "round %d/%d  %-8s %-9s  %s\n", round, cfg.rounds, sc.key, name, runLine(sc.key, r))
			}
		}
	}
	fmt.Fprintf(stdout, "\nMedians of %d rounds (lost and duplicates: totals over the rounds).\n\n", cfg.rounds)
	if err := writeTable(stdout, cfg, rs); err != nil {
		return err
	}
	fmt.Fprint(stdout, tableNotes)
	return nil
}

// tableNotes say how to read the table.
const tableNotes = `
ratio: ours / mosquitto (for latency and memory, lower is better).
delivered: unique messages the subscribers received, counted by sequence number, per second from
  the first publish to the last delivery. dropped: deliveries due (messages published × matching
  subscribers) − delivered; at QoS 0 a broker drops for a slow subscriber beyond its limits.
CPU: utime+stime from /proc/PID/stat over the run; cores busy = CPU time / wall time. The load
  generator shares the machine with the broker it measures (and with anything else running).
idle: VmRSS of the broker after the connections sat idle, minus before, per connection; Go heap
  (live, after a collection) and goroutine stacks from the broker process's runtime.
`

// runOne starts a fresh broker, runs one scenario against it and stops it.
func runOne(ctx context.Context, cfg *config, sc scenario, name string, round int) (result, error) {
	var p *brokerProc
	var err error
	switch name {
	case "ours":
		prof := ""
		if cfg.cpuprofile != "" {
			prof = filepath.Join(cfg.cpuprofile, fmt.Sprintf("ours-%s-r%d.pprof", sc.key, round))
		}
		p, err = startOurs(cfg.limits, prof)
	default:
		p, err = startMosquitto(cfg.mosquitto, cfg.limits)
	}
	if err != nil {
		return result{}, err
	}
	t := target{addr: p.addr, proc: p}
	if name == "ours" {
		t.stats = p.goStats
	}
	if cfg.memprofile != "" && name == "ours" {
		t.heapProfile = filepath.Join(cfg.memprofile, fmt.Sprintf("ours-%s-r%d.heap.pprof", sc.key, round))
	}
	r, err := sc.run(ctx, cfg, t)
	if serr := p.stop(); err == nil {
		err = serr
	}
	return r, err
}

// writeHeader says what runs, where, with which limits.
func writeHeader(w io.Writer, cfg *config) {
	fmt.Fprintf(w, "mqttlab load benchmark: our broker against mosquitto, same load, alternating, %d rounds\n", cfg.rounds)
	fmt.Fprintf(w, "machine: %d CPUs, %s; load generator: this process, MQTT 3.1.1 over TCP on 127.0.0.1\n",
		runtime.NumCPU(), runtime.Version())
	if out, err := exec.Command(cfg.mosquitto, "-h").Output(); err == nil || len(out) > 0 {
		if line, _, _ := strings.Cut(string(out), "\n"); line != "" {
			fmt.Fprintf(w, "mosquitto: %s (%s)\n", line, cfg.mosquitto)
		}
	}
	ps := publishSize(cfg)
	fmt.Fprintf(w, "limits: ours -max-out-buffer %d B (%s QoS 0 PUBLISH of %d B) -max-queued %d -max-inflight %d;\n"+
		"        mosquitto max_queued_messages %d (QoS 0 packets waiting per client, and QoS 1 queue) max_queued_bytes 0 max_inflight_messages %d\n",
		cfg.limits.outBuffer, count(float64(cfg.limits.outBuffer/ps)), ps, cfg.limits.queued, cfg.limits.inflight,
		cfg.limits.queued, cfg.limits.inflight)
	fmt.Fprintf(w, "runs: %v publishing (latency %v at %s msg/s), payload %d B, QoS 0 publishers write %d messages per write\n"+
		"      into a %s socket send buffer, QoS 1 window %d; a fresh broker process for every run\n",
		cfg.duration, cfg.latencyDuration, count(cfg.latencyRate), cfg.payload, cfg.batch, kernelOr(cfg.pubSndBuf), cfg.window)
}

func kernelOr(bytes int) string {
	if bytes <= 0 {
		return "kernel-sized"
	}
	return count(float64(bytes)) + " B"
}

// raiseFileLimit raises this process's open file limit (inherited by the
// brokers it starts) to at least need, up to the hard limit.
func raiseFileLimit(need int) error {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return fmt.Errorf("reading the open file limit: %w", err)
	}
	if rl.Cur >= uint64(need) {
		return nil
	}
	if rl.Max < uint64(need) {
		return fmt.Errorf("the idle run needs %d open files but the hard limit is %d: raise it (ulimit -Hn) or lower -idle-conns", need, rl.Max)
	}
	rl.Cur = rl.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return fmt.Errorf("raising the open file limit to %d: %w", rl.Max, err)
	}
	return nil
}
