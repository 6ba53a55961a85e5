package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(lessonMessages([]lessonMessage{
	{"home.path", "Start here: the lessons", "从这里开始：课程"},
	{"home.continue", "Continue: {title}", "继续学习：{title}"},
}))
