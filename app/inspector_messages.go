package app

import "github.com/mqttlab/mqttlab/app/i18n"

// The messages of the packet inspector: the page, the hex view and the
// sequence diagrams. The names of the fields are in inspector_fields.go.
var _ = i18n.Define(map[string]i18n.Text{
	"inspector.empty":        {En: "No packets yet. Every client in this page taps its traffic into the inspector: open the lab, connect a client, subscribe and publish, then come back to read every byte.", Zh: "还没有报文。本页中的每个客户端都会把它的流量送进检查器：打开实验室，连接一个客户端，订阅并发布，然后回到这里阅读每一个字节。"},
	"inspector.empty_action": {En: "Open the lab", Zh: "打开实验室"},
	"inspector.packets":      {En: "Packets", Zh: "报文"},
	"inspector.no_match":     {En: "No packet matches the filters.", Zh: "没有报文符合筛选条件。"},
	"inspector.count":        {En: "Shown / matching:", Zh: "显示 / 符合："},
	"inspector.clear":        {En: "Clear the log", Zh: "清空记录"},
	"inspector.pause":        {En: "Pause", Zh: "暂停"},
	"inspector.resume":       {En: "Resume", Zh: "继续"},
	"inspector.waiting":      {En: "Paused; new packets since:", Zh: "已暂停；此后的新报文："},
	"inspector.detail":       {En: "Selected packet", Zh: "选中的报文"},
	"inspector.select_hint":  {En: "Select a packet in the table or in a sequence diagram to read its bytes field by field.", Zh: "在表格或时序图中选择一个报文，逐字段阅读它的字节。"},

	"inspector.filter.client":      {En: "Client", Zh: "客户端"},
	"inspector.filter.all_clients": {En: "All clients", Zh: "全部客户端"},
	"inspector.filter.type":        {En: "Type", Zh: "类型"},
	"inspector.filter.all_types":   {En: "All types", Zh: "全部类型"},

	"inspector.col.time":    {En: "Time", Zh: "时间"},
	"inspector.col.client":  {En: "Client", Zh: "客户端"},
	"inspector.col.dir":     {En: "Direction", Zh: "方向"},
	"inspector.col.type":    {En: "Type", Zh: "类型"},
	"inspector.col.summary": {En: "Summary", Zh: "摘要"},
	"inspector.col.size":    {En: "Bytes", Zh: "字节数"},
	"inspector.dir.out":     {En: "→ broker", Zh: "→ 代理"},
	"inspector.dir.in":      {En: "← broker", Zh: "← 代理"},

	"inspector.sum.client_id": {En: "client", Zh: "客户端"},
	"inspector.sum.packet_id": {En: "id", Zh: "标识符"},
	"inspector.sum.error":     {En: "not decoded", Zh: "无法解码"},

	"inspector.hex.dump":         {En: "Bytes of the packet in hexadecimal", Zh: "报文的十六进制字节"},
	"inspector.hex.fields":       {En: "Fields of the packet", Zh: "报文的字段"},
	"inspector.hex.hint":         {En: "Point at a field or a byte to see what it means and where the specification defines it.", Zh: "指向一个字段或字节，查看它的含义以及规范中定义它的章节。"},
	"inspector.hex.bytes":        {En: "Bytes:", Zh: "字节："},
	"inspector.hex.spec":         {En: "Defined in", Zh: "定义于"},
	"inspector.hex.size":         {En: "Packet size:", Zh: "报文大小："},
	"inspector.hex.more":         {En: "Bytes not shown:", Zh: "未显示的字节："},
	"inspector.hex.decode_error": {En: "This packet does not decode:", Zh: "该报文无法解码："},
	"inspector.hex.at_byte":      {En: "at byte", Zh: "位于字节"},
	"inspector.hex.rule":         {En: "rule", Zh: "规则"},
	"inspector.hex.reason":       {En: "reason code", Zh: "原因码"},
	"inspector.bytes":            {En: "bytes", Zh: "字节"},

	"inspector.seq.title":        {En: "Sequence diagrams", Zh: "时序图"},
	"inspector.seq.label":        {En: "Packets between the broker and client", Zh: "代理与该客户端之间的报文："},
	"inspector.seq.broker":       {En: "broker", Zh: "代理"},
	"inspector.seq.omitted":      {En: "Earlier packets not shown:", Zh: "未显示的更早报文："},
	"inspector.flow.connect":     {En: "CONNECT → CONNACK", Zh: "CONNECT → CONNACK 连接"},
	"inspector.flow.subscribe":   {En: "SUBSCRIBE → SUBACK", Zh: "SUBSCRIBE → SUBACK 订阅"},
	"inspector.flow.unsubscribe": {En: "UNSUBSCRIBE → UNSUBACK", Zh: "UNSUBSCRIBE → UNSUBACK 取消订阅"},
	"inspector.flow.ping":        {En: "PINGREQ → PINGRESP", Zh: "PINGREQ → PINGRESP 心跳"},
	"inspector.flow.qos1":        {En: "QoS 1: PUBLISH → PUBACK", Zh: "QoS 1：PUBLISH → PUBACK"},
	"inspector.flow.qos2":        {En: "QoS 2: PUBLISH → PUBREC → PUBREL → PUBCOMP", Zh: "QoS 2：PUBLISH → PUBREC → PUBREL → PUBCOMP"},
	"inspector.flow.incomplete":  {En: "still waiting for its last packet", Zh: "仍在等待最后一个报文"},
})
