package broker

// subSet is a session's subscriptions by filter. Most clients hold a few,
// so it is a slice until it grows past subSetSmall, then a map: an idle
// connection with one subscription costs one small slice, not a map.
type subSet struct {
	small []*subscription
	large map[string]*subscription
}

const subSetSmall = 16

// get returns the subscription to filter, or nil.
func (s *subSet) get(filter string) *subscription {
	if s.large != nil {
		return s.large[filter]
	}
	for _, sub := range s.small {
		if sub.filter == filter {
			return sub
		}
	}
	return nil
}

// set adds sub, replacing the subscription with the same filter; it
// reports whether there was one.
func (s *subSet) set(sub *subscription) (replaced bool) {
	if s.large != nil {
		_, replaced = s.large[sub.filter]
		s.large[sub.filter] = sub
		return replaced
	}
	for i, old := range s.small {
		if old.filter == sub.filter {
			s.small[i] = sub
			return true
		}
	}
	if len(s.small) < subSetSmall {
		s.small = append(s.small, sub)
		return false
	}
	s.large = make(map[string]*subscription, 2*subSetSmall)
	for _, old := range s.small {
		s.large[old.filter] = old
	}
	s.small = nil
	s.large[sub.filter] = sub
	return false
}

// remove deletes the subscription to filter; it reports whether there was
// one.
func (s *subSet) remove(filter string) bool {
	if s.large != nil {
		_, had := s.large[filter]
		delete(s.large, filter)
		return had
	}
	for i, sub := range s.small {
		if sub.filter == filter {
			last := len(s.small) - 1
			s.small[i] = s.small[last]
			s.small[last] = nil
			s.small = s.small[:last]
			return true
		}
	}
	return false
}

// filters returns every filter of the set.
func (s *subSet) filters() []string {
	out := make([]string, 0, s.len())
	for _, sub := range s.small {
		out = append(out, sub.filter)
	}
	for f := range s.large {
		out = append(out, f)
	}
	return out
}

func (s *subSet) len() int { return len(s.small) + len(s.large) }
