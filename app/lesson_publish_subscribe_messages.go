package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(lessonMessages([]lessonMessage{
	{"lesson.pubsub.title", "Publish/subscribe, not request/response", "发布/订阅，而不是请求/响应"},
	{"lesson.pubsub.summary",
		"Clients never talk to each other: they publish to the broker, which filters messages by topic and hands a copy to every subscriber.",
		"客户端之间从不直接通信：它们把消息发布给代理，代理按主题过滤消息，再给每个订阅者一份副本。"},
	{"lesson.pubsub.p1",
		"On the web, a client usually sends a request to a server it knows and waits for the answer: request/response, one to one. If three programs want a sensor's reading, each of them asks the sensor, and the sensor answers three times.",
		"在 Web 上，客户端通常向一个已知的服务器发送请求并等待应答：这就是请求/响应，一对一。如果有三个程序想要某个传感器的读数，它们就得各问一次，传感器也要回答三次。"},
	{"lesson.pubsub.p2",
		"MQTT works differently. A publisher sends its message once, to the broker, labelled with a topic. Subscribers have told the broker which topics they want, as topic filters. The broker filters: for each message it finds the subscriptions that match its topic and sends each of those subscribers a copy. Publishers and subscribers never connect to each other.",
		"MQTT 的做法不同。发布者只把消息发送一次，发给代理，并给它标上主题。订阅者事先用主题过滤器告诉代理自己想要哪些主题。代理负责过滤：对每条消息，它找出与主题匹配的订阅，再给每个订阅者发送一份副本。发布者和订阅者彼此之间从不建立连接。"},
	{"lesson.pubsub.p3",
		"That is what lets one reading feed a dashboard, a database and an alarm at once, and lets you add a fourth consumer without touching the device. The next three lessons look at what this decoupling gives you: in space, in time and in synchronization.",
		"正因如此，一个读数可以同时送到仪表盘、数据库和报警系统；再增加第四个使用者，也完全不用改动设备。接下来的三课分别讨论这种解耦带来的好处：空间解耦、时间解耦和同步解耦。"},
	{"lesson.pubsub.p4",
		"Below, a doorbell publishes, and two subscribers, a phone and a smart speaker, listen. The broker reports on a telemetry topic what it did with each message: who it delivered it to.",
		"下面，一个门铃负责发布，手机和智能音箱两个订阅者负责接收。代理会在遥测主题上报告它如何处理每条消息：投递给了谁。"},
	{"lesson.pubsub.s1", "Subscribe the phone and the speaker to the doorbell's topic.", "让手机和音箱订阅门铃的主题。"},
	{"lesson.pubsub.s2", "Ring the bell: the doorbell publishes one message, to the broker.", "按门铃：门铃向代理发布一条消息。"},
	{"lesson.pubsub.s3",
		"See the broker deliver it to both subscribers: one PUBLISH in, two out. Unsubscribe one and ring again: the doorbell does the same, the broker delivers less.",
		"看代理把它投递给两个订阅者：进来一个 PUBLISH，出去两个。让其中一个取消订阅后再按一次：门铃的做法不变，代理投递的份数变少了。"},
	{"lesson.pubsub.bell", "Publisher: the doorbell", "发布者：门铃"},
	{"lesson.pubsub.phone", "Subscriber: a phone", "订阅者：手机"},
	{"lesson.pubsub.speaker", "Subscriber: a smart speaker", "订阅者：智能音箱"},
	{"lesson.pubsub.ring", "Ring the bell", "按门铃"},
}))
