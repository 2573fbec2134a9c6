// Command fakejawbone runs the fake Jawbone UP API (package jawbonetest)
// as a standalone server on loopback, so the real fittui binary can be
// pointed at it:
//
//	go run ./providers/jawbone/jawbonetest/cmd/fakejawbone -addr 127.0.0.1:0
//
// It prints its base URL and the FITTUI_JAWBONE_* lines to export, then
// serves until interrupted.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/fittui/fittui/providers/jawbone/jawbonetest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	persona := flag.String("persona", "office", "demo persona whose data is served: runner, office or nightshift")
	clientID := flag.String("client-id", jawbonetest.DefaultClientID, "OAuth client id the fake accepts")
	secret := flag.String("client-secret", jawbonetest.DefaultClientSecret, "OAuth client secret the fake accepts")
	redirect := flag.String("redirect-uri", jawbonetest.DefaultRedirectURI, "the registered redirect URI")
	page := flag.Int("page-size", jawbonetest.DefaultPageSize, "largest page of a collection (small, so paging is exercised)")
	flag.Parse()

	s, err := jawbonetest.Start(jawbonetest.Config{
		Persona: *persona, ClientID: *clientID, ClientSecret: *secret,
		RedirectURIs: []string{*redirect}, PageSize: *page,
	}, *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakejawbone:", err)
		os.Exit(2)
	}
	defer s.Close()

	fmt.Printf("fakejawbone listening on %s (persona %s, time zone %s)\n", s.URL, *persona, s.Location())
	fmt.Printf("export FITTUI_JAWBONE_CLIENT_ID=%s\n", *clientID)
	fmt.Printf("export FITTUI_JAWBONE_CLIENT_SECRET=%s\n", *secret)
	fmt.Printf("export FITTUI_JAWBONE_AUTH_URL=%s\n", s.AuthURL())
	fmt.Printf("export FITTUI_JAWBONE_TOKEN_URL=%s\n", s.TokenURL())
	fmt.Printf("export FITTUI_JAWBONE_API_URL=%s\n", s.APIURL())
	fmt.Printf("export FITTUI_JAWBONE_REDIRECT_URL=%s\n", *redirect)
	fmt.Printf("# disconnect (fittui auth logout): DELETE %s\n", s.RevokeURL())
	os.Stdout.Sync()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}
