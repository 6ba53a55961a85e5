package protocol

import (
	"io"
	"sync"
)

// Reader reads MQTT packets from a byte stream: a TCP connection, or a
// WebSocket read as a stream (a packet may span messages and a message may
// hold several packets).
//
// A Reader keeps its memory small while the connection is idle: with no
// bytes pending it reads into a 128-byte array of its own, and only takes a
// larger buffer (from a shared pool, or sized for one large packet) while a
// packet or a burst of packets is in flight. Thousands of idle connections
// therefore cost a few hundred bytes each, not a buffer each. A packet
// larger than a chunk gets a buffer of its own that grows as its bytes
// arrive: a peer announcing a large packet it never sends costs little.
type Reader struct {
	// Version decodes packets other than CONNECT; a server sets it from
	// the CONNECT it read, a client from the one it sent.
	Version Version
	// MaxPacketSize bounds a packet, fixed header included; 0 means the
	// protocol's limit. A larger packet fails with ErrPacketTooLarge
	// before any memory is taken for it.
	MaxPacketSize int

	src    io.Reader
	buf    []byte // small[:], a pooled chunk or a one-off large buffer
	r, w   int    // unread bytes are buf[r:w]
	busy   bool   // the last read filled the buffer: more is likely waiting
	pooled bool   // buf came from chunkPool
	small  [128]byte
}

const chunkSize = 4096

// largeStart is the first size of a buffer for a packet larger than a
// chunk; see grow.
const largeStart = 64 << 10

// maxEmptyReads bounds the reads in a row that return neither bytes nor an
// error, as bufio does: a broken source must not spin the Reader forever.
const maxEmptyReads = 100

var chunkPool = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// NewReader returns a Reader on src.
func NewReader(src io.Reader) *Reader {
	r := &Reader{src: src}
	r.buf = r.small[:]
	return r
}

// Next reads the next packet and returns its fixed header and its raw
// bytes, fixed header included. The bytes alias the Reader's buffer and
// are valid only until the next call. The header is checked against
// MaxPacketSize before the body is read; nothing else is checked (Decode
// does that), so a tap can show even a packet that fails to decode.
func (r *Reader) Next() (FixedHeader, []byte, error) {
	if r.r == r.w {
		r.r, r.w = 0, 0
		if !r.busy || !r.pooled && len(r.buf) > chunkSize {
			// A one-off buffer goes as soon as its packet is read: it was
			// full because it was sized to that packet, not because more
			// bytes are waiting.
			r.release()
			r.busy = false
		}
	}
	for {
		h, n, err := ParseFixedHeader(r.buf[r.r:r.w])
		if err != nil {
			return h, nil, err
		}
		if n > 0 {
			total := n + h.Remaining
			max := r.MaxPacketSize
			if max <= 0 {
				max = MaxPacketSize
			}
			if total > max {
				return h, nil, ErrPacketTooLarge // §3.1.2.11.4, §3.2.2.3.6
			}
			if err := r.fill(total); err != nil {
				return h, nil, err
			}
			raw := r.buf[r.r : r.r+total : r.r+total]
			r.r += total
			return h, raw, nil
		}
		if err := r.fill(r.w - r.r + 1); err != nil {
			return h, nil, err
		}
	}
}

// ReadPacket reads and decodes the next packet. The packet owns its bytes.
func (r *Reader) ReadPacket() (Packet, error) {
	h, raw, err := r.Next()
	if err != nil {
		return nil, err
	}
	body := append([]byte(nil), raw[len(raw)-h.Remaining:]...)
	return Decode(h, body, r.Version)
}

// Buffered returns how many bytes have been read but not yet returned.
func (r *Reader) Buffered() int { return r.w - r.r }

// Release gives back the Reader's buffer; call it when the connection is
// done. The Reader may still be used afterwards.
func (r *Reader) Release() {
	if r.r == r.w {
		r.r, r.w = 0, 0
		r.release()
	}
}

// release returns to the small array; the buffer must be empty.
func (r *Reader) release() {
	if r.pooled {
		b := r.buf[:cap(r.buf)]
		chunkPool.Put(&b)
		r.pooled = false
	}
	r.buf = r.small[:]
}

// fill reads until at least need bytes are buffered.
func (r *Reader) fill(need int) error {
	if r.w-r.r >= need {
		return nil
	}
	if len(r.buf)-r.r < need || (r.busy && !r.pooled && need <= chunkSize) {
		r.grow(need)
	}
	for empty := 0; r.w-r.r < need; {
		if r.w == len(r.buf) {
			r.grow(need) // a large packet's buffer grows as its bytes arrive
		}
		n, err := r.src.Read(r.buf[r.w:])
		r.w += n
		r.busy = r.w == len(r.buf)
		if r.w-r.r >= need {
			return nil
		}
		if err != nil {
			if err == io.EOF && r.w > r.r {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if n > 0 {
			empty = 0
		} else if empty++; empty == maxEmptyReads {
			return io.ErrNoProgress
		}
	}
	return nil
}

// grow makes room toward need unread bytes: in place when the buffer is
// big enough, else in a pooled chunk when need fits one (also when a busy
// connection should stop reading through the small array), else in a
// buffer for this packet alone. That buffer grows geometrically from
// largeStart, twice its size at each step and never beyond need, so a
// forged Remaining Length costs memory only as the bytes it announces
// arrive (at most twice the bytes received).
func (r *Reader) grow(need int) {
	small := !r.pooled && len(r.buf) == len(r.small)
	if need <= len(r.buf) && !(r.busy && small) {
		r.w = copy(r.buf, r.buf[r.r:r.w])
		r.r = 0
		return
	}
	var nb []byte
	pooled := need <= chunkSize
	if pooled {
		nb = *chunkPool.Get().(*[]byte)
	} else {
		nb = make([]byte, min(need, max(2*len(r.buf), largeStart)))
	}
	r.w = copy(nb, r.buf[r.r:r.w])
	r.r = 0
	if r.pooled {
		old := r.buf[:cap(r.buf)]
		chunkPool.Put(&old)
	}
	r.buf, r.pooled = nb, pooled
}
