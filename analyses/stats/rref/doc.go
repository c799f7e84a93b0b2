// Package rref reads reference values that R scripts wrote as JSON for the
// tests of package analyses and analyses/stats: numbers with 17 significant
// digits, R's NA as null and infinities as the strings "Inf" and "-Inf".
// Only tests import it.
package rref
