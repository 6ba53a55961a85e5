package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(map[string]i18n.Text{
	"lessons.client_id":   {En: "client identifier", Zh: "客户端标识符"},
	"lessons.subscribed":  {En: "Subscribed to", Zh: "已订阅："},
	"lessons.broker":      {En: "⇄ broker ⇄", Zh: "⇄ 代理 ⇄"},
	"lessons.dir.out":     {En: "→ broker", Zh: "→ 代理"},
	"lessons.dir.in":      {En: "← broker", Zh: "← 代理"},
	"lessons.trail.title": {En: "Packets on the wire, newest first", Zh: "线路上的报文（最新的在前）"},
	"lessons.trail.empty": {En: "No packets yet.", Zh: "还没有报文。"},
	"lessons.trail.more":  {En: "Every byte of these packets, and the same clients, are in:", Zh: "这些报文的每个字节以及这些客户端，都可以在这里查看："},
})
