package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/mqttlab/mqttlab/app/i18n"
)

// Number formats of the pages fed by an observer (broker, topics). Units
// are SI symbols, the same in every language; durations use the
// language's own units.

// obsCount writes n with thin groups of three digits: 1 234 567.
func obsCount(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 4 {
		return s
	}
	out := make([]byte, 0, len(s)+len(s)/3*3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, "\u202f"...) // narrow no-break space
		}
		out = append(out, s[i])
	}
	return string(out)
}

// obsBytes writes a byte count with a binary-free decimal unit: 950 B,
// 12.3 kB, 4.5 MB.
func obsBytes(n uint64) string {
	const units = "kMGTPE"
	if n < 1000 {
		return strconv.FormatUint(n, 10) + " B"
	}
	f := float64(n)
	i := -1
	for f >= 1000 && i < len(units)-1 {
		f /= 1000
		i++
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + string(units[i]) + "B"
}

// obsRate writes a rate per second: "0", "0.5", "12", "1 234".
func obsRate(r float64) string {
	switch {
	case r <= 0:
		return "0"
	case r < 10:
		return strconv.FormatFloat(r, 'f', 1, 64)
	default:
		return obsCount(uint64(r + 0.5))
	}
}

// obsDuration writes d to the second in l's units, two units at most:
// 45s, 3m 12s, 2h 5m, 3d 4h.
func obsDuration(l i18n.Lang, d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	day, hour, minute, sec := s/86400, s/3600%24, s/60%60, s%60
	two := func(msg string, a, b int64) string {
		// Two ReplaceAll, not a strings.Replacer: the numbers hold no
		// braces, and the Replacer's code is ~20 KB of WebAssembly.
		return strings.ReplaceAll(strings.ReplaceAll(msg, "{a}", strconv.FormatInt(a, 10)), "{b}", strconv.FormatInt(b, 10))
	}
	switch {
	case day > 0:
		return two(l.T("observer.dur.dh"), day, hour)
	case hour > 0:
		return two(l.T("observer.dur.hm"), hour, minute)
	case minute > 0:
		return two(l.T("observer.dur.ms"), minute, sec)
	default:
		return two(l.T("observer.dur.s"), sec, 0)
	}
}

// obsFill puts n in place of {n} in a message.
func obsFill(msg string, n uint64) string {
	return strings.ReplaceAll(msg, "{n}", obsCount(n))
}

// obsFillText puts s in place of {s} in a message.
func obsFillText(msg, s string) string {
	return strings.ReplaceAll(msg, "{s}", s)
}

// obsClock writes the time of day of t in the browser's time zone.
func obsClock(t time.Time) string {
	return t.Local().Format("15:04:05")
}
