// Package browsertest opens a generated HTML report in a real browser —
// Debian's headless Chromium, driven over the DevTools protocol with chromedp —
// and reports what a reader would meet: console errors, uncaught exceptions,
// network requests, and whether each chart actually drew something.
//
// Place in the flow: a test helper for the reports stage. Only tests import it
// (reports tests call [Check]); no production code path does, so chromedp stays
// confined to tests.
//
// Invariants:
//   - Every report is opened in a fresh browser with a fresh, temporary profile
//     directory, which is deleted afterwards; nothing is shared between calls.
//   - The page cannot reach a network. Every request other than the report file
//     itself and data:/blob: URLs is recorded in [Result.Requests] and failed
//     (Fetch interception), the page's network is emulated offline, and the
//     host resolver maps every host name to "not found". A report that loads a
//     script, style sheet, font or image from anywhere — a CDN, or even a file
//     next to it — therefore shows up in Requests and fails [Check].
//   - A chart counts as drawn only if one of its canvases has a pixel that
//     differs from the canvas's top-left pixel (a full scan of the bitmap, not a
//     sample), so a transparent or uniformly filled canvas is empty.
//
// Each [Open] starts its own browser, about one to two seconds per report on
// the project's two-core machines. To look at what the checker saw, run the
// package tests with
//
//	go test ./reports/browsertest/ -args -browsertest.screenshots=DIR
//
// and open the PNGs in DIR.
//
// The browser is found by [ChromiumPath]: $CHROMIUM_PATH, or /usr/bin/chromium.
// Tests that use this package fail, never skip, when it is missing, with a hint
// to run `apt-get install chromium`; CI installs it.
package browsertest
