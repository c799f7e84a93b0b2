package study

import (
	"fmt"
	"strings"
)

// ProgrammeReference is the reference date a programme's follow-up starts
// from, when the study file chooses it (programmes[].reference_date)
// instead of the outcome kind's default (OutcomeDef.Reference). A
// trajectory lacking the chosen date gives no subject: it is excluded and
// counted (table reference_date in package analyses), never replaced by
// another date.
type ProgrammeReference string

const (
	// RefKindDefault (empty): the outcome kind's default reference date.
	RefKindDefault ProgrammeReference = ""
	// RefRelease: the trajectory's release date (detention).
	RefRelease ProgrammeReference = "release"
	// RefStart: the programme start.
	RefStart ProgrammeReference = "start"
	// RefEnd: the programme end, when on or before the cut-off (leaving a
	// residential house).
	RefEnd ProgrammeReference = "end"
	// RefExitToHousing: in a programme marked shelter, the end of a stay
	// whose exit destination is independent_housing; in any other programme
	// the latest such exit from a shelter programme (any partner) on or
	// before the programme start (relapse prevention after the shelter).
	RefExitToHousing ProgrammeReference = "exit_to_housing"
)

// ProgrammeReferences lists the reference dates a study file may choose.
func ProgrammeReferences() []ProgrammeReference {
	return []ProgrammeReference{RefRelease, RefStart, RefEnd, RefExitToHousing}
}

// programmeReference validates programmes[i].reference_date.
func (c *checker) programmeReference(key, raw string, kind OutcomeKind) ProgrammeReference {
	r := ProgrammeReference(strings.TrimSpace(raw))
	if r == RefKindDefault {
		return r
	}
	for _, ok := range ProgrammeReferences() {
		if r == ok {
			if d, found := kind.Definition(); found && !d.OwnSubjects() {
				c.fail(key, "programme of outcome %s is followed through linked detainees; it takes no reference_date", kind)
			}
			return r
		}
	}
	var names []string
	for _, ok := range ProgrammeReferences() {
		names = append(names, string(ok))
	}
	c.fail(key, "reference_date must be %s (or left out for the outcome's default)", strings.Join(names, ", "))
	return RefKindDefault
}

// String names the choice for messages.
func (r ProgrammeReference) String() string {
	if r == RefKindDefault {
		return "default"
	}
	return fmt.Sprint(string(r))
}
