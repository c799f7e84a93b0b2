package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wordsPage is a page with one narrow table: its header "Persoonsjaren"
// and its number "47,3 %" are wider than their column, so they are broken
// inside the word unless the style forbids it; its thead is displayed as
// the given value.
func wordsPage(t *testing.T, wrap, thead string) string {
	t.Helper()
	rows := strings.Repeat("<tr><td>Opvang Stad</td><td>47,3&nbsp;%</td></tr>\n", 120)
	page := `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><style>
body { width: 600px; font: 16px sans-serif; }
table { width: 90px; border-collapse: collapse; }
th, td { overflow-wrap: ` + wrap + `; padding: 0; }
thead { display: ` + thead + `; }
table { break-inside: avoid; }
</style></head><body>
<table data-table="narrow"><thead><tr><th>Persoonsjaren in vrijheid</th><th>Aandeel</th></tr></thead>
<tbody>` + rows + `</tbody></table></body></html>`
	path := filepath.Join(t.TempDir(), "words.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMeasureBrokenWords: Measure finds words of table cells broken across
// two lines (overflow-wrap: anywhere in a column too narrow for them), and
// none when words may not be broken (the table is then wider than asked,
// which is not a broken word); in print, a table taller than a page
// without a repeated header is a problem, one with thead as
// table-header-group is not.
func TestMeasureBrokenWords(t *testing.T) {
	needChromium(t)
	for _, tc := range []struct {
		name, wrap, thead string
		print             bool
		broken            []string // words that must be found broken
		noHeader          bool     // a problem: long table without a repeated header
	}{
		{"anywhere", "anywhere", "table-header-group", false, []string{"th Persoonsjaren", "td 47,3\u00a0%"}, false},
		{"normal", "normal", "table-header-group", false, nil, false},
		{"print, header repeated", "normal", "table-header-group", true, nil, false},
		{"print, header not repeated", "normal", "table-row-group", true, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), openTimeout)
			defer cancel()
			l, err := Measure(ctx, wordsPage(t, tc.wrap, tc.thead), Media{Print: tc.print})
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Tables) != 1 {
				t.Fatalf("measured %d tables, want 1", len(l.Tables))
			}
			got := l.Tables[0].BrokenWords
			for _, w := range tc.broken {
				found := false
				for _, g := range got {
					found = found || strings.HasPrefix(g, w)
				}
				if !found {
					t.Errorf("broken words %q: %q not among them", got, w)
				}
			}
			if tc.broken == nil && len(got) > 0 {
				t.Errorf("broken words %q, want none", got)
			}
			problems := strings.Join(l.Problems(), "\n")
			if want := tc.broken != nil; strings.Contains(problems, "broken inside the word") != want {
				t.Errorf("problems %q: want a broken word reported: %v", problems, want)
			}
			if strings.Contains(problems, "without a repeated header") != tc.noHeader {
				t.Errorf("problems %q: want a missing repeated header reported: %v", problems, tc.noHeader)
			}
		})
	}
}
