package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(map[string]i18n.Text{
	"lesson.sync.title": {En: "Synchronization decoupling: nobody waits", Zh: "同步解耦：谁也不用等谁"},
	"lesson.sync.summary": {
		En: "A publisher does not wait for its subscribers: it hands the message to the broker and goes on. Compare a slow subscriber with a request that must wait for its answer.",
		Zh: "发布者不必等待订阅者：它把消息交给代理就继续工作。对比一下慢速订阅者和必须等待应答的请求。",
	},
	"lesson.sync.p1": {
		En: "When a program calls another and waits for the answer, it runs at the pace of the slowest party: if the server takes a second, so does every caller, and a server that falls behind holds everyone up.",
		Zh: "一个程序调用另一个程序并等待应答时，它的节奏就由最慢的一方决定：服务器要花一秒，每个调用方也得等一秒；服务器一旦跟不上，所有人都会被拖住。",
	},
	"lesson.sync.p2": {
		En: "An MQTT publisher waits only for the broker, and only as much as its QoS asks: at QoS 1, for the broker's PUBACK, which says the broker has the message, not that anyone has processed it. The broker then delivers it to each subscriber at that subscriber's pace. A slow subscriber falls behind and the broker holds its messages (up to a limit), but the publisher and the other subscribers are not slowed down.",
		Zh: "MQTT 的发布者只等待代理，而且只按 QoS 的要求去等：QoS 1 时，它等的是代理的 PUBACK，这表示代理已经收到消息，而不是有人已经处理了它。之后，代理按每个订阅者自己的节奏投递。慢的订阅者会落后，代理替它暂存消息（有上限），但发布者和其他订阅者不会因此变慢。",
	},
	"lesson.sync.p3": {
		En: "Sometimes a client does need an answer. MQTT 5.0 builds request/response on publish/subscribe: the request carries a Response Topic and Correlation Data, and the responder publishes its answer to that topic with the same correlation data. The requester waits, but only the requester: everything else keeps flowing.",
		Zh: "有时客户端确实需要应答。MQTT 5.0 在发布/订阅之上构建了请求/响应：请求带有响应主题（Response Topic）和关联数据（Correlation Data），响应方把应答发布到该主题，并附上相同的关联数据。请求方要等待，但只有它在等：其余消息照常流动。",
	},
	"lesson.sync.p4": {
		En: "Below, a smart meter publishes five readings a second to an archive that takes 0.8 s to store each one, and an app asks a tariff service for the current price and waits for the answer.",
		Zh: "下面，一个智能电表每秒发布五个读数，而归档服务每存一个读数要花 0.8 秒；另有一个应用向电价服务查询当前电价，并等待应答。",
	},
	"lesson.sync.s1": {
		En: "Publish a burst of readings: the meter keeps its pace, five a second, whatever the archive does.",
		Zh: "发布一串读数：无论归档服务怎样，电表都保持每秒五个的节奏。",
	},
	"lesson.sync.s2": {
		En: "Watch the archive fall behind: it acknowledges each reading only once it has stored it, 0.8 s later.",
		Zh: "看归档服务逐渐落后：它每存好一个读数才确认一次，每次要 0.8 秒。",
	},
	"lesson.sync.s3": {
		En: "Ask the tariff service: the app waits for the answer, which comes back on its response topic with its correlation data.",
		Zh: "向电价服务查询：应用等待应答，应答带着关联数据回到它的响应主题上。",
	},
	"lesson.sync.meter":     {En: "Publisher: a smart meter, 5 readings a second", Zh: "发布者：智能电表，每秒 5 个读数"},
	"lesson.sync.archive":   {En: "Slow subscriber: an archive, 0.8 s per reading", Zh: "慢速订阅者：归档服务，每个读数 0.8 秒"},
	"lesson.sync.app":       {En: "Requester: an app", Zh: "请求方：应用"},
	"lesson.sync.service":   {En: "Responder: a tariff service, 0.8 s per answer", Zh: "响应方：电价服务，每次应答 0.8 秒"},
	"lesson.sync.burst":     {En: "Publish 10 readings", Zh: "发布 10 个读数"},
	"lesson.sync.sending":   {En: "Publishing…", Zh: "正在发布……"},
	"lesson.sync.ask":       {En: "Ask for the tariff and wait", Zh: "查询电价并等待"},
	"lesson.sync.waiting":   {En: "Waiting for the answer…", Zh: "正在等待应答……"},
	"lesson.sync.answer":    {En: "Answer after {s} s: {payload}", Zh: "{s} 秒后收到应答：{payload}"},
	"lesson.sync.no_answer": {En: "No answer yet.", Zh: "还没有应答。"},
	"lesson.sync.received":  {En: "Received {n}, handled {m}", Zh: "已收到 {n} 个，已处理 {m} 个"},
	"lesson.sync.pace_title": {
		En: "Who kept whose pace in the last burst, measured from the packets",
		Zh: "上一串读数中谁跟着谁的节奏：根据报文测得",
	},
	"lesson.sync.no_burst":     {En: "No burst of readings yet.", Zh: "还没有发布过一串读数。"},
	"lesson.sync.pub_rate":     {En: "The meter published {n} readings at {r} a second.", Zh: "电表以每秒 {r} 个的速度发布了 {n} 个读数。"},
	"lesson.sync.sub_rate":     {En: "The archive has handled {m} of them, at {r} a second: {k} behind.", Zh: "归档服务已处理其中 {m} 个，速度为每秒 {r} 个，还落后 {k} 个。"},
	"lesson.sync.axis_sent":    {En: "meter: PUBLISH", Zh: "电表：PUBLISH"},
	"lesson.sync.axis_handled": {En: "archive: PUBACK", Zh: "归档：PUBACK"},
})
