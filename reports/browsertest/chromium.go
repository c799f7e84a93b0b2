package browsertest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// DefaultChromiumPath is where Debian's chromium package installs the browser.
const DefaultChromiumPath = "/usr/bin/chromium"

// ErrNoChromium is returned (wrapped) by [ChromiumPath] and [Open] when no
// Chromium binary can be found.
var ErrNoChromium = errors.New("chromium not found; install it with `apt-get install chromium` (Debian) or set CHROMIUM_PATH to a Chromium or Chrome binary")

// ChromiumPath returns the browser binary to drive: $CHROMIUM_PATH if it is set
// (it must then name an executable file; it is never silently ignored),
// otherwise /usr/bin/chromium, otherwise "chromium" on $PATH. The error wraps
// [ErrNoChromium] and says how to install the browser.
func ChromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		if err := checkExecutable(p); err != nil {
			return "", fmt.Errorf("CHROMIUM_PATH=%s: %w: %w", p, err, ErrNoChromium)
		}
		return p, nil
	}
	if checkExecutable(DefaultChromiumPath) == nil {
		return DefaultChromiumPath, nil
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("looking for %s: %w", DefaultChromiumPath, ErrNoChromium)
}

func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file", path)
	}
	return nil
}
