package fleet

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: runners,
// their connections and their job goroutines must all end.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
