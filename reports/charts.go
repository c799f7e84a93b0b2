package reports

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
	"github.com/go-echarts/go-echarts/v2/types"
)

// palette is the Okabe–Ito colour-blind-safe palette.
func palette() []string {
	return []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}
}

// Chart kinds.
const (
	kindBar    = "bar"    // categories × one series, with CI error bars
	kindBars   = "bars"   // categories × several series, no CI (paired bars)
	kindKM     = "km"     // cumulative incidence step curves with CI bands, x in months
	kindForest = "forest" // one row per comparison: estimate with CI, reference line
	kindSankey = "sankey" // flows of rows between named nodes (no axes)
)

// chartData is what a chart shows, kept apart from its rendering so golden
// tests can check it. Values are rounded as they are drawn.
type chartData struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
	XName string `json:"x_name"`
	YName string `json:"y_name"`
	// Categories label the category axis (bar, bars: x; forest: y).
	Categories []string `json:"categories,omitempty"`
	Series     []series `json:"series"`
	// Reference is the no-difference line of a forest plot (0 or 1); LogX
	// draws its x axis on a log scale.
	Reference float64 `json:"reference,omitempty"`
	LogX      bool    `json:"log_x,omitempty"`
	// Left lists what was left out of the chart (suppressed).
	Left []string `json:"left_out,omitempty"`
	// Flows are the links of a Sankey diagram.
	Flows []flow `json:"flows,omitempty"`
}

// flow is a number of rows going from one node to another.
type flow struct {
	From string `json:"from"`
	To   string `json:"to"`
	Rows int    `json:"rows"`
}

type series struct {
	Name   string  `json:"name"`
	Points []point `json:"points"`
}

// point is one value: X is the category index (bar, bars, forest) or the
// time in months (km); Y the value, Lo and Hi its 95% CI (absent for bars).
type point struct {
	X  float64 `json:"x"`
	Y  float64 `json:"y"`
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// renderChart draws d with go-echarts.
func renderChart(d chartData, t texts) *chartBlock {
	var r render.Renderer
	switch d.Kind {
	case kindBar:
		r = barWithCI(d, t)
	case kindBars:
		r = pairedBars(d, t)
	case kindKM:
		r = kmChart(d, t)
	case kindForest:
		r = forestChart(d, t)
	case kindSankey:
		r = sankeyChart(d, t)
	default:
		panic("bug: unknown chart kind " + d.Kind)
	}
	s := r.RenderSnippet()
	return &chartBlock{Data: d, Element: template.HTML(s.Element), Script: template.HTML(escapeScript(s.Script))}
}

// common are the options every chart has: fixed height, no animation
// (print and screenshots show the final state), the palette. Charts are
// drawn as SVG: crisp on paper, laid out again at the page's width when
// printed (the script at the end of the report), and their labels are
// elements a browser test can measure. The title is the figure's caption in
// the page (report.html.tmpl), where it wraps instead of being cut off.
func common(d chartData, height string, t texts) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: d.ID, Width: "100%", Height: height, Renderer: "svg"}),
		// ECharts gives the container an aria-label: the title and where
		// the numbers are.
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true),
			Description: t.f("aria_chart", d.Title)}}),
		charts.WithAnimation(false),
		charts.WithColorsOpts(opts.Colors(palette())),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
	}
}

// defaultGrid is the plot area of a chart with a legend below it. Each
// chart sets exactly one grid: go-echarts adds a second grid for a second
// WithGridOpts, which ECharts then ignores.
func defaultGrid() charts.GlobalOpts {
	return charts.WithGridOpts(opts.Grid{Top: "25", Bottom: "80", Left: "50", Right: "40", ContainLabel: opts.Bool(true)})
}

// yAxis is a value axis with its name written along it, so a long name is
// not cut off.
func yAxis(name string, lo, hi float64) opts.YAxis {
	return opts.YAxis{Type: "value", Name: name, NameLocation: "middle", NameGap: 40, Min: lo, Max: hi}
}

// categoryAxis is an x axis of categories that shows every label (interval
// 0), turned when the labels are too long to stand side by side, with the
// axis name below them. It returns the grid bottom margin that leaves room
// for both.
func categoryAxis(name string, cats []string) (opts.XAxis, string) {
	const room = 90 // characters across the axis, roughly, at the chart's width
	total, longest := 0, 0
	for _, c := range cats {
		n := len([]rune(c))
		total, longest = total+n+2, max(longest, n)
	}
	x := opts.XAxis{Name: name, NameLocation: "middle", NameGap: 35, AxisLabel: &opts.AxisLabel{Interval: "0"}}
	if total > room {
		x.AxisLabel.Rotate = 25
		// 6.5 px per character at 12 px, times sin 25°, plus the label's own
		// height and a margin.
		x.NameGap = 30 + int(float64(longest)*6.5*0.43)
	}
	return x, fmt.Sprint(x.NameGap + 45)
}

// errorBarJS draws a vertical error bar with whiskers for data items
// [x index, lower, upper]. Each line is drawn dark on a white halo, over
// the (lighter) bar, so the half of the interval below the bar's top is as
// visible as the half above it.
const errorBarJS = `function (params, api) {
  var x = api.value(0), lo = api.coord([x, api.value(1)]), hi = api.coord([x, api.value(2)]);
  var w = api.size([1, 0])[0] * 0.15;
  var lines = [[lo[0], lo[1], hi[0], hi[1]], [lo[0] - w, lo[1], lo[0] + w, lo[1]], [hi[0] - w, hi[1], hi[0] + w, hi[1]]];
  var children = [];
  [{stroke: '#fff', lineWidth: 4}, {stroke: '#1b1b1b', lineWidth: 1.5}].forEach(function (style) {
    lines.forEach(function (l) { children.push({type: 'line', shape: {x1: l[0], y1: l[1], x2: l[2], y2: l[3]}, style: style}); });
  });
  return {type: 'group', children: children};
}`

// barOpacity lightens the bars of a bar chart with intervals, so the
// interval drawn over a bar stands out against it.
const barOpacity = 0.55

// patch merges o, as JSON, into a chart's options after go-echarts has set
// them: for the few ECharts options go-echarts has no field for (a series'
// z order, label wrapping). Series are merged by position.
func patch(c interface{ AddJSFuncStrs(...types.FuncStr) }, o map[string]any) {
	j, err := json.Marshal(o)
	if err != nil {
		panic("bug: chart patch: " + err.Error())
	}
	c.AddJSFuncStrs(types.FuncStr("%MY_ECHARTS%.setOption(" + string(j) + ");"))
}

// wrapLabel breaks a label into lines of at most width characters at
// spaces, for axis labels and names that would otherwise run past the
// chart at print width.
func wrapLabel(s string, width int) string {
	words := strings.Fields(s)
	var lines []string
	line := ""
	for _, w := range words {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			lines, line = append(lines, line), w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// wrapLabels is wrapLabel of every label.
func wrapLabels(labels []string, width int) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = wrapLabel(l, width)
	}
	return out
}

// barWithCI renders a bar chart of percentages with 95% CI error bars.
// Categories with long labels are drawn as horizontal bars, so every label
// stands on its own line.
func barWithCI(d chartData, t texts) render.Renderer {
	if longLabels(d.Categories) {
		return horizontalBarWithCI(d, t)
	}
	bar := charts.NewBar()
	var upper []float64
	for _, p := range d.Series[0].Points {
		upper = append(upper, p.Hi)
	}
	bar.SetGlobalOptions(append(common(d, "360px", t), defaultGrid(),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithXAxisOpts(opts.XAxis{Name: d.XName, NameLocation: "middle", NameGap: 45, AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithYAxisOpts(yAxis(d.YName, 0, yMax(upper))),
	)...)
	// A category without a point (a hidden cohort year) keeps its place on
	// the axis with no bar: "-" is ECharts' empty value.
	bars := make([]opts.BarData, len(d.Categories))
	for i := range bars {
		bars[i] = opts.BarData{Value: "-"}
	}
	var ci []opts.CustomData
	for _, p := range d.Series[0].Points {
		bars[int(p.X)] = opts.BarData{Value: p.Y}
		ci = append(ci, opts.CustomData{Value: []any{int(p.X), p.Lo, p.Hi}})
	}
	bar.SetXAxis(d.Categories).AddSeries(d.Series[0].Name, bars, charts.WithBarChartOpts(opts.BarChart{BarWidth: barWidth(len(bars))}),
		charts.WithItemStyleOpts(opts.ItemStyle{Opacity: opts.Float(barOpacity)}))
	custom := charts.NewCustom()
	custom.AddSeries(t.f("series_ci"), ci, charts.WithCustomChartOpts(opts.CustomChart{RenderItem: opts.FuncOpts(errorBarJS)}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#333"}))
	bar.Overlap(custom)
	patch(bar, map[string]any{"series": []any{map[string]any{}, map[string]any{"z": 10}}})
	return bar
}

// hErrorBarJS draws a horizontal error bar with whiskers for data items
// [lower, upper, y index].
const hErrorBarJS = `function (params, api) {
  var y = api.value(2), lo = api.coord([api.value(0), y]), hi = api.coord([api.value(1), y]);
  var h = api.size([0, 1])[1] * 0.15;
  var lines = [[lo[0], lo[1], hi[0], hi[1]], [lo[0], lo[1] - h, lo[0], lo[1] + h], [hi[0], hi[1] - h, hi[0], hi[1] + h]];
  var children = [];
  [{stroke: '#fff', lineWidth: 4}, {stroke: '#1b1b1b', lineWidth: 1.5}].forEach(function (style) {
    lines.forEach(function (l) { children.push({type: 'line', shape: {x1: l[0], y1: l[1], x2: l[2], y2: l[3]}, style: style}); });
  });
  return {type: 'group', children: children};
}`

// horizontalBarWithCI is barWithCI with the categories down the y axis, in
// order from the top.
func horizontalBarWithCI(d chartData, t texts) render.Renderer {
	bar := charts.NewBar()
	pts := d.Series[0].Points
	var upper []float64
	for _, p := range pts {
		upper = append(upper, p.Hi)
	}
	bar.SetGlobalOptions(append(common(d, fmt.Sprintf("%dpx", 150+45*len(pts)), t),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: d.YName, NameLocation: "middle", NameGap: 30, Min: 0, Max: yMax(upper)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Name: d.XName, NameLocation: "start", Data: wrapLabels(d.Categories, 30), Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithGridOpts(opts.Grid{Top: "45", Bottom: "70", Left: "20", Right: "40", ContainLabel: opts.Bool(true)}),
	)...)
	// As in barWithCI, a category without a point keeps its place.
	bars := make([]opts.BarData, len(d.Categories))
	for i := range bars {
		bars[i] = opts.BarData{Value: "-"}
	}
	var ci []opts.CustomData
	for _, p := range pts {
		bars[int(p.X)] = opts.BarData{Value: p.Y}
		ci = append(ci, opts.CustomData{Value: []any{p.Lo, p.Hi, int(p.X)}})
	}
	bar.AddSeries(d.Series[0].Name, bars, charts.WithBarChartOpts(opts.BarChart{BarWidth: "50%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Opacity: opts.Float(barOpacity)}))
	custom := charts.NewCustom()
	custom.AddSeries(t.f("series_ci"), ci, charts.WithCustomChartOpts(opts.CustomChart{RenderItem: opts.FuncOpts(hErrorBarJS)}),
		charts.WithEncodeOpts(opts.Encode{X: []int{0, 1}, Y: 2}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#333"}))
	bar.Overlap(custom)
	patch(bar, map[string]any{"series": []any{map[string]any{}, map[string]any{"z": 10}}, "yAxis": []any{leftAlignedName}})
	return bar
}

// leftAlignedName starts the name of a horizontal chart's category axis,
// drawn above the axis, at the axis, not centred on it (half of a long
// name then stood past the chart's left edge).
var leftAlignedName = map[string]any{"nameTextStyle": map[string]any{"align": "left"}}

// longLabels reports whether category labels are too long to stand side by
// side under a chart of the report's width.
func longLabels(cats []string) bool {
	const room = 60 // characters across the axis, roughly, at print width (17 cm)
	total := 0
	for _, c := range cats {
		// A label's first line is its width ("2021\n<10": a year with
		// its mark below it).
		first, _, _ := strings.Cut(c, "\n")
		total += len([]rune(first)) + 3
	}
	return total > room
}

func barWidth(n int) string {
	if n <= 2 {
		return "30%"
	}
	return "50%"
}

// pairedBars renders several series of bars side by side per category.
// Long category labels (the eleven life domains) are drawn as horizontal
// bars, each label on its own line, so none overlaps another at print
// width.
func pairedBars(d chartData, t texts) render.Renderer {
	bar := charts.NewBar()
	if longLabels(d.Categories) {
		height := fmt.Sprintf("%dpx", 120+22*len(d.Series)*len(d.Categories))
		bar.SetGlobalOptions(append(common(d, height, t),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
			charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: d.YName, NameLocation: "middle", NameGap: 30, Min: 1, Max: 5}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Name: d.XName, NameLocation: "start", Data: wrapLabels(d.Categories, 30),
				Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
			charts.WithGridOpts(opts.Grid{Top: "45", Bottom: "70", Left: "20", Right: "40", ContainLabel: opts.Bool(true)}),
		)...)
		patch(bar, map[string]any{"yAxis": []any{leftAlignedName}})
	} else {
		x, bottom := categoryAxis(d.XName, d.Categories)
		bar.SetGlobalOptions(append(common(d, "400px", t),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
			charts.WithXAxisOpts(x),
			charts.WithYAxisOpts(yAxis(d.YName, 1, 5)),
			charts.WithGridOpts(opts.Grid{Top: "25", Bottom: bottom, Left: "50", Right: "40", ContainLabel: opts.Bool(true)}),
		)...)
		bar.SetXAxis(d.Categories)
	}
	for _, s := range d.Series {
		bars := make([]opts.BarData, len(s.Points))
		for i, p := range s.Points {
			bars[i] = opts.BarData{Value: p.Y}
		}
		bar.AddSeries(s.Name, bars)
	}
	return bar
}

// bandJS draws one step of a CI band for data items [x0, x1, lo, hi] in the
// series colour.
const bandJS = `function (params, api) {
  var a = api.coord([api.value(0), api.value(3)]), b = api.coord([api.value(1), api.value(2)]);
  return {type: 'rect', shape: {x: a[0], y: a[1], width: b[0] - a[0], height: b[1] - a[1]},
    style: {fill: api.visual('color'), opacity: 0.18}};
}`

// kmChart renders cumulative-incidence step curves (1 − S, percent) against
// months, each with its pointwise 95% CI as a shaded band.
func kmChart(d chartData, t texts) render.Renderer {
	line := charts.NewLine()
	maxX, maxY := 0.0, 10.0
	var legend []string
	for _, s := range d.Series {
		legend = append(legend, s.Name)
		for _, p := range s.Points {
			maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Hi)
		}
	}
	line.SetGlobalOptions(append(common(d, "400px", t), defaultGrid(),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom", Data: legend}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: d.XName, NameLocation: "middle", NameGap: 30,
			Min: 0, Max: math.Ceil(maxX/6) * 6, SplitNumber: int(math.Max(1, math.Ceil(maxX/6)))}),
		charts.WithYAxisOpts(yAxis(d.YName, 0, yMax([]float64{maxY}))),
	)...)
	bands := charts.NewCustom()
	for i, s := range d.Series {
		colour := palette()[i%len(palette())]
		data := make([]opts.LineData, len(s.Points))
		band := make([]opts.CustomData, 0, len(s.Points))
		for j, p := range s.Points {
			data[j] = opts.LineData{Value: []float64{p.X, p.Y}}
			if j+1 < len(s.Points) {
				band = append(band, opts.CustomData{Value: []float64{p.X, s.Points[j+1].X, p.Lo, p.Hi}})
			}
		}
		line.AddSeries(s.Name, data,
			charts.WithLineChartOpts(opts.LineChart{Step: "end", ShowSymbol: opts.Bool(false)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Color: colour}))
		bands.AddSeries(s.Name+" ("+t.f("series_ci")+")", band,
			charts.WithCustomChartOpts(opts.CustomChart{RenderItem: opts.FuncOpts(bandJS)}),
			charts.WithEncodeOpts(opts.Encode{X: []int{0, 1}, Y: []int{2, 3}}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}))
	}
	line.Overlap(bands)
	return line
}

// forestJS draws a point estimate with its CI for data items
// [estimate, lower, upper, row, reference], and the row's stretch of the
// dashed no-difference line at the reference value.
const forestJS = `function (params, api) {
  var y = api.value(3), p = api.coord([api.value(0), y]), l = api.coord([api.value(1), y]), h = api.coord([api.value(2), y]);
  var r = api.coord([api.value(4), y]), band = api.size([0, 1])[1] / 2;
  var s = 6, style = {stroke: '#333', lineWidth: 1.5};
  return {type: 'group', children: [
    {type: 'line', shape: {x1: r[0], y1: r[1] - band, x2: r[0], y2: r[1] + band}, style: {stroke: '#777', lineWidth: 1, lineDash: [4, 4]}},
    {type: 'line', shape: {x1: l[0], y1: l[1], x2: h[0], y2: h[1]}, style: style},
    {type: 'line', shape: {x1: l[0], y1: l[1] - s, x2: l[0], y2: l[1] + s}, style: style},
    {type: 'line', shape: {x1: h[0], y1: h[1] - s, x2: h[0], y2: h[1] + s}, style: style},
    {type: 'rect', shape: {x: p[0] - s, y: p[1] - s, width: 2 * s, height: 2 * s}, style: {fill: api.visual('color')}}
  ]};
}`

// forestChart renders one row per comparison: estimate, CI, and a vertical
// line at no difference.
func forestChart(d chartData, t texts) render.Renderer {
	c := charts.NewCustom()
	lo, hi := d.Reference, d.Reference
	for _, p := range d.Series[0].Points {
		lo, hi = math.Min(lo, p.Lo), math.Max(hi, p.Hi)
	}
	x := opts.XAxis{Type: "value", Name: wrapLabel(d.XName, 40), NameLocation: "middle", NameGap: 30}
	// The axis runs to round numbers beyond the data, and beyond the
	// reference line, so that line is never drawn on the chart's edge.
	// A log scale is drawn as log2 of the values on a value axis whose
	// labels show 2^v (0.25, 0.5, 1, 2, 4), one per doubling.
	tf, ref := func(v float64) float64 { return v }, d.Reference
	if d.LogX {
		tf = math.Log2
		ref = 0
		minL, maxL := math.Floor(math.Log2(lo)), math.Ceil(math.Log2(hi))
		if minL >= ref {
			minL--
		}
		if maxL <= ref {
			maxL++
		}
		x.Min, x.Max, x.MinInterval = minL, maxL, 1
		x.AxisLabel = &opts.AxisLabel{Formatter: opts.FuncOpts(`function (v) { return String(+Math.pow(2, v).toPrecision(2)); }`)}
	} else {
		step := 10.0
		x.Min, x.Max = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
		if x.Min.(float64) >= d.Reference {
			x.Min = x.Min.(float64) - step
		}
		if x.Max.(float64) <= d.Reference {
			x.Max = x.Max.(float64) + step
		}
	}
	height := 140 + 50*len(d.Categories)
	c.SetGlobalOptions(append(common(d, fmt.Sprintf("%dpx", height), t),
		charts.WithGridOpts(opts.Grid{Top: "20", Bottom: "65", Left: "50", Right: "40", ContainLabel: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(x),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Name: d.YName, Data: wrapLabels(d.Categories, 32), Inverse: opts.Bool(true)}),
	)...)
	data := make([]opts.CustomData, len(d.Series[0].Points))
	for i, p := range d.Series[0].Points {
		data[i] = opts.CustomData{Value: []float64{tf(p.Y), tf(p.Lo), tf(p.Hi), p.X, ref}}
	}
	c.AddSeries(d.Series[0].Name, data,
		charts.WithCustomChartOpts(opts.CustomChart{RenderItem: opts.FuncOpts(forestJS)}),
		charts.WithEncodeOpts(opts.Encode{X: []int{0, 1, 2}, Y: 3}),
	)
	return c
}

// sankeyChart draws the flows of d; node names are the flows' ends, in the
// order first seen.
func sankeyChart(d chartData, t texts) render.Renderer {
	s := charts.NewSankey()
	s.SetGlobalOptions(append(common(d, "480px", t), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		// Node colours: the palette without black and yellow, which hide
		// the flows' labels.
		charts.WithColorsOpts(opts.Colors(palette()[:6])))...)
	// A node stands one column right of the node its first flow comes
	// from (flows are listed from left to right), so a dead end such as
	// quarantine stays in the middle column.
	var nodes []opts.SankeyNode
	index := map[string]int{}
	var links []opts.SankeyLink
	for _, f := range d.Flows {
		if _, ok := index[f.From]; !ok {
			index[f.From] = len(nodes)
			nodes = append(nodes, opts.SankeyNode{Name: f.From, Depth: new(int)})
		}
		if _, ok := index[f.To]; !ok {
			depth := *nodes[index[f.From]].Depth + 1
			index[f.To] = len(nodes)
			nodes = append(nodes, opts.SankeyNode{Name: f.To, Depth: &depth})
		}
		links = append(links, opts.SankeyLink{Source: f.From, Target: f.To, Value: float32(f.Rows)})
	}
	s.AddSeries(d.Title, nodes, links,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true)}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: "source", Opacity: opts.Float(0.4), Curveness: 0.5}),
		// Room on the right for the last column's labels, below the title.
		func(s *charts.SingleSeries) { s.Top, s.Right, s.Left, s.Bottom = "20", "28%", "5%", "20" })
	// Labels wrap within the room on the right (28% of 17 cm is 180 px),
	// and small nodes stand far enough apart for their labels not to
	// overlap.
	patch(s, map[string]any{"series": []any{map[string]any{"nodeGap": 28,
		"label": map[string]any{"width": 150, "overflow": "break", "lineHeight": 13}}}})
	return s
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// yMax rounds the largest upper bound up to a multiple of 10 percentage points.
func yMax(upper []float64) float64 {
	m := 10.0
	for _, u := range upper {
		m = math.Max(m, u)
	}
	return math.Min(100, math.Ceil(m/10)*10)
}
