package rref

import (
	"encoding/json"
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	var got []Number
	if err := json.Unmarshal([]byte(`[1.5, null, "Inf", "-Inf", -2e-300]`), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[0] != 1.5 || !math.IsNaN(float64(got[1])) ||
		!math.IsInf(float64(got[2]), 1) || !math.IsInf(float64(got[3]), -1) || got[4] != -2e-300 {
		t.Errorf("decoded %v", got)
	}
	if err := json.Unmarshal([]byte(`["NaN"]`), &got); err == nil {
		t.Error(`"NaN" was accepted; the R scripts write NA as null`)
	}
}
