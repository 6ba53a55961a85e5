package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/auth"
	"github.com/mqttlab/mqttlab/server/broker"
	"github.com/mqttlab/mqttlab/server/fleet"
	"github.com/mqttlab/mqttlab/server/webapp"
)

// serve runs the lab until ctx is cancelled, then stops gracefully.
func serve(ctx context.Context, cfg *config, stdout io.Writer) error {
	if err := configureAuth(cfg); err != nil {
		return err
	}
	b, err := broker.New(cfg.broker)
	if err != nil {
		return fmt.Errorf("broker: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b.Shutdown(sctx)
	}()
	fr, err := newFleet(b, cfg)
	if err != nil {
		return err
	}
	defer closeFleet(fr) // before the broker's shutdown: defers run last first

	httpLn, err := listen(cfg.httpAddr, "the web app", "-http")
	if err != nil {
		return err
	}
	var mqttLn net.Listener
	if cfg.mqttAddr != "" {
		if mqttLn, err = listen(cfg.mqttAddr, "MQTT", "-mqtt"); err != nil {
			httpLn.Close()
			return err
		}
	}

	mux, err := newMux(b, fr, cfg)
	if err != nil {
		httpLn.Close()
		if mqttLn != nil {
			mqttLn.Close()
		}
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(httpLn) }()
	if mqttLn != nil {
		go func() { errc <- b.Listen(mqttLn) }()
	}

	web := "http://" + httpLn.Addr().String()
	fmt.Fprintf(stdout, "mqttlab %s\n  web app              %s/\n  MQTT over WebSocket  ws://%s/mqtt\n", version(), web, httpLn.Addr())
	if mqttLn != nil {
		fmt.Fprintf(stdout, "  MQTT over TCP        tcp://%s\n", mqttLn.Addr())
	}
	if st := fr.Stats(); st.Scenario != "" {
		fmt.Fprintf(stdout, "  fleet                %s: %d devices (-scenario none to run none)\n", st.Scenario, st.Total.Devices)
	}
	fmt.Fprintln(stdout, "Press Ctrl+C to stop.")
	if err := checkApp(); err != nil {
		fmt.Fprintf(stdout, "mqttlab: %v\n", err)
	}

	select {
	case <-ctx.Done():
	case err := <-errc:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	fmt.Fprintln(stdout, "mqttlab: stopping")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	closeFleet(fr)
	return b.Shutdown(sctx)
}

// listen opens a TCP listener and turns the common failures into one line
// that names the flag to change.
func listen(addr, what, flagName string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	switch {
	case err == nil:
		return l, nil
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("cannot listen on %s for %s: the address is already in use; choose another with %s", addr, what, flagName)
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("cannot listen on %s for %s: permission denied; choose a port above 1023 with %s", addr, what, flagName)
	}
	return nil, fmt.Errorf("cannot listen on %s for %s: %v (change it with %s)", addr, what, err, flagName)
}

// checkApp says when the binary was built without the wasm app (go build
// instead of make build): the broker works, the page explains.
func checkApp() error {
	app, err := webapp.New(webapp.Options{})
	if err != nil {
		return err
	}
	return app.Check()
}

// newMux routes the lab's HTTP: MQTT over WebSocket at /mqtt, the fleet
// page's API at /api/fleet, the web app everywhere else.
func newMux(b *broker.Broker, fr *fleet.Runner, cfg *config) (http.Handler, error) {
	app, err := webapp.New(webapp.Options{})
	if err != nil {
		return nil, fmt.Errorf("web app: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/mqtt", &mqttOverWebSocket{broker: b, origins: cfg.origins})
	api := fleet.Handler(fr, cfg.origins)
	mux.Handle(fleet.APIPrefix, api)
	mux.Handle(fleet.APIPrefix+"/", api)
	mux.Handle("/", app)
	return mux, nil
}

// configureAuth loads the users and ACL files into the broker options.
func configureAuth(cfg *config) error {
	if cfg.users != "" {
		users, err := auth.LoadUsers(cfg.users)
		if err != nil {
			return fmt.Errorf("-users: %w", err)
		}
		users.AllowAnonymous = cfg.allowAnonymous
		cfg.broker.Authenticate = func(_ broker.ConnInfo, user protocol.Opt[string], pass protocol.Opt[[]byte]) bool {
			return users.Login(user, pass)
		}
	} else if cfg.allowAnonymous {
		return errors.New("-allow-anonymous needs -users (without a users file everyone may connect)")
	}
	if cfg.acl != "" {
		acl, err := auth.LoadACL(cfg.acl)
		if err != nil {
			return fmt.Errorf("-acl: %w", err)
		}
		cfg.broker.Permissions = func(c broker.ConnInfo) broker.Permissions {
			return aclPermissions{acl.For(auth.Identity{Username: c.Username, Anonymous: !c.HasUsername, ClientID: c.ClientID})}
		}
	}
	return nil
}

// aclPermissions applies an ACL file to one client. A subscription is
// refused only when it can never deliver anything; what it delivers is
// checked message by message, as mosquitto does.
type aclPermissions struct{ acl *auth.ClientACL }

func (p aclPermissions) Allow(topic string, a broker.Access) bool {
	switch a {
	case broker.AccessPublish:
		return p.acl.Allow(topic, auth.Write)
	case broker.AccessRead:
		return p.acl.Allow(topic, auth.Read)
	case broker.AccessSubscribe:
		return p.acl.MayRead(topic)
	}
	return false
}
