package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/wiring"
)

type loginFlags struct {
	account   string
	noBrowser bool
	port      int
	portSet   bool
}

func loginLong() string {
	return `Sign in to PROVIDER (` + signInNames("or") + `) and keep the
token for the account.

The command prints the authorization link alone on a line of standard output
(everything else goes to standard error) and waits up to 10 minutes for you
to approve it. The browser hands the answer back to fittui on 127.0.0.1; when
it cannot (fittui runs on another machine, over SSH), approve anyway, copy
the address the browser ends on (its page fails to load; that is fine) and
paste it here, followed by Enter. Over SSH you may instead forward the port:
the command prints the ssh -L line to use.

The browser opens by itself only when there is a display here and no SSH
session; --no-browser never opens it.

The account is called PROVIDER unless --account names it; signing in again
to an existing account replaces its token. ` + fixedPortTitles() + ` need
the exact redirect URL registered with your app, by default
` + defaultRedirect() + `: --port N (or FITTUI_<PROVIDER>_REDIRECT_URL)
changes the port, and then register that URL instead.`
}

func newAuthLoginCmd(a *app) *cobra.Command {
	var f loginFlags
	cmd := &cobra.Command{
		Use:   "login PROVIDER",
		Short: "Sign in to a provider and store the token",
		Long:  loginLong(),
		Example: "  fittui auth login " + exampleSignIn(false) + "\n" +
			"  fittui auth login " + exampleSignIn(false) + " --account work\n" +
			"  fittui auth login " + exampleSignIn(true) + " --no-browser --port 9090",
		Args:      cobra.ExactArgs(1),
		ValidArgs: providers.SignIns(),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.portSet = cmd.Flags().Changed("port")
			return a.login(cmd.Context(), args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.account, "account", "", "store the token as account `NAME` (default: the provider's name)")
	fl.BoolVar(&f.noBrowser, "no-browser", false, "never open a browser; only print the link")
	fl.IntVar(&f.port, "port", 0, "listen for the browser's answer on 127.0.0.1 port `N` (default: "+portDefaults()+")")
	_ = cmd.RegisterFlagCompletionFunc("account", a.signedInNames)
	return cmd
}

func (a *app) login(ctx context.Context, provider string, f loginFlags) error {
	if !slices.Contains(providers.SignIns(), provider) {
		if hint := noSignInHint(provider); hint != "" {
			return usagef("%s", hint)
		}
		return usagef("cannot sign in to %q: PROVIDER is one of %s", provider, oauthProviderList())
	}
	if f.portSet && (f.port < 1 || f.port > 65535) {
		return usagef("--port %d: not a port number (1-65535)", f.port)
	}
	account := f.account
	if account == "" {
		account = provider
	}
	if err := tokenstore.ValidateAccount(account); err != nil {
		return usagef("--account: %v", err)
	}
	setup, err := a.connect()
	if err != nil {
		return err
	}
	var conflict *wiring.ConflictError
	if err := setup.CheckLogin(account, provider); errors.As(err, &conflict) {
		return &usageError{err}
	} else if err != nil {
		return err
	}
	cfg, err := setup.AuthConfig(provider)
	if err != nil {
		return &usageError{err}
	}
	cfg.Port = f.port
	cfg.LoginTimeout = a.loginTimeout
	log := a.log().With("account", account)

	l, err := auth.Start(ctx, cfg)
	var ce *auth.ConfigError
	switch {
	case errors.As(err, &ce):
		return &usageError{err}
	case err != nil:
		return err
	}
	defer l.Close()

	title := providerTitle(provider)
	fmt.Fprintf(a.errOut, "To sign in to %s as account %q, open this link in a browser and approve:\n", title, account)
	fmt.Fprintln(a.out, l.URL())
	a.maybeOpenBrowser(l.URL(), f.noBrowser)
	env := auth.Env{GOOS: runtime.GOOS, Getenv: a.getenv}
	if auth.IsSSH(env) {
		fmt.Fprintf(a.errOut, "\nYou are on SSH: the browser on your computer cannot reach port %d on this machine by itself. Either forward the port first: on your computer run\n\n    %s\n\nand then open the link; or open the link anywhere and paste the address the browser ends on here, as below.\n",
			l.Port(), wiring.SSHForward(a.getenv, l.Port()))
	}
	fmt.Fprintf(a.errOut, "\nWaiting up to %s for the browser (Ctrl+C cancels). If the browser cannot reach this machine, approve anyway, then copy the whole address the browser ends on (its page fails to load; that is fine), paste it here and press Enter.\n",
		roughly(time.Until(l.Expires())+30*time.Second))

	pastes := make(chan string)
	go readLines(a.in, pastes, l.Done())
	events := l.Events()
wait:
	for {
		select {
		case <-l.Done():
			break wait
		case <-ctx.Done():
			break wait
		case ev := <-events:
			a.sayLoginEvent(ev)
		case line, ok := <-pastes:
			if !ok {
				log.Debug("standard input closed; waiting for the browser only")
				pastes = nil
				continue
			}
			if strings.TrimSpace(line) == "" {
				continue
			}
			var pe *auth.PasteError
			switch err := l.SubmitPaste(line); {
			case err == nil:
				fmt.Fprintln(a.errOut, "Pasted address accepted.")
			case errors.As(err, &pe):
				fmt.Fprintf(a.errOut, "Not accepted: %s (paste again, or finish in the browser)\n", pe.Reason)
			}
		}
	}
	// Events are sent before Done closes, but select picks among ready
	// cases at random: say the ones still queued so none is lost.
	for drained := false; !drained; {
		select {
		case ev := <-events:
			a.sayLoginEvent(ev)
		default:
			drained = true
		}
	}
	g, err := l.Wait(ctx)
	if err != nil {
		if errors.Is(err, auth.ErrTimeout) || errors.Is(err, auth.ErrCancelled) {
			return fmt.Errorf("%s: %w", provider, err)
		}
		return err
	}
	// Save even if Ctrl+C comes now: the person approved, and a code
	// cannot be exchanged twice.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	path, err := setup.SaveGrant(sctx, account, g)
	if err != nil {
		return fmt.Errorf("signed in to %s, but the token could not be saved: %w", title, err)
	}
	fmt.Fprintf(a.out, "Signed in: account %s (%s) — token saved to %s\n", account, provider, path)
	a.afterLogin(setup, account, provider, g)
	return nil
}

func (a *app) sayLoginEvent(ev auth.Event) {
	switch ev.Kind {
	case auth.EventRejected:
		fmt.Fprintf(a.errOut, "Ignored: %s (still waiting)\n", ev.Reason)
	case auth.EventExchanging:
		fmt.Fprintln(a.errOut, "Got the answer; getting the token…")
	}
}

// maybeOpenBrowser opens url when there is a display and no SSH session,
// unless --no-browser. A browser that does not start is not an error: the
// link is on screen.
func (a *app) maybeOpenBrowser(url string, noBrowser bool) {
	env := auth.Env{GOOS: runtime.GOOS, Getenv: a.getenv}
	switch {
	case noBrowser:
		a.log().Debug("browser not opened", "reason", "--no-browser")
	case !auth.ShouldOpenBrowser(env):
		a.log().Debug("browser not opened", "reason", "no local display, or an SSH session")
	default:
		if err := a.openURL(url); err != nil {
			a.log().Debug("browser did not start", "error", err.Error())
			fmt.Fprintf(a.errOut, "(%v; open the link yourself.)\n", err)
			return
		}
		a.log().Debug("browser opened")
		fmt.Fprintln(a.errOut, "(Opened in your browser.)")
	}
}

// afterLogin adds what the person should know once the token is saved.
func (a *app) afterLogin(setup *wiring.Setup, account, provider string, g *auth.Grant) {
	if spec, ok := auth.Lookup(provider); ok {
		var missing []string
		for _, s := range spec.Scopes {
			if !slices.Contains(g.Scopes, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) > 0 {
			fmt.Fprintf(a.errOut, "Note: %s granted less than fittui asked for (missing: %s); that data will not show. Sign in again and allow everything to get it.\n",
				providerTitle(provider), strings.Join(missing, ", "))
		}
	}
	if _, ok := providers.Lookup(provider); !ok {
		fmt.Fprintf(a.errOut, "Note: this build of fittui cannot show %s data yet; the token is kept for a version that can.\n", providerTitle(provider))
	}
	configured := false
	for _, c := range setup.Config.Accounts {
		configured = configured || c.Name == account
	}
	if !configured {
		fmt.Fprintf(a.errOut, "The dashboard shows account %q with the provider's default options; to set options, add an [[account]] named %q to %s.\n",
			account, account, setup.Config.Path)
	}
}

// readLines sends each line of r until EOF (then closes out) or done.
func readLines(r io.Reader, out chan<- string, done <-chan struct{}) {
	defer close(out)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20) // long redirect URLs
	for sc.Scan() {
		select {
		case out <- sc.Text():
		case <-done:
			return
		}
	}
}
