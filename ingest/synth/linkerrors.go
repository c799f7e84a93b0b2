package synth

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Registration errors in the exports (Config.LinkageErrors), for measuring
// linkage quality on the command line: every trajectory export's identity
// columns (surname, given name, birth date, sex) are garbled once per person
// and export, so the rows of one person in one export agree with each other
// and may disagree with the same person's rows elsewhere, as two partners'
// registrations of one client do. The shelters, which often register no
// valid BSN, leave it out for three in ten of their clients
// (shelterNoBSN), so those rows link by name and birth date only. The
// truth (which row is whose) goes to a
// file outside the study folder (LinkageTruthPath), so no run reads it.

// LinkageTruthPath is where Write puts the linkage truth of a study written
// into dir: beside the folder, not in it ("synthetic" gives
// "synthetic.linkage-truth.csv").
func LinkageTruthPath(dir string) string {
	return filepath.Clean(dir) + ".linkage-truth.csv"
}

// LinkageTruthHeader is the header of the linkage truth file: the export
// (its path in study.yaml), the row's line (the header is line 1, as the
// pipeline counts) and the synthetic person the row is about.
var LinkageTruthHeader = []string{"file", "line", "person"}

// exportErrorRates are LinkageErrorRates without a missing surname or
// birth date, which would make a row without a BSN unlinkable (it is
// quarantined) and change the truth's row accounting; package link's tests
// cover those.
func exportErrorRates() ErrorRates {
	r := LinkageErrorRates()
	r.NoSurname, r.NoBirthDate = 0, 0
	return r
}

// shelterNoBSN is the share of a shelter's clients it registers without a
// BSN, with Config.LinkageErrors.
const shelterNoBSN = 0.3

// written returns the identity of g.p as export file writes it: the true
// one, or with Config.LinkageErrors the one garbled for this person and
// file. sex is "" when the registration has none; noBSN reports a shelter
// registration without the person's BSN.
func (g *gen) written(file int) (surname, given string, birth day, sex string, noBSN bool) {
	p := &g.p
	sex = g.sexCode(file, p.male)
	if !g.cfg.LinkageErrors {
		return p.surname, p.first, p.birth, sex, false
	}
	y, m, d := p.birth.civil()
	truth := Identity{Year: y, Month: m, Day: d, Sex: "v"}
	if p.male {
		truth.Sex = "m"
	}
	// The names come from long-tailed lists (LinkageSurname,
	// LinkageGivenName), drawn from a stream of the person's own: the
	// demo's hundred surnames make namesakes far more common than a real
	// register does, which no linkage could tell apart.
	names := rand.New(rand.NewPCG(uint64(g.cfg.Seed)^0x6e616d65, uint64(p.ord)))
	truth.Surname = LinkageSurname(names)
	truth.Given = LinkageGivenName(names, truth.Sex)
	// A stream of its own per person and file: the world's draws are the
	// same with and without errors.
	r := rand.New(rand.NewPCG(uint64(g.cfg.Seed)^0x6c696e6b, uint64(p.ord)<<8|uint64(file)))
	id, _ := Garble(r, exportErrorRates(), truth)
	if id.Sex == "" {
		sex = ""
	}
	noBSN = (file == fileStad || file == fileRegio) && r.Float64() < shelterNoBSN
	return id.Surname, id.Given, mkday(id.Year, id.Month, id.Day), sex, noBSN
}

// track marks e's next row as g.p's, for the linkage truth.
func (g *gen) track(e *export) {
	if e.truth != nil {
		e.person, e.tracked = g.p.ord, true
	}
}

// openLinkageTruth creates the truth file and hands it to the trajectory
// exports.
func (g *gen) openLinkageTruth(path string) (*os.File, *csv.Writer, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("creating the linkage truth: %w", err)
	}
	w := csv.NewWriter(f)
	w.Write(LinkageTruthHeader)
	for _, i := range []int{fileNazorg, fileStad, fileRegio, fileRG, fileFAMTraj} {
		g.ex[i].truth, g.ex[i].path = w, filePaths[i]
	}
	return f, w, nil
}

func closeLinkageTruth(f *os.File, w *csv.Writer) error {
	w.Flush()
	return errors.Join(w.Error(), f.Close())
}

// writeTruthRow records the row e is about to write as the tracked
// person's.
func (e *export) writeTruthRow() {
	if e.tracked {
		e.truth.Write([]string{e.path, strconv.Itoa(e.rows + 2), strconv.FormatUint(uint64(e.person), 10)})
		e.tracked = false
	}
}

// linkageStudyYAML is the study file of a study with registration errors:
// the demo study with the given names mapped (given_name, read only for the
// keyed encodings) and probabilistic linkage on, every row encoded, so a
// run links through the errors and its appendix shows the model.
func linkageStudyYAML() ([]byte, error) {
	out := bytes.Clone(studyYAML)
	const drop = "identifiers: [Voornaam, "
	for n := 0; ; n++ {
		i := bytes.Index(out, []byte(drop))
		if i < 0 {
			if n != 2 {
				return nil, errors.New("bug: synth's study template no longer lists Voornaam where linkageStudyYAML expects it")
			}
			break
		}
		out = append(out[:i+len("identifiers: [")], out[i+len(drop):]...)
		// given_name goes first under the file's columns:, indented as
		// the mapping after it.
		c := bytes.Index(out[i:], []byte("columns:\n"))
		if c < 0 {
			return nil, errors.New("bug: synth's study template has no columns after an identifiers list")
		}
		at := i + c + len("columns:\n")
		indent := len(out[at:]) - len(bytes.TrimLeft(out[at:], " "))
		line := strings.Repeat(" ", indent) + "given_name: Voornaam\n"
		out = append(out[:at], append([]byte(line), out[at:]...)...)
	}
	out = append(out, "# Registration errors were injected (outcomes synth --linkage-errors): link\n# probabilistically on keyed encodings; see the README, Linkage quality.\nlinkage:\n  probabilistic: {upper: 0.9, lower: 0.2, encode_all: true}\n"...)
	return out, nil
}
