package reports

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/study"
)

func TestTranslationTablesHaveTheSameKeysAndVerbs(t *testing.T) {
	nl, en := dutch(), english()
	for k := range nl {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q is in the Dutch table but not in the English one", k)
		}
	}
	for k := range en {
		if _, ok := nl[k]; !ok {
			t.Errorf("key %q is in the English table but not in the Dutch one", k)
		}
	}
	verb := regexp.MustCompile(`%(\[\d+\])?[sdvfq%]`)
	for k, v := range nl {
		a, b := verb.FindAllString(v, -1), verb.FindAllString(en[k], -1)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("key %q: Dutch verbs %v, English verbs %v", k, a, b)
		}
	}
	for _, lang := range Languages() {
		tt, err := translations(lang)
		if err != nil {
			t.Fatal(err)
		}
		if tt["lang"] != lang {
			t.Errorf("table %s says lang=%q", lang, tt["lang"])
		}
	}
	if _, err := translations("de"); err == nil {
		t.Error("translations(de) did not fail")
	}
}

// TestEveryKeyUsedExists scans the package's code and template for the keys
// it looks up, including the ones built from a prefix, and checks that the
// tables have them.
func TestEveryKeyUsedExists(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "report.html.tmpl")
	literal := regexp.MustCompile(`t\.f\("([a-z0-9_]+)"[,)]|t\["([a-z0-9_]+)"\]|\.T\.([a-z0-9_]+)`)
	prefixed := regexp.MustCompile(`t\.f\("([a-z0-9_]+)" ?\+`)
	used := map[string]bool{}
	var prefixes []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			used[m[1]+m[2]+m[3]] = true
		}
		for _, m := range prefixed.FindAllStringSubmatch(string(src), -1) {
			prefixes = append(prefixes, m[1])
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in the code; the scan is broken", len(used))
	}
	// Keys built at run time, from a prefix and a value, or read from the
	// outcome kinds' definitions.
	for _, def := range study.OutcomeKinds() {
		for _, key := range outcomeTextKeys(def) {
			used[key] = true
		}
	}
	for y := 1; y <= 5; y++ {
		used["span_y"+string(rune('0'+y))] = true
	}
	for _, term := range []string{"age", "sex", "prior_offences"} {
		used["term_"+term] = true
	}
	for _, d := range []string{analyses.BreakdownSex, analyses.BreakdownAgeBand, analyses.BreakdownPartner} {
		used["breakdown_"+d] = true
	}
	for _, p := range prefixes {
		if p != "breakdown_" {
			t.Errorf("key prefix %q is built at run time but not listed in this test", p)
		}
	}
	for _, lang := range Languages() {
		tt, _ := translations(lang)
		for k := range used {
			if _, ok := tt[k]; !ok {
				t.Errorf("%s: key %q is used but not in the table", lang, k)
			}
		}
	}
}
