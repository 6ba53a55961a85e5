package app

import "github.com/mqttlab/mqttlab/app/i18n"

var _ = i18n.Define(map[string]i18n.Text{
	"lessons.number":     {En: "Lesson {n}", Zh: "第 {n} 课"},
	"lessons.experiment": {En: "Try it", Zh: "动手试试"},
	"lessons.progress":   {En: "Lessons done", Zh: "已完成课程"},
	"lessons.check.todo": {En: "Self-check: not done yet. Do the experiment above; this turns green when the packets show you did.", Zh: "自测：尚未完成。请完成上面的实验；当报文表明你已完成时，这里会变绿。"},
	"lessons.check.done": {En: "Self-check: done. The packets show you did it.", Zh: "自测：已完成。报文表明你已经做到了。"},
})
