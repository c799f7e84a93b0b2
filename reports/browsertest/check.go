package browsertest

import (
	"context"
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
func Check(tb testing.TB, htmlPath, screenshotPath, chartSelector string) Result {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), CheckTimeout)
	defer cancel()
	res, err := Open(ctx, htmlPath, screenshotPath, chartSelector)
	if err != nil {
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
