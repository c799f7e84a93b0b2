package source

import "fmt"

func openParquet(path string, opts Options) (Reader, error) {
	return nil, fmt.Errorf("opening %s: parquet not implemented yet", path)
}
