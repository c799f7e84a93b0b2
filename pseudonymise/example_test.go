package pseudonymise_test

import (
	"fmt"
	"time"

	"github.com/outcomes-research/outcomes/pseudonymise"
)

// exampleKey is a fixed key for the examples only. A real study key is
// random, kept in a file with mode 0600, and never written in source.
const exampleKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

func ExampleNormaliseBSN() {
	for _, raw := range []string{"123.456.782", "12345672", "123456789", "12-34", "1234567a2", ""} {
		var bsn [9]byte
		status := pseudonymise.NormaliseBSN(raw, &bsn)
		if status == pseudonymise.BSNOK {
			fmt.Printf("%-13q ok %s\n", raw, bsn[:])
		} else {
			fmt.Printf("%-13q %v\n", raw, status)
		}
	}
	// Output:
	// "123.456.782" ok 123456782
	// "12345672"    ok 012345672
	// "123456789"   fails_elfproef
	// "12-34"       wrong_length
	// "1234567a2"   not_digits
	// ""            empty
}

func ExampleHasher_AppendPseudonym() {
	key, err := pseudonymise.KeyFromText(exampleKey)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := pseudonymise.NewHasher(key) // one per goroutine

	var bsn [9]byte
	buf := make([]byte, 0, pseudonymise.PseudonymLen)
	for _, raw := range []string{"111 222 333", "111.222.333"} {
		if pseudonymise.NormaliseBSN(raw, &bsn) != pseudonymise.BSNOK {
			continue
		}
		buf = h.AppendPseudonym(buf[:0], pseudonymise.DomainBSN, bsn[:])
		fmt.Printf("%s\n", buf)
	}
	// Output:
	// c160e8c4df85cafd3176318f99c1a9dc
	// c160e8c4df85cafd3176318f99c1a9dc
}

func ExampleKey_Fingerprint() {
	key, err := pseudonymise.KeyFromText(exampleKey)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(key.Fingerprint())
	fmt.Println(key) // prints the fingerprint, never the secret

	_, err = pseudonymise.KeyFromText("00112233445566778899aabbccddeeff")
	fmt.Println(err)
	// Output:
	// 7db2db3ce7c2bd9c
	// Key(7db2db3ce7c2bd9c)
	// study key is 16 bytes; at least 32 random bytes are needed (make one with `outcomes keygen --out FILE`)
}

func ExampleNormaliseSurname() {
	for _, s := range []string{"van der Berg", "Berg, van der", "VAN DER BERG", "v.d. Berg", "Çelik", "Müller", "Eén", "Jansen-van der Berg"} {
		fmt.Printf("%-20q %s\n", s, pseudonymise.NormaliseSurname(s))
	}
	// Output:
	// "van der Berg"       berg
	// "Berg, van der"      berg
	// "VAN DER BERG"       berg
	// "v.d. Berg"          berg
	// "Çelik"              celik
	// "Müller"             muller
	// "Eén"                een
	// "Jansen-van der Berg" jansen van der berg
}

func ExampleFallbackKey() {
	key, err := pseudonymise.KeyFromText(exampleKey)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := pseudonymise.NewHasher(key)

	birth := time.Date(1980, time.February, 29, 0, 0, 0, 0, time.UTC)
	id := pseudonymise.FallbackKey(nil, "Berg, van der", birth, "Vrouw")
	fmt.Printf("%s\n", id)
	fmt.Println(h.Pseudonym(pseudonymise.DomainFallback, id))

	if pseudonymise.FallbackKey(nil, "", birth, "V") == nil {
		fmt.Println("no surname: no fallback key")
	}
	// Output:
	// berg|1980-02-29|v
	// 65abd9a5a693f62f9ef38b56065c5207
	// no surname: no fallback key
}

func ExampleSyntheticBSN() {
	// Synthetic test numbers: they pass the elfproef, but are made by
	// arithmetic and belong to no one in particular. Never mix them with
	// real data.
	for n := range uint32(4) {
		fmt.Println(pseudonymise.SyntheticBSN(n))
	}
	// Output:
	// 123456800
	// 888888909
	// 654321103
	// 419753308
}
