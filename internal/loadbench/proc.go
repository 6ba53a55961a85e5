//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// brokerProc is a broker the benchmark started as a process of its own,
// so that its CPU time and memory can be read from /proc the same way
// for both brokers. It is stopped by its PID and nothing else.
type brokerProc struct {
	name string
	addr string
	cmd  *exec.Cmd
	dir  string // mosquitto: the temporary directory of its configuration

	// ours: the control channel (see child.go).
	ctlMu  sync.Mutex
	ctlIn  io.WriteCloser
	ctlOut *bufio.Reader

	stderr  capped
	exited  chan struct{}
	exitErr error
}

// capped keeps the first 16 KB written to it: enough to explain a
// failure, bounded whatever the child logs.
type capped struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := 16<<10 - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.TrimSpace(c.buf.String())
}

// limits are the per-client limits both brokers are given.
type limits struct {
	outBuffer int // ours: -max-out-buffer bytes
	queued    int // mosquitto: max_queued_messages (QoS 0 packets waiting per client, QoS 1 queue); ours: MaxQueued
	inflight  int // both: QoS 1/2 messages in flight per client
}

// startOurs starts our broker: this very program, re-executed in broker
// mode (child.go). cpuprofile, if set, is where the child writes a CPU
// profile of its whole life.
func startOurs(l limits, cpuprofile string) (*brokerProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program to start our broker: %w", err)
	}
	args := []string{childCommand, "-listen", "127.0.0.1:0",
		"-max-out-buffer", strconv.Itoa(l.outBuffer),
		"-max-queued", strconv.Itoa(l.queued),
		"-max-inflight", strconv.Itoa(l.inflight)}
	if cpuprofile != "" {
		args = append(args, "-cpuprofile", cpuprofile)
	}
	p := &brokerProc{name: "ours", cmd: exec.Command(self, args...)}
	p.ctlIn, err = p.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.ctlOut = bufio.NewReader(out)
	if err := p.start(); err != nil {
		return nil, err
	}
	line := make(chan string, 1)
	go func() {
		s, _ := p.ctlOut.ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		addr, ok := strings.CutPrefix(strings.TrimSpace(s), "listening ")
		if !ok {
			p.stop()
			return nil, fmt.Errorf("our broker did not start: %q %s", s, p.stderr.String())
		}
		p.addr = addr
	case <-time.After(10 * time.Second):
		p.stop()
		return nil, fmt.Errorf("our broker did not say where it listens within 10s: %s", p.stderr.String())
	}
	return p, nil
}

// mosquittoConfig is the configuration the benchmark gives mosquitto:
// loopback only, anonymous, nothing on disk, no $SYS, quiet logs, Nagle
// off like Go's sockets, and the same per-client limits as ours.
func mosquittoConfig(port int, l limits) string {
	return fmt.Sprintf(`listener %d 127.0.0.1
allow_anonymous true
persistence false
sys_interval 0
log_dest stderr
log_type error
log_type warning
set_tcp_nodelay true
max_connections -1
max_queued_messages %d
max_queued_bytes 0
max_inflight_messages %d
max_inflight_bytes 0
max_keepalive 65535
`, port, l.queued, l.inflight)
}

// startMosquitto writes a configuration to a temporary directory and
// starts mosquitto on a free port of 127.0.0.1.
func startMosquitto(bin string, l limits) (*brokerProc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "loadbench-mosquitto-")
	if err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(conf, []byte(mosquittoConfig(port, l)), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	p := &brokerProc{name: "mosquitto", dir: dir, addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		cmd: exec.Command(bin, "-c", conf)}
	if err := p.start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		nc, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err == nil {
			nc.Close()
			return p, nil
		}
		select {
		case <-p.exited:
			p.stop()
			return nil, fmt.Errorf("mosquitto exited at start (%v): %s", p.exitErr, p.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("mosquitto does not accept connections on %s after 10s: %s", p.addr, p.stderr.String())
		}
	}
}

// freePort asks the kernel for a port of 127.0.0.1 nobody listens on.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (p *brokerProc) start() error {
	p.cmd.Stderr = &p.stderr
	// The child dies with the benchmark, even if the benchmark is killed.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", p.name, err)
	}
	p.exited = make(chan struct{})
	go func() {
		p.exitErr = p.cmd.Wait()
		close(p.exited)
	}()
	return nil
}

func (p *brokerProc) pid() int { return p.cmd.Process.Pid }

// stop ends the process: ours by closing its control channel (it shuts
// down and writes its profile), mosquitto by SIGTERM; either is killed
// if it has not exited within 10 seconds.
func (p *brokerProc) stop() error {
	if p.dir != "" {
		defer os.RemoveAll(p.dir)
	}
	if p.ctlIn != nil {
		p.ctlIn.Close()
	} else {
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s (pid %d) did not stop within 10s and was killed", p.name, p.pid())
	}
	if p.exitErr != nil {
		return fmt.Errorf("%s (pid %d) ended badly: %v: %s", p.name, p.pid(), p.exitErr, p.stderr.String())
	}
	return nil
}

// cpuTime is the CPU time (user + system, all threads) the process has
// used, from /proc/PID/stat.
func (p *brokerProc) cpuTime() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid()))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(b)
}

// parseStatCPU reads utime and stime, fields 14 and 15 of /proc/PID/stat,
// counted after the command name, which may itself contain spaces and
// parentheses.
func parseStatCPU(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("/proc stat: no command name")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("/proc stat: too few fields")
	}
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc stat: %w", err)
	}
	return time.Duration(ut+st) * time.Second / time.Duration(clockTicks()), nil
}

// rss is the resident set size in bytes, VmRSS of /proc/PID/status.
func (p *brokerProc) rss() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid()))
	if err != nil {
		return 0, err
	}
	return parseVmRSS(b)
}

func parseVmRSS(b []byte) (int64, error) {
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("/proc status: odd VmRSS line %q", line)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("/proc status: no VmRSS")
}

// clockTicks is the unit of /proc/PID/stat times (USER_HZ), read from the
// auxiliary vector; 100 where it cannot be read.
var clockTicks = sync.OnceValue(func() int64 {
	const atClkTck = 17
	b, err := os.ReadFile("/proc/self/auxv")
	if err != nil {
		return 100
	}
	for i := 0; i+16 <= len(b); i += 16 {
		k, v := binary.NativeEndian.Uint64(b[i:]), binary.NativeEndian.Uint64(b[i+8:])
		if k == atClkTck && v > 0 {
			return int64(v)
		}
	}
	return 100
})

// goStats asks our broker process for its Go runtime and broker figures;
// gc first collects garbage, so the heap is what is live.
func (p *brokerProc) goStats(gc bool) (childStats, error) {
	var st childStats
	if p.ctlIn == nil {
		return st, errors.New("no runtime statistics from " + p.name)
	}
	cmd := "stats"
	if gc {
		cmd = "gc"
	}
	return p.control(cmd)
}

// heapProfile makes our broker process write its live heap to path.
func (p *brokerProc) heapProfile(path string) error {
	if p.ctlIn == nil {
		return errors.New("no heap profile from " + p.name)
	}
	_, err := p.control("heap " + path)
	return err
}

// control sends one command to our broker process and reads its answer.
func (p *brokerProc) control(cmd string) (childStats, error) {
	var st childStats
	p.ctlMu.Lock()
	defer p.ctlMu.Unlock()
	if _, err := io.WriteString(p.ctlIn, cmd+"\n"); err != nil {
		return st, fmt.Errorf("asking our broker for statistics: %w", err)
	}
	line, err := p.ctlOut.ReadBytes('\n')
	if err != nil {
		return st, fmt.Errorf("reading our broker's statistics: %w", err)
	}
	if err := json.Unmarshal(line, &st); err != nil {
		return st, fmt.Errorf("our broker's statistics %q: %w", line, err)
	}
	return st, nil
}
