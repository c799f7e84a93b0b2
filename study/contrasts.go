package study

import (
	"fmt"
	"strings"
)

// Contrast is one comparison of two programmes that share an outcome: the
// programme against its reference. Every estimate of the comparison follows
// this one direction: the risk difference is programme − reference, the
// relative risk programme / reference and the hazard ratio that of the
// programme with the reference as baseline (package analyses).
type Contrast struct {
	// Programme and Reference are programme codes (Programme.Code).
	Programme, Reference string
	// Outcome is the outcome kind both programmes are evaluated on.
	Outcome OutcomeKind
	// Declared is true for a contrast the study file names (contrasts:),
	// false for a default one (see Study.ComparisonContrasts).
	Declared bool
}

// rawContrast is one entry of the study file's contrasts list.
type rawContrast struct {
	Programme string `yaml:"programme"`
	Reference string `yaml:"reference"`
}

// contrasts validates the study file's contrasts: each names two different
// programmes of the study with the same outcome kind, a kind measured on
// the programmes' own participants; no pair is listed twice (in either
// direction).
func (c *checker) contrasts(raw []rawContrast, programmes []Programme) []Contrast {
	byCode := map[string]Programme{}
	for _, p := range programmes {
		byCode[p.Code] = p
	}
	seen := map[[2]string]bool{}
	var out []Contrast
	for i, rc := range raw {
		key := fmt.Sprintf("contrasts[%d]", i)
		ct := Contrast{Programme: strings.TrimSpace(rc.Programme), Reference: strings.TrimSpace(rc.Reference), Declared: true}
		a, okA := byCode[ct.Programme]
		b, okB := byCode[ct.Reference]
		switch {
		case ct.Programme == "":
			c.fail(key+".programme", "name the programme (a programme code) this contrast evaluates")
			continue
		case ct.Reference == "":
			c.fail(key+".reference", "name the reference programme (a programme code) this contrast compares with")
			continue
		case !okA:
			c.fail(key+".programme", "%s is not a programme code of this study", quoted(ct.Programme))
			continue
		case !okB:
			c.fail(key+".reference", "%s is not a programme code of this study", quoted(ct.Reference))
			continue
		case ct.Programme == ct.Reference:
			c.fail(key+".reference", "a programme cannot be its own reference")
			continue
		case a.Outcome != b.Outcome:
			c.fail(key+".reference", "programme %s is evaluated on %s and %s on %s; a contrast compares programmes with the same outcome", a.Code, a.Outcome, b.Code, b.Outcome)
			continue
		}
		if d, ok := a.Outcome.Definition(); ok && !d.OwnSubjects() {
			c.fail(key+".programme", "programme %s is evaluated by the recidivism of linked detainees (outcome %s), which has its own comparison group; it takes no contrast", a.Code, a.Outcome)
			continue
		}
		pair := [2]string{min(ct.Programme, ct.Reference), max(ct.Programme, ct.Reference)}
		if seen[pair] {
			c.fail(key, "the contrast of %s and %s is listed twice", ct.Programme, ct.Reference)
			continue
		}
		seen[pair] = true
		ct.Outcome = a.Outcome
		out = append(out, ct)
	}
	return out
}

// ComparisonContrasts returns the comparisons the analyses make: the
// contrasts the study file declares (Contrasts), or, when it declares
// none, every pair of programmes that share an outcome kind with subjects
// of its own, the programme listed first against the later one as the
// reference (the direction the comparison table has always had).
func (s *Study) ComparisonContrasts() []Contrast {
	if len(s.Contrasts) > 0 {
		return s.Contrasts
	}
	var out []Contrast
	for i, a := range s.Programmes {
		d, ok := a.Outcome.Definition()
		if !ok || !d.OwnSubjects() {
			continue
		}
		for _, b := range s.Programmes[i+1:] {
			if b.Outcome == a.Outcome {
				out = append(out, Contrast{Programme: a.Code, Reference: b.Code, Outcome: a.Outcome})
			}
		}
	}
	return out
}
