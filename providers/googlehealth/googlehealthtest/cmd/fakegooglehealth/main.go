// Command fakegooglehealth runs the fake Google Health API (with its OAuth
// server) on a loopback address, prints its base URL and the
// FITTUI_GOOGLEHEALTH_* settings that point fittui at it, and serves until
// interrupted.
//
//	go run ./providers/googlehealth/googlehealthtest/cmd/fakegooglehealth -addr 127.0.0.1:0
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/fittui/fittui/providers/googlehealth/googlehealthtest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	persona := flag.String("persona", googlehealthtest.DefaultPersona, "demo persona whose data the account holds: runner, office or nightshift")
	rate := flag.Int("rate-limit", googlehealthtest.DefaultRateLimit, "requests per minute before 429 (negative: unlimited)")
	empty := flag.Bool("empty-pages", false, "put empty pages with a nextPageToken between pages")
	notLinked := flag.Bool("not-linked", false, "answer every API request with ACCOUNT_NOT_LINKED")
	flag.Parse()

	srv, err := googlehealthtest.Start(googlehealthtest.Config{Addr: *addr, Persona: *persona, RateLimit: *rate})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakegooglehealth:", err)
		os.Exit(2)
	}
	defer srv.Close()
	srv.SetEmptyPages(*empty)
	srv.SetAccountNotLinked(*notLinked)

	fmt.Println("fake Google Health API listening on " + srv.URL)
	for _, line := range srv.Env() {
		fmt.Println(line)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}
