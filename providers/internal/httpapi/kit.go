package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/fittui/fittui/providers"
)

// CheckAPIURL returns apiURL, or def when it is empty, once it is an
// absolute http(s) URL without a query; title names the API in the error
// ("Fitbit").
func CheckAPIURL(account, title, apiURL, def string) (string, error) {
	if apiURL == "" {
		apiURL = def
	}
	if u, err := url.Parse(apiURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
		return "", fmt.Errorf("account %q: %s API URL %q is not an http(s) URL", account, title, apiURL)
	}
	return apiURL, nil
}

// Ready says whether a request may be sent now: not while a 429's wait
// (RateLimited) lasts, and never without a token source (sign in).
func (c *Client) Ready() error {
	c.blockMu.Lock()
	until := c.blockedUntil
	c.blockMu.Unlock()
	switch {
	case c.now().Before(until):
		return providers.ErrRateLimited(c.Provider, until)
	case c.Tokens == nil:
		return providers.ErrSignIn(c.Provider, c.Account, errors.New("no token"))
	}
	return nil
}

// GetBody sends a GET once Ready allows it and returns the 2xx body.
func (c *Client) GetBody(ctx context.Context, path string, query url.Values) ([]byte, error) {
	if err := c.Ready(); err != nil {
		return nil, err
	}
	r, err := c.Get(ctx, path, query)
	if err != nil {
		return nil, err
	}
	return r.Body, nil
}

// RateLimited is the error for a 429 answer with headers h: rate limited
// until RetryAt says, and until then Ready refuses to send anything.
func (c *Client) RateLimited(h http.Header, cause error) *providers.Error {
	until := c.RetryAt(h)
	c.blockMu.Lock()
	if until.After(c.blockedUntil) {
		c.blockedUntil = until
	}
	c.blockMu.Unlock()
	e := providers.ErrRateLimited(c.Provider, until)
	e.Err = cause
	return e
}

// NeedsPermission is the error for a 403: the grant lacks a permission,
// so sign in again allowing every one asked for. title names the API
// ("Fitbit"), request what was refused.
func (c *Client) NeedsPermission(title string, request any, cause error) *providers.Error {
	return &providers.Error{Kind: providers.KindSignIn, Provider: c.Provider, Err: cause,
		Message: fmt.Sprintf("%s refused %s for account %q: run `fittui auth login %s --account %s` and allow every permission asked for",
			title, request, c.Account, c.Provider, c.Account)}
}

// Refused is the error for a refusal fittui cannot classify (a 4xx).
func (c *Client) Refused(title string, request any, cause error) *providers.Error {
	return &providers.Error{Kind: providers.KindUnknown, Provider: c.Provider, Err: cause,
		Message: fmt.Sprintf("%s refused %s", title, request)}
}

// NewClient returns a client for spec's account of provider at base with
// what env gives every provider (HTTP client, tokens, clock, rate
// listener) and rate, the provider's rate-limit headers. The caller adds
// its own rules: Expired, Check, MaxInFlight.
func NewClient(provider string, spec providers.AccountSpec, env providers.Env, base string, rate providers.RateHeaders) *Client {
	return &Client{Provider: provider, Account: spec.Name, BaseURL: base, HTTP: env.HTTPClient, Tokens: env.Tokens,
		Now: env.Clock(), Rate: rate, OnRate: env.OnRate}
}
