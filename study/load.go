package study

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

type rawStudy struct {
	Study      string         `yaml:"study"`
	Demo       bool           `yaml:"demo"`
	Cutoff     string         `yaml:"cutoff"`
	MinCell    *int           `yaml:"min_cell"`
	Disclosure rawDisclosure  `yaml:"disclosure"`
	Outcomes   rawOutcomes    `yaml:"outcomes"`
	Programmes []rawProgramme `yaml:"programmes"`
	Partners   []rawPartner   `yaml:"partners"`
	// LifeDomains maps canonical life domains to scored domains.
	LifeDomains map[string]string `yaml:"life_domains"`
	// LifeDomainAnalysis configures the life-domain analysis (domainsets.go).
	LifeDomainAnalysis rawLifeDomainAnalysis `yaml:"life_domain_analysis"`
	// SurvivalTimes are the times the curves are read out at (survivaltimes.go).
	SurvivalTimes rawSurvivalTimes `yaml:"survival_times"`
	// Contrasts declares the comparisons (contrasts.go).
	Contrasts []rawContrast `yaml:"contrasts"`
	// Linkage configures probabilistic linkage (linkage.go).
	Linkage rawLinkage `yaml:"linkage"`
}

type rawDisclosure struct {
	ResearcherExact bool `yaml:"researcher_exact"`
	ZerosDisclosive bool `yaml:"zeros_disclosive"`
	MinResidualDF   *int `yaml:"min_residual_df"`
	Rounding        int  `yaml:"rounding"`
}

type rawOutcomes struct {
	RecidivismWindows    []int    `yaml:"recidivism_windows"`
	RecidivismEvents     []string `yaml:"recidivism_events"`
	ShelterReturnWindows []int    `yaml:"shelter_return_windows"`
	TransferDays         *int     `yaml:"transfer_days"`
	HousingProgrammes    []string `yaml:"housing_programmes"`
	FamilyGraceDays      *int     `yaml:"family_grace_days"`
	InflowWindows        []int    `yaml:"inflow_windows"`
	// The justice model and the cut-off (justice.go).
	RegistrationLagMonths *int             `yaml:"registration_lag_months"`
	PriorLookbackYears    *int             `yaml:"prior_lookback_years"`
	CountDate             string           `yaml:"count_date"`
	NonCounting           []string         `yaml:"non_counting_disposals"`
	RecidivismDefinition  string           `yaml:"recidivism_definition"`
	Definitions           map[string][]int `yaml:"recidivism_definitions"`
}

type rawProgramme struct {
	Code    string `yaml:"code"`
	Name    string `yaml:"name"`
	Outcome string `yaml:"outcome"`
	Shelter bool   `yaml:"shelter"`
	// ReferenceDate chooses the programme's reference date (reference.go).
	ReferenceDate string `yaml:"reference_date"`
}

type rawPartner struct {
	Name  string    `yaml:"name"`
	Files []rawFile `yaml:"files"`
}

type rawFile struct {
	Path           string                       `yaml:"path"`
	Kind           string                       `yaml:"kind"`
	Format         string                       `yaml:"format"`
	Delimiter      string                       `yaml:"delimiter"`
	Encoding       string                       `yaml:"encoding"`
	Sheet          string                       `yaml:"sheet"`
	DateFormat     string                       `yaml:"date_format"`
	Columns        map[string]string            `yaml:"columns"`
	Identifiers    []string                     `yaml:"identifiers"`
	Codes          map[string]map[string]string `yaml:"codes"`
	Constants      map[string]string            `yaml:"constants"`
	Pseudonymised  bool                         `yaml:"pseudonymised"`
	FreeText       []string                     `yaml:"free_text"`
	KeyFingerprint string                       `yaml:"key_fingerprint"`
	ExtractionDate string                       `yaml:"extraction_date"`
}

// Load reads and validates the study file at path.
// It must be a regular file (a named pipe or a device is refused before it
// is opened, so Load never blocks on one) of at most MaxStudyBytes.
func Load(path string) (*Study, error) {
	data, err := readStudyFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

func readStudyFile(path string) ([]byte, error) {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return nil, &Error{File: path, Msg: "not a regular file (a folder, named pipe or device); give the path of the study's YAML file"}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, readError{err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxStudyBytes+1))
	if err != nil {
		return nil, readError{err}
	}
	return data, nil
}

// readError is a study file that cannot be read at all.
type readError struct{ err error }

func (e readError) Error() string        { return "reading study file: " + e.err.Error() }
func (e readError) Unwrap() error        { return e.err }
func (e readError) Is(target error) bool { return target == ErrInvalid }

// Parse validates a study definition held in memory; path names it in errors
// and anchors relative export paths.
func Parse(path string, data []byte) (*Study, error) {
	if !utf8.Valid(data) {
		return nil, &Error{File: path, Msg: "the study file is not UTF-8 text"}
	}
	doc, raw, err := readYAML(path, data)
	if err != nil {
		return nil, err
	}
	c := checker{path: path, doc: doc}
	s := c.build(raw)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	sum := sha256.Sum256(data)
	s.SHA256 = hex.EncodeToString(sum[:])
	s.Path = path
	s.Dir = filepath.Dir(path)
	if p := s.Linkage.Probabilistic; p != nil && p.Decisions != "" && !filepath.IsAbs(p.Decisions) {
		p.Decisions = filepath.Join(s.Dir, p.Decisions)
	}
	for pi := range s.Partners {
		for fi := range s.Partners[pi].Files {
			f := &s.Partners[pi].Files[fi]
			if !filepath.IsAbs(f.Path) {
				f.Path = filepath.Join(s.Dir, f.Path)
			}
		}
	}
	return s, nil
}

// readYAML parses data into its syntax tree (kept for error positions) and
// decodes it strictly (unknown keys refused). Explicit YAML tags ("!x") are
// refused: a study file has no use for them and the YAML library fails on
// tagged collections. A panic inside the YAML library (its fault on unusual
// syntax, never the researcher's) becomes an error naming the file instead
// of a crash.
func readYAML(path string, data []byte) (doc *ast.File, raw *rawStudy, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, raw = nil, nil
			err = &Error{File: path, Msg: "the YAML library could not read this file; simplify unusual YAML syntax (tags, anchors, aliases, flow collections) and try again"}
		}
	}()
	if len(data) > MaxStudyBytes {
		return nil, nil, &Error{File: path, Msg: fmt.Sprintf("the study file is larger than %d KiB; a study file is a short hand-written description", MaxStudyBytes>>10)}
	}
	if e := tabIndent(path, data); e != nil {
		return nil, nil, e
	}
	// Duplicate keys are let through the parser so that checkShape can
	// name them with their key path.
	doc, err = parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, nil, syntaxError(path, err)
	}
	var body ast.Node
	for _, d := range doc.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if body != nil {
			e := &Error{File: path, Msg: "a study file holds one YAML document; a second one starts here (after a '---' line): remove the '---' line or the second part"}
			e.Line, e.Column = nodePosition(d.Body)
			return nil, nil, e
		}
		body = d.Body
		if err := checkLimits(path, d.Body); err != nil {
			return nil, nil, err
		}
		for _, n := range ast.Filter(ast.TagType, d.Body) {
			e := &Error{File: path, Msg: "YAML tags (a value starting with '!') are not used in a study file; remove the '!' or put the value in quotes"}
			if tk := n.GetToken(); tk != nil && tk.Position != nil {
				e.Line, e.Column = tk.Position.Line, tk.Position.Column
			}
			return nil, nil, e
		}
	}
	if body != nil {
		if errs := checkShape(path, body); len(errs) > 0 {
			return nil, nil, errors.Join(errs...)
		}
	}
	raw = &rawStudy{}
	if err := yaml.UnmarshalWithOptions(data, raw, yaml.Strict()); err != nil {
		return nil, nil, decodeError(path, err)
	}
	return doc, raw, nil
}

// decodeError is a decoding failure that checkShape did not foresee: its
// position, and a sentence without the library's text (which names Go
// types and may quote the value).
func decodeError(path string, err error) error {
	e := &Error{File: path, Msg: "the value here cannot be read as the setting it belongs to; see study/study.md for the keys and what each takes"}
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
	}
	return e
}

// checker collects every validation error, each with its position.
type checker struct {
	path string
	doc  *ast.File
	errs []error
}

// fail records an error at the YAML path key (e.g. "partners[0].files[1].kind").
func (c *checker) fail(key, format string, args ...any) {
	e := &Error{File: c.path, Key: key, Msg: fmt.Sprintf(format, args...)}
	e.Line, e.Column = c.position(key)
	c.errs = append(c.errs, e)
}

// position finds the line and column of a key, or of its nearest parent
// that exists in the file; 0, 0 when none is found (or the YAML library
// fails on the lookup).
func (c *checker) position(key string) (line, column int) {
	defer func() {
		if recover() != nil {
			line, column = 0, 0
		}
	}()
	for k := key; k != ""; k = parentKey(k) {
		p, err := yaml.PathString("$." + k)
		if err != nil {
			continue
		}
		node, err := p.FilterFile(c.doc)
		if err != nil || node == nil {
			continue
		}
		if tk := node.GetToken(); tk != nil && tk.Position != nil {
			return tk.Position.Line, tk.Position.Column
		}
	}
	return 0, 0
}

func parentKey(k string) string {
	i := strings.LastIndexAny(k, ".[")
	if i < 0 {
		return ""
	}
	return k[:i]
}

func (c *checker) build(raw *rawStudy) *Study {
	s := &Study{Name: strings.TrimSpace(raw.Study), Demo: raw.Demo, MinCell: 10}
	if s.Name == "" {
		c.fail("study", "give the study a name")
	}
	if raw.Cutoff == "" {
		c.fail("cutoff", "the data cut-off date is required (yyyy-mm-dd)")
	} else if t, err := time.Parse(time.DateOnly, raw.Cutoff); err != nil {
		c.fail("cutoff", "the cut-off date must be written yyyy-mm-dd")
	} else {
		s.Cutoff = t
	}
	if raw.MinCell != nil {
		if *raw.MinCell < 1 {
			c.fail("min_cell", "the minimum cell size must be at least 1")
		}
		s.MinCell = *raw.MinCell
	}
	s.Disclosure.ResearcherExact = raw.Disclosure.ResearcherExact
	s.Disclosure.ZerosDisclosive = raw.Disclosure.ZerosDisclosive
	s.Disclosure.MinResidualDF = 10
	if raw.Disclosure.MinResidualDF != nil {
		if *raw.Disclosure.MinResidualDF < 1 {
			c.fail("disclosure.min_residual_df", "the minimum residual degrees of freedom must be at least 1")
		}
		s.Disclosure.MinResidualDF = *raw.Disclosure.MinResidualDF
	}
	if raw.Disclosure.Rounding < 0 {
		c.fail("disclosure.rounding", "the rounding base must be 0 (no rounding) or a positive whole number")
	}
	s.Disclosure.Rounding = raw.Disclosure.Rounding
	s.Outcomes = c.outcomes(raw.Outcomes)
	s.Programmes = c.programmes(raw.Programmes)
	c.housingProgrammes(s.Outcomes.HousingProgrammes, s.Programmes)
	s.Contrasts = c.contrasts(raw.Contrasts, s.Programmes)
	s.LifeDomainAnalysis = c.lifeDomainAnalysis(raw.LifeDomainAnalysis)
	s.SurvivalTimes = c.survivalTimes(raw.SurvivalTimes)
	s.LifeDomains = c.lifeDomains(raw.LifeDomains, s.Domains())
	if len(raw.Partners) == 0 {
		c.fail("partners", "list at least one partner with its export files")
	}
	partnerNames := map[string]bool{}
	for i, rp := range raw.Partners {
		key := fmt.Sprintf("partners[%d]", i)
		p := Partner{Name: strings.TrimSpace(rp.Name)}
		if p.Name == "" {
			c.fail(key+".name", "every partner needs a name")
		} else if partnerNames[p.Name] {
			c.fail(key+".name", "partner %s is listed twice", quoted(p.Name))
		}
		partnerNames[p.Name] = true
		if len(rp.Files) == 0 {
			c.fail(key+".files", "partner %s lists no export files", quoted(p.Name))
		}
		for j, rf := range rp.Files {
			p.Files = append(p.Files, c.file(fmt.Sprintf("%s.files[%d]", key, j), rf, s))
		}
		s.Partners = append(s.Partners, p)
	}
	s.Linkage = c.linkage(raw.Linkage, partnerNames)
	c.cutoffCovered(s)
	return s
}

// cutoffCovered refuses a cut-off after the newest extraction date when
// every export declares one: no export then covers the end of follow-up.
// A detected extraction date (the latest date in an export) is only a lower
// bound, so undeclared exports leave the check to the analyses' warning.
func (c *checker) cutoffCovered(s *Study) {
	if s.Cutoff.IsZero() {
		return
	}
	var newest time.Time
	for _, p := range s.Partners {
		for _, f := range p.Files {
			if f.ExtractionDate.IsZero() {
				return
			}
			if f.ExtractionDate.After(newest) {
				newest = f.ExtractionDate
			}
		}
	}
	if !newest.IsZero() && s.Cutoff.After(newest) {
		c.fail("cutoff", "the cut-off %s is after the newest extraction date of the exports (%s): no export covers follow-up up to the cut-off; move the cut-off to %s or earlier",
			s.Cutoff.Format(time.DateOnly), newest.Format(time.DateOnly), newest.Format(time.DateOnly))
	}
}

func (c *checker) outcomes(r rawOutcomes) Outcomes {
	o := Outcomes{
		RecidivismWindows:    orDefault(r.RecidivismWindows, []int{12, 24}),
		RecidivismEvents:     orDefault(r.RecidivismEvents, []string{EventOffence}),
		ShelterReturnWindows: orDefault(r.ShelterReturnWindows, []int{6, 12, 24}),
		InflowWindows:        orDefault(r.InflowWindows, []int{12}),
		TransferDays:         14,
	}
	if r.TransferDays != nil {
		if *r.TransferDays < 0 {
			c.fail("outcomes.transfer_days", "transfer days cannot be negative")
		}
		o.TransferDays = *r.TransferDays
	}
	o.FamilyGraceDays = 30
	if r.FamilyGraceDays != nil {
		if *r.FamilyGraceDays < 0 || *r.FamilyGraceDays > 3650 {
			c.fail("outcomes.family_grace_days", "the family grace period is a whole number of days from 0 to 3650")
		}
		o.FamilyGraceDays = *r.FamilyGraceDays
	}
	o.HousingProgrammes = r.HousingProgrammes
	c.justice(r, &o)
	c.windows(o)
	for i, e := range o.RecidivismEvents {
		if !slices.Contains(EventTypes(), e) {
			c.fail(fmt.Sprintf("outcomes.recidivism_events[%d]", i), "unknown event type %s; use one of %s%s", quoted(e), strings.Join(EventTypes(), ", "), didYouMean(e, EventTypes()))
		}
	}
	return o
}

// justice reads the justice model's settings (justice.go) with their
// defaults.
func (c *checker) justice(r rawOutcomes, o *Outcomes) {
	o.RegistrationLagMonths = 6
	if r.RegistrationLagMonths != nil {
		if *r.RegistrationLagMonths < 0 || *r.RegistrationLagMonths > 60 {
			c.fail("outcomes.registration_lag_months", "the registration lag is a whole number of months from 0 to 60")
		}
		o.RegistrationLagMonths = *r.RegistrationLagMonths
	}
	o.PriorLookbackYears = 5
	if r.PriorLookbackYears != nil {
		if *r.PriorLookbackYears < 1 || *r.PriorLookbackYears > 30 {
			c.fail("outcomes.prior_lookback_years", "the prior-offence look-back is a whole number of years from 1 to 30")
		}
		o.PriorLookbackYears = *r.PriorLookbackYears
	}
	switch o.CountDate = r.CountDate; o.CountDate {
	case "":
		o.CountDate = CountOffenceDate
	case CountOffenceDate, CountRegistrationDate:
	default:
		c.fail("outcomes.count_date", "count_date must be %s or %s", CountOffenceDate, CountRegistrationDate)
	}
	o.NonCounting = DefaultNonCounting()
	if r.NonCounting != nil {
		o.NonCounting = r.NonCounting
	}
	for i, d := range o.NonCounting {
		if !slices.Contains(Disposals(), d) {
			c.fail(fmt.Sprintf("outcomes.non_counting_disposals[%d]", i), "unknown disposal %s; use one of %s%s", quoted(d), strings.Join(Disposals(), ", "), didYouMean(d, Disposals()))
		}
	}
	o.RecidivismDefinition = DefGeneral
	if r.RecidivismDefinition != "" {
		o.RecidivismDefinition = r.RecidivismDefinition
		if _, ok := RecidivismDefinition(r.RecidivismDefinition); !ok {
			c.fail("outcomes.recidivism_definition", "unknown definition %s; use one of %s%s", quoted(r.RecidivismDefinition), strings.Join(definitionNames(), ", "), didYouMean(r.RecidivismDefinition, definitionNames()))
		}
	}
	o.Definitions = map[string][]int{}
	for _, name := range slices.Sorted(maps.Keys(r.Definitions)) {
		if _, ok := RecidivismDefinition(name); !ok {
			c.fail("outcomes.recidivism_definitions."+name, "unknown definition %s; use one of %s%s", quoted(name), strings.Join(definitionNames(), ", "), didYouMean(name, definitionNames()))
			continue
		}
		for i, w := range r.Definitions[name] {
			if w < 1 || w > 240 {
				c.fail(fmt.Sprintf("outcomes.recidivism_definitions.%s[%d]", name, i), "a window is a whole number of months from 1 to 240")
			}
		}
		o.Definitions[name] = r.Definitions[name]
	}
	if len(o.Definitions) == 0 {
		for _, d := range RecidivismDefinitions() {
			o.Definitions[d.Name] = o.RecidivismWindows
		}
	}
}

// windows checks the windows of every outcome kind, each windows key once
// (kinds may share one).
func (c *checker) windows(o Outcomes) {
	checked := map[string]bool{}
	for _, def := range OutcomeKinds() {
		if checked[def.WindowsKey] {
			continue
		}
		checked[def.WindowsKey] = true
		for i, w := range def.Windows(o) {
			if w < 1 || w > 240 {
				c.fail(fmt.Sprintf("outcomes.%s[%d]", def.WindowsKey, i), "a window is a whole number of months from 1 to 240")
			}
		}
	}
}

func orDefault[T any](v, def []T) []T {
	if len(v) == 0 {
		return def
	}
	return v
}

func (c *checker) programmes(raw []rawProgramme) []Programme {
	if len(raw) == 0 {
		c.fail("programmes", "list at least one programme")
	}
	seen := map[string]bool{}
	var out []Programme
	for i, rp := range raw {
		key := fmt.Sprintf("programmes[%d]", i)
		p := Programme{Code: strings.TrimSpace(rp.Code), Name: strings.TrimSpace(rp.Name), Outcome: OutcomeKind(rp.Outcome), Shelter: rp.Shelter}
		p.Reference = c.programmeReference(key+".reference_date", rp.ReferenceDate, p.Outcome)
		switch {
		case p.Code == "":
			c.fail(key+".code", "every programme needs a code")
		case seen[p.Code]:
			c.fail(key+".code", "programme code %s is listed twice", quoted(p.Code))
		}
		seen[p.Code] = true
		if p.Name == "" {
			p.Name = p.Code
		}
		if _, ok := p.Outcome.Definition(); !ok {
			c.fail(key+".outcome", "outcome must be %s%s", outcomeKindList(), didYouMean(rp.Outcome, outcomeKindNames()))
		}
		out = append(out, p)
	}
	return out
}

// housingProgrammes validates outcomes.housing_programmes: each code a
// programme of the study, listed once, not marked shelter (a shelter entry
// is a return on any day; a housing programme's start only after the
// transfer days).
func (c *checker) housingProgrammes(codes []string, programmes []Programme) {
	seen := map[string]bool{}
	for i, code := range codes {
		key := fmt.Sprintf("outcomes.housing_programmes[%d]", i)
		j := slices.IndexFunc(programmes, func(p Programme) bool { return p.Code == code })
		switch {
		case j < 0:
			c.fail(key, "%s is not a programme code of this study", quoted(code))
		case seen[code]:
			c.fail(key, "programme %s is listed twice", quoted(code))
		case programmes[j].Shelter:
			c.fail(key, "programme %s is marked shelter: a shelter entry counts as a return on any day, so it cannot also be a housing programme", quoted(code))
		}
		seen[code] = true
	}
}

// lifeDomains validates the life_domains mapping: keys are canonical life
// domains, values non-empty scored-domain codes.
func (c *checker) lifeDomains(raw map[string]string, domains []string) map[string]string {
	out := map[string]string{}
	for _, d := range slices.Sorted(maps.Keys(raw)) {
		key := "life_domains." + d
		switch scored := strings.TrimSpace(raw[d]); {
		case !slices.Contains(domains, d):
			c.fail(key, "%s is not a life domain of the study's domain set; use one of %s%s", quoted(d), strings.Join(domains, ", "), didYouMean(d, domains))
		case scored == "":
			c.fail(key, "name the scored domain %s is reported under", quoted(d))
		default:
			out[d] = scored
		}
	}
	return out
}

func (c *checker) file(key string, rf rawFile, s *Study) File {
	f := File{
		Name: rf.Path, Path: rf.Path, Kind: Kind(rf.Kind), Format: strings.ToLower(rf.Format), Encoding: strings.ToLower(rf.Encoding),
		Sheet: rf.Sheet, DateFormat: strings.ToLower(rf.DateFormat), Columns: map[string]string{},
		Identifiers: rf.Identifiers, Codes: rf.Codes, Constants: rf.Constants, Pseudonymised: rf.Pseudonymised,
		FreeText: rf.FreeText, KeyFingerprint: strings.TrimSpace(rf.KeyFingerprint),
	}
	f.Line, _ = c.position(key)
	if rf.ExtractionDate != "" {
		if t, err := time.Parse(time.DateOnly, rf.ExtractionDate); err != nil {
			c.fail(key+".extraction_date", "the extraction date must be written yyyy-mm-dd")
		} else {
			f.ExtractionDate = t
		}
	}
	if f.Path == "" {
		c.fail(key+".path", "every export file needs a path")
	}
	fields := Fields(f.Kind)
	if fields == nil {
		c.fail(key+".kind", "kind must be one of %s%s", kindNames(), didYouMean(rf.Kind, strings.Split(kindNames(), ", ")))
		return f
	}
	switch f.Format {
	case "", "csv", "xlsx", "parquet":
	default:
		c.fail(key+".format", "format must be csv, xlsx or parquet")
	}
	switch rf.Delimiter {
	case "":
	case ";", ",", "|":
		f.Delimiter = rune(rf.Delimiter[0])
	case "\t", "tab", `\t`:
		f.Delimiter = '\t'
	default:
		c.fail(key+".delimiter", "delimiter must be ; , | or tab")
	}
	switch f.Encoding {
	case "", "utf-8", "utf8", "windows-1252", "cp1252", "latin1":
	default:
		c.fail(key+".encoding", "encoding must be utf-8 or windows-1252")
	}
	byName := map[string]Field{}
	for _, fd := range fields {
		byName[fd.Name] = fd
	}
	for canon, col := range rf.Columns {
		if _, ok := byName[canon]; !ok {
			c.fail(key+".columns."+keyPart(canon), "%s is not a field of %s exports; use one of %s%s", quoted(canon), f.Kind, fieldNames(fields), didYouMean(canon, strings.Split(fieldNames(fields), ", ")))
			continue
		}
		if strings.TrimSpace(col) == "" {
			c.fail(key+".columns."+keyPart(canon), "name the export column that holds %s", canon)
			continue
		}
		f.Columns[canon] = col
	}
	for canon := range rf.Constants {
		if _, ok := byName[canon]; !ok {
			c.fail(key+".constants."+keyPart(canon), "%s is not a field of %s exports", quoted(canon), f.Kind)
		}
	}
	for _, fd := range fields {
		_, mapped := f.Columns[fd.Name]
		_, constant := f.Constants[fd.Name]
		if fd.Required && !mapped && !constant {
			c.fail(key+".columns", "map the required field %q to an export column (or give it under constants)", fd.Name)
		}
	}
	_, bsn := f.Columns[FieldBSN]
	_, surname := f.Columns[FieldSurname]
	_, birth := f.Columns[FieldBirthDate]
	_, pseudo := f.Columns[FieldPseudonym]
	switch {
	case f.Pseudonymised && !pseudo:
		c.fail(key+".columns", "a pseudonymised export needs its pseudonym column mapped")
	case !f.Pseudonymised && !bsn && !(surname && birth):
		c.fail(key+".columns", "map bsn, or surname and birth_date, so rows can be linked to a person")
	case !f.Pseudonymised && pseudo:
		c.fail(key+".columns.pseudonym", "only an export marked pseudonymised: true can carry pseudonyms")
	}
	switch {
	case f.KeyFingerprint == "":
	case !f.Pseudonymised:
		c.fail(key+".key_fingerprint", "only an export marked pseudonymised: true has a key fingerprint")
	case len(f.KeyFingerprint) != 16 || strings.Trim(f.KeyFingerprint, "0123456789abcdef") != "":
		c.fail(key+".key_fingerprint", "a key fingerprint is 16 lower-case hex digits, as `outcomes pseudonymise` writes it")
	}
	if f.Kind == KindHouseholds {
		c.detaineeColumns(key, f)
	}
	for i, name := range f.FreeText {
		if _, ok := byName[name]; !ok || !slices.Contains(FreeTextFields(), name) {
			c.fail(fmt.Sprintf("%s.free_text[%d]", key, i), "%s is not a free-text field of %s exports; use %s", quoted(name), f.Kind, strings.Join(FreeTextFields(), " or "))
		}
	}
	for field, table := range rf.Codes {
		fd, ok := byName[field]
		if !ok || fd.Type != Code {
			c.fail(key+".codes."+keyPart(field), "%s takes no code table", quoted(field))
			continue
		}
		for code, canon := range table {
			if !c.knownCode(field, canon, s) {
				c.fail(key+".codes."+keyPart(field)+"."+keyPart(code), "%s is not a known %s", quoted(canon), field)
			}
		}
	}
	return f
}

// detaineeColumns checks how a households export names the detainee: a raw
// export by detainee_bsn, or detainee_surname and detainee_birth_date; a
// pseudonymised one by its detainee pseudonym columns only, never by the
// detainee's identifiers.
func (c *checker) detaineeColumns(key string, f File) {
	mapped := func(field string) bool { _, ok := f.Columns[field]; return ok }
	if f.Pseudonymised {
		if !mapped(FieldDetaineePseudonym) {
			c.fail(key+".columns", "a pseudonymised households export needs its %s column mapped", FieldDetaineePseudonym)
		}
		for _, field := range []string{FieldDetaineeBSN, FieldDetaineeSurname, FieldDetaineeBirthDate} {
			if mapped(field) {
				c.fail(key+".columns."+field, "a pseudonymised export carries the detainee as %s, not as %s; remove this mapping", FieldDetaineePseudonym, field)
			}
		}
		return
	}
	if !mapped(FieldDetaineeBSN) && !(mapped(FieldDetaineeSurname) && mapped(FieldDetaineeBirthDate)) {
		c.fail(key+".columns", "map detainee_bsn, or detainee_surname and detainee_birth_date, so household members can be linked to the detainee")
	}
	for _, field := range []string{FieldDetaineePseudonym, FieldDetaineeLinkage, FieldDetaineeFallbackID} {
		if mapped(field) {
			c.fail(key+".columns."+field, "only an export marked pseudonymised: true can carry detainee pseudonyms")
		}
	}
}

func (c *checker) knownCode(field, value string, s *Study) bool {
	switch field {
	case FieldProgramme:
		_, ok := s.Programme(value)
		return ok
	case FieldExitDestination:
		return slices.Contains(Destinations(), value)
	case FieldEventType:
		return slices.Contains(EventTypes(), value)
	case FieldDomain:
		return slices.Contains(s.Domains(), value)
	case FieldRelation:
		return slices.Contains(Relations(), value)
	case FieldDisposal:
		return slices.Contains(Disposals(), value)
	case FieldOffenceType:
		return slices.Contains(OffenceTypes(), value)
	case FieldSeriousness:
		return slices.Contains(SeriousnessTiers(), value)
	}
	return false
}

func fieldNames(fields []Field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}
