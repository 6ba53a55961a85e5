package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/mqttlab/mqttlab/server/broker"
	"github.com/mqttlab/mqttlab/server/fleet"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// noScenario is the -scenario value that runs no fleet.
const noScenario = "none"

// loadScenario reads a scenario given on the command line: a built-in
// name (unless a file of that name exists) or a YAML file. A bad file is
// one line naming its first problem's file and line.
func loadScenario(arg string) (*scenario.Scenario, []byte, error) {
	names := scenario.BuiltinNames()
	if slices.Contains(names, arg) {
		if _, err := os.Stat(arg); err != nil {
			src, err := scenario.BuiltinSource(arg)
			if err != nil {
				return nil, nil, err
			}
			s, err := scenario.Load(arg+".yaml", src)
			return s, src, oneLine(err)
		}
	}
	src, err := os.ReadFile(arg)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(arg, `/\.`) {
			return nil, nil, fmt.Errorf("scenario %q: no such file, nor a built-in scenario (built-in: %s)", arg, strings.Join(names, ", "))
		}
		return nil, nil, fmt.Errorf("scenario: %w", err)
	}
	s, err := scenario.Load(arg, src)
	if err != nil {
		return nil, nil, oneLine(err)
	}
	return s, src, nil
}

// oneLine shortens the problems of a scenario to the first, for a command
// line.
func oneLine(err error) error {
	var errs scenario.Errors
	if errors.As(err, &errs) && len(errs) > 1 {
		return fmt.Errorf("%v (and %d more problems)", errs[0], len(errs)-1)
	}
	return err
}

// newFleet makes the lab's fleet runner, with its devices in-process
// against b, and starts the scenario of -scenario unless it is "none".
// The runner exists either way, so that the fleet page can load one.
func newFleet(b *broker.Broker, cfg *config) (*fleet.Runner, error) {
	var s *scenario.Scenario
	var src []byte
	if cfg.scenario != noScenario {
		var err error
		if s, src, err = loadScenario(cfg.scenario); err != nil {
			return nil, fmt.Errorf("-scenario: %w", err)
		}
	}
	r, err := fleet.NewRunner(fleet.Options{Broker: b})
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	if s != nil {
		if err = errors.Join(r.SetScenario(s, src), r.Start()); err != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			r.Close(ctx)
			return nil, fmt.Errorf("fleet: %w", err)
		}
	}
	return r, nil
}

// closeFleet stops the fleet's devices cleanly (goodbye, DISCONNECT) and
// its scheduler: before the broker shuts down, so that no will fires.
func closeFleet(r *fleet.Runner) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.Close(ctx)
}
