package browsertest

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/outcomes-research/outcomes/reports/third_party/echarts"
)

// These tests drive the real browser; none of them skips when it is missing.
// Each Open starts its own browser, so each case costs about a second.

var screenshotDir = flag.String("browsertest.screenshots", "", "also write the tests' screenshots to this directory, to look at them")

// openTimeout bounds one Open in these tests. An Open takes 1–3 s on an idle
// two-core machine; the bound is generous because CI and other engineers'
// builds can load the machine heavily (18 s was seen at load average 17).
const openTimeout = 60 * time.Second

func screenshotPath(t *testing.T, name string) string {
	t.Helper()
	if *screenshotDir != "" {
		return filepath.Join(*screenshotDir, name+".png")
	}
	return filepath.Join(t.TempDir(), name+".png")
}

// barChartPage writes testdata/bar.html.tmpl with the vendored ECharts inlined
// into a temporary directory and returns its path.
func barChartPage(t *testing.T) string {
	t.Helper()
	tmpl, err := os.ReadFile(filepath.Join("testdata", "bar.html.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	const marker = "/*ECHARTS*/"
	if bytes.Count(tmpl, []byte(marker)) != 1 {
		t.Fatalf("testdata/bar.html.tmpl must contain %s exactly once", marker)
	}
	page := bytes.Replace(tmpl, []byte(marker), []byte(echarts.Script()), 1)
	path := filepath.Join(t.TempDir(), "bar.html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// needChromium skips a test that drives the browser on a machine without
// Chromium, unless $CI is set: CI installs Chromium, so there it must run.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := ChromiumPath(); err != nil && os.Getenv("CI") == "" {
		t.Skipf("%v (skipped outside CI)", err)
	}
}

func TestCheckBarChartWithVendoredECharts(t *testing.T) {
	start := time.Now()
	shot := screenshotPath(t, "bar")
	res := Check(t, barChartPage(t), shot, "")
	t.Logf("took %v", time.Since(start).Round(time.Millisecond))

	if len(res.Charts) != 1 {
		t.Fatalf("got %d charts, want 1: %+v", len(res.Charts), res.Charts)
	}
	c := res.Charts[0]
	want := Chart{ID: "bar", Canvases: 1, NonEmpty: true, Width: 900, Height: 500}
	if c != want {
		t.Errorf("chart = %+v, want %+v", c, want)
	}
	if !res.Settled {
		t.Errorf("Settled = false; the bar chart's animation should finish within %v", SettleTimeout)
	}
	if res.Title != "Bar fixture" {
		t.Errorf("title = %q, want %q", res.Title, "Bar fixture")
	}
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("screenshot %s is not a PNG", shot)
	}
}

// TestOpenFindsProblems opens fixtures that are each broken in one way and
// checks that Open reports exactly that, and that Problems (what Check fails
// on) names it.
func TestOpenFindsProblems(t *testing.T) {
	needChromium(t)
	for _, tc := range []struct {
		name  string
		file  string
		check func(t *testing.T, res Result)
		// wantProblems are substrings, each of which some problem must contain;
		// wantNProblems is the exact number of problems.
		wantProblems  []string
		wantNProblems int
	}{
		{
			name: "network requests",
			file: "network.html",
			check: func(t *testing.T, res Result) {
				for _, want := range []string{
					"http://example.invalid/x.png",
					"https://example.invalid/data.json",
					"wss://example.invalid/live",
				} {
					if !slices.Contains(res.Requests, want) {
						t.Errorf("Requests = %q, want it to contain %q", res.Requests, want)
					}
				}
				if !slices.ContainsFunc(res.Requests, func(u string) bool {
					return strings.HasPrefix(u, "file://") && strings.HasSuffix(u, "/testdata/missing-style.css")
				}) {
					t.Errorf("Requests = %q, want the sibling file missing-style.css in it", res.Requests)
				}
				for _, u := range res.Requests {
					if strings.HasPrefix(u, "data:") || strings.HasSuffix(u, "/network.html") {
						t.Errorf("Requests contains allowed URL %q", u)
					}
				}
				if len(res.ConsoleErrors) != 0 {
					t.Errorf("ConsoleErrors = %q, want none (blocked loads are reported as Requests only)", res.ConsoleErrors)
				}
				if len(res.Charts) != 1 || !res.Charts[0].NonEmpty {
					t.Errorf("Charts = %+v, want one drawn chart", res.Charts)
				}
			},
			wantProblems:  []string{"network request", "example.invalid/x.png", "example.invalid/data.json", "missing-style.css", "wss://example.invalid/live"},
			wantNProblems: 4,
		},
		{
			name: "console error and uncaught exception",
			file: "console_error.html",
			check: func(t *testing.T, res Result) {
				want := []string{
					"fixture: deliberate console error",
					"exception: Uncaught Error: fixture: uncaught exception",
				}
				if !slices.Equal(res.ConsoleErrors, want) {
					t.Errorf("ConsoleErrors = %q, want %q", res.ConsoleErrors, want)
				}
				if len(res.Requests) != 0 {
					t.Errorf("Requests = %q, want none", res.Requests)
				}
				if len(res.Charts) != 1 || !res.Charts[0].NonEmpty {
					t.Errorf("Charts = %+v, want one drawn chart", res.Charts)
				}
			},
			wantProblems:  []string{"deliberate console error", "uncaught exception"},
			wantNProblems: 2,
		},
		{
			name: "empty canvases",
			file: "empty_canvas.html",
			check: func(t *testing.T, res Result) {
				want := []Chart{
					{ID: "transparent", Canvases: 1, NonEmpty: false, Width: 400, Height: 300},
					{ID: "uniform", Canvases: 1, NonEmpty: false, Width: 400, Height: 300},
					{ID: "nocanvas", Canvases: 0, NonEmpty: false, Width: 400, Height: 300},
					{ID: "zero", Canvases: 1, NonEmpty: false, Width: 400, Height: 300},
				}
				if !slices.Equal(res.Charts, want) {
					t.Errorf("Charts =\n%+v\nwant\n%+v", res.Charts, want)
				}
				if len(res.ConsoleErrors) != 0 || len(res.Requests) != 0 {
					t.Errorf("ConsoleErrors = %q, Requests = %q, want none", res.ConsoleErrors, res.Requests)
				}
			},
			wantProblems:  []string{"chart transparent", "chart uniform", "chart nocanvas has no canvas", "chart zero"},
			wantNProblems: 4,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			ctx, cancel := context.WithTimeout(t.Context(), openTimeout)
			defer cancel()
			name := strings.TrimSuffix(tc.file, ".html")
			res, err := Open(ctx, filepath.Join("testdata", tc.file), screenshotPath(t, name), "")
			t.Logf("took %v", time.Since(start).Round(time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, res)

			problems := res.Problems()
			for _, want := range tc.wantProblems {
				if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, want) }) {
					t.Errorf("Problems() = %q, want one containing %q", problems, want)
				}
			}
			if tc.wantNProblems > 0 && len(problems) != tc.wantNProblems {
				t.Errorf("Problems() has %d entries, want %d: %q", len(problems), tc.wantNProblems, problems)
			}
		})
	}
}

// recordingTB is a testing.TB whose failures are recorded instead of failing
// the real test. Methods it does not override go to the real test.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatal  string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.fatal = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recordingTB) Logf(format string, args ...any) {}

// runCheck runs Check against a recordingTB on its own goroutine, as the
// testing package runs a test, so that Fatalf can end it.
func runCheck(t *testing.T, htmlPath, screenshotPath string) *recordingTB {
	rec := &recordingTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Check(rec, htmlPath, screenshotPath, "")
	}()
	<-done
	return rec
}

func TestCheckFailsOnProblems(t *testing.T) {
	needChromium(t)
	rec := runCheck(t, filepath.Join("testdata", "empty_canvas.html"), "")
	if rec.fatal != "" {
		t.Fatalf("Check called Fatalf: %s", rec.fatal)
	}
	if len(rec.errors) != 4 {
		t.Fatalf("Check reported %d errors, want 4 (one per blank chart): %q", len(rec.errors), rec.errors)
	}
	for _, e := range rec.errors {
		if !strings.HasPrefix(e, filepath.Join("testdata", "empty_canvas.html")+": chart ") {
			t.Errorf("error %q does not name the file and the chart", e)
		}
	}
}

func TestCheckFatalWithoutChromium(t *testing.T) {
	t.Setenv("CHROMIUM_PATH", filepath.Join(t.TempDir(), "no-such-chromium"))
	rec := runCheck(t, filepath.Join("testdata", "empty_canvas.html"), "")
	if !strings.Contains(rec.fatal, "apt-get install chromium") {
		t.Errorf("Check fatal message = %q, want the install hint", rec.fatal)
	}
}

func TestOpenOtherSelector(t *testing.T) {
	needChromium(t)
	ctx, cancel := context.WithTimeout(t.Context(), openTimeout)
	defer cancel()
	res, err := Open(ctx, filepath.Join("testdata", "empty_canvas.html"), "", `div[id="uniform"], #nocanvas`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range res.Charts {
		ids = append(ids, c.ID)
	}
	if want := []string{"uniform", "nocanvas"}; !slices.Equal(ids, want) {
		t.Errorf("chart ids = %q, want %q", ids, want)
	}
}

func TestOpenMissingFile(t *testing.T) {
	_, err := Open(t.Context(), filepath.Join(t.TempDir(), "nope.html"), "", "")
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open(missing file) error = %v, want one wrapping os.ErrNotExist", err)
	}
}

func TestChromiumPathMissing(t *testing.T) {
	t.Setenv("CHROMIUM_PATH", filepath.Join(t.TempDir(), "no-such-chromium"))
	_, err := ChromiumPath()
	if !errors.Is(err, ErrNoChromium) {
		t.Fatalf("ChromiumPath() error = %v, want ErrNoChromium", err)
	}
	if !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("error %q does not say how to install chromium", err)
	}
	if _, err := Open(t.Context(), filepath.Join("testdata", "empty_canvas.html"), "", ""); !errors.Is(err, ErrNoChromium) {
		t.Errorf("Open error = %v, want ErrNoChromium", err)
	}
}

func TestChromiumPathFound(t *testing.T) {
	needChromium(t)
	p, err := ChromiumPath()
	if err != nil {
		t.Fatal(err) // the error says how to install chromium
	}
	t.Logf("using %s", p)
}

func TestRecorderAllowed(t *testing.T) {
	r := &recorder{reportPath: "/tmp/out dir/report.html"}
	for _, tc := range []struct {
		url  string
		want bool
	}{
		{"file:///tmp/out%20dir/report.html", true},
		{"file://localhost/tmp/out%20dir/report.html", true},
		{"data:image/png;base64,AAAA", true},
		{"blob:file:///0b6e2c4e-6a3c-4a8e-9a7e-3f5d0c1d2e3f", true},
		{"file:///tmp/out%20dir/echarts.min.js", false},
		{"file://host/tmp/out%20dir/report.html", false},
		{"http://example.invalid/report.html", false},
		{"https://go-echarts.github.io/go-echarts-assets/assets/echarts.min.js", false},
		{"ws://127.0.0.1:1/", false},
	} {
		if got := r.allowed(tc.url); got != tc.want {
			t.Errorf("allowed(%q) = %v, want %v", tc.url, got, tc.want)
		}
	}
}

func TestProblems(t *testing.T) {
	drawn := Chart{ID: "a", Canvases: 1, NonEmpty: true, Width: 10, Height: 10}
	for _, tc := range []struct {
		name string
		res  Result
		want []string
	}{
		{"clean", Result{Charts: []Chart{drawn}}, nil},
		{"no charts", Result{}, []string{"no chart containers found"}},
		{"blank chart without id", Result{Charts: []Chart{drawn, {Canvases: 2}}}, []string{"chart #2 (no id): all 2 canvas(es) are blank"}},
		{"everything", Result{
			ConsoleErrors: []string{"boom"},
			Requests:      []string{"https://cdn.invalid/echarts.js"},
			Charts:        []Chart{{ID: "x"}},
		}, []string{
			"console error: boom",
			"network request (reports must be self-contained): https://cdn.invalid/echarts.js",
			"chart x has no canvas",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.res.Problems(); !slices.Equal(got, tc.want) {
				t.Errorf("Problems() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestConsoleTexts(t *testing.T) {
	requests := []string{"http://example.invalid/x.png", "wss://example.invalid/live"}
	msgs := []chromedp.ConsoleMessage{
		{Type: chromedp.ConsoleError, Text: "plain console.error"},
		{Type: chromedp.ConsoleException, Text: "Uncaught Error: boom"},
		{Type: chromedp.ConsoleError, Source: "network", URL: "http://example.invalid/x.png", Text: "Failed to load resource: net::ERR_BLOCKED_BY_CLIENT.Inspector"},
		{Type: chromedp.ConsoleError, Source: "network", Text: "WebSocket connection to 'wss://example.invalid/live' failed"},
		{Type: chromedp.ConsoleError, Source: "network", URL: "file:///r/other.png", Text: "Failed to load resource: net::ERR_FILE_NOT_FOUND"},
		{Type: chromedp.ConsoleError, Source: "security", Text: "Refused to frame"},
	}
	want := []string{
		"plain console.error",
		"exception: Uncaught Error: boom",
		"log: Failed to load resource: net::ERR_FILE_NOT_FOUND",
		"log: Refused to frame",
	}
	if got := consoleTexts(msgs, requests); !slices.Equal(got, want) {
		t.Errorf("consoleTexts() =\n%q\nwant\n%q", got, want)
	}
}
