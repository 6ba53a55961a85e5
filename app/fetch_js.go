//go:build js && wasm

package app

import (
	"context"
	"errors"
	"syscall/js"
)

// fetch makes an HTTP request with the browser's fetch. The page does not
// use net/http's client: it would link Go's whole HTTP transport (TLS,
// HTTP/2) into app.wasm and double its size, for what the browser does
// anyway.
func fetch(ctx context.Context, method, url string, body []byte) (int, []byte, error) {
	type result struct {
		status int
		body   []byte
		err    error
	}
	done := make(chan result, 1)
	finish := func(r result) {
		select {
		case done <- r:
		default:
		}
	}
	opts := js.Global().Get("Object").New()
	opts.Set("method", method)
	opts.Set("credentials", "same-origin")
	if body != nil {
		b := js.Global().Get("Uint8Array").New(len(body))
		js.CopyBytesToJS(b, body)
		opts.Set("body", b)
		h := js.Global().Get("Object").New()
		h.Set("Content-Type", "application/json")
		opts.Set("headers", h)
	}
	abort := js.Global().Get("AbortController").New()
	opts.Set("signal", abort.Get("signal"))

	status := 0
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "fetch failed"
		if len(args) > 0 {
			msg = args[0].Call("toString").String()
		}
		finish(result{err: errors.New(msg)})
		return nil
	})
	onBody := js.FuncOf(func(_ js.Value, args []js.Value) any {
		a := js.Global().Get("Uint8Array").New(args[0])
		b := make([]byte, a.Get("length").Int())
		js.CopyBytesToGo(b, a)
		finish(result{status: status, body: b})
		return nil
	})
	onResponse := js.FuncOf(func(_ js.Value, args []js.Value) any {
		status = args[0].Get("status").Int()
		args[0].Call("arrayBuffer").Call("then", onBody, onError)
		return nil
	})
	defer func() {
		onError.Release()
		onBody.Release()
		onResponse.Release()
	}()
	js.Global().Call("fetch", url, opts).Call("then", onResponse, onError)
	select {
	case r := <-done:
		return r.status, r.body, r.err
	case <-ctx.Done():
		abort.Call("abort")
		<-done // the abort rejects the promise: the callbacks are done with
		return 0, nil, ctx.Err()
	}
}
