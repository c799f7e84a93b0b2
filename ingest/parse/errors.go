package parse

import "errors"

// Sentinel causes. Errors returned by this package are these values, or wrap
// them with a fixed reason that never contains the input.
var (
	// ErrEmpty: the value is empty or only white space.
	ErrEmpty = errors.New("empty value")
	// ErrBadDate: the value is not a date in any accepted form, or not in the
	// declared form.
	ErrBadDate = errors.New("not a date")
	// ErrImpossibleDate: the value has the form of a date but names no day of
	// the calendar, such as 31-02-2024 or month 13.
	ErrImpossibleDate = errors.New("impossible date")
	// ErrAmbiguousDate: with no declared format the value can be read in more
	// than one way (03/04/2024), or only month first.
	ErrAmbiguousDate = errors.New("ambiguous date: declare the date format")
	// ErrOutOfRange: a real date before MinDate or after MaxDate.
	ErrOutOfRange = errors.New("date out of range 1900-01-01..2100-12-31")
	// ErrUnknownFormat: the DateFormat itself is not one this package knows.
	ErrUnknownFormat = errors.New("unknown date format")

	// ErrBadNumber: the value is not a number in any accepted form.
	ErrBadNumber = errors.New("not a number")
	// ErrAmbiguousNumber: the value reads as two different numbers depending
	// on whether the separator is a decimal or a thousands separator (1.234).
	ErrAmbiguousNumber = errors.New("ambiguous number: decimal or thousands separator")
)
