package browsertest

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// CheckTimeout bounds one [Check]: starting the browser, loading the report,
// waiting for the charts and inspecting them. A Check takes 1–3 s on an idle
// two-core machine; the bound leaves room for a heavily loaded one.
const CheckTimeout = 60 * time.Second

// Check opens the report at htmlPath with [Open] and fails tb for every
// problem a reader would meet (see [Result.Problems]): a console error or
// uncaught exception, any network request, no element matching
// chartSelector ("" means [DefaultChartSelector]), or a chart none of whose
// canvases has anything drawn on it. Each problem is reported with
// tb.Errorf, so one run shows all of them; if Open itself fails (for example
// Chromium is not installed) Check calls tb.Fatalf. If screenshotPath is not
// "", a full-page PNG is written there and its path is logged on failure.
// Check returns the Result for further assertions.
//
// Without a Chromium binary, Check skips the test unless $CI or
// $CHROMIUM_PATH is set, so the tests pass on a fresh machine while CI, which
// installs Chromium, always runs them.
func Check(tb testing.TB, htmlPath, screenshotPath, chartSelector string) Result {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), CheckTimeout)
	defer cancel()
	res, err := Open(ctx, htmlPath, screenshotPath, chartSelector)
	if err != nil {
		if errors.Is(err, ErrNoChromium) && os.Getenv("CI") == "" && os.Getenv("CHROMIUM_PATH") == "" {
			// A newcomer's machine may have no browser yet; CI always has
			// one (.ci/run installs it), and there a missing browser fails.
			tb.Skipf("browsertest: %v (skipped outside CI; set CI=true to make this a failure)", err)
		}
		tb.Fatalf("browsertest: %v", err)
	}
	problems := res.Problems()
	for _, p := range problems {
		tb.Errorf("%s: %s", htmlPath, p)
	}
	if len(problems) > 0 && screenshotPath != "" {
		tb.Logf("screenshot of %s: %s", htmlPath, screenshotPath)
	}
	return res
}
