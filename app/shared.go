package app

import (
	"encoding/json"
	"sync"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The learner's choices that outlive a page (the language, the lessons
// done) are shared values: kept in the browser's local storage, so a
// reload keeps them, and followed by the components that watch them, in
// this tab and, through the storage event, in the others.
//
// They are not go-app states: ctx.SetState, GetState and ObserveState
// bring go-app's state store into the WebAssembly, with the AES-GCM of its
// encrypted states and the reflection that hands values to observers
// (~90 KB raw, ~23 KB brotli). The stored item keeps the format of
// go-app's persisted states, {"Value": …}, so what an earlier version
// stored still reads.

// sharedValue is one shared value: its JSON, and its watchers.
type sharedValue struct {
	key string

	mu       sync.Mutex
	loaded   bool
	raw      json.RawMessage
	watchers []sharedWatcher
}

// sharedWatcher is a component's watch of a shared value: update runs, on
// the UI goroutine, with the value's JSON, until ctx ends (the component
// is dismounted).
type sharedWatcher struct {
	ctx    goapp.Context
	update func(json.RawMessage)
}

// storedValue is the local storage item of a shared value.
type storedValue struct {
	Value json.RawMessage `json:",omitempty"`
}

// The shared values: the language the user chose, and the lessons done.
var (
	sharedLang     = &sharedValue{key: langState}
	sharedProgress = &sharedValue{key: progressState}
	sharedValues   = []*sharedValue{sharedLang, sharedProgress}
	sharedListen   sync.Once
)

// get returns the value's JSON (nil when none was stored), read from local
// storage the first time.
func (s *sharedValue) get(ctx goapp.Context) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded {
		s.loaded = true
		var v storedValue
		if err := ctx.LocalStorage().Get(s.key, &v); err != nil {
			goapp.Log("app: reading " + s.key + ": " + err.Error())
		}
		s.raw = v.Value
	}
	return s.raw
}

// watch calls update with the value now and, redrawing ctx's component,
// whenever it changes until ctx ends.
func (s *sharedValue) watch(ctx goapp.Context, update func(json.RawMessage)) {
	sharedListen.Do(listenStorage)
	update(s.get(ctx))
	s.mu.Lock()
	live := s.watchers[:0]
	for _, w := range s.watchers {
		if w.ctx.Err() == nil {
			live = append(live, w)
		}
	}
	clear(s.watchers[len(live):])
	s.watchers = append(live, sharedWatcher{ctx: ctx, update: update})
	s.mu.Unlock()
}

// set stores v as the value and hands it to the watchers.
func (s *sharedValue) set(ctx goapp.Context, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		goapp.Log("app: " + s.key + ": " + err.Error())
		return
	}
	if err := ctx.LocalStorage().Set(s.key, storedValue{Value: raw}); err != nil {
		goapp.Log("app: saving " + s.key + ": " + err.Error())
	}
	s.changed(raw)
}

// changed takes raw as the value and hands it to the watchers still
// mounted.
func (s *sharedValue) changed(raw json.RawMessage) {
	s.mu.Lock()
	s.loaded, s.raw = true, raw
	ws := append([]sharedWatcher(nil), s.watchers...)
	s.mu.Unlock()
	for _, w := range ws {
		if w.ctx.Err() == nil {
			w.ctx.Dispatch(func(goapp.Context) { w.update(raw) })
		}
	}
}

// listenStorage follows the changes other tabs make to the shared values:
// the browser fires storage on every other tab of the origin.
func listenStorage() {
	if !goapp.IsClient {
		return
	}
	goapp.Window().Call("addEventListener", "storage", goapp.FuncOf(func(_ goapp.Value, args []goapp.Value) any {
		key := args[0].Get("key")
		if key.Type() != goapp.TypeString {
			return nil // the storage was cleared
		}
		for _, s := range sharedValues {
			if s.key != key.String() {
				continue
			}
			var v storedValue
			if nv := args[0].Get("newValue"); nv.Type() == goapp.TypeString {
				if err := json.Unmarshal([]byte(nv.String()), &v); err != nil {
					goapp.Log("app: reading " + s.key + ": " + err.Error())
					return nil
				}
			}
			s.changed(v.Value)
		}
		return nil
	}))
}
