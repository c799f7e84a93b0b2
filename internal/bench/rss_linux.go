package bench

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
)

// stagePeakRSS returns the peak resident set size of this process since the
// previous call (VmHWM in /proc/self/status) and resets that peak to the
// current size (writing 5 to /proc/self/clear_refs, Linux 4.0 and later), so
// that successive calls give the peak of each stage in between. ok is false
// when the kernel does not offer either.
func stagePeakRSS() (peak int64, ok bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	peak, ok = statusKiB(status, "VmHWM:")
	if !ok {
		return 0, false
	}
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return 0, false
	}
	return peak, true
}

// statusKiB reads a "Name:   123 kB" line of /proc/self/status, in bytes.
func statusKiB(status []byte, name string) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		fields := bytes.Fields(sc.Bytes())
		if len(fields) == 3 && string(fields[0]) == name && string(fields[2]) == "kB" {
			kib, err := strconv.ParseInt(string(fields[1]), 10, 64)
			return kib << 10, err == nil
		}
	}
	return 0, false
}
