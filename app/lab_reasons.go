package app

import (
	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/protocol"
)

// The names and meanings of the MQTT 5.0 reason codes, under the keys
// "lab.rc.XX" and "lab.rc.XX.meaning" (XX: the code in two hex digits).
// The English texts are the protocol package's, so the page says what the
// inspector's decoder says; the Chinese ones are here.
var _ = i18n.Define(reasonMessages())

// reasonZh holds the Chinese name and meaning of every reason code.
var reasonZh = map[protocol.ReasonCode][2]string{
	0x00: {"成功", "操作成功。"},
	0x01: {"授予 QoS 1", "订阅已接受，消息最高以 QoS 1 投递。"},
	0x02: {"授予 QoS 2", "订阅已接受，消息最高以 QoS 2 投递。"},
	0x04: {"断开并发布遗嘱", "客户端正常断开，但希望服务器发布它的遗嘱消息。"},
	0x10: {"无匹配订阅者", "消息已被接受，但没有人订阅它的主题。"},
	0x11: {"订阅不存在", "没有这个主题过滤器的订阅可以取消。"},
	0x18: {"继续认证", "认证将通过另一次 AUTH 交换继续。"},
	0x19: {"重新认证", "客户端在已建立的连接上开始新的认证。"},
	0x80: {"未指明的错误", "接收方不接受该报文，且没有给出更具体的原因。"},
	0x81: {"报文格式错误", "无法按照规范解析该报文。"},
	0x82: {"协议错误", "报文格式正确，但违反了协议的某条规则。"},
	0x83: {"实现特定的错误", "报文有效，但接收方不接受。"},
	0x84: {"不支持的协议版本", "服务器不支持客户端请求的协议版本。"},
	0x85: {"客户端标识符无效", "客户端标识符格式正确，但服务器不允许使用。"},
	0x86: {"用户名或密码错误", "服务器不接受该用户名或密码。"},
	0x87: {"未授权", "客户端无权执行此操作。"},
	0x88: {"服务器不可用", "服务器当前不可用。"},
	0x89: {"服务器繁忙", "服务器繁忙，请稍后重试。"},
	0x8A: {"已被封禁", "该客户端已被管理员封禁。"},
	0x8B: {"服务器正在关闭", "服务器正在关闭。"},
	0x8C: {"认证方法错误", "认证方法不受支持，或与正在使用的方法不一致。"},
	0x8D: {"保活超时", "在保活时间的 1.5 倍内没有收到任何报文。"},
	0x8E: {"会话被接管", "另一个使用相同客户端标识符的连接接管了该会话。"},
	0x8F: {"主题过滤器无效", "主题过滤器格式正确，但不被接受。"},
	0x90: {"主题名无效", "主题名格式正确，但不被接受。"},
	0x91: {"报文标识符已被占用", "该报文标识符已在使用中。"},
	0x92: {"报文标识符未找到", "该报文标识符未知。"},
	0x93: {"超出接收最大值", "正在传输的 QoS 1 和 2 消息多于接收方允许的数量。"},
	0x94: {"主题别名无效", "主题别名为零，或超过了接收方允许的最大值。"},
	0x95: {"报文过大", "报文超过了接收方允许的最大报文长度。"},
	0x96: {"消息速率过高", "发送方发布消息的速度超过了接收方允许的速度。"},
	0x97: {"超出配额", "超出了实现或管理上的限制。"},
	0x98: {"管理操作", "连接被管理员关闭。"},
	0x99: {"载荷格式无效", "载荷被声明为 UTF-8 文本，但不是有效的 UTF-8。"},
	0x9A: {"不支持保留消息", "服务器不支持保留消息。"},
	0x9B: {"不支持的 QoS", "QoS 高于服务器的最大 QoS。"},
	0x9C: {"请使用其他服务器", "客户端应临时改用另一台服务器。"},
	0x9D: {"服务器已迁移", "客户端应永久改用另一台服务器。"},
	0x9E: {"不支持共享订阅", "服务器不支持共享订阅。"},
	0x9F: {"超出连接速率", "超出了连接速率限制。"},
	0xA0: {"超出最长连接时间", "该连接的最长连接时间已到。"},
	0xA1: {"不支持订阅标识符", "服务器不支持订阅标识符。"},
	0xA2: {"不支持通配符订阅", "服务器不支持通配符订阅。"},
}

// reasonMessages builds the catalog entries of the reason codes.
func reasonMessages() map[string]i18n.Text {
	m := map[string]i18n.Text{
		"lab.rc.00.suback":     {En: protocol.Success.NameIn(protocol.SUBACK), Zh: "授予 QoS 0"},
		"lab.rc.00.disconnect": {En: protocol.Success.NameIn(protocol.DISCONNECT), Zh: "正常断开"},
		"lab.rc.unknown":       {En: "Unknown reason code", Zh: "未知的原因码"},
		"lab.rc.unknown.meaning": {En: protocol.ReasonCode(0xFF).Meaning(),
			Zh: "MQTT 5.0 没有定义这个原因码。"},
	}
	for code, zh := range reasonZh {
		key := "lab.rc." + hexByte(byte(code))
		m[key] = i18n.Text{En: code.String(), Zh: zh[0]}
		m[key+".meaning"] = i18n.Text{En: code.Meaning(), Zh: zh[1]}
	}
	return m
}

// hexByte formats b as two lower-case hex digits.
func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}

// reasonName returns the name of code as packet type t uses it, in l.
func reasonName(l i18n.Lang, code protocol.ReasonCode, t protocol.Type) string {
	if code == protocol.Success {
		switch t {
		case protocol.SUBACK:
			return l.T("lab.rc.00.suback")
		case protocol.DISCONNECT:
			return l.T("lab.rc.00.disconnect")
		}
	}
	if !code.Known() {
		return l.T("lab.rc.unknown")
	}
	return l.T("lab.rc." + hexByte(byte(code)))
}

// reasonMeaning returns what code means, in l.
func reasonMeaning(l i18n.Lang, code protocol.ReasonCode) string {
	if !code.Known() {
		return l.T("lab.rc.unknown.meaning")
	}
	return l.T("lab.rc." + hexByte(byte(code)) + ".meaning")
}

// reasonCode formats code with its name, as "0x87 Not authorized".
func reasonCode(l i18n.Lang, code protocol.ReasonCode, t protocol.Type) string {
	return "0x" + hexByte(byte(code)) + " " + reasonName(l, code, t)
}

// reasonFull formats code with its name and meaning, as "0x87 Not
// authorized — The client is not allowed to do this."
func reasonFull(l i18n.Lang, code protocol.ReasonCode, t protocol.Type) string {
	return reasonCode(l, code, t) + " — " + reasonMeaning(l, code)
}
