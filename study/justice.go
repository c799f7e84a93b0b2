package study

// The justice model: how offence registrations become the criminal cases
// that recidivism counts, following the WODC Recidivemonitor (package
// analyses documents the rules and their sources).
//
// An events export of offences maps, besides event_type and date (the
// offence date, pleegdatum):
//
//   - registration_date: when the case was registered (inschrijvingsdatum);
//     Outcomes.CountDate says which of the two dates counts. Missing: the
//     offence date only.
//   - case_id: the case (parketnummer); rows of one person with the same
//     case_id are one case and count once. Missing: every row is a case.
//   - disposal: the decision in the case, through a code table onto
//     Disposals; cases whose disposals are all listed in
//     Outcomes.NonCounting are no recidivism. Missing: the case counts (as
//     a case not yet decided does in the monitor).
//   - offence_type and seriousness: the offence classification, through
//     code tables onto OffenceTypes and SeriousnessTiers (both may be mapped
//     from the same column, e.g. the article of law, each with its own
//     table). Missing: type unknown (never specific recidivism) and tier
//     unknown (general recidivism only).
//   - end: for a detention event, its end; detention events with a start
//     (date) and an end are the custody spells removed from the time at
//     liberty. A detention without end lasts until the follow-up ends.
const (
	FieldRegistrationDate = "registration_date"
	FieldCaseID           = "case_id"
	FieldDisposal         = "disposal"
	FieldOffenceType      = "offence_type"
	FieldSeriousness      = "seriousness"
)

// Canonical disposals (afdoeningen) of a criminal case.
const (
	DisposalConviction         = "conviction"          // veroordeling / schuldigverklaring
	DisposalSettlement         = "settlement"          // transactie, strafbeschikking (OM-afdoening)
	DisposalPolicyDismissal    = "policy_dismissal"    // beleidssepot: guilt presumed, not prosecuted
	DisposalTechnicalDismissal = "technical_dismissal" // technisch sepot: no case (wrong suspect, no evidence)
	DisposalAcquittal          = "acquittal"           // vrijspraak
	DisposalOtherTechnical     = "other_technical"     // ontslag van rechtsvervolging, niet-ontvankelijk OM, nietige dagvaarding
	DisposalPending            = "pending"             // not yet decided
	DisposalOther              = "other"
)

// Disposals lists the canonical disposals.
func Disposals() []string {
	return []string{DisposalConviction, DisposalSettlement, DisposalPolicyDismissal, DisposalTechnicalDismissal,
		DisposalAcquittal, DisposalOtherTechnical, DisposalPending, DisposalOther}
}

// DefaultNonCounting are the disposals whose cases the Recidivemonitor does
// not count: acquittals, technical dismissals and other technical decisions.
func DefaultNonCounting() []string {
	return []string{DisposalAcquittal, DisposalTechnicalDismissal, DisposalOtherTechnical}
}

// Canonical offence types (delictsoorten), for specific recidivism.
const (
	OffenceViolence        = "violence"
	OffenceSexual          = "sexual"
	OffenceProperty        = "property"
	OffencePropertyViolent = "property_violent"
	OffencePublicOrder     = "public_order" // vernieling en openbare orde
	OffenceDrugs           = "drugs"
	OffenceWeapons         = "weapons"
	OffenceTraffic         = "traffic"
	OffenceOther           = "other"
)

// OffenceTypes lists the canonical offence types.
func OffenceTypes() []string {
	return []string{OffenceViolence, OffenceSexual, OffenceProperty, OffencePropertyViolent, OffencePublicOrder,
		OffenceDrugs, OffenceWeapons, OffenceTraffic, OffenceOther}
}

// Seriousness tiers by statutory maximum sentence, as the Recidivemonitor
// defines serious (four years or more) and very serious (eight years or
// more) recidivism.
const (
	TierMinor       = "minor"        // statutory maximum under 4 years
	TierSerious     = "serious"      // 4 years or more, under 8
	TierVerySerious = "very_serious" // 8 years or more
)

// SeriousnessTiers lists the tiers, least serious first.
func SeriousnessTiers() []string { return []string{TierMinor, TierSerious, TierVerySerious} }

// RecidivismDef is one named definition of recidivism: which of a
// person's cases (or detentions) after the reference date count.
type RecidivismDef struct {
	// Name is the definition's code in the study file and in the
	// definition column of the result tables.
	Name string
	// MinTier is the least serious tier (SeriousnessTiers) a case must
	// reach; "" means every counting case.
	MinTier string
	// SameType counts only cases of the index offence's type.
	SameType bool
	// Custodial counts new detentions (events of type detention) instead
	// of cases.
	Custodial bool
	// Text is the key of the definition's description in the report's
	// translation tables.
	Text string
}

// The recidivism definitions.
const (
	DefGeneral     = "general"
	DefSerious     = "serious"
	DefVerySerious = "very_serious"
	DefSpecific    = "specific"
	DefCustodial   = "custodial"
)

// RecidivismDefinitions lists every recidivism definition, in report order.
func RecidivismDefinitions() []RecidivismDef {
	return []RecidivismDef{
		{Name: DefGeneral, Text: "recdef_general"},
		{Name: DefSerious, MinTier: TierSerious, Text: "recdef_serious"},
		{Name: DefVerySerious, MinTier: TierVerySerious, Text: "recdef_very_serious"},
		{Name: DefSpecific, SameType: true, Text: "recdef_specific"},
		{Name: DefCustodial, Custodial: true, Text: "recdef_custodial"},
	}
}

// RecidivismDefinition returns the definition called name.
func RecidivismDefinition(name string) (RecidivismDef, bool) {
	for _, d := range RecidivismDefinitions() {
		if d.Name == name {
			return d, true
		}
	}
	return RecidivismDef{}, false
}

// TierRank orders the tiers: 0 for unknown, 1 minor, 2 serious, 3 very
// serious.
func TierRank(tier string) int {
	for i, t := range SeriousnessTiers() {
		if t == tier {
			return i + 1
		}
	}
	return 0
}

// definitionNames says the definitions' names for a message.
func definitionNames() []string {
	var out []string
	for _, d := range RecidivismDefinitions() {
		out = append(out, d.Name)
	}
	return out
}
