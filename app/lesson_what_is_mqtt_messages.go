package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(map[string]i18n.Text{
	"lesson.intro.title": {En: "What MQTT is", Zh: "MQTT 是什么"},
	"lesson.intro.summary": {
		En: "A small messaging protocol for devices with little power and bandwidth: readings go up from device to cloud, commands come down from cloud to device.",
		Zh: "一种为低功耗、窄带宽设备设计的轻量级消息协议：读数从设备上报到云端，指令从云端下发到设备。",
	},
	"lesson.intro.p1": {
		En: "MQTT is a protocol for machine-to-machine messaging. It was made for devices with little power, little memory and a slow or costly network link: sensors, meters, vehicles, machines out in the field. Its packets are small (a whole PUBLISH can be a dozen bytes), and a device keeps one connection open instead of asking again and again.",
		Zh: "MQTT 是一种机器对机器（M2M）的消息协议，专为电量少、内存小、网络慢或流量贵的设备而设计，比如传感器、仪表、车辆和野外的各种机器。它的报文很小（一整条 PUBLISH 可以只有十几个字节），设备只需保持一条连接，而不必一遍遍地发起请求。",
	},
	"lesson.intro.p2": {
		En: "Every participant is a client, and every client connects to one server, the broker. A client publishes a message on a topic, a name such as greenhouse/7/temperature, and subscribes to the topics it wants to hear about. The broker hands each message to the clients subscribed to its topic.",
		Zh: "每个参与者都是客户端，所有客户端都连接到同一个服务器——代理（broker）。客户端把消息发布（publish）到某个主题上，主题就是像 greenhouse/7/temperature 这样的名字；客户端也订阅（subscribe）自己关心的主题。代理把每条消息交给订阅了该主题的客户端。",
	},
	"lesson.intro.p3": {
		En: "Messages travel both ways over the same connection. A device sends its readings up to the cloud (device to cloud), and the cloud sends commands down to the device (cloud to device). The device need not be reachable from the internet: it keeps its own connection to the broker open, and commands arrive on it.",
		Zh: "消息在同一条连接上双向传递。设备把读数上报给云端（设备到云端），云端把指令下发给设备（云端到设备）。设备不需要能从互联网上被访问：它自己保持着到代理的连接，指令就沿着这条连接到达。",
	},
	"lesson.intro.p4": {
		En: "Try it below. Two real MQTT clients run in this page and connect to the lab's broker: a greenhouse sensor and a cloud service. Every packet listed really went over the WebSocket.",
		Zh: "在下面动手试试。本页里运行着两个真实的 MQTT 客户端，它们都连接到实验室的代理：一个温室传感器，一个云端服务。列出的每个报文都真实地经过了 WebSocket。",
	},
	"lesson.intro.s1": {
		En: "Publish a reading from the device: the cloud, subscribed to every greenhouse's temperature, receives it.",
		Zh: "让设备发布一个读数：订阅了所有温室温度的云端会收到它。",
	},
	"lesson.intro.s2": {
		En: "Send the fan a command from the cloud: it goes to the device's command topic, to which the device subscribed.",
		Zh: "从云端给风扇发一条指令：指令发往设备的指令主题，而设备订阅了这个主题。",
	},
	"lesson.intro.s3": {
		En: "Watch the device react: its code switches the fan and publishes the fan's new state, which the cloud receives.",
		Zh: "看设备如何响应：设备上的代码切换风扇，并发布风扇的新状态，云端随即收到。",
	},
	"lesson.intro.device":       {En: "The device: a greenhouse sensor", Zh: "设备：温室传感器"},
	"lesson.intro.cloud":        {En: "The cloud: a monitoring service", Zh: "云端：监控服务"},
	"lesson.intro.reading":      {En: "Temperature (°C)", Zh: "温度（°C）"},
	"lesson.intro.publish":      {En: "Publish the reading", Zh: "发布读数"},
	"lesson.intro.bad_reading":  {En: "A reading is a number, such as 21.5.", Zh: "读数应是一个数字，例如 21.5。"},
	"lesson.intro.fan_on":       {En: "Fan: on", Zh: "风扇：开"},
	"lesson.intro.fan_off":      {En: "Fan: off", Zh: "风扇：关"},
	"lesson.intro.no_reading":   {En: "No reading received yet.", Zh: "还没有收到读数。"},
	"lesson.intro.last_reading": {En: "Last reading received: {v} °C", Zh: "最近收到的读数：{v} °C"},
	"lesson.intro.cmd_on":       {En: "Fan on", Zh: "打开风扇"},
	"lesson.intro.cmd_off":      {En: "Fan off", Zh: "关闭风扇"},
})
