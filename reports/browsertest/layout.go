package browsertest

import (
	"context"
	_ "embed" // for go:embed of the layout script
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// A4 is an A4 page with the report's 1.5 cm margins, in CSS pixels (96 per
// inch): 18 cm × 26.7 cm printable.
var A4 = Page{Width: 680, Height: 1009}

// Page is the printable area of a sheet of paper, in CSS pixels.
type Page struct{ Width, Height int }

// Media says how [Measure] lays a report out.
type Media struct {
	// Print lays the page out as Chromium does when it prints: it first
	// dispatches beforeprint at screen width, then switches to print media at
	// Page's width, which fires the page's matchMedia('print') listeners.
	// Measure also prints the page to PDF (A4, the page's own @page rules)
	// and counts the PDF's pages.
	Print bool
	// Width is the viewport width for screen media (0: the default window,
	// 1280 px). For print, Page.Width is used.
	Width int
	// Page is the printable area for print media (zero: [A4]).
	Page Page
	// PDF, if not "", is where the printed PDF is written (print only).
	PDF string
}

// Box is an element's border box in document coordinates (CSS pixels).
type Box struct {
	Left, Top, Right, Bottom float64
}

// ChartLayout is the laid-out box of one chart container and what is drawn
// in it.
type ChartLayout struct {
	ID  string
	Box Box
	// DrawnRight and DrawnBottom are the right and bottom edges of the
	// chart's drawing (its SVG or canvas), which may reach past Box when it
	// was drawn for another size.
	DrawnRight, DrawnBottom float64
	// Texts is the number of text labels of an SVG drawing.
	Texts int
	// Overlaps lists pairs of labels ("A / B") whose boxes overlap by at
	// least 2 px in both directions; Outside lists labels that reach past
	// the chart's box.
	Overlaps, Outside []string
}

// TableLayout is the laid-out box of one table.
type TableLayout struct {
	ID  string
	Box Box
	// ClippedCells counts cells whose content is wider than the cell.
	ClippedCells int
	// BrokenWords lists the words of the table's cells ("th Aandeel")
	// that are drawn on more than one line: broken inside the word, not
	// at a space or after a hyphen or dash. A number with its unit
	// ("47,3 %") is one word.
	BrokenWords []string
	// ScrollWidth and ClientWidth are those of the table's wrapper: a
	// scroll width above the client width means the table is cut off or
	// needs scrolling.
	ScrollWidth, ClientWidth int
}

// BlockLayout is a chart figure or a table as a unit that should not be
// split across printed pages.
type BlockLayout struct {
	Kind, ID    string
	Height      float64
	BreakInside string
	// Header is the computed display of a table's thead ("" without one):
	// "table-header-group" repeats it on every printed page the table
	// runs over.
	Header string
}

// Layout is what [Measure] found.
type Layout struct {
	// Width is the viewport width the page was laid out at; ScrollWidth the
	// document's width, above Width when something sticks out.
	Width, ScrollWidth int
	Charts             []ChartLayout
	Tables             []TableLayout
	Blocks             []BlockLayout
	// Wide lists the outermost elements that reach past the right edge.
	Wide []string
	// Pages is the number of pages of the printed PDF (print media only).
	Pages int
	// Page is the printable area used (print media only).
	Page Page
}

// Problems lists, in words, what does not fit: an element, chart, label or
// table past the right edge or cut off, labels that overlap, and (for
// print) a chart or table that would be split across pages because it is
// taller than a page or may break inside. Nil when everything fits.
func (l Layout) Problems() []string {
	var ps []string
	limit := float64(l.Width) + 1
	for _, w := range l.Wide {
		ps = append(ps, "past the right edge ("+fmt.Sprint(l.Width)+" px): "+w)
	}
	for _, c := range l.Charts {
		if c.Box.Right > limit || c.DrawnRight > math.Min(limit, c.Box.Right+1) || c.DrawnBottom > c.Box.Bottom+1 {
			ps = append(ps, fmt.Sprintf("chart %s: box ends at %.0f px, drawing at %.0f × %.0f px (page %d px wide)",
				c.ID, c.Box.Right, c.DrawnRight, c.DrawnBottom-c.Box.Top, l.Width))
		}
		for _, o := range c.Overlaps {
			ps = append(ps, fmt.Sprintf("chart %s: labels overlap: %s", c.ID, o))
		}
		for _, o := range c.Outside {
			ps = append(ps, fmt.Sprintf("chart %s: label cut off at the chart's edge: %s", c.ID, o))
		}
	}
	for _, t := range l.Tables {
		if t.Box.Right > limit || t.ScrollWidth > t.ClientWidth+1 || t.ClippedCells > 0 {
			ps = append(ps, fmt.Sprintf("table %s: ends at %.0f px (page %d px), %d of its %d px hidden, %d cells cut off",
				t.ID, t.Box.Right, l.Width, max(0, t.ScrollWidth-t.ClientWidth), t.ScrollWidth, t.ClippedCells))
		}
		if len(t.BrokenWords) > 0 {
			ps = append(ps, fmt.Sprintf("table %s: %d words broken inside the word: %s",
				t.ID, len(t.BrokenWords), strings.Join(t.BrokenWords, "; ")))
		}
	}
	if l.Page.Height > 0 {
		for _, b := range l.Blocks {
			switch {
			case b.BreakInside != "avoid":
				ps = append(ps, fmt.Sprintf("%s %s may be split across pages (break-inside: %s)", b.Kind, b.ID, b.BreakInside))
			case b.Height > float64(l.Page.Height) && b.Kind != "table":
				ps = append(ps, fmt.Sprintf("%s %s is %.0f px high, more than a page (%d px)", b.Kind, b.ID, b.Height, l.Page.Height))
			case b.Height > float64(l.Page.Height) && b.Header != "table-header-group":
				ps = append(ps, fmt.Sprintf("table %s runs over %.0f px, more than a page, without a repeated header (thead display: %q)",
					b.ID, b.Height, b.Header))
			}
		}
	}
	return ps
}

// Measure opens the report at htmlPath in a fresh headless Chromium (no
// network, as [Open]), lays it out for m and measures every chart, label
// and table. For print media it also prints the report to PDF first, as a
// reader would from a page laid out for the screen, and counts the pages.
func Measure(ctx context.Context, htmlPath string, m Media) (Layout, error) {
	exe, err := ChromiumPath()
	if err != nil {
		return Layout{}, err
	}
	abs, err := filepath.Abs(htmlPath)
	if err != nil {
		return Layout{}, fmt.Errorf("resolving %s: %w", htmlPath, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return Layout{}, fmt.Errorf("opening report: %w", err)
	}
	if m.Page == (Page{}) {
		m.Page = A4
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, allocatorOptions(exe)...)
	defer cancelAlloc()
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()
	if _, err := chromedp.Call(tabCtx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: new(true),
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		return Layout{}, fmt.Errorf("emulating offline network: %w", err)
	}
	reportURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	if err := chromedp.Do(tabCtx, chromedp.Navigate(reportURL)); err != nil {
		return Layout{}, fmt.Errorf("loading %s: %w", abs, err)
	}
	settle := func() error {
		_, err := chromedp.Run(tabCtx, chromedp.Evaluate[bool](
			"("+settleJS+")("+jsString(DefaultChartSelector)+",2000)", chromedp.EvalAwaitPromise))
		return err
	}
	if err := settle(); err != nil {
		return Layout{}, fmt.Errorf("waiting for charts to render in %s: %w", abs, err)
	}
	var l Layout
	width := m.Width
	if m.Print {
		pdf, err := chromedp.Call(tabCtx, page.PrintToPDF, page.PrintToPDFParams{
			PreferCSSPageSize: new(true), PaperWidth: 8.27, PaperHeight: 11.69, PrintBackground: new(true)})
		if err != nil {
			return Layout{}, fmt.Errorf("printing %s to PDF: %w", abs, err)
		}
		if m.PDF != "" {
			if err := os.WriteFile(m.PDF, pdf.Data, 0o644); err != nil {
				return Layout{}, fmt.Errorf("writing PDF: %w", err)
			}
		}
		l.Pages = countPages(pdf.Data)
		if err := chromedp.Do(tabCtx, chromedp.Evaluate[chromedp.Void]("window.dispatchEvent(new Event('beforeprint'))")); err != nil {
			return Layout{}, err
		}
		width = m.Page.Width
		l.Page = m.Page
	}
	if width > 0 {
		if _, err := chromedp.Call(tabCtx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(width), Height: windowHeight, DeviceScaleFactor: 1}); err != nil {
			return Layout{}, err
		}
	}
	if m.Print {
		if _, err := chromedp.Call(tabCtx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return Layout{}, err
		}
	}
	if err := settle(); err != nil {
		return Layout{}, err
	}
	got, err := chromedp.Run(tabCtx, chromedp.Evaluate[jsLayout]("("+layoutJS+")()"))
	if err != nil {
		return Layout{}, fmt.Errorf("measuring %s: %w", abs, err)
	}
	l.Width, l.ScrollWidth, l.Wide = got.Width, got.ScrollWidth, got.Wide
	for _, c := range got.Charts {
		l.Charts = append(l.Charts, ChartLayout{ID: c.ID, Box: c.Box, DrawnRight: c.DrawnRight, DrawnBottom: c.DrawnBottom,
			Texts: c.Texts, Overlaps: c.Overlaps, Outside: c.Outside})
	}
	for _, t := range got.Tables {
		l.Tables = append(l.Tables, TableLayout{ID: t.ID, Box: t.Box, ClippedCells: t.ClippedCells, BrokenWords: t.BrokenWords,
			ScrollWidth: t.ScrollWidth, ClientWidth: t.ClientWidth})
	}
	for _, b := range got.Blocks {
		l.Blocks = append(l.Blocks, BlockLayout{Kind: b.Kind, ID: b.ID, Height: b.Height, BreakInside: b.BreakInside, Header: b.Header})
	}
	return l, nil
}

var pageObject = regexp.MustCompile(`/Type\s*/Page[^s]`)

// countPages counts the page objects of a PDF as Chromium writes it (page
// dictionaries are not compressed into object streams).
func countPages(pdf []byte) int { return len(pageObject.FindAll(pdf, -1)) }

// jsLayout mirrors Layout with the field names layoutJS returns.
type jsLayout struct {
	Width       int      `json:"width"`
	ScrollWidth int      `json:"scrollWidth"`
	Wide        []string `json:"wide"`
	Charts      []struct {
		ID          string   `json:"id"`
		Box         Box      `json:"box"`
		DrawnRight  float64  `json:"drawnRight"`
		DrawnBottom float64  `json:"drawnBottom"`
		Texts       int      `json:"texts"`
		Overlaps    []string `json:"overlaps"`
		Outside     []string `json:"outside"`
	} `json:"charts"`
	Tables []struct {
		ID           string   `json:"id"`
		Box          Box      `json:"box"`
		ClippedCells int      `json:"clippedCells"`
		BrokenWords  []string `json:"brokenWords"`
		ScrollWidth  int      `json:"scrollWidth"`
		ClientWidth  int      `json:"clientWidth"`
	} `json:"tables"`
	Blocks []struct {
		Kind        string  `json:"kind"`
		ID          string  `json:"id"`
		Height      float64 `json:"height"`
		BreakInside string  `json:"breakInside"`
		Header      string  `json:"header"`
	} `json:"blocks"`
}

// layoutJS measures the page (see jsLayout).
//
//go:embed layout.js
var layoutJS string
