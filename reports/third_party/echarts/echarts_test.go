package echarts

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestScriptSHA256(t *testing.T) {
	sum := sha256.Sum256([]byte(Script()))
	if got := hex.EncodeToString(sum[:]); got != SHA256 {
		t.Fatalf("SHA-256 of embedded echarts.min.js = %s, want SHA256 constant %s (file changed without updating echarts.go, or refresh.sh was not used)", got, SHA256)
	}
}

func TestScriptMatchesFileOnDisk(t *testing.T) {
	b, err := os.ReadFile("echarts.min.js")
	if err != nil {
		t.Fatalf("reading echarts.min.js: %v", err)
	}
	if string(b) != Script() {
		t.Fatal("embedded script differs from echarts.min.js on disk")
	}
}

// The minified bundle assigns its public version as `<exports>.version="X.Y.Z"`
// (the bundled zrender's own version is written `version:"..."` and does not match).
var versionRE = regexp.MustCompile(`\.version="([^"]+)"`)

func TestScriptVersion(t *testing.T) {
	m := versionRE.FindAllStringSubmatch(Script(), -1)
	if len(m) != 1 {
		t.Fatalf("found %d echarts version assignments in the script, want exactly 1", len(m))
	}
	if got := m[0][1]; got != Version {
		t.Fatalf("script reports echarts version %q, want Version constant %q", got, Version)
	}
}

func TestScriptIsInlinable(t *testing.T) {
	s := Script()
	if len(s) < 100_000 {
		t.Fatalf("script is only %d bytes; expected the full minified library", len(s))
	}
	if strings.Contains(strings.ToLower(s), "</script") {
		t.Fatal(`script contains "</script", which would end an inline <script> element early`)
	}
}

func TestLicenceFilesPresent(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"LICENSE", "Apache License"},
		{"NOTICE", "Apache ECharts"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatalf("reading %s: %v", tc.file, err)
			}
			if !strings.Contains(string(b), tc.want) {
				t.Fatalf("%s does not mention %q", tc.file, tc.want)
			}
		})
	}
}
