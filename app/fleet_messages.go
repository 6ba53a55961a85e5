package app

import "github.com/mqttlab/mqttlab/app/i18n"

// The messages of the fleet page. fleet.title and fleet.summary are with
// the section headings in messages.go.
var _ = i18n.Define(map[string]i18n.Text{
	"fleet.loading":  {En: "Loading the fleet…", Zh: "正在加载设备群…"},
	"fleet.scenario": {En: "Scenario", Zh: "场景"},
	"fleet.none":     {En: "none", Zh: "无"},
	"fleet.running":  {En: "running", Zh: "运行中"},
	"fleet.stopped":  {En: "stopped", Zh: "已停止"},
	"fleet.start":    {En: "Start", Zh: "启动"},
	"fleet.stop":     {En: "Stop", Zh: "停止"},
	"fleet.totals": {
		En: "%d of %d devices connected · %.1f messages/s · %d published · %d failed · %d reconnects",
		Zh: "已连接 %d / %d 台设备 · 每秒 %.1f 条消息 · 已发布 %d · 失败 %d · 重连 %d",
	},

	"fleet.col.fleet":      {En: "Fleet", Zh: "设备群"},
	"fleet.col.devices":    {En: "Devices", Zh: "设备数"},
	"fleet.col.connected":  {En: "Connected", Zh: "已连接"},
	"fleet.col.rate":       {En: "Messages/s", Zh: "消息/秒"},
	"fleet.col.published":  {En: "Published", Zh: "已发布"},
	"fleet.col.failed":     {En: "Failed", Zh: "失败"},
	"fleet.col.reconnects": {En: "Reconnects", Zh: "重连"},
	"fleet.col.scale":      {En: "Scale to", Zh: "调整数量"},
	"fleet.scale":          {En: "Scale", Zh: "调整"},
	"fleet.scale_label":    {En: "Devices of fleet %s", Zh: "设备群 %s 的设备数"},
	"fleet.bad_count":      {En: "%q is not a number of devices.", Zh: "%q 不是有效的设备数量。"},

	"fleet.charts":       {En: "Live values", Zh: "实时数值"},
	"fleet.charts_note":  {En: "Drawn from this page's own MQTT subscription to the fleets' topics: the last two minutes, up to six devices per chart. Choose a fleet below to see its charts only.", Zh: "数据来自本页面对设备群主题的 MQTT 订阅：最近两分钟，每个图表最多六台设备。在下方选择一个设备群可只看它的图表。"},
	"fleet.charts_empty": {En: "No numeric values received yet.", Zh: "尚未收到数值。"},
	"fleet.live_error":   {En: "The page's MQTT connection failed:", Zh: "页面的 MQTT 连接失败："},

	"fleet.devices":       {En: "Devices", Zh: "设备"},
	"fleet.filter":        {En: "Show the devices of", Zh: "显示设备群"},
	"fleet.all_fleets":    {En: "All fleets", Zh: "全部设备群"},
	"fleet.col.device":    {En: "Device", Zh: "设备"},
	"fleet.col.state":     {En: "State", Zh: "状态"},
	"fleet.col.status":    {En: "Status topic", Zh: "状态主题"},
	"fleet.col.value":     {En: "Last values", Zh: "最新数值"},
	"fleet.col.last":      {En: "Last publish", Zh: "最近发布"},
	"fleet.col.actions":   {En: "Actions", Zh: "操作"},
	"fleet.state.online":  {En: "online", Zh: "在线"},
	"fleet.state.offline": {En: "offline", Zh: "离线"},
	"fleet.state.stopped": {En: "stopped", Zh: "已停止"},
	"fleet.prev":          {En: "Previous", Zh: "上一页"},
	"fleet.next":          {En: "Next", Zh: "下一页"},
	"fleet.range":         {En: "%d–%d of %d", Zh: "第 %d–%d 台，共 %d 台"},

	"fleet.offline_clean":       {En: "Disconnect", Zh: "断开连接"},
	"fleet.offline_clean_help":  {En: "The device publishes its offline status, then sends DISCONNECT: the broker discards its will.", Zh: "设备先发布离线状态，再发送 DISCONNECT：代理丢弃其遗嘱。"},
	"fleet.offline_abrupt":      {En: "Cut power", Zh: "断电"},
	"fleet.offline_abrupt_help": {En: "The connection just ends, without DISCONNECT: the broker publishes the device's will.", Zh: "连接直接中断，不发送 DISCONNECT：代理发布该设备的遗嘱。"},
	"fleet.online":              {En: "Bring online", Zh: "上线"},
	"fleet.command":             {En: "Command", Zh: "命令"},
	"fleet.command_to":          {En: "Publish a command to", Zh: "向以下主题发布命令"},
	"fleet.send":                {En: "Send", Zh: "发送"},
	"fleet.reply":               {En: "Reply", Zh: "回复"},
	"fleet.sent_no_reply":       {En: "Sent. This device has no reply topic.", Zh: "已发送。该设备没有回复主题。"},
	"fleet.no_client":           {En: "The page's MQTT client is not ready.", Zh: "页面的 MQTT 客户端尚未就绪。"},

	"fleet.editor":      {En: "Scenario", Zh: "场景"},
	"fleet.editor_help": {En: "Edit the scenario and apply it: the server checks it first, and a scenario with mistakes changes nothing.", Zh: "编辑场景并应用：服务器会先检查，有错误的场景不会生效。"},
	"fleet.apply":       {En: "Apply", Zh: "应用"},
	"fleet.revert":      {En: "Revert", Zh: "还原"},
	"fleet.applied":     {En: "Applied: the new scenario runs.", Zh: "已应用：新场景正在运行。"},
	"fleet.refused":     {En: "The scenario was not applied; the running fleet goes on. Fix these lines:", Zh: "场景未被应用，当前设备群继续运行。请修正以下各行："},
	"fleet.line":        {En: "Line %d:", Zh: "第 %d 行："},
})
