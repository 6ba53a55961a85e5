package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// A module is what wasmsize needs of a WebAssembly binary: the size of
// each section and of each function body, by function name when the
// binary has a name section (a build without -s).
type module struct {
	sections map[string]int // "code", "data", "custom:name", ...: bytes, headers included
	funcs    map[string]int // function name → body size; nil without a name section
}

var sectionNames = [...]string{"custom", "type", "import", "function", "table", "memory", "global",
	"export", "start", "element", "code", "data", "datacount"}

var errTruncated = errors.New("truncated")

// reader walks a byte slice, failing with errTruncated instead of panicking.
type reader struct {
	b   []byte
	off int
}

func (r *reader) byte() (byte, error) {
	if r.off >= len(r.b) {
		return 0, errTruncated
	}
	r.off++
	return r.b[r.off-1], nil
}

// uleb reads an unsigned LEB128 integer of at most 32 bits.
func (r *reader) uleb() (int, error) {
	var x uint64
	for shift := 0; shift < 35; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		x |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return int(x), nil
		}
	}
	return 0, errors.New("LEB128 integer longer than 5 bytes")
}

func (r *reader) bytes(n int) ([]byte, error) {
	if n < 0 || n > len(r.b)-r.off {
		return nil, errTruncated
	}
	r.off += n
	return r.b[r.off-n : r.off], nil
}

func (r *reader) name() (string, error) {
	n, err := r.uleb()
	if err != nil {
		return "", err
	}
	b, err := r.bytes(n)
	return string(b), err
}

// parseModule reads the sections of a WebAssembly binary.
func parseModule(b []byte) (*module, error) {
	if !bytes.HasPrefix(b, []byte("\x00asm\x01\x00\x00\x00")) {
		return nil, errors.New("not a WebAssembly 1.0 binary")
	}
	m := &module{sections: map[string]int{}}
	r := &reader{b: b, off: 8}
	var imported int
	var bodies []int
	var names map[int]string
	for r.off < len(b) {
		start := r.off
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		size, err := r.uleb()
		if err != nil {
			return nil, fmt.Errorf("section at %d: %w", start, err)
		}
		content, err := r.bytes(size)
		if err != nil {
			return nil, fmt.Errorf("section at %d: %w", start, err)
		}
		name := fmt.Sprintf("section %d", id)
		if int(id) < len(sectionNames) {
			name = sectionNames[id]
		}
		sr := &reader{b: content}
		switch id {
		case 0:
			custom, err := sr.name()
			if err != nil {
				return nil, fmt.Errorf("custom section at %d: %w", start, err)
			}
			name += ":" + custom
			if custom == "name" {
				if names, err = parseNames(sr); err != nil {
					return nil, fmt.Errorf("name section: %w", err)
				}
			}
		case 2:
			if imported, err = countFuncImports(sr); err != nil {
				return nil, fmt.Errorf("import section: %w", err)
			}
		case 10:
			if bodies, err = parseCode(sr); err != nil {
				return nil, fmt.Errorf("code section: %w", err)
			}
		}
		m.sections[name] += r.off - start
	}
	if names != nil {
		m.funcs = make(map[string]int, len(bodies))
		for i, size := range bodies {
			n, ok := names[imported+i]
			if !ok {
				n = fmt.Sprintf("func[%d]", imported+i)
			}
			m.funcs[n] += size
		}
	}
	return m, nil
}

// countFuncImports counts the imported functions, which come first in the
// function index space.
func countFuncImports(r *reader) (int, error) {
	n, err := r.uleb()
	if err != nil {
		return 0, err
	}
	funcs := 0
	for i := 0; i < n; i++ {
		if _, err := r.name(); err != nil {
			return 0, err
		}
		if _, err := r.name(); err != nil {
			return 0, err
		}
		kind, err := r.byte()
		if err != nil {
			return 0, err
		}
		switch kind {
		case 0: // function: type index
			funcs++
			_, err = r.uleb()
		case 1: // table: reference type, limits
			if _, err = r.byte(); err == nil {
				err = r.limits()
			}
		case 2: // memory: limits
			err = r.limits()
		case 3: // global: value type, mutability
			if _, err = r.byte(); err == nil {
				_, err = r.byte()
			}
		default:
			return 0, fmt.Errorf("import kind %d", kind)
		}
		if err != nil {
			return 0, err
		}
	}
	return funcs, nil
}

func (r *reader) limits() error {
	flags, err := r.byte()
	if err != nil {
		return err
	}
	if _, err := r.uleb(); err != nil {
		return err
	}
	if flags&1 != 0 {
		_, err = r.uleb()
	}
	return err
}

// parseCode returns the size of each function body, size prefix included.
func parseCode(r *reader) ([]int, error) {
	n, err := r.uleb()
	if err != nil {
		return nil, err
	}
	sizes := make([]int, 0, n)
	for i := 0; i < n; i++ {
		start := r.off
		size, err := r.uleb()
		if err != nil {
			return nil, err
		}
		if _, err := r.bytes(size); err != nil {
			return nil, err
		}
		sizes = append(sizes, r.off-start)
	}
	return sizes, nil
}

// parseNames reads the function names subsection of a name section.
func parseNames(r *reader) (map[int]string, error) {
	for r.off < len(r.b) {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		size, err := r.uleb()
		if err != nil {
			return nil, err
		}
		sub, err := r.bytes(size)
		if err != nil {
			return nil, err
		}
		if id != 1 {
			continue
		}
		sr := &reader{b: sub}
		n, err := sr.uleb()
		if err != nil {
			return nil, err
		}
		names := make(map[int]string, n)
		for i := 0; i < n; i++ {
			idx, err := sr.uleb()
			if err != nil {
				return nil, err
			}
			if names[idx], err = sr.name(); err != nil {
				return nil, err
			}
		}
		return names, nil
	}
	return map[int]string{}, nil
}

// wasmName is a symbol name as Go's linker writes it in the name section
// of a wasm binary: every character but letters, digits, '_' and '.'
// becomes '_' ("github.com/x/y.(*T).m" → "github.com_x_y.__T_.m").
func wasmName(sym string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '.' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return r
		}
		return '_'
	}, sym)
}

// A packager attributes function names of the name section to packages.
// Since the linker's renaming makes "a/b.c" and "a_b.c" alike, it needs
// the import paths of the program's packages; a name that none of them
// prefixes (runtime glue, equality functions of types) goes under its
// first element.
type packager struct {
	prefixes []string // wasm names of the packages, longest first
	paths    map[string]string
}

func newPackager(importPaths []string) *packager {
	p := &packager{paths: map[string]string{}}
	for _, path := range append(importPaths, "main") {
		w := wasmName(path) + "."
		if _, dup := p.paths[w]; !dup {
			p.paths[w] = path
			p.prefixes = append(p.prefixes, w)
		}
	}
	slices.SortFunc(p.prefixes, func(a, b string) int { return len(b) - len(a) })
	return p
}

// packageOf returns the import path of the package a function belongs to:
// "github.com_x_y.__T_.m" → "github.com/x/y", "type_.eq.fmt.pp" → "fmt".
func (p *packager) packageOf(name string) string {
	for _, pre := range []string{"type_.eq.", "type_.hash."} {
		name = strings.TrimPrefix(name, pre)
	}
	for _, w := range p.prefixes {
		if strings.HasPrefix(name, w) {
			return p.paths[w]
		}
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return name
}
