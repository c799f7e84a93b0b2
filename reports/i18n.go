package reports

import "fmt"

// Languages lists the report languages; the first is the default.
func Languages() []string { return []string{"nl", "en"} }

// texts is one language's translation table. Keys are stable identifiers;
// values are fmt format strings where they take arguments.
type texts map[string]string

func translations(lang string) (texts, error) {
	switch lang {
	case "", "nl":
		return texts{
			"lang":                    "nl",
			"title":                   "Uitkomstenrapport: %s",
			"demo_banner":             "Demonstratie: dit rapport is gemaakt met synthetische gegevens. Er komen geen echte personen in voor.",
			"generated":               "Peildatum gegevens: %s · Run %d · Gemaakt met outcomes %s",
			"toc":                     "Inhoud",
			"summary":                 "Samenvatting per programma",
			"outcome_recidivism":      "Recidive",
			"outcome_shelter_return":  "Terugkeer naar de opvang",
			"outcome_shelter_inflow":  "Instroom in de opvang",
			"chart_title":             "%s binnen %d maanden",
			"axis_programme":          "Programma",
			"axis_rate":               "Aandeel met uitkomst (%)",
			"series_rate":             "Aandeel",
			"series_ci":               "95%-betrouwbaarheidsinterval",
			"col_programme":           "Programma",
			"col_window":              "Termijn (maanden)",
			"col_n":                   "Aantal personen",
			"col_events":              "Met uitkomst",
			"col_rate":                "Aandeel",
			"col_ci":                  "95%-BI",
			"sentence_recidivism":     "Van de %s mensen in %s werd bij %s (%s, 95%%-BI %s–%s) binnen %d maanden na vrijlating een nieuw delict geregistreerd.",
			"sentence_shelter_return": "Van de %s mensen die vanuit %s naar een eigen woning gingen, kwamen er %s (%s, 95%%-BI %s–%s) binnen %d maanden terug in de opvang.",
			"sentence_shelter_inflow": "Van de %s deelnemers aan %s kwamen er %s (%s, 95%%-BI %s–%s) binnen %d maanden in de opvang terecht.",
			"sentence_suppressed":     "Voor %s binnen %d maanden is de groep te klein om te publiceren (minder dan %d personen in een cel).",
			"sentence_none":           "Voor %s is van niemand de termijn van %d maanden al verstreken.",
			"suppressed_note":         "Cellen met minder dan %d personen zijn onderdrukt (\"<%d\") en niet in de grafiek opgenomen.",
			"suppressed_chart":        "Niet in de grafiek (te kleine groep): %s.",
			"cannot_say":              "Wat deze cijfers niet zeggen: ze beschrijven wat er met deelnemers gebeurde, niet wat het programma daaraan bijdroeg. Zonder vergelijkbare groep zonder programma is een verschil tussen programma's geen bewijs van effect.",
			"quality":                 "Datakwaliteit per bestand",
			"col_partner":             "Partner",
			"col_file":                "Bestand",
			"col_read":                "Gelezen",
			"col_loaded":              "Geladen",
			"col_quarantined":         "In quarantaine",
			"col_rules":               "Redenen",
			"col_bsn":                 "Gekoppeld op BSN",
			"col_fallback":            "Gekoppeld op naam en geboortedatum",
			"method":                  "Methode",
			"method_text":             "Elke persoon telt één keer per programma: het eerste traject. Een termijn van W maanden telt alleen mee als die vóór de peildatum (%s) helemaal verstreken is. Recidive: een nieuwe registratie van een delict na de datum van vrijlating (of het einde of de start van het traject). Terugkeer: een nieuwe opvangstart bij welke partner ook, meer dan %d dagen na vertrek naar een eigen woning (eerder is een overplaatsing). Instroom: een opvangstart na de start van het programma. Betrouwbaarheidsintervallen volgens Wilson (95%%).",
			"provenance":              "Herkomst",
			"prov_study":              "Studiebestand (SHA-256)",
			"prov_key":                "Vingerafdruk van de sleutel",
			"prov_tool":               "Versie van outcomes",
			"prov_started":            "Start van de run",
			"data_table":              "Cijfers bij de grafiek",
		}, nil
	case "en":
		return texts{
			"lang":                    "en",
			"title":                   "Outcomes report: %s",
			"demo_banner":             "Demonstration: this report was made from synthetic data. No real people appear in it.",
			"generated":               "Data cut-off: %s · Run %d · Made with outcomes %s",
			"toc":                     "Contents",
			"summary":                 "Summary per programme",
			"outcome_recidivism":      "Recidivism",
			"outcome_shelter_return":  "Return to a shelter",
			"outcome_shelter_inflow":  "Shelter inflow",
			"chart_title":             "%s within %d months",
			"axis_programme":          "Programme",
			"axis_rate":               "Share with outcome (%)",
			"series_rate":             "Share",
			"series_ci":               "95% confidence interval",
			"col_programme":           "Programme",
			"col_window":              "Window (months)",
			"col_n":                   "People",
			"col_events":              "With outcome",
			"col_rate":                "Share",
			"col_ci":                  "95% CI",
			"sentence_recidivism":     "Of the %s people in %s, %s (%s, 95%% CI %s–%s) had a new offence registered within %d months of release.",
			"sentence_shelter_return": "Of the %s people who left %s for a home of their own, %s (%s, 95%% CI %s–%s) returned to a shelter within %d months.",
			"sentence_shelter_inflow": "Of the %s participants in %s, %s (%s, 95%% CI %s–%s) entered a shelter within %d months.",
			"sentence_suppressed":     "For %s within %d months the group is too small to publish (fewer than %d people in a cell).",
			"sentence_none":           "For %s, nobody's %d-month window has closed yet.",
			"suppressed_note":         "Cells with fewer than %d people are suppressed (\"<%d\") and left out of the chart.",
			"suppressed_chart":        "Not in the chart (group too small): %s.",
			"cannot_say":              "What these numbers cannot say: they describe what happened to participants, not what the programme contributed. Without a comparable group outside the programme, a difference between programmes is no proof of effect.",
			"quality":                 "Data quality per file",
			"col_partner":             "Partner",
			"col_file":                "File",
			"col_read":                "Read",
			"col_loaded":              "Loaded",
			"col_quarantined":         "Quarantined",
			"col_rules":               "Reasons",
			"col_bsn":                 "Linked by national ID",
			"col_fallback":            "Linked by name and birth date",
			"method":                  "Method",
			"method_text":             "Each person counts once per programme: the first trajectory. A window of W months counts only when it has passed completely before the data cut-off (%s). Recidivism: a new offence registration after the release date (or the end or start of the trajectory). Return: a new shelter entry at any partner more than %d days after leaving for a home of one's own (earlier is a transfer). Inflow: a shelter entry after programme start. Wilson 95%% confidence intervals.",
			"provenance":              "Provenance",
			"prov_study":              "Study file (SHA-256)",
			"prov_key":                "Key fingerprint",
			"prov_tool":               "outcomes version",
			"prov_started":            "Run started",
			"data_table":              "Numbers behind the chart",
		}, nil
	}
	return nil, fmt.Errorf("unknown report language %q; use nl or en", lang)
}

// f formats the text under key with args.
func (t texts) f(key string, args ...any) string {
	s, ok := t[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
