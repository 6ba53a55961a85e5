//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// phaseMosquitto runs devices against Debian's mosquitto over TCP, each a
// protocol/client connection as `mqttlab fleet -broker tcp://...` makes
// them: connections per second, then messages per second.
func phaseMosquitto(ctx context.Context, cfg *config, w io.Writer) error {
	n := cfg.mosqDevices
	fmt.Fprintf(w, "\n== mosquitto: %d devices over TCP (protocol/client, as mqttlab fleet), against %s\n", n, cfg.mosquitto)
	if _, err := os.Stat(cfg.mosquitto); err != nil {
		fmt.Fprintf(w, "skipped: %v (apt-get install mosquitto)\n", err)
		return nil
	}
	raiseFileLimit()
	addr, stop, err := startMosquitto(cfg.mosquitto)
	if err != nil {
		return err
	}
	defer stop()
	l, err := startLab(addr)
	if err != nil {
		return err
	}
	defer l.close()

	// Connections per second: every device connects at once.
	if err := l.r.Replace("idle.yaml", []byte(benchYAML(n, time.Hour, 0, 0))); err != nil {
		return err
	}
	start := time.Now()
	if err := l.r.Start(); err != nil {
		return err
	}
	for l.r.Stats().Total.Connected < n {
		if time.Since(start) > 2*time.Minute {
			return fmt.Errorf("%d of %d connected after 2 minutes: %s", l.r.Stats().Total.Connected, n, l.r.Stats().Total.LastError)
		}
		if err := sleep(ctx, 5*time.Millisecond, &rssPeak{}); err != nil {
			return err
		}
	}
	took := time.Since(start)
	fmt.Fprintf(w, "connect:  %d devices in %s: %.0f connections/s\n", n, took.Round(time.Millisecond), float64(n)/took.Seconds())
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := l.r.Stop(sctx); err != nil {
		return err
	}

	// Messages per second, QoS 0 (mosquitto's queue per subscriber is
	// small: the subscriber's count shows what it delivered).
	res, err := l.step(ctx, n, cfg.mosqEvery, 2*time.Second, 0, cfg.window/2)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "publish:  %d devices every %s (due %.0f msg/s): published %.0f msg/s, subscriber received %.0f msg/s; failed %d; our RSS %s\n",
		n, cfg.mosqEvery, res.target, res.sent, res.received, res.failed, mib(res.rss))
	return nil
}

// startMosquitto runs mosquitto on a free loopback port; stop ends it by
// its PID.
func startMosquitto(bin string) (addr string, stop func(), err error) {
	dir, err := os.MkdirTemp("", "fleetbench-mosquitto")
	if err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	conf := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\nmax_queued_messages 100000\nset_tcp_nodelay true\nlog_dest none\n", port)
	path := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "-c", path)
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop = func() {
		syscall.Kill(cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		os.RemoveAll(dir)
	}
	addr = fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(5 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return addr, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("mosquitto not listening on %s: %w", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// raiseFileLimit lets this process (and the mosquitto it starts) open as
// many connections as the system allows.
func raiseFileLimit() {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil && rl.Cur < rl.Max {
		rl.Cur = rl.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	}
}
