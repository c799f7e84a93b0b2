package bench

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

var update = flag.Bool("update", false, "rewrite testdata/report.md from the current code")

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"100000", 100000, true},
		{"100K", 100000, true},
		{"0.1M", 100000, true},
		{" 10m ", 10000000, true},
		{"1.5k", 1500, true},
		{"", 0, false},
		{"M", 0, false},
		{"-1M", 0, false},
		{"0", 0, false},
		{"ten", 0, false},
		{"2000M", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseCount(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("ParseCount(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tc := range tests {
		in := append([]float64(nil), tc.in...)
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Errorf("median reordered its input %v", in)
			}
		}
	}
}

func TestLoadPartAddsTheLoadStages(t *testing.T) {
	m := measurement{wall: time.Second, times: map[string]float64{
		"ingest": 1, "link": 2, "save": 4, "analyses": 8, "report": 16,
		"cpu_ingest": 1, "cpu_link": 2, "cpu_save": 4, "cpu_analyses": 8,
	}}
	if got := loadPart(m); got != 7 {
		t.Errorf("loadPart = %v, want 7 (ingest + link + save)", got)
	}
	if got := loadPartCPU(m); got != 7 {
		t.Errorf("loadPartCPU = %v, want 7", got)
	}
}

// TestRunRefusesABrokenConfig: the command checks the flags; a Config that
// still breaks a rule is a bug, refused before anything is written.
func TestRunRefusesABrokenConfig(t *testing.T) {
	good := Config{Binary: "/nonexistent/outcomes", Runs: 1, BatchSize: 1, Sizes: []Size{{"1K", 1000}}}
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"no dir", func(c *Config) { c.Dir = "" }},
		{"no runs", func(c *Config) { c.Runs = 0 }},
		{"no batch", func(c *Config) { c.BatchSize = 0 }},
		{"no sizes", func(c *Config) { c.Sizes = nil }},
		{"tiny size", func(c *Config) { c.Sizes = []Size{{"10", 10}} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "work")
			c := good
			c.Dir = dir
			tc.edit(&c)
			var out, log strings.Builder
			err := Run(t.Context(), c, &out, &log)
			if err == nil || !strings.HasPrefix(err.Error(), "bug: ") {
				t.Fatalf("Run = %v, want a bug", err)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("Run created %s before refusing the configuration", dir)
			}
			if out.Len() > 0 || log.Len() > 0 {
				t.Errorf("Run wrote %q and %q", out.String(), log.String())
			}
		})
	}
}

func TestCountLines(t *testing.T) {
	tests := []struct {
		name, text string
		want       int64
	}{
		{"empty", "", 0},
		{"header only", "a;b\n", 1},
		{"no final newline", "a;b\n1;2", 1},
		{"three", "a;b\n1;2\n3;4\n", 3},
		{"over a buffer", strings.Repeat("x\n", 3<<20), 3 << 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "export.csv")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := countLines(path)
			if err != nil || got != tc.want {
				t.Errorf("countLines = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
	if _, err := countLines(filepath.Join(t.TempDir(), "missing.csv")); err == nil {
		t.Error("countLines of a missing file: no error")
	}
}

// fixture is a benchmark of two sizes and three runs with made-up
// measurements: the report's sections, tables and formats are held by
// testdata/report.md (refresh with -update, review with git diff).
func fixture() *benchmark {
	measure := func(wall, cpu float64, rss int64, times map[string]float64) measurement {
		return measurement{wall: time.Duration(wall * float64(time.Second)), cpu: time.Duration(cpu * float64(time.Second)), maxRSS: rss, times: times}
	}
	// Stage times scaled by k; read, pseudonymise and load are busy times
	// with neither CPU nor RSS of their own, report has no RSS.
	stages := func(k float64) map[string]float64 {
		return map[string]float64{"read": 1.1 * k, "pseudonymise": 0.7 * k, "load": 0.9 * k, "ingest": 1.5 * k, "link": 0.3 * k,
			"analyses": 0.8 * k, "report": 0.2 * k, "save": 0.4 * k,
			"cpu_ingest": 2.9 * k, "cpu_link": 0.5 * k, "cpu_analyses": 1.2 * k, "cpu_report": 0.2 * k, "cpu_save": 0.6 * k,
			"rss_ingest": 300 << 20, "rss_link": 200 << 20, "rss_analyses": 250 << 20, "rss_save": 100 << 20}
	}
	study := func(label string, events int, k float64) *benchStudy {
		st := &benchStudy{size: Size{Label: label, Events: events}, inputBytes: int64(12345678 * k), inputRows: int64(180000 * k)}
		st.runs[allExports] = []measurement{measure(0.9*k, 1.5*k, 120<<20, nil), measure(0.8*k, 1.4*k, 125<<20, nil), measure(1.1*k, 1.6*k, 121<<20, nil)}
		st.runs[justiceOnly] = []measurement{measure(0.5*k, 0.9*k, 90<<20, nil), measure(0.45*k, 0.8*k, 95<<20, nil), measure(0.6*k, 1.0*k, 91<<20, nil)}
		st.runs[pipeline] = []measurement{measure(4.2*k, 7.5*k, 400<<20, stages(k)), measure(4.0*k, 7.1*k, 410<<20, stages(0.95*k)), measure(4.5*k, 7.9*k, 405<<20, stages(1.05*k))}
		return st
	}
	return &benchmark{cfg: Config{Runs: 3, BatchSize: 65536}, generator: 7, studies: []*benchStudy{
		study("0.1M", 100000, 1), study("1M", 1000000, 10)}}
}

func TestReport(t *testing.T) {
	var got strings.Builder
	fixture().print(&got, machine{cpu: "Test CPU @ 1.00GHz", cores: 2, goVersion: "go1.99", goos: "linux", goarch: "amd64"})
	golden := filepath.Join("testdata", "report.md")
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("report differs from %s (run with -update and review git diff):\n%s", golden, got.String())
	}
}

// TestMediansAndRatios: the scaling rows are medians over the runs (not
// means, not the last run) and their ratios divide those medians.
func TestMediansAndRatios(t *testing.T) {
	st := &benchStudy{size: Size{Label: "1K", Events: 1000}, inputRows: 1000}
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	st.runs[allExports] = []measurement{{wall: sec(2)}, {wall: sec(100)}, {wall: sec(4)}} // median 4
	st.runs[justiceOnly] = []measurement{{wall: sec(1)}, {wall: sec(1)}, {wall: sec(50)}} // median 1
	st.runs[pipeline] = []measurement{{wall: sec(9), times: map[string]float64{"ingest": 6, "link": 1, "save": 1}},
		{wall: sec(8), times: map[string]float64{"ingest": 2, "link": 1, "save": 1}},    // load part 4
		{wall: sec(1000), times: map[string]float64{"ingest": 1, "link": 1, "save": 1}}} // total median 9, load part median 4
	b := &benchmark{cfg: Config{Runs: 3, BatchSize: 1}, studies: []*benchStudy{st}}
	var out strings.Builder
	b.print(&out, machine{})
	want := "| 1K | 1000 | 0 | 4.00 | 1.00 | 4.00 | 9.00 | 1.00× | 2.25× | 4.00× |"
	if !strings.Contains(out.String(), want) {
		t.Errorf("scaling row: want %q in\n%s", want, out.String())
	}
	for _, tc := range []struct {
		a, b float64
		want string
	}{{3, 2, "1.50×"}, {1, 0, "–"}, {0, 2, "0.00×"}} {
		if got := ratio(tc.a, tc.b); got != tc.want {
			t.Errorf("ratio(%v, %v) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestOrderRotates: over any three consecutive runs each program runs
// once in each position.
func TestOrderRotates(t *testing.T) {
	for start := 0; start < 3; start++ {
		var seen [numPrograms][numPrograms]bool
		for r := start; r < start+int(numPrograms); r++ {
			o := order(r)
			if len(o) != int(numPrograms) {
				t.Fatalf("order(%d) = %v", r, o)
			}
			for pos, p := range o {
				if seen[p][pos] {
					t.Errorf("runs %d–%d: program %d twice in position %d", start, start+2, p, pos)
				}
				seen[p][pos] = true
			}
		}
	}
}

// TestStaleness is the regeneration decision: a study is reused only when
// it is complete and its stamp names this generator version and the same
// configuration.
func TestStaleness(t *testing.T) {
	want := stampFor(Size{Label: "1K", Events: 1000}, 1)
	if want.Persons != 100 || want.Events != 1000 || want.Seed != 1 {
		t.Fatalf("stampFor = %+v", want)
	}
	other := want
	other.Generator--
	seed := want
	seed.Seed = 2
	stampJSON := func(s Stamp) string {
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	tests := []struct {
		name  string
		files map[string]string
		stale string // a part of the reason; "" = reuse
	}{
		{"empty folder", nil, "no study"},
		{"stamp without truth (interrupted)", map[string]string{stampFile: stampJSON(want)}, "no study"},
		{"older study without a stamp", map[string]string{"truth.json": "{}"}, "before the generator's version"},
		{"older generator", map[string]string{"truth.json": "{}", stampFile: stampJSON(other)}, "generator version"},
		{"other seed", map[string]string{"truth.json": "{}", stampFile: stampJSON(seed)}, "generated with"},
		{"broken stamp", map[string]string{"truth.json": "{}", stampFile: "{"}, "cannot be read"},
		{"same", map[string]string{"truth.json": "{}", stampFile: stampJSON(want)}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got := staleness(dir, want)
			if (got == "") != (tc.stale == "") || !strings.Contains(got, tc.stale) {
				t.Errorf("staleness = %q, want %q", got, tc.stale)
			}
		})
	}
}

func TestBaselineJobRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "job.json")
	want := Baseline{DB: "/w/b.duckdb", Timings: "/w/t.json", Files: []store.CSVFile{
		{Path: "/w/a b/x.csv", Table: "export_1_trajectories", Delim: ';', Encoding: "latin-1"},
		{Path: "/w/y.txt", Table: "export_2_events", Delim: '\t'},
	}}
	if err := WriteBaseline(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %+v, want %+v", got, want)
	}
	if args := BaselineArgs(path); len(args) != 3 || args[0] != "bench" || args[2] != path {
		t.Errorf("BaselineArgs = %q", args)
	}
}

func TestBaselineFile(t *testing.T) {
	f := study.File{Path: "/s/nazorg/trajecten.csv", Kind: study.KindTrajectories, Delimiter: ';', Encoding: "windows-1252"}
	got := baselineFile(f, 3)
	want := store.CSVFile{Path: f.Path, Table: "export_3_trajectories", Delim: ';', Encoding: "latin-1"}
	if got != want {
		t.Errorf("baselineFile = %+v, want %+v", got, want)
	}
	f.Encoding = "utf-8"
	if got := baselineFile(f, 1); got.Encoding != "" {
		t.Errorf("utf-8 export read with encoding %q", got.Encoding)
	}
}
