package reports

import "strings"

// escapeScript makes a chart's <script> block safe for any text the study
// file provides (partner, programme and file names, which go-echarts puts
// into the chart options as JSON strings without escaping '<'): inside
// every JavaScript string literal of the block's body, '<', '>' and '&'
// become \u003c, \u003e and \u0026, the same string to JavaScript, so a
// name holding "</script>" can neither end the block nor open markup. The
// <script> tags themselves and the code outside strings are unchanged.
func escapeScript(block string) string {
	start := strings.Index(block, ">")
	end := strings.LastIndex(block, "</script>")
	if !strings.HasPrefix(strings.TrimSpace(block), "<script") || start < 0 || end < start {
		return escapeAllScriptText(block)
	}
	return block[:start+1] + escapeStrings(block[start+1:end]) + block[end:]
}

// escapeStrings escapes '<', '>' and '&' inside the single- and
// double-quoted string literals of JavaScript code.
func escapeStrings(js string) string {
	var b strings.Builder
	b.Grow(len(js))
	var quote byte
	escaped := false
	for i := 0; i < len(js); i++ {
		c := js[i]
		if quote != 0 {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == quote:
				quote = 0
			case c == '<':
				b.WriteString(`\u003c`)
				continue
			case c == '>':
				b.WriteString(`\u003e`)
				continue
			case c == '&':
				b.WriteString(`\u0026`)
				continue
			}
		} else if c == '"' || c == '\'' {
			quote = c
		}
		b.WriteByte(c)
	}
	return b.String()
}

// escapeAllScriptText is the fallback for a block of an unexpected shape:
// no "</" may appear in it at all.
func escapeAllScriptText(s string) string {
	return strings.ReplaceAll(s, "</", `<\/`)
}
