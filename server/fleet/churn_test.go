package fleet

import (
	"testing"
	"time"
)

func TestScheduledChurn(t *testing.T) {
	t.Parallel()
	f := oneFleet(t, "    interval: 5s\n    churn: {after: 1m, every: 2m, offline: 30s, mode: drop, devices: [2]}\n", "      n: 1\n")
	steady, flaky := NewDevice(f, 0), NewDevice(f, 1)
	steady.Start(t0)
	flaky.Start(t0)
	for _, e := range drive(t, steady, t0.Add(10*time.Minute), 1000)[1:] {
		if e.act != ActionPublish {
			t.Fatalf("device 1 is not in devices [2] but did %v", e)
		}
	}
	var leaves, returns []time.Time
	for _, e := range drive(t, flaky, t0.Add(10*time.Minute), 1000) {
		switch e.act {
		case ActionDrop:
			leaves = append(leaves, e.at)
		case ActionConnect:
			returns = append(returns, e.at)
		case ActionDisconnect:
			t.Fatalf("mode drop disconnected cleanly at %v", e.at)
		}
	}
	want := []time.Duration{1 * time.Minute, 3 * time.Minute, 5 * time.Minute, 7 * time.Minute, 9 * time.Minute}
	if len(leaves) != len(want) || len(returns) != len(want)+1 {
		t.Fatalf("left at %v, connected at %v", leaves, returns)
	}
	for i, w := range want {
		if !leaves[i].Equal(t0.Add(w)) || !returns[i+1].Equal(t0.Add(w+30*time.Second)) {
			t.Errorf("churn %d: left %v, back %v; want %v and 30s later", i, leaves[i].Sub(t0), returns[i+1].Sub(t0), w)
		}
	}
}

func TestRandomChurn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, churn string
		wantPerHour float64
	}{
		{"rate", "{rate: 6/h, offline: [10s, 20s], mode: mixed}", 6},
		{"probability", "{probability: 0.01, offline: 15s}", 3600 / 10 * 0.01},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := oneFleet(t, "    interval: 10s\n    churn: "+tc.churn+"\n", "      n: 1\n")
			d := NewDevice(f, 0)
			d.Start(t0)
			const hours = 200
			var drops, disconnects int
			var away time.Duration
			var left time.Time
			for _, e := range drive(t, d, t0.Add(hours*time.Hour), 200_000) {
				switch e.act {
				case ActionDrop, ActionDisconnect:
					if e.act == ActionDrop {
						drops++
					} else {
						disconnects++
					}
					left = e.at
				case ActionConnect:
					if !left.IsZero() {
						away += e.at.Sub(left)
					}
				}
			}
			n := drops + disconnects
			if got := float64(n) / hours; got < tc.wantPerHour*0.85 || got > tc.wantPerHour*1.15 {
				t.Errorf("%.2f churns per hour, want about %g", got, tc.wantPerHour)
			}
			if mean := away / time.Duration(n); mean < 10*time.Second || mean > 20*time.Second {
				t.Errorf("mean time away %v", mean)
			}
			if tc.name == "rate" && (drops < n/3 || disconnects < n/3) {
				t.Errorf("mixed mode: %d drops, %d disconnects", drops, disconnects)
			}
		})
	}
}

func TestChurnFraction(t *testing.T) {
	t.Parallel()
	s := load(t, "name: t\nseed: 3\nfleets:\n  - name: f\n    count: 2000\n    topic: t/{index}\n    churn: {rate: 1/h, fraction: 0.25}\n    fields: {n: 1}\n")
	f := s.Fleets[0]
	n := 0
	for i := range f.Count {
		if f.Churn.Selects(f, i) {
			n++
		}
	}
	if n < 400 || n > 600 {
		t.Errorf("fraction 0.25 of 2000 devices selected %d", n)
	}
}
