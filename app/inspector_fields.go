package app

import (
	"strings"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// explainNames gives the Chinese of the names protocol.Explain uses for
// fields and groups of fields (the English is protocol's own). They become
// catalog messages keyed by the English name (see explainKey), so the page
// translates a field without protocol knowing of languages.
var explainNames = map[string]string{
	// Parts of a packet and groups of fields.
	"Fixed header":    "固定报头",
	"Variable header": "可变报头",
	"Payload":         "有效载荷",
	"Properties":      "属性",
	"Will Properties": "遗嘱属性",
	"Subscription":    "订阅",

	// Fields.
	"Packet type and flags":     "报文类型和标志",
	"Remaining Length":          "剩余长度",
	"Packet Identifier":         "报文标识符",
	"Protocol Name":             "协议名",
	"Protocol Version":          "协议版本",
	"Protocol Level":            "协议级别",
	"Connect Flags":             "连接标志",
	"Keep Alive":                "保持连接",
	"Client Identifier":         "客户端标识符",
	"Will Topic":                "遗嘱主题",
	"Will Payload":              "遗嘱载荷",
	"Will Message":              "遗嘱消息",
	"User Name":                 "用户名",
	"Password":                  "密码",
	"Connect Acknowledge Flags": "连接确认标志",
	"Connect Reason Code":       "连接原因码",
	"Connect Return code":       "连接返回码",
	"Topic Name":                "主题名",
	"Reason Code":               "原因码",
	"Topic Filter":              "主题过滤器",
	"Subscription Options":      "订阅选项",
	"Requested QoS":             "请求的 QoS",
	"Return Code":               "返回码",
	"Disconnect Reason Code":    "断开原因码",
	"Authenticate Reason Code":  "认证原因码",
	"Property Length":           "属性长度",
	"Identifier":                "标识符",
	"Name":                      "名称",
	"Value":                     "值",

	// Properties (MQTT 5.0).
	"Payload Format Indicator":           "载荷格式指示",
	"Message Expiry Interval":            "消息过期间隔",
	"Content Type":                       "内容类型",
	"Response Topic":                     "响应主题",
	"Correlation Data":                   "关联数据",
	"Subscription Identifier":            "订阅标识符",
	"Session Expiry Interval":            "会话过期间隔",
	"Assigned Client Identifier":         "分配的客户端标识符",
	"Server Keep Alive":                  "服务端保持连接",
	"Authentication Method":              "认证方法",
	"Authentication Data":                "认证数据",
	"Request Problem Information":        "请求问题信息",
	"Will Delay Interval":                "遗嘱延时间隔",
	"Request Response Information":       "请求响应信息",
	"Response Information":               "响应信息",
	"Server Reference":                   "服务端参考",
	"Reason String":                      "原因字符串",
	"Receive Maximum":                    "接收最大值",
	"Topic Alias Maximum":                "主题别名最大值",
	"Topic Alias":                        "主题别名",
	"Maximum QoS":                        "最大 QoS",
	"Retain Available":                   "保留消息可用",
	"User Property":                      "用户属性",
	"Maximum Packet Size":                "最大报文长度",
	"Wildcard Subscription Available":    "通配符订阅可用",
	"Subscription Identifiers Available": "订阅标识符可用",
	"Shared Subscription Available":      "共享订阅可用",
}

var _ = i18n.Define(func() map[string]i18n.Text {
	table := make(map[string]i18n.Text, len(explainNames)+1)
	for en, zh := range explainNames {
		table[explainKey(en)] = i18n.Text{En: en, Zh: zh}
	}
	table["inspector.field.length_suffix"] = i18n.Text{En: " length", Zh: "长度"}
	return table
}())

// explainKey is the catalog key of a name Explain uses: "Topic Name" is
// "inspector.field.topic_name".
func explainKey(name string) string {
	var b strings.Builder
	b.WriteString("inspector.field.")
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// explainName translates a field or group name of Explain into l. The
// names Explain builds are translated by parts: "Topic Name length" is the
// length of the Topic Name, "Subscription 2" the second Subscription. A
// name the catalog lacks stays in English.
func explainName(l i18n.Lang, name string) string {
	if i18n.Parse(string(l)) == i18n.En {
		return name
	}
	if base, ok := strings.CutSuffix(name, " length"); ok {
		if t, ok := lookupExplainName(l, base); ok {
			return t + l.T("inspector.field.length_suffix")
		}
	}
	if i := strings.LastIndexByte(name, ' '); i > 0 && isDigits(name[i+1:]) {
		if t, ok := lookupExplainName(l, name[:i]); ok {
			return t + " " + name[i+1:]
		}
	}
	if t, ok := lookupExplainName(l, name); ok {
		return t
	}
	return name
}

func lookupExplainName(l i18n.Lang, name string) (string, bool) {
	if _, known := explainNames[name]; !known {
		return "", false
	}
	t, err := i18n.Lookup(l, explainKey(name))
	return t, err == nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
