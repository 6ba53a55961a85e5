package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(map[string]i18n.Text{
	"home.path":     {En: "Start here: the lessons", Zh: "从这里开始：课程"},
	"home.continue": {En: "Continue: {title}", Zh: "继续学习：{title}"},
})
