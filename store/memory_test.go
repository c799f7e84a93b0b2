package store_test

import (
	"context"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
)

func TestBudgetFor(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		input, want int64
	}{
		{0, 128 * mib},             // the floor: a demo-sized study
		{10 * mib, 128 * mib},      // 0.1M events
		{100 * mib, 200 * mib},     // 1M events: twice the input
		{543_000_000, 256 * mib},   // 10M events: the ceiling
		{5_000_000_000, 256 * mib}, // 100M events: still the ceiling
	}
	for _, tc := range tests {
		got := store.BudgetFor(tc.input)
		if got.DuckDB != tc.want || got.Go != tc.want {
			t.Errorf("BudgetFor(%d) = %+v, want %d for both", tc.input, got, tc.want)
		}
	}
}

// TestBeginSetsMemoryAndThreads: a run gets the memory limit it was given
// and one DuckDB thread while it loads; Link gives every core back.
func TestBeginSetsMemoryAndThreads(t *testing.T) {
	ctx := context.Background()
	st := storetest.WriteStudy(t, map[string]string{"study.yaml": testStudy, "a.csv": "x\n", "j.csv": "x\n"})
	if got := store.InputBytes(st); got != 4 {
		t.Errorf("InputBytes = %d, want 4", got)
	}
	s, err := store.Begin(ctx, filepath.Join(t.TempDir(), "db.duckdb"), "", store.Run{
		Started: time.Now(), ToolVersion: "test", Study: st, KeyFingerprint: "fp", Parameters: "{}", MemoryLimit: 200 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	setting := func(name string) string {
		var v string
		if err := s.DB().QueryRow("SELECT current_setting('" + name + "')::VARCHAR").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := setting("memory_limit"); got != "200.0 MiB" {
		t.Errorf("memory_limit = %q, want 200.0 MiB", got)
	}
	if got := setting("threads"); got != "1" {
		t.Errorf("threads while loading = %s, want 1", got)
	}
	if err := s.Link(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := setting("threads"), runtime.NumCPU(); got != strconv.Itoa(want) {
		t.Errorf("threads after Link = %s, want %d", got, want)
	}
}
