package app

import "github.com/mqttlab/mqttlab/app/i18n"

// lessonTexts adds a table of messages, each {key, English, Chinese}, to
// the catalog. A table of constant strings is data in the binary, where a
// map literal is code: a lesson's text costs its bytes and no more.
func lessonTexts(table [][3]string) bool {
	for _, e := range table {
		i18n.Define(map[string]i18n.Text{e[0]: {En: e[1], Zh: e[2]}})
	}
	return true
}

var _ = lessonTexts([][3]string{
	{"lesson.exp.clear", "Clear", "清空"},
	{"lesson.exp.none", "Nothing yet.", "暂无。"},
})
