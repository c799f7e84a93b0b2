package reports

import (
	"html/template"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
)

// palette is the Okabe–Ito colour-blind-safe palette.
func palette() []string {
	return []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}
}

// chartData is what a chart shows, kept apart from its rendering so golden
// tests can check it.
type chartData struct {
	ID     string
	Title  string
	XName  string
	YName  string
	Labels []string  // one per bar
	Values []float64 // percentages
	Lower  []float64 // CI bounds, percentages
	Upper  []float64
	Left   []string // labels left out (suppressed)
}

// errorBarJS draws a vertical error bar with whiskers for data items
// [x index, lower, upper].
const errorBarJS = `function (params, api) {
  var x = api.value(0), lo = api.coord([x, api.value(1)]), hi = api.coord([x, api.value(2)]);
  var w = api.size([1, 0])[0] * 0.15;
  var style = {stroke: '#333', lineWidth: 1.5};
  return {type: 'group', children: [
    {type: 'line', shape: {x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1]}, style: style},
    {type: 'line', shape: {x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1]}, style: style},
    {type: 'line', shape: {x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1]}, style: style}
  ]};
}`

// barWithCI renders a bar chart of percentages with 95% CI error bars.
func barWithCI(d chartData, t texts) (template.HTML, template.HTML) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: d.ID, Width: "100%", Height: "360px", Renderer: "canvas"}),
		charts.WithTitleOpts(opts.Title{Title: d.Title}),
		charts.WithAnimation(false),
		charts.WithColorsOpts(opts.Colors(palette())),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithXAxisOpts(opts.XAxis{Name: d.XName, NameLocation: "middle", NameGap: 30}),
		charts.WithYAxisOpts(opts.YAxis{Name: d.YName, Min: 0, Max: yMax(d.Upper)}),
		charts.WithGridOpts(opts.Grid{Bottom: "80", ContainLabel: opts.Bool(true)}),
	)
	bars := make([]opts.BarData, len(d.Values))
	ci := make([]opts.CustomData, len(d.Values))
	for i := range d.Values {
		bars[i] = opts.BarData{Value: round1(d.Values[i])}
		ci[i] = opts.CustomData{Value: []any{i, round1(d.Lower[i]), round1(d.Upper[i])}}
	}
	bar.SetXAxis(d.Labels).AddSeries(t.f("series_rate"), bars)
	custom := charts.NewCustom()
	custom.AddSeries(t.f("series_ci"), ci, charts.WithCustomChartOpts(opts.CustomChart{RenderItem: opts.FuncOpts(errorBarJS)}))
	bar.Overlap(custom)
	return snippet(bar)
}

func snippet(r render.Renderer) (template.HTML, template.HTML) {
	s := r.RenderSnippet()
	return template.HTML(s.Element), template.HTML(s.Script)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// yMax rounds the largest upper bound up to a multiple of 10 percentage points.
func yMax(upper []float64) float64 {
	m := 10.0
	for _, u := range upper {
		m = math.Max(m, u)
	}
	return math.Min(100, math.Ceil(m/10)*10)
}
