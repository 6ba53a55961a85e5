package app

var _ = lessonTexts([][3]string{
	{"lesson.wildcards.title", "Topics and wildcards", "主题与通配符"},
	{"lesson.wildcards.summary",
		"Topics are paths of levels; subscribers pick them with filters, + for one level, # for the rest.",
		"主题是由层级组成的路径；订阅者用过滤器来挑选：+ 代表一级，# 代表其余所有层级。"},
	{"lesson.wildcards.p1",
		"A topic is a name made of levels separated by slashes: home/kitchen/temp has three. Nobody creates a topic beforehand: it exists as soon as someone publishes to it. Levels are case-sensitive, and a slash at the start makes an empty first level, so /home and home are two different topics.",
		"主题是由斜杠分隔的若干层级组成的名字：home/kitchen/temp 有三级。主题无需事先创建：只要有人向它发布，它就存在了。层级区分大小写；开头多一个斜杠会多出一个空的第一级，所以 /home 和 home 是两个不同的主题。"},
	{"lesson.wildcards.p2",
		"A subscriber names what it wants with a filter. A filter can be a plain topic, or use two wildcards. + stands for exactly one level: home/+/temp matches home/kitchen/temp and home/hall/temp, but not home/garden/soil/moisture. # stands for any number of levels, none included, and only as the last level: home/# matches everything under home, and home itself.",
		"订阅者用过滤器说明自己想要什么。过滤器可以就是一个普通主题，也可以用两种通配符。+ 恰好代表一个层级：home/+/temp 匹配 home/kitchen/temp 和 home/hall/temp，但不匹配 home/garden/soil/moisture。# 代表任意数量的层级（包括零个），而且只能作为最后一级：home/# 匹配 home 下的一切，也匹配 home 本身。"},
	{"lesson.wildcards.p3",
		"Topics that start with $ belong to the broker, such as the statistics under $SYS. A filter that starts with a wildcard never matches them: # does not bring $SYS topics, $SYS/# does.",
		"以 $ 开头的主题属于代理，例如 $SYS 下的统计信息。以通配符开头的过滤器从不匹配它们：# 收不到 $SYS 主题，$SYS/# 才可以。"},
	{"lesson.wildcards.p4",
		"Try it: the tree below holds every topic the broker routes while this page is open: the demo devices' and anyone else's. If it is empty, publish the samples. Then type a filter with + and one with # that each match some topics: they light up in the tree.",
		"动手试试：下面的树列出了本页打开期间代理转发的每个主题，包括演示设备的和其他任何人的。如果树是空的，就发布示例消息。然后输入一个带 + 的过滤器和一个带 # 的过滤器，让它们各自匹配到一些主题：匹配的主题会在树中高亮。"},
	{"lesson.wildcards.samples", "Publish the samples", "发布示例消息"},
	{"lesson.wildcards.check_plus", "A filter with + that matches topics of the tree", "一个带 +、并匹配到树中主题的过滤器"},
	{"lesson.wildcards.check_hash", "A filter with # that matches topics of the tree", "一个带 #、并匹配到树中主题的过滤器"},
})
