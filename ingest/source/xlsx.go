package source

import "fmt"

func openXLSX(path string, opts Options) (Reader, error) {
	return nil, fmt.Errorf("opening %s: xlsx not implemented yet", path)
}
