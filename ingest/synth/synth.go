package synth

import (
	"bufio"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// studyYAML is the demo study definition. It is written next to the exports
// by Write; the golden test keeps testdata/demo/study.yaml equal to it.
//
//go:embed study.yaml
var studyYAML []byte

// Config sizes and seeds a synthetic world.
type Config struct {
	// Seed seeds the PCG generator; the same Config always gives the same
	// bytes.
	Seed int64
	// Scale multiplies the demo group sizes (1 = demo size: 600 AMB, 300 RES,
	// 500 + 190 shelter clients, 19 + 21 RG, 1000 justice-only persons).
	// Ignored when Persons is set.
	Scale float64
	// Persons, when positive, is the exact number of persons with at least
	// one valid row on or before the cut-off (Truth.Persons adds the
	// persons of rows after it); group sizes are scaled from it and the justice-only
	// group takes up the rounding. Zero means: from Scale.
	Persons int
	// Events, when positive, is the exact number of valid justice rows
	// (offence registrations): the justice-only persons take whatever the
	// programme persons leave, at least one each (so the count can come out
	// higher when Events is below what the other groups need). Zero means:
	// 1-5 offences per justice-only person.
	Events int
	// LinkageErrors injects registration errors into the trajectory
	// exports' identity columns (linkerrors.go), maps the given names and
	// turns probabilistic linkage on in study.yaml, and writes which row
	// is whose to LinkageTruthPath(dir). The world (who did what when) is
	// the same as without; truth.json's rates are those of the true
	// persons, which a strict linkage of the garbled exports misses.
	LinkageErrors bool
}

// DemoConfig is the configuration of the committed demo data in
// testdata/demo.
func DemoConfig() Config { return Config{Seed: 1, Scale: 1} }

// Truth is the content of truth.json: what an analysis of the exports must
// find.
type Truth struct {
	Seed   int64  `json:"seed"`
	Cutoff string `json:"cutoff"`
	// Rates lists, per programme (in study order) and window, the true rate
	// the generator drew from and the realised eligible and event counts.
	Rates []Rate `json:"rates"`
	// Quarantine lists the deliberately bad rows per file and rule.
	Quarantine []QuarantineCount `json:"quarantine"`
	// AfterCutoff is the number of justice rows dated after the cut-off:
	// loaded (each about a person with no other row) and never counted.
	AfterCutoff int `json:"after_cutoff"`
	// Files lists every export with its number of data rows (header
	// excluded, bad rows included).
	Files []FileCount `json:"files"`
	// Persons is the number of distinct persons with at least one valid row
	// (persons of bad rows only are not counted; the person of a row after
	// the cut-off is, since that row loads).
	Persons int `json:"persons"`
	// LifeDomains lists, per assessed programme (AMB, RES, PREV, FAM) and
	// canonical life domain, the true mean change the generator drew from
	// and the realised first-to-last changes of persons assessed on at
	// least two dates.
	LifeDomains []DomainChange `json:"life_domains"`
	// Families lists, per recidivism window, the recidivism of detainees
	// (AMB and RES participants, from their first release) whose household
	// took part in FAM, and of the others.
	Families []FamilyRate `json:"families"`
}

// DomainChange is the realised life-domain change of one programme and
// domain.
type DomainChange struct {
	Programme      string  `json:"programme"`
	Domain         string  `json:"domain"`
	TrueMeanChange float64 `json:"true_mean_change"`
	N              int     `json:"n"`
	MeanFirst      float64 `json:"mean_first"`
	MeanLast       float64 `json:"mean_last"`
	MeanChange     float64 `json:"mean_change"`
	Improved       int     `json:"improved"`
	Unchanged      int     `json:"unchanged"`
	Worse          int     `json:"worse"`
}

// FamilyRate is the realised recidivism of one group of detainees.
type FamilyRate struct {
	Programme            string `json:"programme"`
	WindowMonths         int    `json:"window_months"`
	HouseholdInProgramme bool   `json:"household_in_programme"`
	// TrueRate is set for the programme's detainees only (the others are
	// a mixture of the AMB and RES rates).
	TrueRate *float64 `json:"true_rate,omitempty"`
	Eligible int      `json:"eligible"`
	Events   int      `json:"events"`
}

// Rate is the realised outcome of one programme for one window.
type Rate struct {
	Programme    string  `json:"programme"`
	Outcome      string  `json:"outcome"`
	WindowMonths int     `json:"window_months"`
	TrueRate     float64 `json:"true_rate"`
	Eligible     int     `json:"eligible"`
	Events       int     `json:"events"`
}

// QuarantineCount is the number of rows of a file that break one rule.
type QuarantineCount struct {
	File  string `json:"file"`
	Rule  string `json:"rule"`
	Count int    `json:"count"`
}

// FileCount is the number of data rows of one export.
type FileCount struct {
	File string `json:"file"`
	Rows int    `json:"rows"`
	// FallbackRows counts valid rows without a BSN, which link to their
	// person by surname, birth date and sex only.
	FallbackRows int `json:"fallback_rows,omitempty"`
}

// Export files, in the order of the study file.
const (
	fileNazorg = iota
	fileStad
	fileRegio
	fileJustitie
	fileRG
	fileZRM
	fileHouseholds
	fileFAMTraj
	// fileRegister: detention spells (DJI) and deaths and emigrations (BRP)
	// of aftercare clients, the justice model's custody and ending events.
	fileRegister
	numFiles
)

var filePaths = [numFiles]string{
	fileNazorg:   "nazorg_noord/trajecten.csv",
	fileStad:     "opvang_stad/verblijven.csv",
	fileRegio:    "opvang_regio/uitstroom.txt",
	fileJustitie: "justitie/registraties.csv",
	fileRG:       "resourcegroep/deelnemers.csv",
	// Life-domain assessments of the strengths-based method (Krachtgericht
	// Werken), and the families programme's household links and
	// participants (Gezinnen).
	fileZRM:        "krachtgericht/zrm_scores.csv",
	fileHouseholds: "gezinnen/huishoudens.csv",
	fileFAMTraj:    "gezinnen/deelnemers.csv",
	fileRegister:   "register/gebeurtenissen.csv",
}

var fileHeaders = [numFiles][]string{
	fileNazorg:     {"BSN", "Achternaam", "Voornaam", "Geboortedatum", "Geslacht", "Telefoon", "Programma", "Startdatum", "Einddatum", "Datum ontslag PI", "Reden einde", "Uitstroom naar"},
	fileStad:       {"bsn", "naam", "geboortedatum", "geslacht", "adres", "email", "voorziening", "datum_in", "datum_uit", "bestemming"},
	fileRegio:      {"BSN nummer", "Achternaam", "Geb. datum", "M/V", "Product", "Instroomdatum", "Uitstroomdatum", "Woonsituatie na vertrek"},
	fileJustitie:   {"parketnummer", "bsn", "geboortedatum", "pleegdatum", "datum_registratie", "feit", "afdoening"},
	fileRG:         {"Achternaam", "Voornaam", "Geboortedatum", "Geslacht", "Telefoonnummer", "Startdatum", "Einddatum"},
	fileZRM:        {"bsn", "datum", "traject", "domein", "score"},
	fileHouseholds: {"bsn", "achternaam", "geboortedatum", "relatie", "bsn_gedetineerde", "achternaam_gedetineerde", "geboortedatum_gedetineerde", "geslacht_gedetineerde"},
	fileFAMTraj:    {"bsn", "achternaam", "geboortedatum", "programma", "start", "einde"},
	fileRegister:   {"bsn", "geboortedatum", "soort", "datum", "einddatum"},
}

// export is one output file: file → buffer → (Windows-1252 encoder) → CSV.
type export struct {
	f     *os.File
	bw    *bufio.Writer
	enc   io.WriteCloser
	cw    *csv.Writer
	rows  int
	noBSN int
	rec   []string
	// truth, when set, receives for each tracked row its path, line and
	// person (Config.LinkageErrors).
	truth   *csv.Writer
	path    string
	person  uint32
	tracked bool
}

func openExport(dir string, i int) (*export, error) {
	path := filepath.Join(dir, filepath.FromSlash(filePaths[i]))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating folder for %s: %w", filePaths[i], err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", filePaths[i], err)
	}
	e := &export{f: f, bw: bufio.NewWriterSize(f, 1<<20)}
	var w io.Writer = e.bw
	switch i {
	case fileNazorg:
		e.enc = transform.NewWriter(e.bw, charmap.Windows1252.NewEncoder())
		w = e.enc
	case fileJustitie:
		e.bw.WriteString("\uFEFF") // UTF-8 byte order mark
	}
	e.cw = csv.NewWriter(w)
	switch i {
	case fileNazorg:
		e.cw.Comma = ';'
		e.cw.UseCRLF = true // a Windows export
	case fileRegio:
		e.cw.Comma = '\t'
	case fileJustitie:
		e.cw.Comma = '|'
	}
	if err := e.cw.Write(fileHeaders[i]); err != nil {
		f.Close()
		return nil, fmt.Errorf("writing %s: %w", filePaths[i], err)
	}
	return e, nil
}

// write writes one data row (e.rec).
func (e *export) write() {
	if e.truth != nil {
		e.writeTruthRow()
	}
	e.cw.Write(e.rec) // errors are sticky; close reports them
	e.rows++
}

func (e *export) close() error {
	e.cw.Flush()
	err := e.cw.Error()
	if e.enc != nil {
		err = errors.Join(err, e.enc.Close())
	}
	err = errors.Join(err, e.bw.Flush(), e.f.Close())
	return err
}

// Write writes study.yaml, every export named in it, and truth.json into
// dir (created if needed), and returns the truth. Memory is O(persons): rows
// are streamed to buffered writers as each person is generated.
func Write(dir string, cfg Config) (Truth, error) {
	g, err := newGen(cfg)
	if err != nil {
		return Truth{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Truth{}, fmt.Errorf("creating %s: %w", dir, err)
	}
	for i := range g.ex {
		e, err := openExport(dir, i)
		if err != nil {
			for _, o := range g.ex[:i] {
				o.close()
			}
			return Truth{}, err
		}
		g.ex[i] = e
	}
	var errs []error
	yaml := studyYAML
	if cfg.LinkageErrors {
		f, w, err := g.openLinkageTruth(LinkageTruthPath(dir))
		if err == nil {
			yaml, err = linkageStudyYAML()
			if err != nil {
				f.Close()
			}
		}
		if err != nil {
			for _, o := range g.ex {
				o.close()
			}
			return Truth{}, err
		}
		g.run()
		errs = append(errs, closeLinkageTruth(f, w))
	} else {
		g.run()
	}
	for i, e := range g.ex {
		if err := e.close(); err != nil {
			errs = append(errs, fmt.Errorf("writing %s: %w", filePaths[i], err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Truth{}, err
	}
	truth := g.truth()
	if err := os.WriteFile(filepath.Join(dir, "study.yaml"), yaml, 0o644); err != nil {
		return Truth{}, fmt.Errorf("writing study.yaml: %w", err)
	}
	data, err := json.MarshalIndent(truth, "", "  ")
	if err != nil {
		return Truth{}, fmt.Errorf("encoding truth.json: %w", err)
	}
	data = append(data, '\n')
	if err := os.WriteFile(filepath.Join(dir, "truth.json"), data, 0o644); err != nil {
		return Truth{}, fmt.Errorf("writing truth.json: %w", err)
	}
	return truth, nil
}

// groups are the sizes of the person groups.
type groups struct {
	amb, res, stad, regio, rg23, rg24, background int
	// households in the families programme; their members come on top of
	// the other groups, so it is 0 when Config.Persons fixes the total.
	households int
}

func (g groups) total() int {
	return g.amb + g.res + g.stad + g.regio + g.rg23 + g.rg24 + g.background
}

var demoGroups = groups{amb: 600, res: 300, stad: 500, regio: 190, rg23: 19, rg24: 21, background: 1000}

func sizes(cfg Config) (groups, error) {
	if cfg.Persons < 0 || cfg.Events < 0 {
		return groups{}, errors.New("synth: Persons and Events cannot be negative")
	}
	s := cfg.Scale
	if cfg.Persons > 0 {
		s = float64(cfg.Persons) / float64(demoGroups.total())
	} else if !(s > 0) || math.IsInf(s, 0) {
		return groups{}, errors.New("synth: set a positive Scale (1 = demo size) or Persons")
	}
	r := func(n int) int { return int(math.Round(float64(n) * s)) }
	g := groups{amb: r(demoGroups.amb), res: r(demoGroups.res), stad: r(demoGroups.stad), regio: r(demoGroups.regio),
		rg23: r(demoGroups.rg23), rg24: r(demoGroups.rg24), background: r(demoGroups.background), households: r(familyHouseholds)}
	if cfg.Persons > 0 {
		g.households = 0
		g.background += cfg.Persons - g.total()
		if g.background < 0 {
			return groups{}, fmt.Errorf("synth: %d persons is too few", cfg.Persons)
		}
	}
	if g.total() > math.MaxInt32/2 {
		return groups{}, errors.New("synth: too many persons")
	}
	return g, nil
}
