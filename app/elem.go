package app

import (
	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
)

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

// msgEl is textEl(tag, class, l.T(key)): the message key in language l.
//
//go:noinline
func msgEl(l i18n.Lang, tag, class, key string) goapp.HTMLElem {
	return el(tag, class).Text(l.T(key))
}

// tableHead is a table's thead: one header cell per column, each the
// message of its key in l with its class ({class, key}), scope="col"
// when scoped. Columns given as a package-level table cost no code.
//
//go:noinline
func tableHead(l i18n.Lang, scoped bool, cols [][2]string) goapp.UI {
	cells := make([]goapp.UI, len(cols))
	for i, c := range cols {
		th := msgEl(l, "th", c[0], c[1])
		if scoped {
			th = th.Attr("scope", "col")
		}
		cells[i] = th
	}
	return el("thead", "").Body(el("tr", "").Body(cells...))
}
