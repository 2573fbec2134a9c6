package login

import (
	"context"
	"time"

	"github.com/fittui/fittui/auth"
	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/tui/wiring"
)

// Service is what the screen needs from the program: checking a name,
// starting a login and keeping its grant. Connect gives the real one, over
// the same wiring.Setup as `fittui auth login`; tests may wrap it. Every
// method may do I/O: the screen calls them in tea.Cmds only.
type Service interface {
	// Check says whether account may sign in to provider: an invalid
	// name or a *wiring.ConflictError.
	Check(account, provider string) error
	// Start begins a login at provider: a *wiring.SettingsError when
	// the client id is missing, an *auth.PortInUseError when the
	// callback port is taken. Cancelling ctx abandons the login.
	Start(ctx context.Context, provider string) (Attempt, error)
	// Save stores the grant as account and opens the account for the
	// dashboard.
	Save(ctx context.Context, account string, g *auth.Grant) (Saved, error)
}

// Attempt is one running login as the screen drives it; *auth.Login is
// one.
type Attempt interface {
	URL() string
	Port() int
	Expires() time.Time
	Events() <-chan auth.Event
	Done() <-chan struct{}
	Wait(ctx context.Context) (*auth.Grant, error)
	SubmitPaste(raw string) error
	Close() error
}

// Saved is a signed-in account, opened for the dashboard.
type Saved struct {
	wiring.Opened
	// Path is the token file.
	Path string
	// Unreadable says why the dashboard cannot show the account's data
	// (e.g. this build has no provider for it); "" when it can. The
	// token is kept all the same.
	Unreadable string
}

// SignsIn reports whether provider signs in with OAuth (and so has a
// login screen), as its descriptor says.
func SignsIn(provider string) bool { return wiring.IsOAuth(provider) }

// CanShow reports whether this build can read provider's data.
func CanShow(provider string) bool {
	r, ok := providers.Lookup(provider)
	return ok && r.New != nil
}

// Connect is the Service of a running fittui.
func Connect(s *wiring.Setup) Service { return setupService{s} }

type setupService struct{ s *wiring.Setup }

func (c setupService) Check(account, provider string) error {
	return c.s.CheckLogin(account, provider)
}

func (c setupService) Start(ctx context.Context, provider string) (Attempt, error) {
	cfg, err := c.s.AuthConfig(provider)
	if err != nil {
		return nil, err
	}
	l, err := auth.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Save keeps the grant, then opens the account as the dashboard does at
// start: with its configured options when it is in the configuration,
// else the provider's defaults. An account that cannot be opened is still
// signed in; it gets a provider that answers why (wiring.Unavailable).
func (c setupService) Save(ctx context.Context, account string, g *auth.Grant) (Saved, error) {
	path, err := c.s.SaveGrant(ctx, account, g)
	if err != nil {
		return Saved{}, err
	}
	acc := wiring.AccountOf(providers.AccountSpec{Name: account, Provider: g.Provider})
	if list, err := c.s.Accounts(); err == nil {
		for _, a := range list {
			if a.Name == account {
				acc = a
				break
			}
		}
	}
	out := Saved{Path: path}
	o, err := c.s.Open(acc)
	if err != nil {
		out.Unreadable = err.Error()
		o = wiring.Dressed(wiring.Uncached(acc.Spec(), wiring.Unavailable(acc.Spec(), err), c.s.Now), acc, c.s.Config)
	}
	out.Opened = o
	return out, nil
}
