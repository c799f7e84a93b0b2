package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/pseudonymise"
)

type keygenOptions struct {
	Out string
}

func (o *keygenOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Out, "out", "", "key file to create (mode 0600; an existing file is never overwritten)")
}

func cmdKeygen(_ context.Context, args []string, e env) error {
	var o keygenOptions
	fs := newFlagSet("keygen", "keygen --out FILE", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.Out == "" {
		return badUsage(errors.New("--out is required: the key file to create"))
	}
	if err := pseudonymise.GenerateKeyFile(o.Out, nil); err != nil {
		return err
	}
	key, err := pseudonymise.KeyFromFile(o.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote a new study key to %s (fingerprint %s)\nKeep it secret and out of the study folder; every partner that pseudonymises for this study needs the same key.\n", o.Out, key.Fingerprint())
	return nil
}
