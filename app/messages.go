package app

import "github.com/mqttlab/mqttlab/app/i18n"

// The messages of the shell, the home page and the section headings. A page
// with more to say keeps its own table in its own file.
var _ = i18n.Define(map[string]i18n.Text{
	"app.name": {En: "mqttlab", Zh: "mqttlab"},

	"shell.skip":     {En: "Skip to content", Zh: "跳到正文"},
	"shell.nav":      {En: "Main", Zh: "主导航"},
	"shell.language": {En: "Language", Zh: "语言"},
	"shell.footer":   {En: "mqttlab — learn, see and test MQTT on real traffic.", Zh: "mqttlab——在真实流量上学习、观察和测试 MQTT。"},

	"lang.en": {En: "English", Zh: "English"},
	"lang.zh": {En: "中文", Zh: "中文"},

	"nav.lab":       {En: "Lab", Zh: "实验室"},
	"nav.inspector": {En: "Inspector", Zh: "检查器"},
	"nav.broker":    {En: "Broker", Zh: "代理"},
	"nav.fleet":     {En: "Fleet", Zh: "设备群"},
	"nav.topics":    {En: "Topics", Zh: "主题"},
	"nav.visualize": {En: "Visualize", Zh: "可视化"},
	"nav.lessons":   {En: "Lessons", Zh: "课程"},

	"home.title":        {En: "See MQTT at work", Zh: "看见 MQTT 如何工作"},
	"home.lead":         {En: "mqttlab runs a real MQTT broker and a fleet of virtual devices on this machine. Every view here shows real packets, decoded from the bytes on the wire.", Zh: "mqttlab 在本机运行一个真正的 MQTT 代理和一组虚拟设备。这里的每个视图展示的都是真实报文，由线路上的字节解码而来。"},
	"home.open_lab":     {En: "Open the lab", Zh: "打开实验室"},
	"home.start_lesson": {En: "Start a lesson", Zh: "开始一节课"},
	"home.sections":     {En: "What you can do here", Zh: "在这里可以做什么"},

	"lab.title":         {En: "Lab", Zh: "实验室"},
	"lab.summary":       {En: "Connect clients, publish and subscribe, and watch every packet they exchange.", Zh: "连接客户端，发布和订阅，观察它们交换的每一个报文。"},
	"inspector.title":   {En: "Packet inspector", Zh: "报文检查器"},
	"inspector.summary": {En: "Read any MQTT packet field by field, from its raw bytes.", Zh: "从原始字节出发，逐字段解读任意 MQTT 报文。"},
	"broker.title":      {En: "Broker", Zh: "代理"},
	"broker.summary":    {En: "See the broker's clients, sessions, subscriptions and queued messages as they change.", Zh: "实时查看代理的客户端、会话、订阅和排队消息。"},
	"fleet.title":       {En: "Fleet", Zh: "设备群"},
	"fleet.summary":     {En: "Run virtual devices from a scenario and watch their traffic.", Zh: "按场景运行虚拟设备，观察它们的流量。"},
	"topics.title":      {En: "Topics", Zh: "主题"},
	"topics.summary":    {En: "Browse the live topic tree and its retained messages.", Zh: "浏览实时主题树及其保留消息。"},
	"visualize.title":   {En: "Visualize", Zh: "可视化"},
	"visualize.summary": {En: "Watch publish/subscribe decouple the senders of messages from their receivers.", Zh: "观察发布/订阅如何让消息的发送方与接收方解耦。"},
	"lessons.title":     {En: "Lessons", Zh: "课程"},
	"lessons.summary":   {En: "Learn QoS, retained messages, wills and sessions step by step, on real traffic.", Zh: "在真实流量上逐步学习 QoS、保留消息、遗嘱和会话。"},
})
