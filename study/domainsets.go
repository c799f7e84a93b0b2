package study

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// A DomainSet is a list of life domains an assessment instrument scores, each
// on the 1–5 self-sufficiency scale. The study file chooses one
// (life_domain_analysis.domain_set); assessment exports are then read against
// its domain codes.
type DomainSet struct {
	// Name is the study file's value; Description names the instrument and
	// its source.
	Name, Description string
	// Domains are the canonical codes, in the instrument's order.
	Domains []string
}

// Domain sets of life_domain_analysis.domain_set.
const (
	// DomainSetJouwKracht is the default: the 11 life domains of the
	// strengths-based method (study.LifeDomains).
	DomainSetJouwKracht = "jouw_kracht_11"
	// DomainSetZRM2013 is the Zelfredzaamheid-Matrix of 2013 (11 domains;
	// Fassaert et al. 2014, Community Mental Health Journal 50:583).
	DomainSetZRM2013 = "zrm_11"
	// DomainSetZRM2017 is the ZRM 2017 (13 domains; ZRM-handleiding 2017,
	// GGD Amsterdam).
	DomainSetZRM2017 = "zrm_13"
)

// DomainSets lists the domain sets a study file may choose, the default first.
func DomainSets() []DomainSet {
	return []DomainSet{
		{Name: DomainSetJouwKracht, Description: "the 11 life domains of the strengths-based method (default)", Domains: LifeDomains()},
		{Name: DomainSetZRM2013, Description: "Zelfredzaamheid-Matrix 2013, 11 domains (Fassaert et al. 2014)", Domains: []string{
			"finances", "daytime_activities", "housing", "domestic_relations", "mental_health", "physical_health",
			"addiction", "adl", "social_network", "community_participation", "justice"}},
		{Name: DomainSetZRM2017, Description: "Zelfredzaamheid-Matrix 2017, 13 domains (ZRM-handleiding 2017)", Domains: []string{
			"finances", "work_education", "time_use", "housing", "domestic_relations", "mental_health", "physical_health",
			"substance_use", "basic_adl", "instrumental_adl", "social_network", "community_participation", "justice"}},
	}
}

// LifeDomainAnalysis is the study file's life_domain_analysis block: which
// domains are scored, which assessment counts as the follow-up, how
// assessments are attributed to a programme and the reliability behind the
// reliable-change criterion.
type LifeDomainAnalysis struct {
	// DomainSet is the chosen DomainSet's name; default DomainSetJouwKracht.
	DomainSet string
	// FollowUpMonths chooses the follow-up assessment: when positive, the
	// assessment nearest to intake + FollowUpMonths months (30.4375 days
	// each) within ± ToleranceMonths (ties: the earlier one); when 0, the
	// last assessment of the trajectory (intake → exit). Default 6.
	FollowUpMonths int
	// ToleranceMonths is the half-width of the follow-up window. Default 2.
	ToleranceMonths int
	// GraceDays extends a trajectory's end for attributing an assessment
	// without a programme column to it: an assessment counts for a
	// trajectory from its start to its end plus GraceDays (an exit
	// interview shortly after the end). Default 30.
	GraceDays int
	// Reliability is the scale's reliability (test–retest or inter-rater)
	// for the Jacobson–Truax criterion. Default 0.80, a conservative value
	// beside the ZRM's internal consistency of 0.85–0.89 (Fassaert et al.
	// 2014); a study with its own estimate sets it.
	Reliability float64
}

// Domains returns the canonical codes of the study's domain set.
func (s *Study) Domains() []string {
	for _, d := range DomainSets() {
		if d.Name == s.LifeDomainAnalysis.DomainSet {
			return d.Domains
		}
	}
	return LifeDomains()
}

type rawLifeDomainAnalysis struct {
	DomainSet       string   `yaml:"domain_set"`
	FollowUpMonths  *int     `yaml:"follow_up_months"`
	ToleranceMonths *int     `yaml:"tolerance_months"`
	GraceDays       *int     `yaml:"grace_days"`
	Reliability     *float64 `yaml:"reliability"`
}

// lifeDomainAnalysis validates the life_domain_analysis block and fills its
// defaults.
func (c *checker) lifeDomainAnalysis(raw rawLifeDomainAnalysis) LifeDomainAnalysis {
	a := LifeDomainAnalysis{DomainSet: DomainSetJouwKracht, FollowUpMonths: 6, ToleranceMonths: 2, GraceDays: 30, Reliability: 0.80}
	const key = "life_domain_analysis"
	if raw.DomainSet != "" {
		var names []string
		for _, d := range DomainSets() {
			names = append(names, d.Name)
		}
		if !slices.Contains(names, raw.DomainSet) {
			c.fail(key+".domain_set", "%s is not a domain set; use one of %s%s", quoted(raw.DomainSet), strings.Join(names, ", "), didYouMean(raw.DomainSet, names))
		}
		a.DomainSet = raw.DomainSet
	}
	nonNegative := func(field string, v *int, dst *int) {
		if v == nil {
			return
		}
		if *v < 0 {
			c.fail(key+"."+field, "%s must be 0 or more", field)
		}
		*dst = *v
	}
	nonNegative("follow_up_months", raw.FollowUpMonths, &a.FollowUpMonths)
	nonNegative("tolerance_months", raw.ToleranceMonths, &a.ToleranceMonths)
	nonNegative("grace_days", raw.GraceDays, &a.GraceDays)
	if raw.Reliability != nil {
		if r := *raw.Reliability; !(r >= 0 && r < 1) || math.IsNaN(r) {
			c.fail(key+".reliability", "the reliability must be at least 0 and below 1 (for example 0.8)")
		}
		a.Reliability = *raw.Reliability
	}
	return a
}

// String says the follow-up rule in words, for logs and method texts.
func (a LifeDomainAnalysis) String() string {
	if a.FollowUpMonths == 0 {
		return "intake to the last assessment of the trajectory"
	}
	return fmt.Sprintf("intake to the assessment nearest %d months after it (± %d months)", a.FollowUpMonths, a.ToleranceMonths)
}
