package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/pseudonymise"
)

// TestBadKeyWritesNothing: a missing, short, malformed or world-readable
// key stops `run` and `pseudonymise` with exit code 5 and a message that
// says what to do, before the output folder is created, and without
// echoing the key.
func TestBadKeyWritesNothing(t *testing.T) {
	dir := t.TempDir()
	studyPath := writeLinkStudy(t, dir, linkStudyHead+linkStudyJustitie, linkExports())
	shortKey := strings.Repeat("ab", 16) // 16 bytes
	keyFile := func(content string, mode os.FileMode) string {
		path := filepath.Join(t.TempDir(), "study.key")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		return path
	}
	goodText := strings.Repeat("5c", 32)
	tests := []struct {
		name     string
		keyArgs  []string
		env      map[string]string
		wantText string // in the message
		secret   string // must not be in the output
	}{
		{"no key at all", nil, nil, "no study key", ""},
		{"key file missing", []string{"--key-file", filepath.Join(dir, "none.key")}, nil, "does not exist", ""},
		{"key file too short", []string{"--key-file", keyFile(shortKey+"\n", 0o600)}, nil, "at least 32", shortKey},
		{"key file world-readable", []string{"--key-file", keyFile(goodText+"\n", 0o644)}, nil, "chmod 600", goodText},
		{"key file group-readable", []string{"--key-file", keyFile(goodText+"\n", 0o640)}, nil, "chmod 600", goodText},
		{"key file not a key", []string{"--key-file", keyFile("correct horse battery staple!!\n", 0o600)}, nil, "neither hex nor base64", "horse"},
		{"environment key too short", nil, map[string]string{pseudonymise.KeyEnvVar: shortKey}, "at least 32", shortKey},
		{"environment key empty after trimming", nil, map[string]string{pseudonymise.KeyEnvVar: "   "}, "empty", ""},
	}
	for _, cmd := range []string{"run", "pseudonymise"} {
		for _, tc := range tests {
			t.Run(cmd+"/"+tc.name, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "out")
				args := []string{cmd, "--study", studyPath, "--out", out}
				if cmd == "pseudonymise" {
					args = append(args, "--partner", "Justitie")
				}
				code, stdout, stderr := runCLI(t, tc.env, append(args, tc.keyArgs...)...)
				if code != exitKey {
					t.Fatalf("exit %d, want %d (key); stderr: %s", code, exitKey, stderr)
				}
				if !strings.Contains(stderr, tc.wantText) {
					t.Errorf("message %q does not say %q", stderr, tc.wantText)
				}
				if tc.secret != "" && strings.Contains(stdout+stderr, tc.secret) {
					t.Error("the output repeats the key")
				}
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("output folder exists after a refused key (%v)", err)
				}
			})
		}
	}
}

// TestKeyFingerprintAndUnlinkability: two runs with one key record the same
// fingerprint (the key's, never the key) and give the same pseudonyms; a
// run with another key records another fingerprint and shares no
// pseudonym with the first.
func TestKeyFingerprintAndUnlinkability(t *testing.T) {
	dir := t.TempDir()
	studyPath := writeLinkStudy(t, dir, linkStudyHead+linkStudyJustitie, linkExports())
	keyA, keyB := newKeyFile(t), newKeyFile(t)
	// Key A once from its file and once from the environment.
	textA, err := os.ReadFile(keyA)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		fingerprint string
		persons     map[string]bool
	}
	runWith := func(t *testing.T, envVars map[string]string, keyArgs ...string) result {
		t.Helper()
		out := filepath.Join(t.TempDir(), "out")
		code, _, stderr := runCLI(t, envVars, append([]string{"run", "--study", studyPath, "--out", out}, keyArgs...)...)
		if code != exitOK {
			t.Fatalf("run exited %d: %s", code, stderr)
		}
		db := openDB(t, out)
		var r result
		if err := db.DB().QueryRow("SELECT key_fingerprint FROM run").Scan(&r.fingerprint); err != nil {
			t.Fatal(err)
		}
		rows, err := db.DB().Query("SELECT person_id FROM person")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		r.persons = map[string]bool{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			r.persons[id] = true
		}
		return r
	}
	a1 := runWith(t, nil, "--key-file", keyA)
	a2 := runWith(t, map[string]string{pseudonymise.KeyEnvVar: string(textA)})
	b := runWith(t, nil, "--key-file", keyB)

	key, err := pseudonymise.KeyFromFile(keyA)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("same key, same fingerprint", func(t *testing.T) {
		if a1.fingerprint != a2.fingerprint || a1.fingerprint != key.Fingerprint() || len(a1.fingerprint) != 16 {
			t.Errorf("fingerprints %q and %q, key's %q", a1.fingerprint, a2.fingerprint, key.Fingerprint())
		}
		secret := strings.TrimSpace(string(textA))
		if _, err := hex.DecodeString(secret); err != nil || strings.Contains(secret, a1.fingerprint) {
			t.Error("the fingerprint is part of the key")
		}
	})
	t.Run("same key, same pseudonyms", func(t *testing.T) {
		if len(a1.persons) != 3 || len(a2.persons) != len(a1.persons) {
			t.Fatalf("%d and %d persons, want 3", len(a1.persons), len(a2.persons))
		}
		for id := range a1.persons {
			if !a2.persons[id] {
				t.Errorf("pseudonym %s of the first run is missing from the second", id)
			}
		}
	})
	t.Run("other key, other fingerprint, no shared pseudonym", func(t *testing.T) {
		if b.fingerprint == a1.fingerprint {
			t.Error("two keys have one fingerprint")
		}
		if len(b.persons) != len(a1.persons) {
			t.Errorf("%d persons with key B, %d with key A", len(b.persons), len(a1.persons))
		}
		for id := range b.persons {
			if a1.persons[id] {
				t.Errorf("pseudonym %s appears under both keys", id)
			}
		}
	})
}

// TestSupplierKeyMismatch: a supplier-pseudonymised export made with
// another key than the run's is refused (exit 5, nothing written): its
// pseudonyms would silently not link with the other partners' records.
func TestSupplierKeyMismatch(t *testing.T) {
	partnerKey, researcherKey := newKeyFile(t), newKeyFile(t)
	partnerDir := t.TempDir()
	partnerStudy := writeLinkStudy(t, partnerDir, linkStudyHead+linkStudyJustitie, linkExports())
	supplied := filepath.Join(t.TempDir(), "supplied")
	if code, _, stderr := runCLI(t, nil, "pseudonymise", "--study", partnerStudy, "--partner", "Justitie", "--out", supplied, "--key-file", partnerKey); code != exitOK {
		t.Fatalf("pseudonymise exited %d: %s", code, stderr)
	}
	fragment, err := os.ReadFile(filepath.Join(supplied, pseudonymise.SupplierFragment))
	if err != nil {
		t.Fatal(err)
	}
	_, entries, _ := strings.Cut(string(fragment), "partners:\n")
	data, err := os.ReadFile(filepath.Join(supplied, "justitie.pseudonymised.csv"))
	if err != nil {
		t.Fatal(err)
	}
	exports := linkExports()
	delete(exports, "justitie.csv")
	exports["justitie.pseudonymised.csv"] = string(data)
	studyPath := writeLinkStudy(t, t.TempDir(), linkStudyHead+entries, exports)

	for _, tc := range []struct {
		name string
		key  string
		want int
	}{
		{"the partner's key", partnerKey, exitOK},
		{"another key", researcherKey, exitKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCLI(t, nil, "run", "--study", studyPath, "--out", out, "--key-file", tc.key)
			if code != tc.want {
				t.Fatalf("exit %d, want %d: %s", code, tc.want, stderr)
			}
			if tc.want == exitKey {
				if !strings.Contains(stderr, "fingerprint") {
					t.Errorf("message does not name the fingerprints: %s", stderr)
				}
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Error("output folder exists after a refused run")
				}
			}
		})
	}
}
