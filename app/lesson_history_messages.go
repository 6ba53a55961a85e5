package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(map[string]i18n.Text{
	"lesson.history.title": {En: "Where MQTT comes from", Zh: "MQTT 的由来"},
	"lesson.history.summary": {
		En: "From oil pipelines over satellite in 1999 to an open standard: 3.1, 3.1.1 and 5.0, and what changed on the wire.",
		Zh: "从 1999 年通过卫星监控输油管道，到成为开放标准：3.1、3.1.1 和 5.0，以及线路上的变化。",
	},
	"lesson.history.p1": {
		En: "MQTT was born in 1999. Andy Stanford-Clark of IBM and Arlen Nipper of Arcom had to watch oil pipelines in the desert from sensors linked over satellite: every byte cost money and the devices ran on batteries. So they designed a protocol with a tiny header, one long-lived connection, and publish/subscribe through a broker, so that a device sends only what changed.",
		Zh: "MQTT 诞生于 1999 年。IBM 的 Andy Stanford-Clark 和 Arcom 的 Arlen Nipper 需要监控沙漠中的输油管道，传感器只能通过卫星链路连接：每个字节都要花钱，设备靠电池供电。于是他们设计了这样一个协议：报头极小，只保持一条长连接，通过代理进行发布/订阅，设备只需发送发生了变化的数据。",
	},
	"lesson.history.p2": {
		En: "For ten years it was IBM's own protocol. In 2010 IBM published MQTT 3.1 royalty-free, so that anyone could implement it; in 2013 it went to OASIS, a standards body, and in 2014 MQTT 3.1.1 became an OASIS standard (and ISO/IEC 20922 in 2016). MQTT 5.0 followed in 2019, with a reason code on every acknowledgement and properties such as message expiry and request/response.",
		Zh: "此后十年，MQTT 一直是 IBM 自己的协议。2010 年，IBM 免版税公开了 MQTT 3.1，任何人都可以实现它；2013 年，它被提交给标准组织 OASIS；2014 年，MQTT 3.1.1 成为 OASIS 标准（2016 年又成为 ISO/IEC 20922）。2019 年发布的 MQTT 5.0 为每个确认报文加上了原因码，并新增了消息过期、请求/响应等属性。",
	},
	"lesson.history.p3": {
		En: "About the name: the MQ comes from IBM's MQ Series of messaging products, and MQTT was read as MQ Telemetry Transport. But MQTT is not a message queue: the broker passes messages on to subscribers rather than keeping them in queues for consumers to fetch. So the standard no longer spells it out: MQTT is just a name now.",
		Zh: "关于名字：MQ 来自 IBM 的 MQ Series 消息产品，MQTT 曾被解读为“MQ Telemetry Transport”（MQ 遥测传输）。但 MQTT 并不是消息队列：代理把消息转交给订阅者，而不是把消息存进队列等消费者来取。所以标准不再展开这个缩写，如今 MQTT 只是一个名字。",
	},
	"lesson.history.p4": {
		En: "The versions still meet on the wire, and a server tells them apart from the first packet: the CONNECT says which one the client speaks. Below, mqttlab's own encoder encodes the same CONNECT and PUBLISH in 3.1, 3.1.1 and 5.0.",
		Zh: "这几个版本至今仍在网络上并存，服务器从第一个报文就能分辨：CONNECT 报文写明了客户端说的是哪个版本。下面用 mqttlab 自己的编码器，把同一个 CONNECT 和 PUBLISH 分别按 3.1、3.1.1 和 5.0 编码。",
	},
	"lesson.history.timeline": {En: "MQTT's timeline", Zh: "MQTT 大事记"},
	"lesson.history.y1999": {
		En: "Andy Stanford-Clark (IBM) and Arlen Nipper (Arcom) design MQTT to watch oil pipelines over satellite links, where every byte costs money and devices run on batteries.",
		Zh: "Andy Stanford-Clark（IBM）和 Arlen Nipper（Arcom）为通过卫星链路监控输油管道设计了 MQTT：那里每个字节都要花钱，设备靠电池供电。",
	},
	"lesson.history.y2010": {En: "IBM publishes MQTT 3.1 royalty-free: anyone may implement it.", Zh: "IBM 免版税发布 MQTT 3.1：任何人都可以实现它。"},
	"lesson.history.y2013": {En: "MQTT goes to OASIS, a standards body, to become an open standard.", Zh: "MQTT 提交给标准组织 OASIS，走向开放标准。"},
	"lesson.history.y2014": {En: "MQTT 3.1.1 becomes an OASIS standard (and ISO/IEC 20922 in 2016).", Zh: "MQTT 3.1.1 成为 OASIS 标准（2016 年又成为 ISO/IEC 20922）。"},
	"lesson.history.y2019": {
		En: "MQTT 5.0: reason codes on every acknowledgement, properties such as message expiry, request/response, shared subscriptions.",
		Zh: "MQTT 5.0 发布：每个确认报文都带原因码，新增消息过期等属性，以及请求/响应和共享订阅。",
	},
	"lesson.history.s1": {En: "Type a topic and a payload of your own, and encode them.", Zh: "输入你自己的主题和载荷，然后编码。"},
	"lesson.history.s2": {
		En: "Pick a highlighted field: its bytes differ between the versions. The note under the packets says why.",
		Zh: "点一个高亮的字段：它的字节在不同版本中不一样。报文下方的说明会告诉你原因。",
	},
	"lesson.history.topic":   {En: "Topic", Zh: "主题"},
	"lesson.history.payload": {En: "Payload", Zh: "载荷"},
	"lesson.history.encode":  {En: "Encode in every version", Zh: "按各版本编码"},
	"lesson.history.bytes":   {En: "{n} bytes", Zh: "{n} 字节"},
	"lesson.history.pick": {
		En: "Pick a field to see its bytes and what it means. Highlighted fields differ between the versions.",
		Zh: "点一个字段，查看它的字节和含义。高亮的字段在不同版本中不同。",
	},
	"lesson.history.same":    {En: "This field has the same bytes in every version.", Zh: "这个字段在所有版本中的字节都相同。"},
	"lesson.history.differs": {En: "This field's bytes differ between the versions.", Zh: "这个字段的字节在不同版本中不同。"},
	"lesson.history.why.remaining_length": {
		En: "Remaining Length counts the bytes after the fixed header. It differs because what follows differs: a longer protocol name in 3.1, a property length in 5.0.",
		Zh: "剩余长度是固定报头之后的字节数。它之所以不同，是因为后面的内容不同：3.1 的协议名更长，5.0 多了属性长度。",
	},
	"lesson.history.why.name_length": {En: "The length of the protocol name that follows: 6 for MQIsdp, 4 for MQTT.", Zh: "其后协议名的长度：MQIsdp 是 6，MQTT 是 4。"},
	"lesson.history.why.name": {
		En: "3.1 names the protocol MQIsdp (MQ Integrator SCADA Device Protocol, after IBM's products); 3.1.1 and 5.0 say MQTT. A server that reads neither knows the client does not speak MQTT.",
		Zh: "3.1 的协议名是 MQIsdp（MQ Integrator SCADA Device Protocol，源自 IBM 的产品名）；3.1.1 和 5.0 写的是 MQTT。服务器如果两者都没读到，就知道对方说的不是 MQTT。",
	},
	"lesson.history.why.level": {
		En: "The protocol level: 3 for 3.1, 4 for 3.1.1, 5 for 5.0. The broker speaks that version for the whole connection, or refuses it.",
		Zh: "协议级别：3 表示 3.1，4 表示 3.1.1，5 表示 5.0。代理在整条连接上都使用这个版本，否则就拒绝连接。",
	},
	"lesson.history.why.properties": {
		En: "New in 5.0: a packet that may carry properties (expiry, content type, user properties…) first says how many bytes of them follow. Here there are none, so it is a single byte, 0, which 3.1.1 does not send.",
		Zh: "5.0 新增：可以携带属性（过期时间、内容类型、用户属性等）的报文，会先写明其后属性的字节数。这里没有属性，所以只有一个字节 0，而 3.1.1 不发送这个字节。",
	},
})
