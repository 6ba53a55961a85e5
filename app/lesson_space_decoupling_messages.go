package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(map[string]i18n.Text{
	"lesson.space.title": {En: "Space decoupling: nobody knows where the others are", Zh: "空间解耦：谁也不知道对方在哪里"},
	"lesson.space.summary": {
		En: "Publishers and subscribers never learn each other's address, nor even how many there are. Add and remove subscribers while a sensor publishes: it never notices.",
		Zh: "发布者和订阅者从不知道彼此的地址，甚至不知道对方有多少个。在传感器发布消息时增删订阅者：它毫无察觉。",
	},
	"lesson.space.p1": {
		En: "In request/response the caller must know where the server is: its host name, its port, its address. If the server moves, or a second server should get the data too, every caller has to change.",
		Zh: "在请求/响应模式中，调用方必须知道服务器在哪里：主机名、端口、地址。服务器一旦迁移，或者要让第二台服务器也拿到数据，每个调用方都得跟着修改。",
	},
	"lesson.space.p2": {
		En: "With MQTT, every client knows one address, the broker's. A publisher knows the topic it publishes on, a subscriber the topic filter it subscribes with, and that is all. The PUBLISH packet itself carries a topic, a payload and a few flags, but no sender and no receiver: only the broker knows who is connected, and from where.",
		Zh: "在 MQTT 中，每个客户端只知道一个地址：代理的地址。发布者知道自己发布到哪个主题，订阅者知道自己用哪个主题过滤器订阅，仅此而已。PUBLISH 报文本身只带主题、载荷和几个标志位，没有发送方，也没有接收方：只有代理知道谁连接着、从哪里连进来。",
	},
	"lesson.space.p3": {
		En: "So subscribers can come and go while publishers carry on, unchanged and unaware. Below, a CO₂ sensor publishes every second. Add and remove subscribers while it runs, and look at what each party actually knows, down to the bytes of the PUBLISH a subscriber receives.",
		Zh: "因此，订阅者可以随时加入或离开，而发布者照常工作，既不用改动，也毫不知情。下面，一个 CO₂ 传感器每秒发布一次读数。在它运行时增加或移除订阅者，看看每一方实际知道些什么，一直看到订阅者收到的 PUBLISH 报文的每个字节。",
	},
	"lesson.space.s1": {En: "Start the sensor.", Zh: "启动传感器。"},
	"lesson.space.s2": {
		En: "Add a subscriber or two: each gets the readings from the moment it subscribes.",
		Zh: "添加一两个订阅者：每个订阅者从订阅那一刻起开始收到读数。",
	},
	"lesson.space.s3": {
		En: "Remove one: the sensor keeps publishing at its pace, unchanged and unaware, and the others keep receiving.",
		Zh: "移除其中一个：传感器照旧按自己的节奏发布，既不用改动，也毫不知情，其余订阅者继续收到读数。",
	},
	"lesson.space.sensor":    {En: "Publisher: a CO₂ sensor, every second", Zh: "发布者：CO₂ 传感器，每秒一次"},
	"lesson.space.app":       {En: "Subscriber {name}", Zh: "订阅者 {name}"},
	"lesson.space.start":     {En: "Start publishing", Zh: "开始发布"},
	"lesson.space.stop":      {En: "Stop publishing", Zh: "停止发布"},
	"lesson.space.published": {En: "Readings published: {n}", Zh: "已发布读数：{n} 个"},
	"lesson.space.add":       {En: "Add a subscriber", Zh: "添加订阅者"},
	"lesson.space.remove":    {En: "Remove", Zh: "移除"},

	"lesson.space.knows_title": {En: "What each one knows", Zh: "每一方知道什么"},
	"lesson.space.broker_at":   {En: "Every client knows the broker's address:", Zh: "每个客户端都知道代理的地址："},
	"lesson.space.knows_sensor": {
		En: "The sensor knows its topic. It does not know who subscribes, how many subscribers there are, or where they are.",
		Zh: "传感器知道自己的主题。它不知道谁在订阅、有多少订阅者、他们在哪里。",
	},
	"lesson.space.knows_app": {
		En: "A subscriber knows its topic filter. It does not know who publishes, or from where.",
		Zh: "订阅者知道自己的主题过滤器。它不知道谁在发布，也不知道从哪里发布。",
	},
	"lesson.space.knows_broker": {
		En: "Only the broker knows every client's connection and subscriptions: it is the one that matches them.",
		Zh: "只有代理知道每个客户端的连接和订阅：由它来完成匹配。",
	},
	"lesson.space.packet_title": {En: "The last PUBLISH a subscriber received, byte by byte", Zh: "订阅者最近收到的一条 PUBLISH，逐字节展示"},
	"lesson.space.packet_caption": {
		En: "No field names the sensor or a subscriber: a topic, a packet identifier, properties and a payload, that is all.",
		Zh: "没有任何字段提到传感器或订阅者：只有主题、报文标识符、属性和载荷。",
	},
	"lesson.space.no_packet": {En: "No subscriber has received a reading yet.", Zh: "还没有订阅者收到读数。"},
})
