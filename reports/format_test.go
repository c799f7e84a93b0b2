package reports

import (
	"math"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	cases := []struct {
		name, got, want string
	}{
		{"thousands nl", number(1234567, "nl"), "1.234.567"},
		{"thousands en", number(1234567, "en"), "1,234,567"},
		{"negative", number(-1234, "en"), "-1,234"},
		{"percent nl", percent(0.2625, "nl"), "26,3%"},
		{"percent en", percent(0.2625, "en"), "26.3%"},
		{"percent half up", percent(0.0125, "en"), "1.3%"},
		{"whole percent half up", percent0(0.625, "en"), "63%"},
		{"whole percent", percent0(31.0/120, "nl"), "26%"},
		{"decimal nl", decimal(1.234, 2, "nl"), "1,23"},
		{"decimal inf", decimal(math.Inf(1), 2, "en"), "∞"},
		{"decimal nan", decimal(math.NaN(), 2, "en"), "–"},
		{"signed", signed(0.5, "en"), "+0.50"},
		{"points", points(-0.11, "nl"), "-11,0"},
		{"no negative zero", decimal(-0.001, 2, "nl"), "0,00"},
		{"no signed zero", signed(0.001, "nl"), "0,00"},
		{"no negative zero points", points(-0.0001, "nl"), "0,0"},
		{"long date nl", longDate(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "nl"), "1 maart 2024"},
		{"long date en", longDate(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "en"), "1 March 2024"},
		{"p small", pValue(0.0004, "en"), "<0.001"},
		{"p", pValue(0.2665, "nl"), "0,267"},
		{"p relation", pRelation(0.0004, "en"), "< 0.001"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}
