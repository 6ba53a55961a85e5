//go:build !js

package protocol_test

import (
	"bytes"
	"testing"

	ppk "github.com/eclipse/paho.golang/packets"
	mpk "github.com/mochi-mqtt/server/v2/packets"

	"github.com/mqttlab/mqttlab/protocol"
)

// The helpers below are the loops of the comparison benchmarks, one per
// way of decoding or encoding, shared by every packet type so each
// implementation is measured the same way for every packet.

// benchDecodeInto measures mqttlab decoding raw into the reused packet p,
// fixed header included: the path of a session reading a stream.
func benchDecodeInto(b *testing.B, raw []byte, v protocol.Version, p protocol.Packet) {
	b.ReportAllocs()
	for b.Loop() {
		h, n, err := protocol.ParseFixedHeader(raw)
		if err != nil {
			b.Fatal(err)
		}
		if err := protocol.DecodeInto(p, h, raw[n:], v); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDecodeNew measures mqttlab decoding raw into a new packet.
func benchDecodeNew(b *testing.B, raw []byte, v protocol.Version) {
	b.ReportAllocs()
	for b.Loop() {
		h, n, err := protocol.ParseFixedHeader(raw)
		if err != nil {
			b.Fatal(err)
		}
		p, err := protocol.Decode(h, raw[n:], v)
		if err != nil {
			b.Fatal(err)
		}
		sink += int(p.Type())
	}
}

// benchAppend measures mqttlab encoding p into a reused buffer.
func benchAppend(b *testing.B, p protocol.Packet) {
	b.ReportAllocs()
	buf := make([]byte, 0, 2048)
	for b.Loop() {
		var err error
		if buf, err = p.AppendTo(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPahoUnpack measures paho decoding the body of raw from a reused
// bytes.Buffer. unpack resets the reused packet (paho has no API to decode
// into a used one) and unpacks into it; paho's own fixed header parsing
// is left out, to its advantage.
func benchPahoUnpack(b *testing.B, raw []byte, unpack func(*bytes.Buffer) error) {
	b.ReportAllocs()
	rest := body(b, raw)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		buf.Write(rest)
		if err := unpack(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPahoWrite measures paho encoding cp into a reused bytes.Buffer.
func benchPahoWrite(b *testing.B, cp *ppk.ControlPacket) {
	b.ReportAllocs()
	var buf bytes.Buffer
	buf.Grow(2048)
	for b.Loop() {
		buf.Reset()
		if _, err := cp.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

// benchMochiDecode measures mochi decoding raw as its server does: a fresh
// Packet, the fixed header byte, the remaining length, then decode on the
// body (one of mochi's per-type decoders, e.g. (*Packet).PublishDecode).
func benchMochiDecode(b *testing.B, raw []byte, v protocol.Version, decode func(*mpk.Packet, []byte) error) {
	b.ReportAllocs()
	var br bytes.Reader
	var pk mpk.Packet
	for b.Loop() {
		pk = mpk.Packet{ProtocolVersion: byte(v)}
		if err := pk.FixedHeader.Decode(raw[0]); err != nil {
			b.Fatal(err)
		}
		br.Reset(raw[1:])
		rem, n, err := mpk.DecodeLength(&br)
		if err != nil {
			b.Fatal(err)
		}
		pk.FixedHeader.Remaining = rem
		if err := decode(&pk, raw[1+n:]); err != nil {
			b.Fatal(err)
		}
	}
}

// benchMochiEncode measures mochi encoding pk into a reused bytes.Buffer
// with encode, one of its per-type encoders.
func benchMochiEncode(b *testing.B, pk mpk.Packet, encode func(*mpk.Packet, *bytes.Buffer) error) {
	b.ReportAllocs()
	var buf bytes.Buffer
	buf.Grow(2048)
	for b.Loop() {
		buf.Reset()
		if err := encode(&pk, &buf); err != nil {
			b.Fatal(err)
		}
	}
}
