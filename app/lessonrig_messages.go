package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(map[string]i18n.Text{
	"lessons.client_id":    {En: "client identifier", Zh: "客户端标识符"},
	"lessons.subscribed":   {En: "Subscribed to", Zh: "已订阅："},
	"lessons.broker":       {En: "⇄ broker ⇄", Zh: "⇄ 代理 ⇄"},
	"lessons.dir.out":      {En: "→ broker", Zh: "→ 代理"},
	"lessons.dir.in":       {En: "← broker", Zh: "← 代理"},
	"lessons.trail.title":  {En: "Packets on the wire, newest first", Zh: "线路上的报文（最新的在前）"},
	"lessons.trail.empty":  {En: "No packets yet.", Zh: "还没有报文。"},
	"lessons.trail.more":   {En: "Every byte of these packets, and the same clients, are in:", Zh: "这些报文的每个字节以及这些客户端，都可以在这里查看："},
	"lessons.publishes_to": {En: "Publishes to", Zh: "发布到："},
	"lessons.subscribe":    {En: "Subscribe", Zh: "订阅"},
	"lessons.unsubscribe":  {En: "Unsubscribe", Zh: "取消订阅"},
	"lessons.got_none":     {En: "Nothing received yet.", Zh: "还没有收到消息。"},
	"lessons.got":          {En: "Received {n}, the last: {last}", Zh: "已收到 {n} 条，最近一条：{last}"},

	"lessons.diagram":      {En: "The broker's view, live", Zh: "代理视角（实时）"},
	"lessons.diagram.more": {En: "The same diagram for the whole broker:", Zh: "整个代理的同一张图："},

	"lessons.route.title":     {En: "What the broker did with each message", Zh: "代理如何处理每条消息"},
	"lessons.route.caption":   {En: "The broker reports every message it routes on its telemetry topic $SYS/lab/route; this page subscribes to it.", Zh: "代理把它转发的每条消息都报告在遥测主题 $SYS/lab/route 上，本页订阅了这个主题。"},
	"lessons.route.none":      {En: "No message routed yet.", Zh: "还没有转发任何消息。"},
	"lessons.route.delivered": {En: "delivered to {n}: {list}", Zh: "投递给 {n} 个客户端：{list}"},
	"lessons.route.queued":    {En: "held for {list}, offline", Zh: "为离线的 {list} 暂存"},
	"lessons.route.dropped":   {En: "not delivered to {client} ({why})", Zh: "未投递给 {client}（{why}）"},
	"lessons.route.refused":   {En: "refused: {why}", Zh: "被拒绝：{why}"},
	"lessons.route.nobody":    {En: "no subscriber: nobody got it", Zh: "没有订阅者：无人收到"},
	"lessons.route.sep":       {En: "; ", Zh: "；"},
})
