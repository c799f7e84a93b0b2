package browsertest

import (
	"context"
	"crypto/rand"
	_ "embed" // for go:embed of the in-page scripts
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// DefaultChartSelector selects the chart containers that go-echarts writes:
// <div class="container"><div class="item" id="..."></div></div>.
const DefaultChartSelector = "div.item"

// SettleTimeout bounds how long [Open] waits for the charts' canvases to stop
// changing (ECharts animates its first render). When it runs out, Open
// inspects the page as it is; a chart that has drawn nothing by then is
// reported as empty.
const SettleTimeout = 5 * time.Second

// windowWidth and windowHeight are the browser window (and so viewport) size,
// fixed so that screenshots and chart sizes are the same on every machine.
const windowWidth, windowHeight = 1280, 1024

// Result is what [Open] found in a report.
type Result struct {
	// ConsoleErrors holds, in order, the text of every console.error call,
	// every uncaught exception or unhandled promise rejection (prefixed
	// "exception: "), and every browser log entry of level error, such as a
	// failed resource load (prefixed "log: "). Warnings and lower are left out,
	// and so are the browser's network errors about URLs in Requests: Open
	// blocked those loads itself.
	ConsoleErrors []string

	// Requests holds every URL the page asked for other than the report file
	// itself and data: and blob: URLs, each once, in the order first seen. All
	// of them were failed before reaching any network. WebSocket URLs are
	// included. Empty for a self-contained report.
	Requests []string

	// Charts has one entry per element matching the chart selector, in
	// document order. Empty when the selector matched nothing.
	Charts []Chart

	// Title is the document title after the page has loaded.
	Title string

	// Settled reports whether the canvases stopped changing before
	// SettleTimeout ran out. False means the page was inspected while still
	// drawing (for example a chart with a looping animation); the charts'
	// NonEmpty is still meaningful, the screenshot may show a mid-animation
	// frame. Check does not fail on it.
	Settled bool
}

// Chart describes one chart container.
type Chart struct {
	// ID is the container's id attribute ("" if it has none).
	ID string
	// Canvases is the number of <canvas> elements inside the container.
	// ECharts' canvas renderer makes one; its SVG renderer makes none.
	Canvases int
	// SVGs is the number of <svg> elements inside the container. ECharts'
	// SVG renderer makes one; its canvas renderer makes none.
	SVGs int
	// NonEmpty reports whether something was drawn: at least one of the
	// canvases has a pixel that differs from its own top-left pixel (a
	// zero-sized canvas is empty), or one of the SVGs holds a painted shape or
	// text of non-zero size.
	NonEmpty bool
	// Width and Height are the container's rendered size in CSS pixels,
	// rounded to whole pixels.
	Width, Height int
}

// Problems lists, in words, why r fails [Check]: console errors, network
// requests, no charts, and charts with no drawn canvas. It is nil for a
// report that passes.
func (r Result) Problems() []string {
	var ps []string
	for _, e := range r.ConsoleErrors {
		ps = append(ps, "console error: "+e)
	}
	for _, u := range r.Requests {
		ps = append(ps, "network request (reports must be self-contained): "+u)
	}
	if len(r.Charts) == 0 {
		ps = append(ps, "no chart containers found")
	}
	for i, c := range r.Charts {
		name := c.ID
		if name == "" {
			name = "#" + strconv.Itoa(i+1) + " (no id)"
		}
		switch {
		case c.Canvases == 0 && c.SVGs == 0:
			ps = append(ps, fmt.Sprintf("chart %s has no canvas", name))
		case !c.NonEmpty && c.SVGs == 0:
			ps = append(ps, fmt.Sprintf("chart %s: all %d canvas(es) are blank", name, c.Canvases))
		case !c.NonEmpty:
			ps = append(ps, fmt.Sprintf("chart %s: its drawing is blank", name))
		}
	}
	return ps
}

// Open loads the report at htmlPath from disk in a fresh headless Chromium with
// all networking disabled, waits until the charts have rendered, and inspects
// the page. chartSelector is a CSS selector for the chart containers; ""
// means [DefaultChartSelector]. If screenshotPath is not "", a full-page PNG
// screenshot is written there (its directory is created if needed).
//
// Rendering counts as finished once the bitmaps of all canvases inside the
// chart containers are unchanged over two consecutive animation-frame checks
// 50 ms apart, or after [SettleTimeout], whichever comes first; this works
// with ECharts animation on or off.
//
// Open returns an error only when it cannot do its job (no browser, the file
// cannot be loaded, the protocol fails, ctx ends); what it finds in the page is
// in the Result, for the caller to judge — see [Result.Problems] and [Check].
func Open(ctx context.Context, htmlPath, screenshotPath, chartSelector string) (Result, error) {
	if chartSelector == "" {
		chartSelector = DefaultChartSelector
	}
	exe, err := ChromiumPath()
	if err != nil {
		return Result{}, err
	}
	abs, err := filepath.Abs(htmlPath)
	if err != nil {
		return Result{}, fmt.Errorf("resolving %s: %w", htmlPath, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return Result{}, fmt.Errorf("opening report: %w", err)
	}
	reportURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, allocatorOptions(exe)...)
	defer cancelAlloc()
	rec := &recorder{reportPath: abs}
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(rec.listen))
	defer cancelTab()

	// Start the browser and the tab.
	if err := chromedp.Do(tabCtx); err != nil {
		return Result{}, fmt.Errorf("starting %s: %w", exe, err)
	}

	// Subscribe to the console before anything can write to it, and collect it
	// until the sentinel message written at the end of Open comes back.
	sentinel := "browsertest:done:" + nonce()
	consoleDone := make(chan []chromedp.ConsoleMessage, 1)
	messages := chromedp.Console(tabCtx)
	go func() {
		var errs []chromedp.ConsoleMessage
		for m, err := range messages {
			if err != nil || m.Text == sentinel {
				break
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				errs = append(errs, m)
			}
		}
		consoleDone <- errs
	}()

	// Fail every intercepted request except the report file itself.
	paused := chromedp.Events(tabCtx, fetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			var cerr error
			if rec.allowed(ev.Request.URL) {
				_, cerr = chromedp.Call(tabCtx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			} else {
				rec.add(ev.Request.URL)
				_, cerr = chromedp.Call(tabCtx, fetch.FailRequest, fetch.FailRequestParams{
					RequestID:   ev.RequestID,
					ErrorReason: network.ErrorReasonBlockedByClient,
				})
			}
			if cerr != nil && tabCtx.Err() != nil {
				return
			}
		}
	}()

	if _, err := chromedp.Call(tabCtx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: new(true),
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		return Result{}, fmt.Errorf("emulating offline network: %w", err)
	}
	if _, err := chromedp.Call(tabCtx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*"}},
	}); err != nil {
		return Result{}, fmt.Errorf("enabling request interception: %w", err)
	}

	if err := chromedp.Do(tabCtx, chromedp.Navigate(reportURL)); err != nil {
		return Result{}, fmt.Errorf("loading %s: %w", abs, err)
	}

	selJS := jsString(chartSelector)
	settled, err := chromedp.Run(tabCtx, chromedp.Evaluate[bool](
		"("+settleJS+")("+selJS+","+strconv.FormatInt(SettleTimeout.Milliseconds(), 10)+")",
		chromedp.EvalAwaitPromise,
	))
	if err != nil {
		return Result{}, fmt.Errorf("waiting for charts to render in %s: %w", abs, err)
	}
	charts, err := chromedp.Run(tabCtx, chromedp.Evaluate[[]jsChart]("("+inspectJS+")("+selJS+")"))
	if err != nil {
		return Result{}, fmt.Errorf("inspecting charts in %s: %w", abs, err)
	}
	title, err := chromedp.Run(tabCtx, chromedp.Title())
	if err != nil {
		return Result{}, fmt.Errorf("reading title of %s: %w", abs, err)
	}
	if screenshotPath != "" {
		png, err := chromedp.Run(tabCtx, chromedp.FullScreenshot(100))
		if err != nil {
			return Result{}, fmt.Errorf("taking screenshot of %s: %w", abs, err)
		}
		if err := os.MkdirAll(filepath.Dir(screenshotPath), 0o755); err != nil {
			return Result{}, fmt.Errorf("creating screenshot directory: %w", err)
		}
		if err := os.WriteFile(screenshotPath, png, 0o644); err != nil {
			return Result{}, fmt.Errorf("writing screenshot: %w", err)
		}
	}

	// The console keeps message order, so once the sentinel arrives every
	// earlier message has been collected.
	if err := chromedp.Do(tabCtx, chromedp.Evaluate[chromedp.Void]("console.debug("+jsString(sentinel)+")")); err != nil {
		return Result{}, fmt.Errorf("flushing console of %s: %w", abs, err)
	}
	var consoleErrors []chromedp.ConsoleMessage
	select {
	case consoleErrors = <-consoleDone:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("collecting console messages of %s: %w", abs, ctx.Err())
	}

	requests := rec.urls()
	res := Result{
		ConsoleErrors: consoleTexts(consoleErrors, requests),
		Requests:      requests,
		Title:         title,
		Settled:       settled,
	}
	for _, c := range charts {
		res.Charts = append(res.Charts, Chart(c))
	}
	return res, nil
}

// consoleTexts turns the collected error messages into Result.ConsoleErrors.
// It leaves out the browser's network log entries about a URL in requests:
// those loads failed because Open blocked them (by interception or the offline
// emulation), and they are already reported as requests.
func consoleTexts(msgs []chromedp.ConsoleMessage, requests []string) []string {
	var out []string
	for _, m := range msgs {
		switch {
		case m.IsException():
			out = append(out, "exception: "+m.Text)
		case m.Source == "network" && slices.ContainsFunc(requests, func(u string) bool {
			return m.URL == u || strings.Contains(m.Text, u)
		}):
			// Blocked by Open; in Requests.
		case m.Source != "":
			out = append(out, "log: "+m.Text)
		default:
			out = append(out, m.Text)
		}
	}
	return out
}

// allocatorOptions are the browser's command-line flags. They are built from
// scratch rather than from chromedp.DefaultExecAllocatorOptions so that the
// list here is the whole list.
func allocatorOptions(exe string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless, // --headless, --hide-scrollbars, --mute-audio
		chromedp.NoSandbox,
		chromedp.DisableGPU, // --disable-gpu, --enable-unsafe-swiftshader
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider"),
		// No host name resolves, so a request that escaped interception (for
		// example from a worker) still cannot leave the machine by name.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("force-device-scale-factor", "1"),
		chromedp.WindowSize(windowWidth, windowHeight),
		// No UserDataDir option: chromedp then creates a fresh temporary
		// profile directory for this browser and deletes it when it exits.
	}
}

// jsChart mirrors Chart with the field names inspectJS returns.
type jsChart struct {
	ID       string `json:"id"`
	Canvases int    `json:"canvases"`
	SVGs     int    `json:"svgs"`
	NonEmpty bool   `json:"nonEmpty"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
}

// recorder collects the URLs of requests that are not allowed. Its listen
// method runs in chromedp's event loop, before the reply to any later command
// is delivered, so by the time Open reads the list every request the page made
// before the last command is in it.
type recorder struct {
	reportPath string

	mu   sync.Mutex
	seen map[string]bool
	list []string
}

func (r *recorder) listen(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request != nil && !r.allowed(ev.Request.URL) {
			r.add(ev.Request.URL)
		}
	case *network.EventWebSocketCreated:
		r.add(ev.URL)
	}
}

// allowed reports whether u may be loaded: the report file itself, or a
// data: or blob: URL (which never touch a network or the disk).
func (r *recorder) allowed(u string) bool {
	if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") {
		return true
	}
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "file" || (p.Host != "" && p.Host != "localhost") {
		return false
	}
	return filepath.FromSlash(p.Path) == r.reportPath
}

func (r *recorder) add(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = make(map[string]bool)
	}
	if !r.seen[u] {
		r.seen[u] = true
		r.list = append(r.list, u)
	}
}

func (r *recorder) urls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.list...)
}

// jsString returns s as a JavaScript string literal. (JSON string syntax is
// valid JavaScript; strconv.Quote's Go escapes such as \a are not.)
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a string always marshals
	}
	return string(b)
}

// nonce returns a random hex string, so that no page can forge the sentinel.
func nonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}

// settleJS waits until the canvases inside the chart containers stop changing:
// it returns true once their bitmaps are identical over two consecutive checks
// (each after an animation frame and 50 ms), false when timeoutMs runs out.
//
//go:embed settle.js
var settleJS string

// inspectJS returns one record per chart container (see jsChart). A canvas is
// non-empty if any pixel of its bitmap differs from its top-left pixel. The
// bitmap is copied onto a scratch 2D canvas first, so WebGL canvases work too.
//
//go:embed inspect.js
var inspectJS string
