//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/mqttlab/mqttlab/server/broker"
)

// childCommand is the first argument that makes this program run our
// broker instead of the benchmark. The benchmark starts itself this way,
// so that our broker is a process of its own like mosquitto, measured
// from /proc the same way, and so that it can report Go runtime figures
// and write a CPU profile.
//
// The child prints "listening ADDR" on stdout, then answers each line of
// stdin ("stats"; "gc" to collect garbage first; "heap FILE" to write a
// heap profile) with one JSON line of childStats. When stdin closes it
// shuts the broker down and exits.
const childCommand = "broker"

// childStats are the figures our broker process reports.
type childStats struct {
	HeapAlloc  uint64 // bytes of live heap objects (after a collection when asked for "gc")
	HeapInuse  uint64
	StackInuse uint64
	Sys        uint64
	Mallocs    uint64 // heap objects allocated so far
	Goroutines int

	Clients  int
	Received uint64 // PUBLISH packets the broker received
	Sent     uint64 // PUBLISH packets it sent
	Dropped  uint64 // messages it did not deliver to a subscriber
}

func runChild(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadbench broker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the broker's life to this file")
	o := broker.Options{SysInterval: -1, MaxConnections: 1 << 20}
	fs.IntVar(&o.MaxOutBuffer, "max-out-buffer", 0, "bytes waiting to be written per connection (0: default)")
	fs.IntVar(&o.MaxQueued, "max-queued", 0, "QoS 1/2 messages queued per session (0: default)")
	fs.IntVar(&o.MaxInflight, "max-inflight", 0, "QoS 1/2 messages in flight per client (0: default)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := serveChild(*listen, *cpuprofile, o, stdin, stdout); err != nil {
		fmt.Fprintln(stderr, "loadbench broker:", err)
		return 1
	}
	return 0
}

func serveChild(listen, cpuprofile string, o broker.Options, stdin io.Reader, stdout io.Writer) error {
	b, err := broker.New(o)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	served := make(chan error, 1)
	go func() { served <- b.Listen(l) }()
	fmt.Fprintf(stdout, "listening %s\n", l.Addr())

	sc := bufio.NewScanner(stdin)
	enc := json.NewEncoder(stdout)
	for sc.Scan() {
		cmd, arg, _ := strings.Cut(sc.Text(), " ")
		switch cmd {
		case "heap":
			err = writeHeapProfile(arg)
			if err == nil {
				err = enc.Encode(childStats{})
			}
		case "gc", "stats":
			err = enc.Encode(statsOf(b, cmd == "gc"))
		default:
			err = fmt.Errorf("unknown control command %q", cmd)
		}
		if err != nil {
			break
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := b.Shutdown(ctx); serr != nil && err == nil {
		err = fmt.Errorf("shutting down: %w", serr)
	}
	if lerr := <-served; lerr != nil && err == nil {
		err = lerr
	}
	return err
}

// statsOf reads the figures of a broker and of the process it runs in;
// gc collects garbage first.
func statsOf(b *broker.Broker, gc bool) childStats {
	if gc {
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	bs := b.Stats()
	return childStats{HeapAlloc: ms.HeapAlloc, HeapInuse: ms.HeapInuse, StackInuse: ms.StackInuse,
		Sys: ms.Sys, Mallocs: ms.Mallocs, Goroutines: runtime.NumGoroutine(), Clients: bs.ClientsConnected,
		Received: bs.MessagesReceived, Sent: bs.MessagesSent, Dropped: bs.MessagesDropped}
}

// writeHeapProfile writes the live heap, after a collection, to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
