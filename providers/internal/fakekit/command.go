package fakekit

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Fake is what the standalone runner needs of a fake.
type Fake interface {
	BaseURL() string
	Location() *time.Location
	// Env lists the FITTUI_* settings that point fittui at the fake, as
	// KEY=value.
	Env() []string
	Close()
}

// Noter is a Fake with more to say after its settings ("# revoke: ...").
type Noter interface{ Notes() []string }

// Flags are the settings every fake's command takes, with each fake's
// defaults. -redirect-uri exists only where a default is given (Google
// accepts any loopback redirect).
type Flags struct {
	Addr         string
	Persona      string
	ClientID     string
	ClientSecret string
	RedirectURI  string
	RateLimit    int
}

// Command is a fake's standalone command: the shared flags with the
// fake's defaults, the fake's own flags, and how to start it.
type Command struct {
	Name     string // e.g. "fakefitbit"
	Defaults Flags
	// SecretHelp explains -client-secret (apps with and without one).
	SecretHelp string
	// RateHelp explains -rate-limit (per hour, per minute, ...).
	RateHelp string
	// Own registers the fake's own flags.
	Own   func(fs *flag.FlagSet)
	Start func(f Flags) (Fake, error)
}

// Run runs c as the process's command: it parses the command line, starts
// the fake on loopback, prints where it listens and the FITTUI_* lines to
// export, then serves until interrupted.
func Run(c Command) {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	os.Exit(run(c, os.Args[1:], os.Stdout, os.Stderr, stop))
}

func run(c Command, args []string, stdout, stderr io.Writer, stop <-chan os.Signal) int {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	d := c.Defaults
	f := Flags{}
	fs.StringVar(&f.Addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	fs.StringVar(&f.Persona, "persona", or(d.Persona, "office"), "demo persona whose data is served: runner, office or nightshift")
	fs.StringVar(&f.ClientID, "client-id", d.ClientID, "OAuth client id the fake accepts")
	fs.StringVar(&f.ClientSecret, "client-secret", d.ClientSecret, or(c.SecretHelp, "OAuth client secret the fake accepts"))
	if d.RedirectURI != "" {
		fs.StringVar(&f.RedirectURI, "redirect-uri", d.RedirectURI, "the registered redirect URI (matched exactly)")
	}
	fs.IntVar(&f.RateLimit, "rate-limit", d.RateLimit, or(c.RateHelp, "requests per hour before 429"))
	if c.Own != nil {
		c.Own(fs)
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fake, err := c.Start(f)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", c.Name, err)
		return 2
	}
	defer fake.Close()
	fmt.Fprintf(stdout, "%s listening on %s (persona %s, time zone %s)\n", c.Name, fake.BaseURL(), f.Persona, fake.Location())
	for _, kv := range fake.Env() {
		fmt.Fprintln(stdout, "export "+kv)
	}
	if n, ok := fake.(Noter); ok {
		for _, line := range n.Notes() {
			fmt.Fprintln(stdout, "# "+line)
		}
	}
	if f, ok := stdout.(interface{ Sync() error }); ok {
		f.Sync()
	}
	<-stop
	return 0
}

func or(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}
