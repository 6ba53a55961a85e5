package app

import "github.com/mqttlab/mqttlab/app/i18n"

// lessonMessage is one message of the lessons: key, English, Chinese.
type lessonMessage struct{ key, en, zh string }

// lessonMessages makes a catalog table of msgs. The lessons keep their
// many words in slices of constants, which the compiler lays out as data,
// where a map literal of fewer than 26 entries compiles to code inserting
// each one: this keeps the WebAssembly smaller.
func lessonMessages(msgs []lessonMessage) map[string]i18n.Text {
	table := make(map[string]i18n.Text, len(msgs))
	for _, m := range msgs {
		table[m.key] = i18n.Text{En: m.en, Zh: m.zh}
	}
	return table
}

var _ = i18n.Define(lessonMessages([]lessonMessage{
	{"lessons.client_id", "client identifier", "客户端标识符"},
	{"lessons.subscribed", "Subscribed to", "已订阅："},
	{"lessons.broker", "⇄ broker ⇄", "⇄ 代理 ⇄"},
	{"lessons.dir.out", "→ broker", "→ 代理"},
	{"lessons.dir.in", "← broker", "← 代理"},
	{"lessons.trail.title", "Packets on the wire, newest first", "线路上的报文（最新的在前）"},
	{"lessons.trail.empty", "No packets yet.", "还没有报文。"},
	{"lessons.trail.more", "Every byte of these packets, and the same clients, are in:", "这些报文的每个字节以及这些客户端，都可以在这里查看："},
	{"lessons.publishes_to", "Publishes to", "发布到："},
	{"lessons.subscribe", "Subscribe", "订阅"},
	{"lessons.unsubscribe", "Unsubscribe", "取消订阅"},
	{"lessons.got_none", "Nothing received yet.", "还没有收到消息。"},
	{"lessons.got", "Received {n}, the last: {last}", "已收到 {n} 条，最近一条：{last}"},
	{"lessons.diagram", "The broker's view, live", "代理视角（实时）"},
	{"lessons.diagram.more", "The same diagram for the whole broker:", "整个代理的同一张图："},
	{"lessons.route.title", "What the broker did with each message", "代理如何处理每条消息"},
	{"lessons.route.caption",
		"The broker reports every message it routes on its telemetry topic $SYS/lab/route; this page subscribes to it.",
		"代理把它转发的每条消息都报告在遥测主题 $SYS/lab/route 上，本页订阅了这个主题。"},
	{"lessons.route.none", "No message routed yet.", "还没有转发任何消息。"},
	{"lessons.route.delivered", "delivered to {n}: {list}", "投递给 {n} 个客户端：{list}"},
	{"lessons.route.queued", "held for {list}, offline", "为离线的 {list} 暂存"},
	{"lessons.route.dropped", "not delivered to {client} ({why})", "未投递给 {client}（{why}）"},
	{"lessons.route.refused", "refused: {why}", "被拒绝：{why}"},
	{"lessons.route.nobody", "no subscriber: nobody got it", "没有订阅者：无人收到"},
	{"lessons.route.sep", "; ", "；"},
}))
