package source_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/outcomes-research/outcomes/ingest/source"
)

func ExampleNewCSV() {
	// A Windows-1252 export with a decimal comma, a quoted newline and a
	// quote that is never closed.
	data := "clientnr;naam;bedrag\r\n1;M\xfcller;3,5\r\n2;\"De Vries,\r\nJan\";1.234,5\r\n3;\"open;7\r\n"
	r, err := source.NewCSV(strings.NewReader(data), "export.csv", source.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	info := r.Info()
	fmt.Printf("%s, delimiter %q, header %q\n", info.Encoding, info.Delimiter, r.Header())
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err, errors.Is(err, source.ErrUnterminatedQuote), source.IsFatal(err))
			break
		}
		fmt.Println(row.Line, len(row.Fields), row.Fields[1])
	}
	// Output:
	// windows-1252, delimiter ";", header ["clientnr" "naam" "bedrag"]
	// 2 3 Müller
	// 3 3 De Vries,
	// Jan
	// export.csv: line 5, column 2: quoted field never closed true true
}
