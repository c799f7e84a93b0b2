package reports

// reportCSS uses system fonts only (no web fonts: nothing is fetched) and
// sizes charts for A4 when printed, one section per printed page run.
const reportCSS = `
:root { --ink: #1b1b1b; --muted: #555; --line: #d0d0d0; --accent: #0072B2; --warn: #D55E00; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1000px; padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin: 1.6rem 0 .4rem; font-size: 1.15rem; }
nav ol { margin: .3rem 0 0; padding-left: 1.4rem; columns: 2; }
.meta, .audience { color: var(--muted); font-size: .9rem; }
.audience { font-style: italic; margin-top: -.4rem; }
.demo { background: #fff4d6; border: 2px solid #E69F00; padding: .6rem 1rem; font-weight: 600; }
.warning { border-left: 5px solid var(--warn); background: #fdf0e8; padding: .4rem .8rem; margin: .5rem 0; }
.warning strong { color: #8a3300; }
figure.chart { margin: .8rem 0; }
figure.chart figcaption { font-weight: 600; color: #333; margin-bottom: .3rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0 1.2rem; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
/* A line in a table breaks only at a space or after a hyphen or dash,
   never inside a word (TestReportLayout counts the words drawn on two
   lines): no overflow-wrap anywhere, no automatic hyphens. A header wraps
   between its words; a number keeps its unit on one line, and an interval
   wraps only at its dash (each bound a span.nb, table.Cell). A table of
   many columns is set smaller (table.wide). Identifiers (database names,
   hashes) are code. */
th, td { overflow-wrap: normal; word-break: normal; hyphens: manual; }
td .nb { white-space: nowrap; }
table.wide { font-size: .82rem; }
table.wider { font-size: .72rem; }
table.wide th, table.wide td, table.wider th, table.wider td { padding: .3rem .3rem; }
code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .88em; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
.note { color: var(--muted); font-size: .88rem; }
.container { width: 100%; }
.item { width: 100%; }
@media print {
  @page { size: A4; margin: 1.5cm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav ol { columns: 1; }
  section { page-break-before: always; break-before: page; }
  /* A chart or a table is never split (a table longer than a page
     repeats its header on the next); a heading stays with what follows. */
  figure.chart, table { page-break-inside: avoid; break-inside: avoid; }
  h2, h3, figcaption, caption { break-after: avoid; page-break-after: avoid; }
  /* The charts are laid out again at this width by the script at the end
     of the report (beforeprint and the print media query). */
  .container, .item { width: 100% !important; }
  .table-wrap { overflow: visible; }
  table { font-size: 8pt; }
  table.wide { font-size: 7pt; }
  table.wider { font-size: 6.5pt; }
  th, td, table.wide th, table.wide td, table.wider th, table.wider td { padding: .15rem .2rem; }
  /* A table longer than a page repeats its header on the next. */
  thead { display: table-header-group; }
  .warning { border: 1px solid var(--warn); }
}
`
