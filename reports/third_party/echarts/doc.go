// Package echarts holds a vendored, unmodified copy of Apache ECharts
// (dist/echarts.min.js from the npm package echarts) so that reports can
// inline the library and open offline, without requesting anything from a
// network.
//
// Place in the flow: a leaf used only by reports (and by the report checker in
// reports/browsertest). It imports nothing from the project.
//
// Invariants, checked by the package tests:
//   - the embedded file's SHA-256 equals [SHA256];
//   - the version string the library reports (echarts.version) equals [Version].
//
// The file is replaced only by refresh.sh (see README.md), never edited by
// hand. ECharts is licensed under the Apache License 2.0; LICENSE and NOTICE
// from the same package sit beside it and must travel with it.
package echarts
