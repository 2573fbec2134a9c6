// Command fakemisfit runs the fake Misfit Cloud API (package misfittest)
// as a standalone server on loopback, so the real fittui binary can be
// pointed at it:
//
//	go run ./providers/misfit/misfittest/cmd/fakemisfit -addr 127.0.0.1:0
//
// It prints its base URL and the FITTUI_MISFIT_* lines to export, then
// serves until interrupted.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/fittui/fittui/providers/misfit/misfittest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	persona := flag.String("persona", "office", "demo persona whose data is served: runner, office or nightshift")
	clientID := flag.String("client-id", misfittest.DefaultClientID, "OAuth client id (app key) the fake accepts")
	secret := flag.String("client-secret", misfittest.DefaultClientSecret, "OAuth client secret (app secret)")
	redirect := flag.String("redirect-uri", misfittest.DefaultRedirectURI, "the registered redirect URI (matched exactly)")
	limit := flag.Int("rate-limit", misfittest.DefaultRateLimit, "requests per hour before 429")
	flag.Parse()

	s, err := misfittest.Start(misfittest.Config{
		Persona: *persona, ClientID: *clientID, ClientSecret: *secret,
		RedirectURIs: []string{*redirect}, RateLimit: *limit,
	}, *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakemisfit:", err)
		os.Exit(2)
	}
	defer s.Close()

	fmt.Printf("fakemisfit listening on %s (persona %s, time zone %s)\n", s.URL, *persona, s.Location())
	fmt.Printf("export FITTUI_MISFIT_CLIENT_ID=%s\n", s.ClientID())
	fmt.Printf("export FITTUI_MISFIT_CLIENT_SECRET=%s\n", s.ClientSecret())
	fmt.Printf("export FITTUI_MISFIT_AUTH_URL=%s\n", s.AuthURL())
	fmt.Printf("export FITTUI_MISFIT_TOKEN_URL=%s\n", s.TokenURL())
	fmt.Printf("export FITTUI_MISFIT_API_URL=%s\n", s.URL)
	fmt.Printf("export FITTUI_MISFIT_REDIRECT_URL=%s\n", *redirect)
	fmt.Println("# Misfit has no revoke endpoint")
	os.Stdout.Sync()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}
