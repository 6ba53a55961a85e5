package protocol

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// stream is the golden packets of one version back to back.
func stream(v Version) ([]byte, []Packet) {
	var raw []byte
	var want []Packet
	for _, g := range allGolden() {
		if g.v == v && g.want.Type() != CONNECT {
			raw = append(raw, g.raw...)
			want = append(want, g.want)
		}
	}
	return raw, want
}

// readAll reads packets until an error and returns both.
func readAll(r *Reader) ([]Packet, error) {
	var out []Packet
	for len(out) < 10000 {
		p, err := r.ReadPacket()
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, errors.New("no end")
}

// TestReaderSplitsAndBursts reads the golden packets through sources that
// cut them anywhere, one byte at a time, or deliver them all at once.
func TestReaderSplitsAndBursts(t *testing.T) {
	t.Parallel()
	for _, v := range []Version{V311, V5} {
		raw, want := stream(v)
		for _, src := range []struct {
			name string
			r    func() io.Reader
		}{
			{"one read", func() io.Reader { return bytes.NewReader(raw) }},
			{"one byte per read", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(raw)) }},
			{"half reads", func() io.Reader { return iotest.HalfReader(bytes.NewReader(raw)) }},
			{"data with EOF", func() io.Reader { return iotest.DataErrReader(bytes.NewReader(raw)) }},
			{"chunks of 7", func() io.Reader { return &chunks{data: raw, size: 7} }},
			{"chunks of 300", func() io.Reader { return &chunks{data: raw, size: 300} }},
		} {
			r := NewReader(src.r())
			r.Version = v
			got, err := readAll(r)
			if err != io.EOF {
				t.Errorf("%v %s: ended with %v after %d packets, want io.EOF", v, src.name, err, len(got))
			}
			if len(got) != len(want) {
				t.Fatalf("%v %s: %d packets, want %d", v, src.name, len(got), len(want))
			}
			for i := range want {
				if !samePacket(got[i], want[i]) {
					t.Errorf("%v %s: packet %d\n got %s\nwant %s", v, src.name, i, dump(got[i]), dump(want[i]))
				}
			}
			if r.Buffered() != 0 {
				t.Errorf("%v %s: %d bytes left buffered", v, src.name, r.Buffered())
			}
		}
	}
}

// chunks hands out data size bytes per Read, then io.EOF; pause marks
// the offsets where a Read stops early, as a network pause would.
type chunks struct {
	data  []byte
	off   int
	size  int
	pause []int
}

func (c *chunks) Read(p []byte) (int, error) {
	if c.off == len(c.data) {
		return 0, io.EOF
	}
	end := min(len(c.data), c.off+c.size, c.off+len(p))
	for _, at := range c.pause {
		if at > c.off && at < end {
			end = at
		}
	}
	n := copy(p, c.data[c.off:end])
	c.off += n
	return n, nil
}

// TestReaderLargePackets reads packets much larger than the pooled 4 KiB
// chunk, between small ones, whole and a byte at a time.
func TestReaderLargePackets(t *testing.T) {
	t.Parallel()
	var raw []byte
	var want []Packet
	sizes := []int{10, 5000, 3, 70000, 4090, 200000, 1}
	for i := 0; i < 30; i++ {
		sizes = append(sizes, 60) // a burst moves the Reader to a pooled chunk...
	}
	sizes = append(sizes, 9000, 2) // ...which a large packet then leaves
	for _, n := range sizes {
		p := &Publish{Version: V5, QoS: 1, PacketID: uint16(n), Topic: "big", Payload: bytes.Repeat([]byte{byte(n)}, n)}
		b, err := p.AppendTo(nil)
		if err != nil {
			t.Fatal(err)
		}
		raw, want = append(raw, b...), append(want, p)
	}
	for _, src := range []io.Reader{bytes.NewReader(raw), iotest.OneByteReader(bytes.NewReader(raw)), &chunks{data: raw, size: 1500}} {
		r := NewReader(src)
		r.Version = V5
		got, err := readAll(r)
		if err != io.EOF || len(got) != len(want) {
			t.Fatalf("%T: %d packets, %v", src, len(got), err)
		}
		for i := range want {
			if !samePacket(got[i], want[i]) {
				t.Errorf("%T: packet %d differs (%d bytes of payload)", src, i, len(want[i].(*Publish).Payload))
			}
		}
	}
}

// TestReaderNextAliases: Next returns the packet's raw bytes, fixed header
// included, in the Reader's buffer; ReadPacket's packets own their bytes.
func TestReaderNextAliases(t *testing.T) {
	t.Parallel()
	raw, _ := stream(V311)
	r := NewReader(bytes.NewReader(raw))
	var off int
	for _, g := range golden311 {
		if g.v != V311 || g.want.Type() == CONNECT {
			continue
		}
		h, b, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, g.raw) || h.Type != g.want.Type() || h.Len() != len(g.raw) {
			t.Fatalf("%s: Next = %v % x", g.name, h, b[:min(len(b), 16)])
		}
		off += len(b)
	}
	if off != len(raw) {
		t.Fatalf("read %d of %d bytes", off, len(raw))
	}

	two := cat(pkt(byte(PUBLISH)<<4, str("t"), "first"), pkt(byte(PUBLISH)<<4, str("t"), "other"))
	r = NewReader(bytes.NewReader(two))
	r.Version = V311
	first, err := r.ReadPacket()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadPacket(); err != nil {
		t.Fatal(err)
	}
	if got := string(first.(*Publish).Payload); got != "first" {
		t.Errorf("the first packet's payload changed to %q after the next read", got)
	}
}

// TestReaderEOF: a stream ending between packets ends with io.EOF, one
// ending inside a packet (header or body) with io.ErrUnexpectedEOF.
func TestReaderEOF(t *testing.T) {
	t.Parallel()
	r := NewReader(bytes.NewReader(nil))
	if _, _, err := r.Next(); err != io.EOF {
		t.Errorf("empty stream: %v, want io.EOF", err)
	}
	for _, g := range []golden{golden311[3], golden5[0], golden311[12]} {
		for cut := 1; cut < len(g.raw); cut += 1 + cut/64 {
			for _, src := range []io.Reader{bytes.NewReader(g.raw[:cut]), iotest.OneByteReader(bytes.NewReader(g.raw[:cut]))} {
				r := NewReader(src)
				r.Version = g.v
				if _, err := r.ReadPacket(); err != io.ErrUnexpectedEOF {
					t.Fatalf("%s cut at %d of %d: %v, want io.ErrUnexpectedEOF", g.name, cut, len(g.raw), err)
				}
			}
		}
		r := NewReader(bytes.NewReader(append(append([]byte(nil), g.raw...), g.raw...)))
		r.Version = g.v
		for i := 0; i < 2; i++ {
			if _, err := r.ReadPacket(); err != nil {
				t.Fatalf("%s: packet %d: %v", g.name, i, err)
			}
		}
		if _, err := r.ReadPacket(); err != io.EOF {
			t.Errorf("%s: after two packets: %v, want io.EOF", g.name, err)
		}
	}
	// Other errors pass through as they are.
	boom := errors.New("boom")
	r = NewReader(io.MultiReader(bytes.NewReader([]byte{0xC0}), iotest.ErrReader(boom)))
	if _, _, err := r.Next(); err != boom {
		t.Errorf("source error: %v", err)
	}
}

// TestReaderNoProgress: a source that returns neither bytes nor an error
// cannot spin the Reader forever.
func TestReaderNoProgress(t *testing.T) {
	t.Parallel()
	r := NewReader(readerFunc(func([]byte) (int, error) { return 0, nil }))
	if _, _, err := r.Next(); err != io.ErrNoProgress {
		t.Errorf("Next: %v, want io.ErrNoProgress", err)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestMQTT_3_2_2_15_MaxPacketSize: a packet larger than the Maximum Packet
// Size the receiver announced is refused with 0x95 Packet too large
// (5.0 MQTT-3.1.2-24, MQTT-3.2.2-15); the limit counts the whole packet,
// fixed header included, and a packet of exactly the limit passes.
func TestMQTT_3_2_2_15_MaxPacketSize(t *testing.T) {
	t.Parallel()
	for _, size := range []int{2, 129, 131, 300, 16388, 70000} {
		raw := packetOfSize(t, size)
		for _, max := range []int{size + 1, size, size - 1} {
			r := NewReader(bytes.NewReader(raw))
			r.Version, r.MaxPacketSize = V311, max
			_, err := r.ReadPacket()
			switch {
			case max >= size && err != nil:
				t.Errorf("%d-byte packet, maximum %d: %v", size, max, err)
			case max < size:
				wantErr(t, err, ErrPacketTooLarge, PacketTooLarge)
				if RuleOf(err) != "MQTT-3.1.2-24, MQTT-3.2.2-15 (5.0)" {
					t.Errorf("rule %q", RuleOf(err))
				}
			}
		}
	}
	// The limit is checked on the fixed header alone: the body need not
	// have arrived, nor ever arrive.
	r := NewReader(bytes.NewReader(cat(byte(PUBLISH)<<4, 0x80, 0x08)))
	r.MaxPacketSize = 1000
	if _, _, err := r.Next(); !errors.Is(err, ErrPacketTooLarge) {
		t.Errorf("header announcing 1027 bytes, maximum 1000: %v", err)
	}
}

// packetOfSize is a packet of exactly size bytes, fixed header included.
func packetOfSize(t *testing.T, size int) []byte {
	t.Helper()
	if size == 2 {
		return cat(byte(PINGREQ)<<4, 0)
	}
	for payload := max(0, size-3-5); payload <= size; payload++ {
		raw := pkt(byte(PUBLISH)<<4, str("t"), strings.Repeat("x", payload))
		if len(raw) == size {
			if h, _, _ := ParseFixedHeader(raw); h.Len() != size {
				t.Fatalf("FixedHeader.Len %d of a %d-byte packet", h.Len(), size)
			}
			return raw
		}
	}
	t.Fatalf("no packet has exactly %d bytes", size)
	return nil
}

// header is a source that hands out the same fixed header again after
// each reset, without allocating.
type header struct {
	b   [5]byte
	off int
}

func (h *header) Read(p []byte) (int, error) {
	if h.off == len(h.b) {
		return 0, io.EOF
	}
	n := copy(p, h.b[h.off:])
	h.off += n
	return n, nil
}

// TestReaderForgedLengthAllocatesNothing: a fixed header announcing a
// 256 MB packet is refused with ErrPacketTooLarge before the Reader
// allocates anything for it, and without a limit the Reader takes memory
// only as bytes arrive.
func TestReaderForgedLengthAllocatesNothing(t *testing.T) {
	src := &header{b: [5]byte{byte(PUBLISH) << 4, 0xFF, 0xFF, 0xFF, 0x7F}} // remaining length 268,435,455
	r := NewReader(src)
	r.MaxPacketSize = 1 << 20
	var err error
	allocs := testing.AllocsPerRun(100, func() {
		src.off, r.r, r.w = 0, 0, 0
		_, _, err = r.Next()
	})
	wantErr(t, err, ErrPacketTooLarge, PacketTooLarge)
	if allocs != 0 {
		t.Errorf("Next allocated %.1f times to refuse a forged length", allocs)
	}

	for _, max := range []int{1 << 20, 0} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r := NewReader(&header{b: src.b})
		r.MaxPacketSize = max
		_, _, err := r.Next()
		runtime.ReadMemStats(&after)
		if max == 0 && err != io.ErrUnexpectedEOF || max != 0 && !errors.Is(err, ErrPacketTooLarge) {
			t.Errorf("MaxPacketSize %d: %v", max, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 256<<10 {
			t.Errorf("MaxPacketSize %d: a 5-byte header announcing 256 MB cost %d bytes", max, got)
		}
	}
}

// TestReaderReleasesIdleBuffer: after a burst the Reader gives its pooled
// chunk back and reads through its own small array again, so an idle
// connection holds no buffer (white box).
func TestReaderReleasesIdleBuffer(t *testing.T) {
	t.Parallel()
	var burst []byte
	for i := 0; i < 100; i++ {
		burst = append(burst, pkt(byte(PUBLISH)<<4, str("sensors/temp"), strings.Repeat("v", 50+i%7))...)
	}
	ping := cat(byte(PINGREQ)<<4, 0)
	big := pkt(byte(PUBLISH)<<4, str("t"), strings.Repeat("b", 100000))
	data := cat(burst, ping, big, ping)
	src := &chunks{data: data, size: len(data), pause: []int{len(burst), len(burst) + 2, len(burst) + 2 + len(big)}}
	r := NewReader(src)
	r.Version = V311
	onSmall := func() bool { return !r.pooled && len(r.buf) == len(r.small) && &r.buf[0] == &r.small[0] }
	if !onSmall() {
		t.Fatal("a new Reader is not on its small array")
	}
	pooled := false
	for i := 0; i < 100; i++ {
		if _, err := r.ReadPacket(); err != nil {
			t.Fatal(err)
		}
		pooled = pooled || r.pooled
	}
	if !pooled {
		t.Error("a burst of 100 packets never took a pooled chunk")
	}
	if _, err := r.ReadPacket(); err != nil { // the PINGREQ after the pause
		t.Fatal(err)
	}
	if !onSmall() {
		t.Errorf("after the burst: buffer of %d bytes (pooled %v), want the small array", len(r.buf), r.pooled)
	}
	if p, err := r.ReadPacket(); err != nil || len(p.(*Publish).Payload) != 100000 {
		t.Fatalf("large packet: %v", err)
	}
	if _, err := r.ReadPacket(); err != nil {
		t.Fatal(err)
	}
	if !onSmall() {
		t.Errorf("after a large packet: buffer of %d bytes, want the small array", len(r.buf))
	}
	if _, err := r.ReadPacket(); err != io.EOF {
		t.Errorf("end: %v", err)
	}

	// Release gives a chunk back on demand when nothing is pending.
	r = NewReader(bytes.NewReader(burst))
	r.Version = V311
	for i := 0; i < 10; i++ {
		if _, err := r.ReadPacket(); err != nil {
			t.Fatal(err)
		}
	}
	pending := r.Buffered()
	if r.Release(); pending == 0 || r.Buffered() != pending {
		t.Errorf("Release with %d bytes pending left %d", pending, r.Buffered())
	}
	for r.Buffered() > 0 {
		if _, err := r.ReadPacket(); err != nil {
			t.Fatal(err)
		}
	}
	r.Release()
	if !onSmall() {
		t.Error("Release with nothing pending left the chunk")
	}
	if _, err := r.ReadPacket(); err != io.EOF {
		t.Errorf("after Release: %v, want io.EOF", err)
	}
}
