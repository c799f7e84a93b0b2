package study

// Linkage configures how records without a valid BSN link (study file:
// linkage:). The zero value is exact linkage only: the fallback key.
type Linkage struct {
	// Probabilistic, when set, adds the probabilistic step (package link)
	// on keyed encodings of surname and birth date after the exact one
	// (linkage.probabilistic). Nil: off, the default, so that an existing
	// study links as it always did.
	Probabilistic *ProbabilisticLinkage
}

// ProbabilisticLinkage is the linkage.probabilistic block.
type ProbabilisticLinkage struct {
	// Upper is the match probability from which two persons are merged
	// (upper, default 0.9); Lower the probability from which a pair
	// below Upper is listed for clerical review (lower, default 0.2).
	Upper, Lower float64
	// EncodeAll also encodes rows linked by BSN, so that records without
	// one can link to them probabilistically (encode_all, default false:
	// only rows linked by the fallback key are encoded).
	EncodeAll bool
	// OneToOne lists partners whose export has one row per person, so
	// that two of its records are never merged (one_to_one).
	OneToOne []string
	// Decisions is the clerical decision file (decisions, relative to
	// the study file's folder; "" for none): the review pairs with a
	// decision column, link or distinct.
	Decisions string
}

type rawLinkage struct {
	Probabilistic *rawProbabilistic `yaml:"probabilistic"`
}

type rawProbabilistic struct {
	Upper     *float64 `yaml:"upper"`
	Lower     *float64 `yaml:"lower"`
	EncodeAll bool     `yaml:"encode_all"`
	OneToOne  []string `yaml:"one_to_one"`
	Decisions string   `yaml:"decisions"`
}

// linkage validates the linkage block.
func (c *checker) linkage(r rawLinkage, partners map[string]bool) Linkage {
	if r.Probabilistic == nil {
		return Linkage{}
	}
	rp := r.Probabilistic
	p := &ProbabilisticLinkage{Upper: 0.9, Lower: 0.2, EncodeAll: rp.EncodeAll, OneToOne: rp.OneToOne}
	if rp.Upper != nil {
		p.Upper = *rp.Upper
	}
	if rp.Lower != nil {
		p.Lower = *rp.Lower
	}
	if !(p.Upper > 0 && p.Upper < 1) {
		c.fail("linkage.probabilistic.upper", "the link threshold is a match probability between 0 and 1, e.g. 0.9")
	}
	if !(p.Lower > 0 && p.Lower <= p.Upper) {
		c.fail("linkage.probabilistic.lower", "the review threshold is a match probability above 0 and at most upper, e.g. 0.2")
	}
	for _, name := range p.OneToOne {
		if !partners[name] {
			c.fail("linkage.probabilistic.one_to_one", "%s is not a partner of this study", quoted(name))
		}
	}
	p.Decisions = rp.Decisions // made relative to the study's folder by Load
	return Linkage{Probabilistic: p}
}
