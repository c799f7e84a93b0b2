package reports

import (
	"strings"
	"testing"
)

func TestEscapeScript(t *testing.T) {
	in := `<script type="text/javascript">
    let o = {"name":"Nazorg </script><script>alert(1)</script>","t":'a<b & "c"', "q":"say \"<hi>\""};
    if (a < b && c > d) { f(o) }
</script>`
	got := escapeScript(in)
	body := got[len(`<script type="text/javascript">`) : len(got)-len(`</script>`)]
	for _, bad := range []string{"</script>", "<script>", "<b", "<hi>"} {
		if strings.Contains(body, bad) {
			t.Errorf("escaped body holds %q:\n%s", bad, body)
		}
	}
	for _, kept := range []string{`\u003c/script\u003e`, `a < b && c > d`, `a\u003cb \u0026 "c"`, `\"\u003chi\u003e\"`} {
		if !strings.Contains(body, kept) {
			t.Errorf("escaped body lacks %q:\n%s", kept, body)
		}
	}
	if !strings.HasPrefix(got, `<script type="text/javascript">`) || !strings.HasSuffix(got, "</script>") {
		t.Errorf("tags changed: %s", got)
	}
}
