// Package layers holds the test that keeps the picture of the README's
// "Layout" section true: which module packages each package may import (the
// stages left to right, a package importing only packages to its left),
// and which package each heavy dependency is confined to. The package has no
// code of its own; the rules are the tables in layers_test.go, and
// `go test ./internal/layers` checks every non-test .go file of the module
// against them, whatever its build tags.
//
// A new package, or a new dependency in go.mod, makes the test fail until it
// has a row in those tables: placing it is a decision, written down with
// its reason.
package layers
