//go:build !unix

package main

import "errors"

func mkfifoPath(string) error { return errors.New("named pipes need Unix") }
