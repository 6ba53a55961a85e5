package app

import goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

// el is goapp.Elem(tag) with the class names in class (none when empty).
// Pages build most of their HTML with el and textEl rather than chains of
// go-app calls: in WebAssembly every call site costs ~100 bytes of code
// and call-site tables, and one call instead of three adds up over
// hundreds of elements (see "Keeping the download small" in README.md).
// It is not inlined, since inlining would bring the chain back into every
// caller.
//
//go:noinline
func el(tag, class string) goapp.HTMLElem {
	e := goapp.Elem(tag)
	if class != "" {
		e = e.Class(class)
	}
	return e
}

// textEl is el(tag, class) holding the text s.
//
//go:noinline
func textEl(tag, class, s string) goapp.HTMLElem {
	return el(tag, class).Text(s)
}
