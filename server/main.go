// Command mqttlab is the lab: a web app to learn, see and test MQTT, the
// MQTT broker it talks to (over WebSocket at /mqtt and over TCP), and
// fleets of virtual devices.
//
//	mqttlab [flags]                 serve the lab (see -h)
//	mqttlab passwd [flags] USER     write a users-file line
//	mqttlab fleet -broker URL SCENARIO   run a fleet against any broker (see -h)
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/mqttlab/mqttlab/server/auth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			args = args[1:]
		case "version":
			fmt.Fprintln(stdout, "mqttlab", version())
			return 0
		case "passwd":
			return auth.Passwd(args[1:], stdin, stdout, stderr)
		case "fleet":
			return fleetCommand(ctx, args[1:], stdout, stderr)
		}
	}
	cfg, err := parseServeFlags(args, stderr)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "mqttlab:", err)
		return 2
	}
	if err := serve(ctx, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, "mqttlab:", err)
		return 1
	}
	return 0
}
