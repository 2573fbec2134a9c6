// Command fakefitbit runs the fake Fitbit Web API (package fitbittest) as
// a standalone server on loopback, so the real fittui binary can be
// pointed at it:
//
//	go run ./providers/fitbit/fitbittest/cmd/fakefitbit -addr 127.0.0.1:0
//
// It prints its base URL and the FITTUI_FITBIT_* lines to export, then
// serves until interrupted.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/fittui/fittui/providers/fitbit/fitbittest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	persona := flag.String("persona", "office", "demo persona whose data is served: runner, office or nightshift")
	clientID := flag.String("client-id", fitbittest.DefaultClientID, "OAuth client id the fake accepts")
	secret := flag.String("client-secret", "", "client secret (empty: a public \"Client\" app without one)")
	redirect := flag.String("redirect-uri", fitbittest.DefaultRedirectURI, "the registered redirect URI (matched exactly)")
	limit := flag.Int("rate-limit", fitbittest.DefaultRateLimit, "requests per hour before 429")
	gone := flag.Bool("gone", false, "answer 410 Gone everywhere, as the API does since 2026-11-02")
	noIntraday := flag.Bool("no-intraday", false, "answer 403 on intraday requests")
	flag.Parse()

	s, err := fitbittest.Start(fitbittest.Config{
		Persona: *persona, ClientID: *clientID, ClientSecret: *secret,
		RedirectURIs: []string{*redirect}, RateLimit: *limit,
	}, *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakefitbit:", err)
		os.Exit(2)
	}
	defer s.Close()
	s.SetGone(*gone)
	s.SetIntradayForbidden(*noIntraday)

	fmt.Printf("fakefitbit listening on %s (persona %s, time zone %s)\n", s.URL, *persona, s.Location())
	fmt.Printf("export FITTUI_FITBIT_CLIENT_ID=%s\n", *clientID)
	if *secret != "" {
		fmt.Printf("export FITTUI_FITBIT_CLIENT_SECRET=%s\n", *secret)
	}
	fmt.Printf("export FITTUI_FITBIT_AUTH_URL=%s\n", s.AuthURL())
	fmt.Printf("export FITTUI_FITBIT_TOKEN_URL=%s\n", s.TokenURL())
	fmt.Printf("export FITTUI_FITBIT_API_URL=%s\n", s.URL)
	fmt.Printf("export FITTUI_FITBIT_REDIRECT_URL=%s\n", *redirect)
	fmt.Printf("# revoke: %s\n", s.RevokeURL())
	os.Stdout.Sync()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}
