package ingest

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestCutoffDay(t *testing.T) {
	for _, c := range []time.Time{
		time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		if got, want := cutoffDay(c), int32(arrow.Date32FromTime(c)); got != want {
			t.Errorf("cutoffDay(%s) = %d, want %d", c.Format(time.DateOnly), got, want)
		}
	}
}
