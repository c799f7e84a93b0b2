package pseudonymise

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// testSecret returns 32 distinct bytes starting at first. Bytes 'A'..'`'
// (first = 'A') are printable, so a leak of the raw secret is visible too.
func testSecret(first byte) []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = first + byte(i)
	}
	return b
}

// testKey returns a Key for testSecret(first).
func testKey(t testing.TB, first byte) Key {
	t.Helper()
	k, err := KeyFromText(hex.EncodeToString(testSecret(first)))
	if err != nil {
		t.Fatalf("KeyFromText: %v", err)
	}
	return k
}

func writeKeyFile(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "study.key")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestKeyFromText(t *testing.T) {
	secret := testSecret(0)
	want := newKey(secret).Fingerprint()
	long := append(testSecret(0), testSecret(100)...)

	tests := []struct {
		name    string
		text    string
		wantErr string // substring; "" means success
	}{
		{"hex lower", hex.EncodeToString(secret), ""},
		{"hex upper", strings.ToUpper(hex.EncodeToString(secret)), ""},
		{"hex with white space and newline", "  \t" + hex.EncodeToString(secret) + "\r\n", ""},
		{"base64 std", base64.StdEncoding.EncodeToString(secret), ""},
		{"base64 raw url", base64.RawURLEncoding.EncodeToString(secret), ""},
		{"base64 raw std", base64.RawStdEncoding.EncodeToString(secret), ""},
		{"base64 url", base64.URLEncoding.EncodeToString(secret), ""},
		{"hex of 64 bytes", hex.EncodeToString(long), ""},
		{"empty", "", "study key is empty"},
		{"only spaces", " \n ", "study key is empty"},
		{"hex of 16 bytes", hex.EncodeToString(secret[:16]), "study key is 16 bytes; at least 32 random bytes are needed (make one with `outcomes keygen --out FILE`)"},
		{"hex of 31 bytes", hex.EncodeToString(secret[:31]), "study key is 31 bytes"},
		{"base64 of 24 bytes", base64.StdEncoding.EncodeToString(secret[:24]), "study key is 24 bytes"},
		{"password", "correct horse battery staple!", "neither hex nor base64"},
		{"hex with a space inside", hex.EncodeToString(secret[:16]) + " " + hex.EncodeToString(secret[16:]), "neither hex nor base64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := KeyFromText(tc.text)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("KeyFromText: %v", err)
				}
				if tc.name == "hex of 64 bytes" {
					if k.Fingerprint() == want {
						t.Errorf("a 64-byte key has the fingerprint of its first 32 bytes")
					}
					return
				}
				if got := k.Fingerprint(); got != want {
					t.Errorf("Fingerprint() = %s, want %s (the same secret as hex)", got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("KeyFromText succeeded, want error containing %q", tc.wantErr)
			}
			if !k.IsZero() {
				t.Errorf("KeyFromText returned a non-zero Key with an error")
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
			if !errors.Is(err, ErrInvalidKey) {
				t.Errorf("errors.Is(%v, ErrInvalidKey) = false", err)
			}
			if trimmed := strings.TrimSpace(tc.text); trimmed != "" && strings.Contains(err.Error(), trimmed) {
				t.Errorf("error %q echoes the key text", err)
			}
		})
	}
}

func TestKeyFromFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes are not checked on Windows")
	}
	keyHex := hex.EncodeToString(testSecret(0))
	want := testKey(t, 0).Fingerprint()

	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		wantErr []string // substrings; nil means success
	}{
		{"0600 accepted", keyHex + "\n", 0o600, nil},
		{"0400 accepted", keyHex + "\n", 0o400, nil},
		{"0644 refused", keyHex + "\n", 0o644, []string{"can be read or changed by other users", "(mode 0644)", "run `chmod 600 "}},
		{"0640 refused", keyHex + "\n", 0o640, []string{"(mode 0640)", "chmod 600"}},
		{"0602 refused", keyHex + "\n", 0o602, []string{"(mode 0602)", "chmod 600"}},
		{"0610 refused", keyHex + "\n", 0o610, []string{"(mode 0610)"}},
		{"short key", hex.EncodeToString(testSecret(0)[:20]) + "\n", 0o600, []string{"study key is 20 bytes"}},
		{"empty file", "", 0o600, []string{"study key is empty"}},
		{"too large", strings.Repeat(keyHex, 100), 0o600, []string{"is larger than 4096 bytes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeKeyFile(t, tc.content, tc.mode)
			k, err := KeyFromFile(path)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("KeyFromFile: %v", err)
				}
				if got := k.Fingerprint(); got != want {
					t.Errorf("Fingerprint() = %s, want %s", got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("KeyFromFile succeeded, want an error")
			}
			msg := err.Error()
			for _, s := range append(tc.wantErr, path) {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not contain %q", msg, s)
				}
			}
			if strings.Contains(tc.wantErr[0], "other users") && !strings.Contains(msg, "chmod 600 "+path) {
				t.Errorf("error %q does not give the fix `chmod 600 %s`", msg, path)
			}
			if !errors.Is(err, ErrInvalidKey) {
				t.Errorf("errors.Is(%v, ErrInvalidKey) = false", err)
			}
			if strings.Contains(msg, keyHex[:16]) {
				t.Errorf("error %q echoes the key", msg)
			}
		})
	}

	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "no-such.key")
		_, err := KeyFromFile(path)
		if err == nil {
			t.Fatal("KeyFromFile succeeded on a missing file")
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name %s", err, path)
		}
		if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrInvalidKey) {
			t.Errorf("error %v: want errors.Is fs.ErrNotExist and ErrInvalidKey", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		_, err := KeyFromFile(dir)
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("KeyFromFile(directory) error = %v, want not a regular file", err)
		}
	})
}

func TestGenerateKeyFile(t *testing.T) {
	random := bytes.NewReader(testSecret('A'))
	path := filepath.Join(t.TempDir(), "study.key")
	if err := GenerateKeyFile(path, random); err != nil {
		t.Fatalf("GenerateKeyFile: %v", err)
	}
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(testSecret('A')) + "\n"; string(content) != want {
		t.Errorf("file content = %q, want %q", content, want)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %04o, want 0600", info.Mode().Perm())
	}
	k, err := KeyFromFile(path)
	if err != nil {
		t.Fatalf("KeyFromFile of a generated key: %v", err)
	}
	if got, want := k.Fingerprint(), testKey(t, 'A').Fingerprint(); got != want {
		t.Errorf("generated key fingerprint = %s, want %s", got, want)
	}

	t.Run("refuses to overwrite", func(t *testing.T) {
		err := GenerateKeyFile(path, bytes.NewReader(testSecret(0)))
		if err == nil {
			t.Fatal("GenerateKeyFile overwrote an existing file")
		}
		if !errors.Is(err, fs.ErrExist) || !errors.Is(err, ErrInvalidKey) || !strings.Contains(err.Error(), path) {
			t.Errorf("error %v: want errors.Is fs.ErrExist and ErrInvalidKey, naming %s", err, path)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(after, content) {
			t.Errorf("existing key file changed")
		}
	})
	t.Run("short random source", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "short.key")
		if err := GenerateKeyFile(path, bytes.NewReader(make([]byte, 10))); err == nil {
			t.Fatal("GenerateKeyFile succeeded with 10 random bytes")
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a key file was left behind: %v", err)
		}
	})
	t.Run("nil random uses crypto/rand", func(t *testing.T) {
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a.key"), filepath.Join(dir, "b.key")
		for _, p := range []string{a, b} {
			if err := GenerateKeyFile(p, nil); err != nil {
				t.Fatal(err)
			}
		}
		ka, err := KeyFromFile(a)
		if err != nil {
			t.Fatal(err)
		}
		kb, err := KeyFromFile(b)
		if err != nil {
			t.Fatal(err)
		}
		if ka.Fingerprint() == kb.Fingerprint() {
			t.Errorf("two generated keys are equal")
		}
	})
}

func TestFingerprint(t *testing.T) {
	k := testKey(t, 0)
	// Computed independently with Python:
	// hmac.new(bytes(range(32)), b"outcomes/key-fingerprint/v1", hashlib.sha256).hexdigest()[:16]
	const want = "7db2db3ce7c2bd9c"
	if got := k.Fingerprint(); got != want {
		t.Errorf("Fingerprint() = %s, want %s", got, want)
	}
	if got := testKey(t, 0).Fingerprint(); got != want {
		t.Errorf("Fingerprint() of the same key loaded again = %s, want %s", got, want)
	}
	if got := testKey(t, 1).Fingerprint(); got == want {
		t.Errorf("different keys have the same fingerprint %s", got)
	}
	if strings.Contains(hex.EncodeToString(testSecret(0)), want) {
		t.Errorf("fingerprint is part of the key")
	}
	if got := (Key{}).Fingerprint(); got != "" {
		t.Errorf("zero Key fingerprint = %q, want empty", got)
	}
	// The fingerprint is not the pseudonym of anything a caller can pass:
	// it is not the pseudonym of the fingerprint message in either domain.
	h := NewHasher(k)
	for _, d := range []Domain{DomainBSN, DomainFallback} {
		if p := h.Pseudonym(d, []byte(fingerprintMessage)); strings.HasPrefix(p, want) {
			t.Errorf("pseudonym in %v of the fingerprint message starts with the fingerprint", d)
		}
	}
}

func TestKeyNeverPrintsSecret(t *testing.T) {
	secret := testSecret('A')
	k, err := KeyFromText(hex.EncodeToString(secret))
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{
		hex.EncodeToString(secret),
		strings.ToUpper(hex.EncodeToString(secret)),
		hex.EncodeToString(secret[:4]),
		string(secret),
		string(secret[:8]),
		fmt.Sprint(secret[:4])[1:10], // "65 66 67 " from "[65 66 67 68]"
		base64.StdEncoding.EncodeToString(secret)[:12],
	}
	type exported struct{ Key Key }
	type unexported struct{ key Key }
	values := map[string]any{
		"Key":                  k,
		"*Key":                 &k,
		"exported field":       exported{k},
		"unexported field":     unexported{k},
		"*unexported field":    &unexported{k},
		"slice of keys":        []Key{k},
		"map of keys":          map[string]Key{"k": k},
		"Hasher":               NewHasher(k),
		"unexported in struct": struct{ inner unexported }{unexported{k}},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"}
	for name, v := range values {
		for _, verb := range verbs {
			t.Run(name+" "+verb, func(t *testing.T) {
				out := fmt.Sprintf(verb, v)
				for _, f := range forbidden {
					if strings.Contains(out, f) {
						t.Errorf("Sprintf(%q) = %q contains the secret (%q)", verb, out, f)
					}
				}
			})
		}
	}
	if got, want := k.String(), "Key("+k.Fingerprint()+")"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := fmt.Sprintf("%#v", k); got != k.String() {
		t.Errorf("%%#v = %q, want %q", got, k.String())
	}
	if got := (Key{}).String(); got != "Key(unset)" {
		t.Errorf("zero Key String() = %q, want Key(unset)", got)
	}
}
