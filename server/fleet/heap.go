package fleet

// timerHeap is the scheduler's queue of devices by the time each next
// needs attention: a binary min-heap whose entries carry their time, so
// that sifting compares within the heap's own array instead of reaching
// into a hundred thousand devices scattered in memory. Each device knows
// its index (devConn.hi, -1 when absent) so it can be moved or removed.
type timerHeap []heapEntry

type heapEntry struct {
	at int64 // unix ns
	dc *devConn
}

// when returns dc's time in the heap.
func (h timerHeap) when(dc *devConn) int64 { return h[dc.hi].at }

// set puts dc in the heap at `at`, or moves it there.
func (h *timerHeap) set(dc *devConn, at int64) {
	if dc.hi < 0 {
		dc.hi = int32(len(*h))
		*h = append(*h, heapEntry{at, dc})
		h.up(int(dc.hi))
		return
	}
	i := int(dc.hi)
	old := (*h)[i].at
	(*h)[i].at = at
	switch {
	case at < old:
		h.up(i)
	case at > old:
		h.down(i)
	}
}

// remove takes dc out of the heap.
func (h *timerHeap) remove(dc *devConn) {
	i := int(dc.hi)
	s := *h
	last := len(s) - 1
	dc.hi = -1
	if i != last {
		s[i] = s[last]
		s[i].dc.hi = int32(i)
	}
	s[last] = heapEntry{}
	*h = s[:last]
	if i != last {
		h.down(i)
		h.up(i)
	}
}

func (h timerHeap) up(i int) {
	e := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if h[p].at <= e.at {
			break
		}
		h[i] = h[p]
		h[i].dc.hi = int32(i)
		i = p
	}
	h[i] = e
	e.dc.hi = int32(i)
}

func (h timerHeap) down(i int) {
	e := h[i]
	n := len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h[r].at < h[c].at {
			c = r
		}
		if e.at <= h[c].at {
			break
		}
		h[i] = h[c]
		h[i].dc.hi = int32(i)
		i = c
	}
	h[i] = e
	e.dc.hi = int32(i)
}
