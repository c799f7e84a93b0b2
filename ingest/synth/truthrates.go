package synth

// transferShare is the probability that an index person has a transfer: a
// shelter stay starting 1 to 14 days after the exit (before the return).
// Since such a stay is a return (HUD System Performance Measure 2), the true
// return rates are trueRate's, not rateSpecs'.
const transferShare = 0.08

// trueRate is the probability of an event within the window for every
// eligible person: rateSpecs' rate, and for shelter_return the transfers
// (transferShare) on top. A PREV person's reference date is the day after
// the exit, so a transfer on that day (1 of the 14) is not after it.
func trueRate(prog, outcome string, rate float64) float64 {
	if outcome != "shelter_return" {
		return rate
	}
	q := transferShare
	if prog == progPREV {
		q *= float64(transferDays-1) / transferDays
	}
	return q + (1-q)*rate
}
