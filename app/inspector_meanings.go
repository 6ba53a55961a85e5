package app

import (
	"strconv"
	"strings"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/protocol"
)

// explainMeanings translates what protocol.Explain says each field means,
// under "explain.meaning." and the field's Key. The English is the codec's
// own text, kept here so that a test notices when the codec changes a text
// the Chinese was written for (the linker stores equal strings once). The
// catalogs of explain are tables of constants, not code per entry: the
// browser app's size matters.
var explainMeanings = [...][3]string{
	{"fixed.type_flags",
		"High four bits: the control packet type. Low four bits: flags, which only PUBLISH uses (DUP, QoS, RETAIN).",
		"高 4 位是控制报文的类型；低 4 位是标志位，只有 PUBLISH 使用（DUP、QoS、RETAIN）。"},
	{"fixed.remaining_length",
		"How many bytes of the packet follow, as a variable byte integer: 7 bits per byte, the top bit says another byte follows.",
		"报文在此之后还有多少字节，以变长字节整数编码：每个字节存 7 位，最高位表示后面还有字节。"},
	{"packet_id",
		"Pairs this packet with its acknowledgement; unique among the sender's unacknowledged packets.",
		"把本报文与它的确认报文配成一对；在发送方所有尚未确认的报文中唯一。"},
	{"connect.protocol_name",
		`"MQTT" for 3.1.1 and 5.0, "MQIsdp" for 3.1: a server that reads something else knows this is not MQTT.`,
		`3.1.1 和 5.0 为 "MQTT"，3.1 为 "MQIsdp"：服务端读到别的内容，就知道对方说的不是 MQTT。`},
	{"connect.protocol_level",
		"The revision of the protocol the client speaks: 3 = 3.1, 4 = 3.1.1, 5 = 5.0.",
		"客户端使用的协议版本：3 表示 3.1，4 表示 3.1.1，5 表示 5.0。"},
	{"connect.flags",
		"Which optional fields the payload carries (user name, password, will) and how the session starts.",
		"说明有效载荷带有哪些可选字段（用户名、密码、遗嘱），以及会话如何开始。"},
	{"connect.keep_alive",
		"The longest the client stays silent, in seconds; the server closes the connection after 1.5 times this without a packet. 0 turns it off.",
		"客户端最长可以多久不发报文，单位为秒；超过这一时间的 1.5 倍仍未收到任何报文，服务端就关闭连接。0 表示不启用保活。"},
	{"connect.client_id",
		"Names the client's session on the server; empty asks the server to assign one.",
		"标识客户端在服务端上的会话；留空则由服务端分配一个。"},
	{"connect.will_topic",
		"The topic the server publishes the will message to if the client vanishes without a DISCONNECT.",
		"客户端未发送 DISCONNECT 就失去联系时，服务端发布遗嘱消息所用的主题。"},
	{"connect.will_payload",
		"The message the server publishes on the client's behalf when the connection ends abnormally.",
		"连接异常断开时，服务端代客户端发布的消息。"},
	{"connect.username",
		"Identifies the user for authentication.",
		"用于认证，标识用户的身份。"},
	{"connect.password",
		"Credential checked by the server; sent as plain bytes, so use TLS on untrusted networks.",
		"由服务端校验的凭据；以明文字节发送，在不可信的网络上请使用 TLS。"},
	{"connack.flags",
		"Bit 0, Session Present: the server still had a session for this client (always 0 when the client asked for a clean start).",
		"第 0 位是 Session Present：服务端仍保存着该客户端的会话（客户端要求 Clean Start 时总为 0）。"},
	{"connack.code",
		"Whether the server accepted the connection and, if not, why.",
		"服务端是否接受连接；若不接受，说明原因。"},
	{"publish.topic",
		"The channel the message is published to; subscribers whose filters match it receive the message.",
		"消息发布到的主题；主题过滤器与之匹配的订阅者都会收到这条消息。"},
	{"publish.payload",
		"The application message itself: any bytes, never looked into by the broker.",
		"应用消息本身：可以是任意字节，代理从不查看其中的内容。"},
	{"puback.code",
		"The outcome of the QoS 1 publish this acknowledges.",
		"所确认的 QoS 1 发布的处理结果。"},
	{"pubrec.code",
		"The outcome of the QoS 2 publish this acknowledges (first step).",
		"所确认的 QoS 2 发布的处理结果（第一步确认）。"},
	{"pubrel.code",
		"Whether the packet identifier being released was known (third step of QoS 2).",
		"要释放的报文标识符是否已知（QoS 2 的第三步）。"},
	{"pubcomp.code",
		"Whether the packet identifier was known; completes the QoS 2 exchange.",
		"报文标识符是否已知；QoS 2 的交互至此完成。"},
	{"subscribe.filter",
		"Which topics to receive; '+' matches one level, '#' all remaining levels.",
		"要接收哪些主题；'+' 匹配一个层级，'#' 匹配其后的所有层级。"},
	{"subscribe.options",
		"The highest QoS wanted for this subscription (and in 5.0: No Local, Retain As Published, Retain Handling).",
		"该订阅希望的最高 QoS（5.0 中还有 No Local、Retain As Published 和 Retain Handling）。"},
	{"suback.code",
		"For the filter at the same position in the SUBSCRIBE: the QoS granted, or why it failed.",
		"对应 SUBSCRIBE 中同一位置的主题过滤器：授予的 QoS，或订阅失败的原因。"},
	{"unsubscribe.filter",
		"A subscription to remove, written exactly as it was subscribed.",
		"要取消的订阅，写法必须与订阅时完全相同。"},
	{"unsuback.code",
		"For the filter at the same position in the UNSUBSCRIBE: whether it was removed.",
		"对应 UNSUBSCRIBE 中同一位置的主题过滤器：该订阅是否已取消。"},
	{"disconnect.code",
		"Why the connection is being closed; 0x04 asks the server to publish the will anyway.",
		"关闭连接的原因；0x04 表示虽然是正常断开，仍请服务端发布遗嘱消息。"},
	{"auth.code",
		"Where the extended authentication exchange stands.",
		"增强认证的交互进行到了哪一步。"},
	{"properties.length",
		"How many bytes of properties follow, as a variable byte integer.",
		"其后属性的总字节数，以变长字节整数编码。"},
	{"properties.id",
		"Which property follows, as a variable byte integer.",
		"其后是哪一个属性，以变长字节整数编码。"},
	{"property.user.key",
		"Name of a user property: an application-defined name/value pair.",
		"用户属性的名称；用户属性是由应用定义的名称/值对。"},
	{"property.user.value",
		"Value of a user property.",
		"用户属性的值。"},
	{"property.payload_format",
		"0: the payload is unspecified bytes; 1: it is UTF-8 text.",
		"0：载荷是未指明格式的字节；1：载荷是 UTF-8 文本。"},
	{"property.message_expiry",
		"Seconds after which the server drops the message if it has not been delivered yet.",
		"消息的有效期，单位为秒；到期仍未投递，服务端就丢弃这条消息。"},
	{"property.content_type",
		"Describes the payload, e.g. application/json; the broker passes it on untouched.",
		"描述载荷的内容，例如 application/json；代理原样转发，不做处理。"},
	{"property.response_topic",
		"Where the receiver should publish its response (request/response).",
		"接收方应把响应发布到哪个主题（请求/响应模式）。"},
	{"property.correlation_data",
		"Bytes the responder copies into its response so the requester can match the two.",
		"响应方把这些字节原样放进响应，请求方据此把请求与响应对应起来。"},
	{"property.subscription_id",
		"A number the subscriber gave its subscription; the server echoes it on every message the subscription delivers.",
		"订阅者为订阅指定的编号；服务端经该订阅投递的每条消息都会带上这个编号。"},
	{"property.session_expiry",
		"Seconds the server keeps the session after the connection closes; 0 ends it with the connection, 0xFFFFFFFF never.",
		"连接关闭后服务端保留会话的秒数；0 表示会话随连接结束，0xFFFFFFFF 表示永不过期。"},
	{"property.assigned_client_id",
		"The client identifier the server assigned because the client sent an empty one.",
		"客户端发送了空的客户端标识符，服务端为它分配的标识符。"},
	{"property.server_keep_alive",
		"The keep alive the server imposes instead of the client's, in seconds.",
		"服务端要求使用的保活时间，单位为秒，取代客户端提出的值。"},
	{"property.auth_method",
		"Names the extended authentication method, e.g. SCRAM-SHA-1.",
		"增强认证所用方法的名称，例如 SCRAM-SHA-1。"},
	{"property.auth_data",
		"Data of the extended authentication exchange; its meaning depends on the method.",
		"增强认证交互中传递的数据，其含义取决于认证方法。"},
	{"property.request_problem_info",
		"0 asks the server to send reason strings and user properties only on CONNACK and DISCONNECT.",
		"为 0 时，请服务端只在 CONNACK 和 DISCONNECT 中发送原因字符串和用户属性。"},
	{"property.will_delay",
		"Seconds the server waits after an abnormal disconnect before publishing the will; reconnecting in time cancels it.",
		"异常断开后，服务端等待多少秒再发布遗嘱消息；客户端在此之前重新连接，遗嘱就不再发布。"},
	{"property.request_response_info",
		"1 asks the server to return Response Information in CONNACK.",
		"为 1 时，请服务端在 CONNACK 中返回响应信息。"},
	{"property.response_info",
		"A base the client may use to build its response topics.",
		"可供客户端构造响应主题的基础信息。"},
	{"property.server_reference",
		"Another server the client may use instead (with reason codes 0x9C and 0x9D).",
		"客户端可以改用的另一台服务器（与原因码 0x9C、0x9D 配合使用）。"},
	{"property.reason_string",
		"A human-readable diagnostic for this packet, not meant to be parsed.",
		"关于本报文的诊断信息，供人阅读，不应由程序解析。"},
	{"property.receive_maximum",
		"How many QoS 1 and 2 publishes the sender of this packet accepts unacknowledged at once (absent: 65,535).",
		"本报文的发送方同时最多接受多少条未确认的 QoS 1 和 QoS 2 消息（缺省为 65535）。"},
	{"property.topic_alias_maximum",
		"The highest topic alias the sender of this packet accepts; 0 or absent: none.",
		"本报文的发送方能接受的最大主题别名；为 0 或缺省表示不接受主题别名。"},
	{"property.topic_alias",
		"A number standing for the topic name, so later publishes can send an empty topic and save bytes.",
		"用来代替主题名的数字，之后的发布可以把主题名留空，以节省字节。"},
	{"property.maximum_qos",
		"The highest QoS the server accepts from publishers (absent: 2).",
		"服务端接受发布者使用的最高 QoS（缺省为 2）。"},
	{"property.retain_available",
		"0: the server does not keep retained messages (absent: 1).",
		"为 0 表示服务端不保存保留消息（缺省为 1）。"},
	{"property.maximum_packet_size",
		"The largest packet, in bytes, the sender of this packet accepts (absent: no limit but the protocol's).",
		"本报文的发送方能接受的最大报文长度，单位为字节（缺省时只受协议本身的限制）。"},
	{"property.wildcard_sub_available",
		"0: the server refuses subscriptions with + or # (absent: 1).",
		"为 0 表示服务端拒绝含 + 或 # 的订阅（缺省为 1）。"},
	{"property.subscription_id_available",
		"0: the server does not support subscription identifiers (absent: 1).",
		"为 0 表示服务端不支持订阅标识符（缺省为 1）。"},
	{"property.shared_sub_available",
		"0: the server does not support $share subscriptions (absent: 1).",
		"为 0 表示服务端不支持 $share 共享订阅（缺省为 1）。"},
	// The length in front of every string and binary field (not a Key).
	{"length",
		"Two-byte big-endian length of the {name} that follows.",
		"紧随其后的{name}的长度，为两字节大端序整数。"},
}

// explainWords translates the words the codec writes in values around
// numbers and names, under "explain.value." and a name. explainValue
// replaces the first of them, in this order, that a value holds outside
// quoted text. Names from the specification (packet types, flags, reason
// codes, property identifiers) and the unit s stay as the learner reads
// them in the specification.
var explainWords = [...][3]string{
	{"follow", " bytes follow", " 字节"},
	{"follow1", " byte follow", " 字节"},
	{"props", " bytes of properties", " 字节"},
	{"hidden", " bytes, not shown", " 字节，不显示"},
	{"hidden1", " byte, not shown", " 字节，不显示"},
	{"bytes", " bytes", " 字节"},
	{"bytes1", " byte", " 字节"},
	{"empty", "(empty)", "(空)"},
	{"flags", "flags ", "标志 "},
	{"reserved", "reserved bits set", "保留位不为 0"},
	{"return_code.0", "Connection Accepted", "连接已接受"},
	{"return_code.1", "Connection Refused, unacceptable protocol version", "连接被拒绝：不支持的协议版本"},
	{"return_code.2", "Connection Refused, identifier rejected", "连接被拒绝：客户端标识符不合格"},
	{"return_code.3", "Connection Refused, Server unavailable", "连接被拒绝：服务端不可用"},
	{"return_code.4", "Connection Refused, bad user name or password", "连接被拒绝：用户名或密码错误"},
	{"return_code.5", "Connection Refused, not authorized", "连接被拒绝：未授权"},
}

var _ = i18n.Define(func() map[string]i18n.Text {
	m := make(map[string]i18n.Text, len(explainMeanings)+len(explainWords))
	for _, t := range explainMeanings {
		m["explain.meaning."+t[0]] = i18n.Text{En: t[1], Zh: t[2]}
	}
	for _, t := range explainWords {
		m["explain.value."+t[0]] = i18n.Text{En: t[1], Zh: t[2]}
	}
	return m
}())

// explainMeaning says in l what field f is for. English is the codec's own
// text; other languages look the field's Key up in the catalog, and the
// length in front of a string or binary field names that field. A key the
// catalog lacks stays in English.
func explainMeaning(l i18n.Lang, f protocol.Field) string {
	if i18n.Parse(string(l)) == i18n.En {
		return f.Meaning
	}
	if t, err := i18n.Lookup(l, "explain.meaning."+f.Key); err == nil {
		return t
	}
	if base, ok := strings.CutSuffix(f.Name(), " length"); ok && strings.HasSuffix(f.Key, ".length") {
		return tf(l, "explain.meaning.length", "name", explainName(l, base))
	}
	return f.Meaning
}

// explainValue shows the value of field f in l: English is the codec's
// own; other languages translate the name and meaning of a reason code and the
// first of explainWords found after the last quote (a string's content is
// the user's).
func explainValue(l i18n.Lang, f protocol.Field) string {
	v := f.Value
	if i18n.Parse(string(l)) == i18n.En {
		return v
	}
	// "0x10 No matching subscribers: The message was accepted but…"
	if code, _, ok := strings.Cut(v, ": "); ok && len(code) > 4 && strings.HasSuffix(f.Key, ".code") {
		if b, err := strconv.ParseUint(code[2:4], 16, 8); err == nil {
			// The name as the lab shows it: 0x00 is named by its packet.
			rc, t := protocol.ReasonCode(b), protocol.Type(0)
			switch f.Key {
			case "suback.code":
				t = protocol.SUBACK
			case "disconnect.code":
				t = protocol.DISCONNECT
			}
			return reasonCode(l, rc, t) + "：" + reasonMeaning(l, rc)
		}
	}
	at := strings.LastIndexByte(v, '"') + 1
	for _, w := range explainWords {
		if i := strings.Index(v[at:], w[1]); i >= 0 {
			i += at
			return v[:i] + l.T("explain.value."+w[0]) + v[i+len(w[1]):]
		}
	}
	return v
}
