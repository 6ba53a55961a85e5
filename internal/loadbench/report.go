//go:build linux

package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// brokers are the two sides of every comparison, in the order they run.
var brokers = [2]string{"ours", "mosquitto"}

// results holds every run: by scenario key, then broker, one per round.
type results map[string]map[string][]result

func (rs results) add(scenario, broker string, r result) {
	if rs[scenario] == nil {
		rs[scenario] = make(map[string][]result)
	}
	rs[scenario][broker] = append(rs[scenario][broker], r)
}

// median of f over the rounds of one scenario and broker; ok is false
// without runs.
func (rs results) median(scenario, broker string, f func(result) float64) (float64, bool) {
	runs := rs[scenario][broker]
	if len(runs) == 0 {
		return 0, false
	}
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2, true
	}
	return v[len(v)/2], true
}

// sum of f over the rounds.
func (rs results) sum(scenario, broker string, f func(result) float64) (float64, bool) {
	runs := rs[scenario][broker]
	var s float64
	for _, r := range runs {
		s += f(r)
	}
	return s, len(runs) > 0
}

// figure is one row of the table.
type figure struct {
	scenario string // key of the scenario it belongs to
	label    string
	value    func(result) float64
	format   func(float64) string
	sum      bool // total over the rounds instead of the median
	// oursOnly marks a figure mosquitto has no counterpart of.
	oursOnly bool
	ratio    bool // show ours / mosquitto
	target   string
	// met judges ours (and mosquitto) against the target; nil for no target.
	met func(ours, mosq float64) bool
}

// figures are the rows of one scenario's block.
func figures(cfg *config, key string) []figure {
	perCPU := figure{label: "  delivered per broker CPU-second", value: func(r result) float64 {
		if r.brokerCPU <= 0 {
			return 0
		}
		return float64(r.delivered) / r.brokerCPU.Seconds()
	}, format: count, ratio: true}
	brokerCores := figure{label: "  broker CPU (cores busy)", value: func(r result) float64 { return cores(r.brokerCPU, r.wall) }, format: fixed2}
	genCores := figure{label: "  load generator CPU (cores busy)", value: func(r result) float64 { return cores(r.genCPU, r.wall) }, format: fixed2}
	drops := figure{label: "  dropped (deliveries due − delivered)", value: func(r result) float64 { return float64(r.lost) }, format: count}
	dropPct := figure{label: "  dropped, % of deliveries due", value: func(r result) float64 { return pct(r.lost, r.expected) }, format: percent}
	atLeast := func(x float64) func(o, m float64) bool {
		return func(o, m float64) bool { return m > 0 && o/m >= x }
	}
	rate := func(label string, x float64) figure {
		return figure{label: label, value: result.rate, format: count, ratio: true,
			target: "≥ " + strconv.FormatFloat(x, 'f', -1, 64) + "×", met: atLeast(x)}
	}
	lostDup := []figure{
		{label: "  lost, all rounds", value: func(r result) float64 { return float64(r.lost) }, format: count, sum: true,
			target: "0", met: func(o, _ float64) bool { return o == 0 }},
		{label: "  duplicates, all rounds", value: func(r result) float64 { return float64(r.dups) }, format: count, sum: true},
	}
	switch key {
	case "fanin":
		return []figure{rate(fmt.Sprintf("fan-in %d→1 QoS 0 (bench/+/data), delivered msg/s", cfg.faninPubs), 1.5),
			drops, dropPct, perCPU, brokerCores, genCores}
	case "fanout":
		return []figure{rate(fmt.Sprintf("fan-out 1→%d QoS 0, delivered msg/s (all subscribers)", cfg.fanoutSubs), 1.5),
			drops, dropPct, perCPU, brokerCores, genCores}
	case "qos1":
		return append([]figure{rate(fmt.Sprintf("QoS 1, %d pairs (window %d), delivered msg/s", cfg.pairs, cfg.window), 1)},
			append(lostDup, perCPU, brokerCores, genCores)...)
	case "latency":
		return append([]figure{
			{label: fmt.Sprintf("latency p50, fan-in %d→1 QoS 0 at %s msg/s", cfg.faninPubs, count(cfg.latencyRate)),
				value: func(r result) float64 { return float64(r.p50) }, format: duration, ratio: true},
			{label: "latency p99", value: func(r result) float64 { return float64(r.p99) }, format: duration, ratio: true},
		}, append(lostDup, brokerCores, genCores)...)
	case "idle":
		return []figure{
			{label: fmt.Sprintf("%s idle connections: broker RSS per connection", count(float64(cfg.idleConns))),
				value: func(r result) float64 { return r.rssPerConn }, format: kb, ratio: true,
				target: "≤ 8 KB", met: func(o, _ float64) bool { return o <= 8<<10 }},
			{label: "  Go heap + stacks per connection, after GC", value: func(r result) float64 { return r.heapPerConn + r.stackPerConn }, format: kb, oursOnly: true},
		}
	}
	return nil
}

// writeTable prints one block of rows per scenario that ran.
func writeTable(w io.Writer, cfg *config, rs results) error {
	// Numbers align right; labels are padded here so that they align left.
	var rows []figure
	width := len("figure")
	for _, sc := range allScenarios {
		if rs[sc.key] == nil {
			continue
		}
		for _, f := range figures(cfg, sc.key) {
			f.scenario = sc.key
			rows = append(rows, f)
			width = max(width, utf8.RuneCountInString(f.label))
		}
	}
	pad := func(s string) string { return s + strings.Repeat(" ", width-utf8.RuneCountInString(s)) }
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintf(tw, "%s\tours\tmosquitto\tratio\ttarget\tmet?\t\n", pad("figure"))
	for _, f := range rows {
		{
			get := rs.median
			if f.sum {
				get = rs.sum
			}
			o, okO := get(f.scenario, "ours", f.value)
			m, okM := get(f.scenario, "mosquitto", f.value)
			okM = okM && !f.oursOnly
			cell := func(v float64, ok bool) string {
				if !ok {
					return "—"
				}
				return f.format(v)
			}
			ratio, met := "", ""
			if f.ratio && okO && okM && m != 0 {
				ratio = times(o / m)
			}
			if f.met != nil && okO {
				met = "no"
				if f.met(o, m) {
					met = "yes"
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", pad(f.label), cell(o, okO), cell(m, okM), ratio, f.target, met)
		}
	}
	return tw.Flush()
}

// runLine is the one-line summary of a run, printed as the benchmark goes.
func runLine(key string, r result) string {
	var b strings.Builder
	switch key {
	case "idle":
		fmt.Fprintf(&b, "%d connections, RSS %s/conn", r.conns, kb(r.rssPerConn))
		if r.heapPerConn != 0 {
			fmt.Fprintf(&b, ", Go live heap %s + stacks %s /conn", kb(r.heapPerConn), kb(r.stackPerConn))
		}
		return b.String()
	case "latency":
		fmt.Fprintf(&b, "p50 %s p99 %s, ", duration(float64(r.p50)), duration(float64(r.p99)))
	}
	fmt.Fprintf(&b, "delivered %s msg/s (%s of %s due in %v), lost %s, dup %s",
		count(r.rate()), count(float64(r.delivered)), count(float64(r.expected)), r.elapsed.Round(time.Millisecond),
		count(float64(r.lost)), count(float64(r.dups)))
	if r.foreign > 0 {
		fmt.Fprintf(&b, ", MISROUTED %s", count(float64(r.foreign)))
	}
	fmt.Fprintf(&b, "; CPU broker %s gen %s cores", fixed2(cores(r.brokerCPU, r.wall)), fixed2(cores(r.genCPU, r.wall)))
	if o := r.ours; o != nil {
		fmt.Fprintf(&b, "; broker counted recv %s sent %s dropped %s, %s heap allocations per message delivered",
			count(float64(o.Received)), count(float64(o.Sent)), count(float64(o.Dropped)),
			strconv.FormatFloat(float64(o.Mallocs)/float64(max(r.delivered, 1)), 'f', 2, 64))
	}
	return b.String()
}

func cores(cpu, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return cpu.Seconds() / wall.Seconds()
}

func pct(part, whole uint64) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

// count formats a number with thousands separators: 1,234,567.
func count(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// times formats a ratio: two decimals, or two significant digits below 0.1.
func times(r float64) string {
	if r < 0.1 {
		return strconv.FormatFloat(r, 'g', 2, 64) + "×"
	}
	return strconv.FormatFloat(r, 'f', 2, 64) + "×"
}

func fixed2(v float64) string  { return strconv.FormatFloat(v, 'f', 2, 64) }
func percent(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + "%" }
func kb(v float64) string      { return strconv.FormatFloat(v/1024, 'f', 2, 64) + " KB" }

// duration formats nanoseconds in µs below 1 ms, else in ms.
func duration(ns float64) string {
	switch {
	case ns < 1e6:
		return strconv.FormatFloat(ns/1e3, 'f', 0, 64) + " µs"
	case ns < 10e6:
		return strconv.FormatFloat(ns/1e6, 'f', 2, 64) + " ms"
	}
	return strconv.FormatFloat(ns/1e6, 'f', 1, 64) + " ms"
}
