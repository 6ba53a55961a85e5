package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(map[string]i18n.Text{
	"lesson.time.title": {En: "Time decoupling: no need to be online together", Zh: "时间解耦：不必同时在线"},
	"lesson.time.summary": {
		En: "A subscriber with a persistent session can go offline: the broker keeps its QoS 1 messages and delivers them when it returns. A retained message waits for subscribers that have not arrived yet.",
		Zh: "使用持久会话的订阅者可以离线：代理替它保存 QoS 1 消息，等它回来再投递。保留消息则会等待尚未到来的订阅者。",
	},
	"lesson.time.p1": {
		En: "A phone in a tunnel, a device that sleeps to save its battery, a service restarting: in the real world, clients are not always online. With request/response, a message for a party that is away is simply lost, and the sender must try again later.",
		Zh: "隧道里的手机、为了省电而休眠的设备、正在重启的服务：在现实中，客户端并不总是在线。在请求/响应模式中，发给不在线一方的消息就这样丢了，发送方只能过一会儿再试。",
	},
	"lesson.time.p2": {
		En: "MQTT lets publisher and subscriber be online at different times. A subscriber that connects with Clean Start 0 and a Session Expiry Interval above 0 asks the broker to keep its session when it goes away: its subscriptions, and the QoS 1 and 2 messages that arrive meanwhile (QoS 0 messages are not kept). When it connects again, the CONNACK says Session Present 1 and the broker sends what it held.",
		Zh: "MQTT 允许发布者和订阅者在不同的时间在线。订阅者连接时若把 Clean Start 设为 0、会话过期间隔设为大于 0，就是请代理在它离开后保留它的会话：它的订阅，以及期间到达的 QoS 1 和 QoS 2 消息（QoS 0 消息不保存）。它再次连接时，CONNACK 中的 Session Present 为 1，代理随即把暂存的消息发给它。",
	},
	"lesson.time.p3": {
		En: "A retained message covers the other case: a subscriber that did not exist yet. The broker keeps the last message published with the retain flag on each topic and hands it to every new subscriber at once, so a dashboard opened later still shows the door's current state.",
		Zh: "保留消息解决的是另一种情况：订阅者当时还不存在。代理为每个主题保留最后一条带保留标志发布的消息，并在有新订阅者时立即交给它。这样，稍后才打开的仪表盘也能马上显示门的当前状态。",
	},
	"lesson.time.s1": {En: "Take the phone offline: it sends DISCONNECT, and the broker keeps its session.", Zh: "让手机离线：它发送 DISCONNECT，代理保留它的会话。"},
	"lesson.time.s2": {
		En: "Publish a few alerts while it is away: the broker holds them for the phone (watch its queue).",
		Zh: "在手机离线期间发布几条告警：代理替手机保存这些告警（留意队列）。",
	},
	"lesson.time.s3": {En: "Bring the phone back: Session Present 1, and the held alerts arrive.", Zh: "让手机重新上线：Session Present 为 1，暂存的告警随即到达。"},
	"lesson.time.s4": {
		En: "Publish the door's status as a retained message, then add a tablet that subscribes later: it gets the status at once.",
		Zh: "以保留消息发布门的状态，再添加一个晚到的平板：它一订阅就立刻收到状态。",
	},
	"lesson.time.sensor":       {En: "Publisher: a door sensor", Zh: "发布者：门磁传感器"},
	"lesson.time.phone":        {En: "Subscriber: a phone, persistent session", Zh: "订阅者：手机（持久会话）"},
	"lesson.time.tablet":       {En: "Late subscriber: a tablet", Zh: "晚到的订阅者：平板"},
	"lesson.time.alert":        {En: "Publish an alert (QoS 1)", Zh: "发布告警（QoS 1）"},
	"lesson.time.status":       {En: "Publish the status, retained", Zh: "发布状态（保留消息）"},
	"lesson.time.offline":      {En: "Go offline", Zh: "离线"},
	"lesson.time.online":       {En: "Come back online", Zh: "重新上线"},
	"lesson.time.session":      {En: "Connects with Clean Start 0 and a Session Expiry Interval of 300 s.", Zh: "连接时 Clean Start 为 0，会话过期间隔为 300 秒。"},
	"lesson.time.present":      {En: "Last CONNACK: Session Present {v}", Zh: "最近一次 CONNACK：Session Present 为 {v}"},
	"lesson.time.late":         {En: "Add a late subscriber", Zh: "添加晚到的订阅者"},
	"lesson.time.tablet_got":   {En: "Received {payload} (retain flag {retain})", Zh: "收到 {payload}（保留标志为 {retain}）"},
	"lesson.time.queue_title":  {En: "What the broker holds for the phone", Zh: "代理为手机暂存的消息"},
	"lesson.time.held":         {En: "{n} messages waiting for the phone", Zh: "有 {n} 条消息在等待手机"},
	"lesson.time.held_unknown": {En: "Waiting for the broker's session report…", Zh: "正在等待代理的会话报告……"},
	"lesson.time.queue_caption": {
		En: "From the broker's session report on $SYS/lab/sessions, once a second.",
		Zh: "数据来自代理每秒一次在 $SYS/lab/sessions 上发布的会话报告。",
	},
})
