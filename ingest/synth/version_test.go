package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// versionFile records the generator's Version with a digest of its output
// for the configurations of versionConfigs.
const versionFile = "testdata/version.txt"

// versionConfigs are the configurations whose output the digest covers:
// the demo (Scale) and a benchmark-shaped one (Persons and Events).
var versionConfigs = []Config{DemoConfig(), {Seed: 1, Persons: 300, Events: 3000}}

// outputDigest is the SHA-256 over every file Write writes for each of
// versionConfigs, by sorted path.
func outputDigest(t *testing.T) string {
	t.Helper()
	h := sha256.New()
	for i, cfg := range versionConfigs {
		dir, _ := write(t, cfg)
		files := readTree(t, dir)
		for _, name := range slices.Sorted(mapKeys(files)) {
			fmt.Fprintf(h, "%d %s %d\n", i, name, len(files[name]))
			h.Write(files[name])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestVersionFollowsTheOutput fails when the generator's output changed
// but Version did not: raise Version, then run go test ./ingest/synth
// -update to record the new digest (-update refuses to record a new
// digest under the old version).
func TestVersionFollowsTheOutput(t *testing.T) {
	got := outputDigest(t)
	data, err := os.ReadFile(versionFile)
	if err != nil && !(*update && os.IsNotExist(err)) {
		t.Fatal(err)
	}
	fields := strings.Fields(string(data))
	recorded, digest := 0, ""
	if len(fields) == 2 {
		recorded, _ = strconv.Atoi(fields[0])
		digest = fields[1]
	}
	if digest == got && recorded == Version {
		return
	}
	switch {
	case digest == got && !*update:
		t.Fatalf("%s records version %d for this output, but Version is %d; run go test ./ingest/synth -update", versionFile, recorded, Version)
	case digest != got && recorded >= Version:
		t.Fatalf("the generator's output changed but Version is still %d (%s records %d): raise synth.Version, then run go test ./ingest/synth -update", Version, versionFile, recorded)
	case !*update:
		t.Fatalf("Version %d has no recorded digest; run go test ./ingest/synth -update", Version)
	}
	if err := os.MkdirAll(filepath.Dir(versionFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(versionFile, []byte(fmt.Sprintf("%d %s\n", Version, got)), 0o644); err != nil {
		t.Fatal(err)
	}
}
