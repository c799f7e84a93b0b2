package reports

// reportCSS uses system fonts only (no web fonts: nothing is fetched) and
// sizes charts for A4 when printed.
const reportCSS = `
:root { --ink: #1b1b1b; --muted: #555; --line: #d0d0d0; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1000px; padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin-top: 2.5rem; }
.meta { color: var(--muted); font-size: .9rem; }
.demo { background: #fff4d6; border: 2px solid #E69F00; padding: .6rem 1rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0 1.2rem; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
.note { color: var(--muted); font-size: .88rem; }
.container { width: 100%; }
.item { width: 100%; }
details summary { cursor: pointer; color: var(--accent); }
@media print {
  body { max-width: none; padding: 0; }
  section { page-break-before: always; break-before: page; }
  section:first-of-type { page-break-before: avoid; break-before: avoid; }
  .item { width: 17cm !important; height: 9cm !important; }
  details { display: block; }
  details > * { display: block; }
}
`
