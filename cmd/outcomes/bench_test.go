package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"100000", 100000, true},
		{"100K", 100000, true},
		{"0.1M", 100000, true},
		{" 10m ", 10000000, true},
		{"1.5k", 1500, true},
		{"", 0, false},
		{"M", 0, false},
		{"-1M", 0, false},
		{"0", 0, false},
		{"ten", 0, false},
		{"2000M", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseCount(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("parseCount(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestValidateBenchArgs(t *testing.T) {
	good := benchOptions{Dir: "/tmp/x", Runs: 3, BatchSize: 1000, Sizes: []string{"0.1M", "1M"}}
	tests := []struct {
		name    string
		edit    func(*benchOptions)
		wantErr string
	}{
		{"ok", func(*benchOptions) {}, ""},
		{"no dir", func(o *benchOptions) { o.Dir = "" }, "--dir"},
		{"no runs", func(o *benchOptions) { o.Runs = 0 }, "--runs"},
		{"bad batch", func(o *benchOptions) { o.BatchSize = 0 }, "--batch-size"},
		{"no sizes", func(o *benchOptions) { o.Sizes = nil }, "--sizes"},
		{"bad size", func(o *benchOptions) { o.Sizes = []string{"lots"} }, "--sizes"},
		{"tiny size", func(o *benchOptions) { o.Sizes = []string{"10"} }, "too small"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := good
			tc.edit(&o)
			sizes, err := validateBenchArgs(o)
			if tc.wantErr == "" {
				if err != nil || len(sizes) != 2 || sizes[0].events != 100000 || sizes[1].events != 1000000 {
					t.Fatalf("got %v, %v", sizes, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.wantErr)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tc := range tests {
		in := append([]float64(nil), tc.in...)
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Errorf("median reordered its input %v", in)
			}
		}
	}
}

func TestLoadPartAddsTheLoadStages(t *testing.T) {
	m := measurement{wall: time.Second, times: map[string]float64{
		"ingest": 1, "link": 2, "save": 4, "analyses": 8, "report": 16,
		"cpu_ingest": 1, "cpu_link": 2, "cpu_save": 4, "cpu_analyses": 8,
	}}
	if got := loadPart(m); got != 7 {
		t.Errorf("loadPart = %v, want 7 (ingest + link + save)", got)
	}
	if got := loadPartCPU(m); got != 7 {
		t.Errorf("loadPartCPU = %v, want 7", got)
	}
}
