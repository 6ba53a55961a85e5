// Package protocol is the MQTT wire format: versions 3.1 (level 3), 3.1.1
// (level 4) and 5.0 (level 5), all fifteen control packets, MQTT 5
// properties and reason codes, topic names and filters, and Explain, the
// byte-by-byte annotation the packet inspector shows.
//
// One codec serves every version: the decoder is keyed by a Version and the
// differences between versions live in the packet types' own code, not in
// the callers. Decoding is streaming (Reader) or from a byte slice (Decode,
// DecodeInto); encoding appends to a caller's buffer (AppendTo), so one
// packet is one buffer and one write.
//
// Errors found while decoding are *Error values carrying the reason code the
// receiver must answer with and the normative rule that was broken; use
// errors.Is with the exported Err* values and ReasonCodeOf to read them.
//
// The package depends on the standard library only (and not on fmt, to stay
// small in the browser's WebAssembly). Size in the browser shapes the code:
// `go run ./internal/wasmsize` measures what the package adds to a wasm
// build. Properties are coded by one loop over a table rather than code per
// property; encoders reserve a packet's room once and put its fields there;
// Explain's text is data (field definitions, the property and reason code
// tables) formatted in one place; errors are found without errors.As,
// which brings reflection.
package protocol
