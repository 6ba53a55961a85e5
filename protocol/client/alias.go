package client

import "container/list"

// aliasLRU chooses the topic aliases the client sends (§3.3.2.3.4): the
// most recently used topics keep the server's Topic Alias Maximum slots,
// and a new topic takes over the slot of the least recently used one.
//
// lookup does not change anything: the choice is committed only once the
// PUBLISH carrying it has been written, so that a packet refused before
// reaching the wire (too large) cannot leave the two ends disagreeing.
type aliasLRU struct {
	max     int
	byTopic map[string]*list.Element
	byAlias map[uint16]*list.Element
	order   *list.List // of *aliasEntry, most recently used first

	pendingTopic string // the lookup awaiting commit
}

type aliasEntry struct {
	topic string
	alias uint16
}

func newAliasLRU(max uint16) *aliasLRU {
	return &aliasLRU{max: int(max), byTopic: map[string]*list.Element{},
		byAlias: map[uint16]*list.Element{}, order: list.New()}
}

// lookup returns the alias for topic and whether the server already knows
// it (then the topic can be left out).
func (a *aliasLRU) lookup(topic string) (alias uint16, known bool) {
	a.pendingTopic = topic
	if el, ok := a.byTopic[topic]; ok {
		return el.Value.(*aliasEntry).alias, true
	}
	if a.order.Len() < a.max {
		return uint16(a.order.Len() + 1), false
	}
	return a.order.Back().Value.(*aliasEntry).alias, false
}

// commit records that alias now stands for the topic of the last lookup.
func (a *aliasLRU) commit(alias uint16) {
	topic := a.pendingTopic
	if el, ok := a.byAlias[alias]; ok {
		e := el.Value.(*aliasEntry)
		if e.topic != topic {
			delete(a.byTopic, e.topic)
			e.topic = topic
			a.byTopic[topic] = el
		}
		a.order.MoveToFront(el)
		return
	}
	el := a.order.PushFront(&aliasEntry{topic: topic, alias: alias})
	a.byTopic[topic] = el
	a.byAlias[alias] = el
}
