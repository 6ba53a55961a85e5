//go:build !(js && wasm)

package app

import (
	"context"
	"errors"
)

// fetch exists in the browser only (fetch_js.go); on the server, where
// pages are pre-rendered, nothing calls the API.
func fetch(context.Context, string, string, []byte) (int, []byte, error) {
	return 0, nil, errors.New("the fleet API is called from the browser only")
}
