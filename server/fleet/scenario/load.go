package scenario

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Limits of a scenario file. They keep a mistyped count or a hostile file
// from exhausting the machine; the load scenario stays well within them.
const (
	MaxFileSize  = 1 << 20   // bytes of YAML
	MaxDevices   = 1_000_000 // devices of all fleets together
	MaxFleets    = 256
	MaxFields    = 64 // fields of one fleet
	MaxListItems = 10_000
	MinInterval  = time.Millisecond
)

// Load parses and validates a scenario file. filename is used in error
// messages only. On failure the error is an Errors holding every problem
// found, each with file, line, field path and what was expected.
func Load(filename string, data []byte) (*Scenario, error) {
	d := &decoder{file: filename, lines: map[*Fleet]int{}}
	if len(data) > MaxFileSize {
		d.errorf(0, "", "file too large: %d bytes (at most %d)", len(data), MaxFileSize)
		return nil, d.errs
	}
	root := d.parse(data)
	if root == nil {
		return nil, d.errs
	}
	s := d.scenario(root)
	if len(d.errs) > 0 {
		d.errs.sort()
		return nil, d.errs
	}
	s.File = filename
	if !s.Seeded {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
		s.Seed = binary.LittleEndian.Uint64(b[:]) >> 1
	}
	return s, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parse reads the single YAML document of data.
func (d *decoder) parse(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.errorf(0, "", "empty scenario (expected at least name and fleets)")
		} else {
			d.syntax(err)
		}
		return nil
	}
	var more yaml.Node
	switch err := dec.Decode(&more); {
	case err == nil:
		d.errorf(more.Line, "", "a scenario file holds one YAML document; remove the second (---)")
		return nil
	case !errors.Is(err, io.EOF):
		d.syntax(err)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		d.errorf(0, "", "empty scenario (expected at least name and fleets)")
		return nil
	}
	return doc.Content[0]
}

// parserProblems are the errors of the YAML library's parser stage, which
// numbers lines from 0 (and omits line 0), unlike its scanner stage.
var parserProblems = []string{
	"did not find expected ',' or '}'", "did not find expected ',' or ']'",
	"did not find expected key", "did not find expected '-' indicator",
	"did not find expected node content", "did not find expected <document start>",
	"did not find expected <stream-start>", "found duplicate %YAML directive",
	"found incompatible YAML document", "found duplicate %TAG directive",
	"found undefined tag handle",
}

// syntax records a YAML syntax error at the line the library names.
func (d *decoder) syntax(err error) {
	msg := errText(err)
	line := 1 // the library omits line 0, its first line
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimSpace(strings.TrimPrefix(strings.Replace(msg, m[0], "", 1), ":"))
		if slices.Contains(parserProblems, msg) {
			line++
		}
	}
	d.errorf(line, "", "YAML syntax: %s", msg)
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func (d *decoder) scenario(root *yaml.Node) *Scenario {
	m := d.mapping(root, "")
	if m == nil {
		return nil
	}
	s := &Scenario{}
	if n, p := m.get("name"); n == nil {
		m.missing("name", "a short name such as smart-building")
	} else if v, ok := d.str(n, p); ok {
		if !namePattern.MatchString(v) || len(v) > 64 {
			d.errorf(n.Line, p, "invalid name %q (expected up to 64 letters, digits, '-', '_' or '.')", v)
		}
		s.Name = v
	}
	s.Description = m.str("description", "")
	if n, p := m.get("seed"); n != nil {
		if v, ok := d.integer(n, p); ok {
			if v < 0 {
				d.errorf(n.Line, p, "must be at least 0 (got %d)", v)
			}
			s.Seed, s.Seeded = uint64(v), true
		}
	}
	n, p := m.get("fleets")
	if n == nil {
		m.missing("fleets", "a list of fleets")
	} else if items, ok := d.seq(n, p, "fleets"); ok {
		if len(items) == 0 {
			d.errorf(n.Line, p, "expected at least one fleet")
		}
		if len(items) > MaxFleets {
			d.errorf(n.Line, p, "too many fleets: %d (at most %d)", len(items), MaxFleets)
			items = items[:MaxFleets]
		}
		names := map[string]int{}
		for i, item := range items {
			f := d.fleet(item, index(p, i), s)
			if f == nil {
				continue
			}
			if first, dup := names[f.Name]; dup && f.Name != "" {
				d.errorf(item.Line, index(p, i)+".name", "duplicate fleet name %q (first is fleets[%d])", f.Name, first)
			}
			names[f.Name] = i
			s.Fleets = append(s.Fleets, f)
		}
	}
	m.finish("")
	if len(d.errs) == 0 {
		d.checkDevices(s, n)
	}
	return s
}

// checkDevices checks the total count and that no two devices share a
// client id, which would make the broker disconnect one for the other
// forever.
func (d *decoder) checkDevices(s *Scenario, fleets *yaml.Node) {
	total := s.Devices()
	if total > MaxDevices {
		d.errorf(fleets.Line, "fleets", "too many devices: %d (at most %d)", total, MaxDevices)
		return
	}
	// Hash the ids rather than keep them: a million strings would cost
	// seconds; a hash match is confirmed by comparing the ids themselves.
	type owner struct{ fleet, index int32 }
	seed := maphash.MakeSeed()
	seen := make(map[uint64]owner, min(total, 1<<16))
	var buf, other []byte
	for fi, f := range s.Fleets {
		if f.Count > 1 && f.ClientID.Fixed() {
			d.errorf(d.lines[f], fmt.Sprintf("fleets[%d].client_id", fi),
				"%q gives all %d devices the same client id (add {index})", f.ClientID.String(), f.Count)
			continue
		}
		for i := 0; i < f.Count; i++ {
			buf = f.ClientID.Append(buf[:0], f, i)
			h := maphash.Bytes(seed, buf)
			if o, dup := seen[h]; dup {
				of := s.Fleets[o.fleet]
				if other = of.ClientID.Append(other[:0], of, int(o.index)); bytes.Equal(buf, other) {
					d.errorf(d.lines[f], fmt.Sprintf("fleets[%d].client_id", fi),
						"device %d has client id %q, as device %d of fleet %q (client ids must be unique)",
						f.FirstIndex+i, buf, of.FirstIndex+int(o.index), of.Name)
					return
				}
			}
			seen[h] = owner{int32(fi), int32(i)}
		}
	}
}
