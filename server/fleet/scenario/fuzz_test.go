package scenario

import (
	"errors"
	"testing"
)

// FuzzLoad checks that no input makes Load panic, and that every failure
// is an Errors list whose entries name the file.
func FuzzLoad(f *testing.F) {
	for _, name := range BuiltinNames() {
		if name == "load" {
			continue // 100,000 client ids to check make each run slow
		}
		src, _ := BuiltinSource(name)
		f.Add(src)
	}
	f.Add([]byte("name: t\nfleets:\n  - name: f\n    topic: a/{index}\n    fields: {a.b: 1, a: {c: {model: sine, period: 1h}}}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("name: t\nx: &x {<<: *x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load("f.yaml", data)
		if err == nil {
			if s == nil || len(s.Fleets) == 0 || s.Devices() < 1 {
				t.Fatalf("Load accepted a scenario without devices: %+v", s)
			}
			return
		}
		var errs Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("Load failed without Errors: %v", err)
		}
		for _, e := range errs {
			if e.File != "f.yaml" || e.Msg == "" {
				t.Fatalf("error without file or message: %#v", e)
			}
		}
	})
}
