// Package progress draws progress bars on stderr when it is a terminal,
// and nothing otherwise (results go to files or stdout, so a pipe or a log
// never gets bar drawings). It is the one package that uses the mpb
// library.
package progress
