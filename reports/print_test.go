package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/outcomes-research/outcomes/reports/browsertest"
)

// printWidth is the printable width of an A4 page with the report's 1.5 cm
// margins, in CSS pixels (96 per inch): 18 cm.
const printWidth = 680

// TestPrintLayoutFitsA4 lays the fixture report out for print at the width
// of an A4 page and checks that every chart fits on it, that each section
// starts a new page, and that no chart or table is split across pages.
func TestPrintLayoutFitsA4(t *testing.T) {
	exe, err := browsertest.ChromiumPath()
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%v (skipped outside CI)", err)
		}
		t.Fatal(err)
	}
	dir, _ := writeFixture(t, fixtureResults(), "nl")
	ctx, cancel := context.WithTimeout(t.Context(), browsertest.CheckTimeout)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1200, 1000))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	type layout struct {
		Charts, TooWide, Sections, Breaking, Avoiding, Blocks int
		Distorted                                             int
		WideTables                                            []string
	}
	// Render for a wide screen first, as a reader would before printing;
	// then switch to print at A4 width.
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+filepath.Join(dir, ReportFile)), chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(bctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: printWidth, Height: 1000, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(bctx, chromedp.Evaluate[layout](`(() => {
  const r = {Charts: 0, TooWide: 0, Sections: 0, Breaking: 0, Avoiding: 0, Blocks: 0, WideTables: []};
  for (const t of document.querySelectorAll('table')) {
    const w = t.getBoundingClientRect().width;
    if (w > `+fmt.Sprint(printWidth)+` + 1) r.WideTables.push(t.dataset.table + ' (' + Math.round(w) + ' px)');
  }
  for (const item of document.querySelectorAll('div.item')) {
    r.Charts++;
    const w = item.getBoundingClientRect().width;
    let widest = w;
    for (const c of item.querySelectorAll('canvas')) {
      const b = c.getBoundingClientRect();
      widest = Math.max(widest, b.width);
      // A canvas drawn for another size and stretched by CSS is distorted.
      if (c.height > 0 && b.height > 0 && Math.abs((b.width / b.height) / (c.width / c.height) - 1) > 0.02) r.Distorted++;
    }
    if (w > `+fmt.Sprint(printWidth)+` + 1 || widest > w + 1) r.TooWide++;
  }
  const sections = [...document.querySelectorAll('main > section')];
  r.Sections = sections.length;
  r.Breaking = sections.slice(1).filter(s => getComputedStyle(s).breakBefore === 'page').length;
  const blocks = [...document.querySelectorAll('figure.chart, table')];
  r.Blocks = blocks.length;
  r.Avoiding = blocks.filter(b => getComputedStyle(b).breakInside === 'avoid').length;
  return r;
})()`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatal(err)
	}
	if *screenshots != "" {
		_ = os.WriteFile(filepath.Join(*screenshots, "fixture_print.jpg"), shot, 0o644)
	}
	if got.Charts < 10 || got.Sections < 5 {
		t.Fatalf("print layout found %d charts and %d sections; the page did not load", got.Charts, got.Sections)
	}
	if got.TooWide > 0 {
		t.Errorf("%d of %d charts are wider than an A4 page (%d px)", got.TooWide, got.Charts, printWidth)
	}
	if got.Distorted > 0 {
		t.Errorf("%d charts are stretched rather than laid out again for print", got.Distorted)
	}
	if len(got.WideTables) > 0 {
		t.Errorf("tables wider than an A4 page: %v", got.WideTables)
	}
	if got.Breaking != got.Sections-1 {
		t.Errorf("%d of %d sections after the first start a new page", got.Breaking, got.Sections-1)
	}
	if got.Avoiding != got.Blocks {
		t.Errorf("%d of %d charts and tables may be split across pages", got.Blocks-got.Avoiding, got.Blocks)
	}
}
