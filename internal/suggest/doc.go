// Package suggest finds the known name closest to a mistyped one, for
// "did you mean" hints on unknown commands, flags and study-file keys.
// It is a shared leaf package: standard library only.
package suggest
