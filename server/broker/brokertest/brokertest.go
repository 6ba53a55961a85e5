// Package brokertest serves mqttlab's broker for the tests of the packages
// built on it, as net/http/httptest serves handlers.
package brokertest

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/server/broker"
)

// Start serves a broker made with o on 127.0.0.1 and a free TCP port, and
// shuts it down when the test ends (after the cleanups registered later,
// such as the clients' ones). It returns the broker and its host:port.
func Start(tb testing.TB, o broker.Options) (*broker.Broker, string) {
	tb.Helper()
	b, err := broker.New(o)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Listen(ln)
	}()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := b.Shutdown(ctx); err != nil {
			tb.Errorf("broker shutdown: %v", err)
		}
		ln.Close()
		<-done
	})
	return b, ln.Addr().String()
}
