package pseudonymise

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"github.com/outcomes-research/outcomes/study"
)

// KeyEnvVar is the environment variable that may hold the study key as text
// (see [KeyFromText]), for runs where a key file is impractical.
const KeyEnvVar = "OUTCOMES_STUDY_KEY"

// MinKeyBytes is the least number of secret bytes a study key must have.
const MinKeyBytes = 32

// generatedKeyBytes is the number of random bytes [GenerateKeyFile] writes.
const generatedKeyBytes = 32

// maxKeyFileBytes bounds how much of a key file is read: a key is 64 hex
// digits, so anything near this size is not a key file.
const maxKeyFileBytes = 4096

// fingerprintMessage is the message whose HMAC is the key fingerprint. It is
// never a prefix of a pseudonym input (see domainPrefix), so the fingerprint
// is not a pseudonym of anything.
const fingerprintMessage = "outcomes/key-fingerprint/v1"

// ErrInvalidKey is matched by errors.Is for every error in this package that
// means the user supplied an unusable study key: too short, not hex or
// base64, a key file that is missing, unreadable or readable by others, or a
// key file that already exists when generating one. The messages say what
// to change. They never contain the key.
var ErrInvalidKey = errors.New("invalid study key")

// keyError is a user error about the study key. Its message is complete on
// its own; err, if set, is the underlying cause (for errors.Is with
// fs.ErrNotExist and the like) and is not repeated in the message unless the
// message includes it.
type keyError struct {
	msg string
	err error
}

func (e *keyError) Error() string        { return e.msg }
func (e *keyError) Unwrap() error        { return e.err }
func (e *keyError) Is(target error) bool { return target == ErrInvalidKey }

func newKeyError(err error, format string, args ...any) error {
	return &keyError{msg: fmt.Sprintf(format, args...), err: err}
}

// Key is a secret study key. All pseudonyms of one study are computed with
// one key; pseudonyms made with different keys cannot be linked. The zero
// Key is unset and must not be used to make a [Hasher].
//
// A Key never prints its secret: String, GoString and Format all give
// "Key(<fingerprint>)". Keys are immutable and safe for concurrent use.
type Key struct {
	// secret returns the key bytes; callers must not modify them. The
	// bytes are held by a closure rather than in a []byte field because fmt
	// prints a Key nested in an unexported struct field by reflection,
	// without calling its methods: it would print a slice's bytes, and
	// even a pointer's target under a wrong verb, but prints a func as an
	// address only.
	secret func() []byte
}

func newKey(secret []byte) Key {
	return Key{secret: func() []byte { return secret }}
}

// KeyFromText parses a study key written as text: at least 64 hex digits,
// or base64 (standard or URL alphabet, padded or not) of at least
// [MinKeyBytes] bytes. Leading and trailing white space is ignored. Text
// made only of hex digits, with an even length, is read as hex.
//
// Errors match [ErrInvalidKey] and never contain the text.
func KeyFromText(text string) (Key, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Key{}, newKeyError(nil, "study key is empty; at least %d random bytes are needed (make one with `outcomes keygen --out FILE`)", MinKeyBytes)
	}
	secret, ok := decodeKeyText(text)
	if !ok {
		return Key{}, newKeyError(nil, "study key is neither hex nor base64 text (make one with `outcomes keygen --out FILE`)")
	}
	if len(secret) < MinKeyBytes {
		n := len(secret)
		clear(secret)
		return Key{}, newKeyError(nil, "study key is %d bytes; at least %d random bytes are needed (make one with `outcomes keygen --out FILE`)", n, MinKeyBytes)
	}
	return newKey(secret), nil
}

// decodeKeyText decodes hex, or else any of the four base64 encodings. The
// decoders' own errors are not returned: they are not needed, and the
// caller's message must not depend on the key text.
func decodeKeyText(text string) ([]byte, bool) {
	if len(text)%2 == 0 && isHex(text) {
		b, err := hex.DecodeString(text)
		return b, err == nil
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding,
	} {
		if b, err := enc.DecodeString(text); err == nil {
			return b, true
		}
	}
	return nil, false
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// KeyFromFile reads a study key from the file at path, in the text form
// that [KeyFromText] accepts ([GenerateKeyFile] writes hex).
//
// On systems with Unix permissions, KeyFromFile refuses a file that its
// group or other users may read, write or execute (mode&0o077 != 0): a key
// that others can read lets them recompute every pseudonym of the study.
//
// Errors match [ErrInvalidKey], name path, and say how to fix the problem.
func KeyFromFile(path string) (Key, error) {
	// Stat before opening: opening a FIFO blocks until a writer comes,
	// and a device may never end.
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return Key{}, newKeyError(nil, "study key file %s is not a regular file (%s); give the path of the file `outcomes keygen` wrote", path, fileKind(info.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Key{}, newKeyError(err, "study key file %s does not exist (make one with `outcomes keygen --out %s`)", path, path)
		}
		return Key{}, newKeyError(err, "opening study key file %s: %v", path, pathErrorCause(err))
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return Key{}, newKeyError(err, "reading study key file %s: %v", path, pathErrorCause(err))
	}
	if !info.Mode().IsRegular() {
		return Key{}, newKeyError(nil, "study key file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return Key{}, newKeyError(nil, "study key file %s can be read or changed by other users (mode %04o); run `chmod 600 %s` and try again", path, perm, path)
	}

	buf, err := io.ReadAll(io.LimitReader(f, maxKeyFileBytes+1))
	defer clear(buf)
	if err != nil {
		return Key{}, newKeyError(err, "reading study key file %s: %v", path, pathErrorCause(err))
	}
	if len(buf) > maxKeyFileBytes {
		return Key{}, newKeyError(nil, "study key file %s is larger than %d bytes and is not a key file", path, maxKeyFileBytes)
	}
	k, err := KeyFromText(string(buf))
	if err != nil {
		// err is a keyError whose message never holds the key text.
		return Key{}, newKeyError(err, "study key file %s: %v", path, err)
	}
	return k, nil
}

// fileKind names what a path that is not a regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}

// pathErrorCause drops the *fs.PathError wrapper, whose message repeats the
// path that the caller's message already names.
func pathErrorCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// GenerateKeyFile writes a new study key to path: 32 bytes read from
// random, as 64 lower-case hex digits and a newline, in a file created with
// mode 0600. It refuses to overwrite an existing file, because every
// pseudonym of a study depends on its key. A nil random means crypto/rand.
//
// If writing fails after the file was created, the file is removed.
func GenerateKeyFile(path string, random io.Reader) (err error) {
	if random == nil {
		random = rand.Reader
	}
	var secret [generatedKeyBytes]byte
	defer clear(secret[:])
	if _, err := io.ReadFull(random, secret[:]); err != nil {
		return fmt.Errorf("reading %d random bytes for a study key: %w", generatedKeyBytes, err)
	}
	var text [2*generatedKeyBytes + 1]byte
	defer clear(text[:])
	hex.Encode(text[:], secret[:])
	text[len(text)-1] = '\n'

	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return newKeyError(err, "study key file %s already exists; refusing to overwrite it (a study's pseudonyms depend on its key; choose another path)", path)
		}
		return newKeyError(pathErrorCause(err), "creating study key file %s: %v", path, pathErrorCause(err))
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("closing study key file %s: %w", path, pathErrorCause(cerr))
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	if _, err := f.Write(text[:]); err != nil {
		return newKeyError(pathErrorCause(err), "writing study key file %s: %v", path, pathErrorCause(err))
	}
	if err := f.Sync(); err != nil {
		return newKeyError(pathErrorCause(err), "writing study key file %s: %v", path, pathErrorCause(err))
	}
	return nil
}

// IsZero reports whether k is the zero (unset) Key.
func (k Key) IsZero() bool { return k.secret == nil }

// Fingerprint returns a short one-way identifier of the key: the first 8
// bytes of HMAC-SHA256(key, "outcomes/key-fingerprint/v1") as 16 hex
// digits. Runs record it so that it can be checked that two runs used the
// same key. It reveals nothing about the key and cannot be used to compute
// pseudonyms, whose HMAC inputs start with a different prefix. The zero Key
// has the fingerprint "".
func (k Key) Fingerprint() string {
	if k.secret == nil {
		return ""
	}
	mac := hmac.New(sha256.New, k.secret())
	mac.Write([]byte(fingerprintMessage))
	return hex.EncodeToString(mac.Sum(nil)[:8])
}

// String returns "Key(<fingerprint>)", or "Key(unset)" for the zero Key.
func (k Key) String() string {
	if k.secret == nil {
		return "Key(unset)"
	}
	return "Key(" + k.Fingerprint() + ")"
}

// GoString returns the same as String, so that %#v does not print the secret.
func (k Key) GoString() string { return k.String() }

// Format writes the same as String for every verb, so that no fmt verb
// (%x, %v, %+v, %#v, %d) prints the secret.
func (k Key) Format(f fmt.State, verb rune) { io.WriteString(f, k.String()) }

// EphemeralKey returns a new random key that exists only in this process
// and is never written anywhere, for a dry run (`outcomes check`) that
// pseudonymises rows only to decide and count how they link: its
// pseudonyms match nothing of any study.
func EphemeralKey() (Key, error) {
	var secret [generatedKeyBytes]byte
	defer clear(secret[:])
	if _, err := io.ReadFull(rand.Reader, secret[:]); err != nil {
		return Key{}, fmt.Errorf("reading %d random bytes for a throwaway key: %w", generatedKeyBytes, err)
	}
	return KeyFromText(hex.EncodeToString(secret[:]))
}

// LoadKey reads the study key from keyFile when it is given, else from
// the environment variable KeyEnvVar (looked up with getenv). Errors match
// [ErrInvalidKey].
func LoadKey(keyFile string, getenv func(string) string) (Key, error) {
	if keyFile != "" {
		return KeyFromFile(keyFile)
	}
	text := getenv(KeyEnvVar)
	if text == "" {
		return Key{}, newKeyError(nil, "no study key: pass --key-file FILE or set $%s (make a key with `outcomes keygen --out FILE`)", KeyEnvVar)
	}
	return KeyFromText(text)
}

// LoadStudyKey loads the study key (LoadKey) and checks it against the
// fingerprints the study file records for supplier-pseudonymised exports
// (CheckKeyFingerprints). Errors match [ErrInvalidKey].
func LoadStudyKey(st *study.Study, keyFile string, getenv func(string) string) (Key, error) {
	k, err := LoadKey(keyFile, getenv)
	if err != nil {
		return Key{}, err
	}
	if err := CheckKeyFingerprints(st, k); err != nil {
		return Key{}, err
	}
	return k, nil
}
