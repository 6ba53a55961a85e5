package fleet

import (
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// TestBuiltinPromises checks what the built-in scenarios promise: the
// demo is a small building with statuses and one device whose will can be
// watched; load is 100,000 devices every 10 s with small payloads.
func TestBuiltinPromises(t *testing.T) {
	t.Parallel()
	demo, err := scenario.Builtin("demo")
	if err != nil {
		t.Fatal(err)
	}
	if n := demo.Devices(); n < 15 || n > 25 {
		t.Errorf("demo has %d devices, want about 20", n)
	}
	var churners []string
	for _, f := range demo.Fleets {
		if f.Status == nil || !f.Status.Retain {
			t.Errorf("demo fleet %s has no retained status", f.Name)
		}
		if f.Churn == nil {
			continue
		}
		for i := range f.Count {
			if f.Churn.Selects(f, i) {
				churners = append(churners, NewDevice(f, i).ClientID())
			}
		}
		if f.Churn.Mode != scenario.ChurnDrop {
			t.Errorf("demo churn mode %s: the will fires only on a drop", f.Churn.Mode)
		}
	}
	if len(churners) != 1 {
		t.Errorf("demo churners %v, want one", churners)
	}

	load, err := scenario.Builtin("load")
	if err != nil {
		t.Fatal(err)
	}
	f := load.Fleets[0]
	if load.Devices() != 100_000 || f.Interval != 10*time.Second {
		t.Errorf("load: %d devices every %v", load.Devices(), f.Interval)
	}
	d := NewDevice(f, 99_999)
	d.Start(t0)
	es := drive(t, d, t0.Add(time.Minute), 100)
	if len(es) < 2 || len(es[1].payload) > 32 || es[1].topic != "load/100000" {
		t.Errorf("load device 100000: %v", es)
	}
}
