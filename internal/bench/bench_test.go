package bench

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	return &benchmark{cfg: Config{Runs: 3, BatchSize: 65536}, studies: []*benchStudy{
		{size: Size{Label: "0.1M", Events: 100000}, inputBytes: 12345678, inputRows: 180000,
			baselines: []measurement{measure(0.5, 0.9, 90<<20, nil), measure(0.45, 0.8, 95<<20, nil), measure(0.6, 1.0, 91<<20, nil)},
			pipelines: []measurement{measure(4.2, 7.5, 400<<20, stages(1)), measure(4.0, 7.1, 410<<20, stages(0.95)), measure(4.5, 7.9, 405<<20, stages(1.05))}},
		{size: Size{Label: "1M", Events: 1000000}, inputBytes: 123456789, inputRows: 1800000,
			baselines: []measurement{measure(3.5, 6.9, 190<<20, nil), measure(3.45, 6.8, 195<<20, nil), measure(3.6, 7.0, 191<<20, nil)},
			pipelines: []measurement{measure(40.2, 75.5, 800<<20, stages(10)), measure(40.0, 71.1, 810<<20, stages(9.5)), measure(41.5, 77.9, 805<<20, stages(10.5))}},
	}}
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
