package app

import "github.com/mqttlab/mqttlab/app/i18n"

// The messages of the topics page.
var _ = i18n.Define(map[string]i18n.Text{
	"topics.lead": {
		En: "Topics are not created anywhere: a topic exists as soon as someone publishes to it. This page subscribes to # and builds the tree of every topic it sees, level by level.",
		Zh: "主题无需事先创建：只要有人向它发布消息，主题就存在了。本页订阅 #，并把看到的每个主题按层级组成一棵树。",
	},

	"topics.filter":             {En: "Try a topic filter", Zh: "试一试主题过滤器"},
	"topics.filter.label":       {En: "Topic filter, as a client would subscribe to it", Zh: "主题过滤器，就像客户端订阅时写的那样"},
	"topics.filter.hint":        {En: "Type a filter: the topics it matches light up in the tree below.", Zh: "输入一个过滤器：它匹配的主题会在下面的树中高亮。"},
	"topics.filter.invalid":     {En: "Not a valid filter:", Zh: "不是有效的过滤器："},
	"topics.filter.matches":     {En: "matches {n} topics in the tree.", Zh: "匹配树中的 {n} 个主题。"},
	"topics.filter.matches_one": {En: "matches 1 topic in the tree.", Zh: "匹配树中的 1 个主题。"},
	"topics.dropped":            {En: "This page could not keep up with the broker: {n} messages were dropped before reaching the tree (QoS 0 may be dropped; the counts are lower than the truth).", Zh: "本页跟不上代理的速度：有 {n} 条消息在进入主题树之前被丢弃（QoS 0 允许丢弃；计数因此低于实际）。"},
	"topics.rule.plus":          {En: "matches exactly one level: home/+/temp matches home/kitchen/temp, but not home/temp or home/a/b/temp.", Zh: "恰好匹配一个层级：home/+/temp 匹配 home/kitchen/temp，但不匹配 home/temp 或 home/a/b/temp。"},
	"topics.rule.hash":          {En: "matches any number of levels, none included, and must be the whole last level: home/# matches home and home/kitchen/temp.", Zh: "匹配任意数量的层级（包括零个），且必须单独作为最后一级：home/# 匹配 home 和 home/kitchen/temp。"},
	"topics.rule.dollar":        {En: "topics starting with $ belong to the broker: a filter starting with + or # does not match them, so $SYS topics need a filter of their own, like $SYS/#.", Zh: "以 $ 开头的主题属于代理：以 + 或 # 开头的过滤器不匹配它们，所以 $SYS 主题需要单独的过滤器，例如 $SYS/#。"},
	"topics.rule.share":         {En: "is a shared subscription: the group's members take turns receiving the messages the filter matches.", Zh: "是共享订阅：组内成员轮流接收过滤器匹配的消息。"},
	"topics.problem.hash":       {En: "# must be alone in the last level (home/#, not home/#/x or home/a#).", Zh: "# 必须单独位于最后一级（写成 home/#，而不是 home/#/x 或 home/a#）。"},
	"topics.problem.plus":       {En: "+ must be a whole level (home/+/temp, not home/kit+/temp).", Zh: "+ 必须独占一个层级（写成 home/+/temp，而不是 home/kit+/temp）。"},
	"topics.problem.empty":      {En: "a filter cannot be empty.", Zh: "过滤器不能为空。"},
	"topics.problem.share":      {En: "a shared subscription is $share/{group}/{filter}, with a group name and a filter.", Zh: "共享订阅的格式是 $share/{group}/{filter}，需要组名和过滤器。"},
	"topics.problem.chars":      {En: "a filter must be UTF-8 text without the null character.", Zh: "过滤器必须是不含空字符的 UTF-8 文本。"},
	"topics.problem.other":      {En: "the broker would refuse this filter.", Zh: "代理会拒绝这个过滤器。"},

	"topics.tree":         {En: "Topic tree", Zh: "主题树"},
	"topics.tree.caption": {En: "Each level of a topic name is a branch. Messages counts the messages on that very topic since this page opened (Σ adds the levels below); the rate is per second; a retained topic has a message the broker gives every new subscriber.", Zh: "主题名的每一级是一个分支。“消息”是本页打开以来发到该主题本身的消息数（Σ 包括下面各级）；速率为每秒条数；标记为保留的主题有一条代理会发给每个新订阅者的消息。"},
	"topics.sys.label":    {En: "Also subscribe to $SYS/# (the broker's own topics)", Zh: "同时订阅 $SYS/#（代理自己的主题）"},
	"topics.sys.caption":  {En: "# does not bring $SYS topics: they start with $, which wildcards at the start of a filter never match. Tick the box and the page makes a second subscription, $SYS/#, just for them.", Zh: "# 不会带来 $SYS 主题：它们以 $ 开头，而过滤器开头的通配符从不匹配这类主题。勾选后，本页会专门为它们再订阅一次 $SYS/#。"},
	"topics.summary_line": {En: "{levels} levels · {n} messages since this page opened", Zh: "{levels} 个层级 · 本页打开以来 {n} 条消息"},
	"topics.capped":       {En: "The tree is full ({max} levels): {n} messages to new topics were counted but are not shown.", Zh: "主题树已满（{max} 个层级）：发往新主题的 {n} 条消息已计数，但未显示。"},
	"topics.hidden":       {En: "{n} more rows are not shown: collapse some branches to see them.", Zh: "还有 {n} 行未显示：折叠一些分支即可看到。"},
	"topics.none":         {En: "No messages yet. Publish something from the lab, or start a fleet.", Zh: "还没有消息。可以在实验室里发布一条，或者启动一个设备群。"},
	"topics.col.topic":    {En: "Topic", Zh: "主题"},
	"topics.col.messages": {En: "Messages", Zh: "消息"},
	"topics.col.rate":     {En: "Rate /s", Zh: "速率（条/秒）"},
	"topics.col.payload":  {En: "Last payload", Zh: "最近的载荷"},
	"topics.col.retained": {En: "Retained", Zh: "保留"},
	"topics.collapse":     {En: "Collapse", Zh: "折叠"},
	"topics.expand":       {En: "Expand", Zh: "展开"},
	"topics.dollar":       {En: "not in #", Zh: "# 不含"},
	"topics.dollar.title": {En: "Topics starting with $ are not matched by # or +: they need a subscription of their own", Zh: "以 $ 开头的主题不被 # 或 + 匹配：需要单独订阅"},
	"topics.total.title":  {En: "Messages on this topic and every topic below it", Zh: "该主题及其下所有主题的消息"},
	"topics.retained":     {En: "retained", Zh: "保留"},
	"topics.empty_level":  {En: "(empty level)", Zh: "（空层级）"},
})
