package scenario

import "testing"

func TestBuiltinsLoad(t *testing.T) {
	t.Parallel()
	names := BuiltinNames()
	want := []string{"demo", "factory", "load", "smart-home", "vehicles"}
	if len(names) != len(want) {
		t.Fatalf("BuiltinNames() = %v, want %v", names, want)
	}
	for i, n := range want {
		if names[i] != n {
			t.Fatalf("BuiltinNames() = %v, want %v", names, want)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, err := Builtin(name)
			if err != nil {
				t.Fatalf("Builtin(%q):\n%v", name, err)
			}
			if s.Name != name || !s.Seeded || len(s.Fleets) == 0 {
				t.Errorf("Builtin(%q) = name %q, seeded %v, %d fleets", name, s.Name, s.Seeded, len(s.Fleets))
			}
		})
	}
}
