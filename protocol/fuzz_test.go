package protocol

import (
	"bytes"
	"io"
	"testing"
)

// Fuzz targets of the codec, seeded from the golden vectors. Run one with
// go test -run '^$' -fuzz '^FuzzDecode$' ./protocol (make fuzz runs all).

// fuzzVersion maps a fuzzed byte to a version, mostly a valid one.
func fuzzVersion(b byte) Version {
	if b >= 0xF0 {
		return Version(b & 7) // now and then an invalid one
	}
	return V31 + Version(b%3)
}

func seed(f *testing.F) {
	for _, g := range allGolden() {
		if len(g.raw) > 1000 {
			continue // the 16 KiB PUBLISH would slow every run down
		}
		v := byte(g.v - V31)
		f.Add(g.raw, v)
		f.Add(g.raw[:len(g.raw)/2], v)
		f.Add(append(append([]byte(nil), g.raw...), g.raw...), v)
	}
	f.Add([]byte{byte(PUBLISH) << 4, 0xFF, 0xFF, 0xFF, 0x7F}, byte(1))
	f.Add([]byte{byte(PINGREQ) << 4, 0x80, 0x00}, byte(2))
}

// FuzzDecode feeds any bytes to a Reader and decodes what it returns. It
// never panics; every decoding error is one of the codec's, with a failure
// reason code; the Reader's buffer never exceeds MaxPacketSize (or its
// chunk); and decoding into a reused value gives what a fresh Decode gives.
func FuzzDecode(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte, vb byte) {
		v := fuzzVersion(vb)
		const limit = 6000
		r := NewReader(bytes.NewReader(data))
		r.Version, r.MaxPacketSize = v, limit
		reused := map[Type]Packet{}
		for i := 0; i <= len(data); i++ {
			h, raw, err := r.Next()
			if len(r.buf) > max(chunkSize, limit) {
				t.Fatalf("the Reader holds %d bytes, MaxPacketSize is %d", len(r.buf), limit)
			}
			if err != nil {
				if err != io.EOF && err != io.ErrUnexpectedEOF && ReasonCodeOf(err) < 0x80 {
					t.Fatalf("Next: %v", err)
				}
				return
			}
			if len(raw) != h.Len() || len(raw) > limit {
				t.Fatalf("Next returned %d bytes for a header announcing %d", len(raw), h.Len())
			}
			body := append([]byte(nil), raw[len(raw)-h.Remaining:]...)
			p, err := Decode(h, body, v)
			if err != nil {
				if e := asError(err); e == nil || e.Code < 0x80 {
					t.Fatalf("Decode: %v is not a codec error with a failure code", err)
				}
			}
			q := reused[h.Type]
			if q == nil {
				if q = New(h.Type); q == nil {
					continue
				}
				reused[h.Type] = q
			}
			err2 := DecodeInto(q, h, body, v)
			if (err == nil) != (err2 == nil) || err == nil && !samePacket(p, q) {
				t.Fatalf("Decode and DecodeInto a reused %T differ:\n%v %s\n%v %s", q, err, dump(p), err2, dump(q))
			}
		}
	})
}

// FuzzRoundTrip: a packet that decodes encodes without error, and decoding
// that encoding gives the same packet, which encodes to the same bytes.
func FuzzRoundTrip(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte, vb byte) {
		v := fuzzVersion(vb)
		h, n, err := ParseFixedHeader(data)
		if err != nil || n == 0 || n+h.Remaining > len(data) {
			return
		}
		p, err := Decode(h, data[n:n+h.Remaining], v)
		if err != nil {
			return
		}
		enc, err := p.AppendTo(nil)
		if err != nil {
			t.Fatalf("%s decoded but does not encode: %v", dump(p), err)
		}
		q, err := decodeRaw(enc, v)
		if err != nil {
			t.Fatalf("%s encodes as % x, which does not decode: %v", dump(p), enc, err)
		}
		if !samePacket(p, q) {
			t.Fatalf("round trip changed the packet:\n got %s\nwant %s", dump(q), dump(p))
		}
		enc2, err := q.AppendTo(nil)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not stable: % x, then % x (%v)", enc, enc2, err)
		}
	})
}

// FuzzExplain checks the invariants documented on Explanation on any
// bytes, and that on a whole packet Explain and Decode agree.
func FuzzExplain(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte, vb byte) {
		v := fuzzVersion(vb)
		ex := Explain(data, v)
		end := checkFields(t, data, ex)
		if ex.Err == nil {
			if end != len(data) {
				t.Fatalf("success, but the fields cover %d of %d bytes", end, len(data))
			}
		} else {
			checkErrorFields(t, data, ex)
			if asError(ex.Err) == nil {
				t.Fatalf("Explain's error %v is not a codec error", ex.Err)
			}
		}
		h, n, err := ParseFixedHeader(data)
		if err != nil || n == 0 || n+h.Remaining != len(data) {
			if ex.Err == nil {
				t.Fatalf("Explain accepted % x, which is not one whole packet", data)
			}
			return // not exactly one whole packet: Decode has nothing to say
		}
		p, err := Decode(h, data[n:], v)
		switch {
		case (err == nil) != (ex.Err == nil):
			t.Fatalf("Decode says %v, Explain says %v\n%s", err, ex.Err, fieldTable(ex))
		case err != nil && asError(err) != asError(ex.Err):
			t.Fatalf("Decode says %v, Explain says %v\n%s", err, ex.Err, fieldTable(ex))
		case err == nil && !samePacket(p, ex.Packet):
			t.Fatalf("Explain's packet differs from Decode's:\n got %s\nwant %s", dump(ex.Packet), dump(p))
		}
	})
}
