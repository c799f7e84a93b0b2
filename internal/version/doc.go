// Package version says which outcomes made an output: the tool's version,
// the VCS revision the binary was built from and the command line, for
// the provenance of every run (table run). A shared leaf package:
// standard library only.
package version
