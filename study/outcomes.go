package study

import "strings"

// OutcomeKind names what a programme is evaluated on: the value of
// programmes[].outcome in the study file and of the outcome column of the
// result tables. Every kind is defined, once, in OutcomeKinds.
type OutcomeKind string

// The outcome kinds, listed once (with their definitions) by OutcomeKinds.
const (
	OutcomeRecidivism    OutcomeKind = "recidivism"
	OutcomeShelterReturn OutcomeKind = "shelter_return"
	OutcomeShelterInflow OutcomeKind = "shelter_inflow"
	// OutcomeFamily marks a families-of-detainees programme: its
	// participants are household members of detainees, and it is evaluated
	// by the recidivism of the linked detainees (and the members' own
	// life-domain change), not by a rate of its own participants.
	OutcomeFamily OutcomeKind = "family"
)

// OutcomeDef defines one outcome kind: everything the analyses and the
// report need to know about it. OutcomeKinds lists them.
type OutcomeDef struct {
	// Kind is the kind's code.
	Kind OutcomeKind
	// DetaineeOutcome is empty for a kind measured on the programme's own
	// participants: each becomes an outcome subject (Reference, Events),
	// with rates, survival curves, comparisons and models, and a report
	// section of its own. For a families-of-detainees kind it names the
	// outcome of the detainees linked to the participants (household_link)
	// that the programme is measured by: those detainees' subjects of that
	// kind, split by whether their household took part.
	DetaineeOutcome OutcomeKind
	// WindowsKey is the key under outcomes: in the study file that sets
	// Windows, for validation messages.
	WindowsKey string
	// Windows returns the study's follow-up windows for this kind, in whole
	// months after the reference date.
	Windows func(Outcomes) []int
	// Reference is how a subject's reference date is found (own subjects
	// only).
	Reference ReferenceDate
	// Events says which events count as the outcome (own subjects only).
	Events QualifyingEvents
	// Texts are the keys of the kind's texts in the report's translation
	// tables.
	Texts OutcomeTexts
}

// OwnSubjects reports whether a programme of this kind is measured on its
// own participants (every kind but family).
func (d OutcomeDef) OwnSubjects() bool { return d.DetaineeOutcome == "" }

// ReferenceDate says which date of a person's trajectory in the programme
// starts the follow-up. Per person and programme, the trajectory with the
// earliest reference date is the index trajectory.
type ReferenceDate string

const (
	// ReferenceRelease is the release date, else the programme end, else
	// the programme start.
	ReferenceRelease ReferenceDate = "release"
	// ReferenceExitToHousing is, in a programme marked shelter, the end of a
	// stay whose exit destination is independent_housing (stays ending
	// elsewhere are no index stays); in any other programme, the start.
	ReferenceExitToHousing ReferenceDate = "exit_to_housing"
	// ReferenceStart is the programme start.
	ReferenceStart ReferenceDate = "start"
)

// QualifyingEvents says which events count as the outcome: the first one
// dated more than TransferDays after the reference date is the subject's
// first qualifying event.
type QualifyingEvents struct {
	// EventTypes returns the event types (EventTypes) whose events count.
	EventTypes func(Outcomes) []string
	// ShelterStays makes the start of a stay in a programme marked shelter,
	// at any partner, count as well.
	ShelterStays bool
	// TransferDays returns the number of days after the reference date in
	// which an event does not count (a transfer, not a return); nil means
	// none.
	TransferDays func(Outcomes) int
}

// OutcomeTexts holds the translation keys (package reports) of an outcome
// kind's texts. Both languages must have every key (tests check).
type OutcomeTexts struct {
	// Name names the outcome in headings and table cells.
	Name string
	// Summary is the funders' sentence on a programme's headline rate. It
	// takes the programme's name, the events, the persons, the rate, the
	// lower and upper 95% bounds, and the window in words.
	Summary string
	// Windows, Reference and Events are the kind's parts of the report's
	// definitions (own subjects only). Windows takes the windows ("12, 24"),
	// Reference nothing, Events the values of EventsArgs (recidivism: the
	// definition, the count date, the non-counting disposals, the
	// registration lag and the other counted event types).
	Windows, Reference, Events string
	// EventsArgs returns the arguments of the Events text; nil means none.
	EventsArgs func(Outcomes) []any
}

// OutcomeKinds defines every outcome kind, in report order. The package
// documentation says what adding one takes.
func OutcomeKinds() []OutcomeDef {
	return []OutcomeDef{
		{
			Kind:       OutcomeRecidivism,
			WindowsKey: "recidivism_windows",
			Windows:    func(o Outcomes) []int { return o.RecidivismWindows },
			Reference:  ReferenceRelease,
			Events:     QualifyingEvents{EventTypes: func(o Outcomes) []string { return o.RecidivismEvents }},
			Texts: OutcomeTexts{
				Name: "outcome_recidivism", Summary: "summary_recidivism",
				Windows: "def_windows_recidivism", Reference: "def_reference_recidivism", Events: "def_events_recidivism",
				EventsArgs: func(o Outcomes) []any {
					var others []string
					for _, e := range o.RecidivismEvents {
						if e != EventOffence {
							others = append(others, e)
						}
					}
					if len(others) == 0 {
						others = []string{"-"}
					}
					return []any{o.RecidivismDefinition, o.CountDate, strings.Join(o.NonCounting, ", "),
						o.RegistrationLagMonths, strings.Join(others, ", ")}
				},
			},
		},
		{
			Kind:       OutcomeShelterReturn,
			WindowsKey: "shelter_return_windows",
			Windows:    func(o Outcomes) []int { return o.ShelterReturnWindows },
			Reference:  ReferenceExitToHousing,
			Events: QualifyingEvents{
				EventTypes:   func(Outcomes) []string { return []string{EventShelterEntry} },
				ShelterStays: true,
				TransferDays: func(o Outcomes) int { return o.TransferDays },
			},
			Texts: OutcomeTexts{
				Name: "outcome_shelter_return", Summary: "summary_shelter_return",
				Windows: "def_windows_shelter_return", Reference: "def_reference_shelter_return", Events: "def_events_shelter_return",
				EventsArgs: func(o Outcomes) []any { return []any{o.TransferDays} },
			},
		},
		{
			Kind:       OutcomeShelterInflow,
			WindowsKey: "inflow_windows",
			Windows:    func(o Outcomes) []int { return o.InflowWindows },
			Reference:  ReferenceStart,
			Events: QualifyingEvents{
				EventTypes:   func(Outcomes) []string { return []string{EventShelterEntry} },
				ShelterStays: true,
			},
			Texts: OutcomeTexts{
				Name: "outcome_shelter_inflow", Summary: "summary_shelter_inflow",
				Windows: "def_windows_shelter_inflow", Reference: "def_reference_shelter_inflow", Events: "def_events_shelter_inflow",
			},
		},
		{
			Kind:            OutcomeFamily,
			DetaineeOutcome: OutcomeRecidivism,
			WindowsKey:      "recidivism_windows",
			Windows:         func(o Outcomes) []int { return o.RecidivismWindows },
			Texts:           OutcomeTexts{Name: "outcome_family", Summary: "summary_family"},
		},
	}
}

// Definition returns the definition of the kind; false when no kind has
// this code.
func (k OutcomeKind) Definition() (OutcomeDef, bool) {
	for _, d := range OutcomeKinds() {
		if d.Kind == k {
			return d, true
		}
	}
	return OutcomeDef{}, false
}

// outcomeKindList says the kinds' codes for a message: "a, b, c or d".
func outcomeKindList() string {
	var codes []string
	for _, d := range OutcomeKinds() {
		codes = append(codes, string(d.Kind))
	}
	last := len(codes) - 1
	if last == 0 {
		return codes[0]
	}
	return strings.Join(codes[:last], ", ") + " or " + codes[last]
}
