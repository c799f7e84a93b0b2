package echarts

import _ "embed" // for go:embed

// Version is the ECharts release vendored in echarts.min.js, as published on
// the npm registry (package echarts).
const Version = "5.6.0"

// SHA256 is the lower-case hex SHA-256 of echarts.min.js exactly as shipped
// in the npm package's dist/ directory.
const SHA256 = "bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1"

//go:embed echarts.min.js
var script string

// Script returns the complete, unmodified minified ECharts library
// (dist/echarts.min.js, version [Version]) for inlining into a <script>
// element. The text contains no "</script" sequence, so it can be placed
// between <script> and </script> as is.
func Script() string { return script }
