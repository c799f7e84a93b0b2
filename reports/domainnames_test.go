package reports

import (
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// TestEveryDomainIsTranslated: every domain of every domain set a study
// file may choose (Jouw Kracht, ZRM 2013, ZRM 2017) has its name in both
// languages, so no report shows a raw domain key (issue 15).
func TestEveryDomainIsTranslated(t *testing.T) {
	for _, lang := range []string{"nl", "en"} {
		tr, err := translations(lang)
		if err != nil {
			t.Fatal(err)
		}
		b := builder{t: tr}
		for _, set := range study.DomainSets() {
			for _, d := range set.Domains {
				if got := b.domainName(d); got == d {
					t.Errorf("%s: domain %s of %s has no name", lang, d, set.Name)
				}
			}
		}
	}
}
