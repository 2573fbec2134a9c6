package oauthtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/fittui/fittui/providers"
)

// TokenSource is a providers.TokenSource for the tests of provider fakes
// built on this server: it starts from a granted pair and refreshes at the
// server's token endpoint the way the configured client would, spending
// single-use refresh tokens like fittui's stored-token source, without a
// token store.
type TokenSource struct {
	srv      *Server
	tokenURL string
	provider string
	account  string

	mu        sync.Mutex
	access    string
	refresh   string
	refreshes int
}

// NewTokenSource returns a source holding pair (from srv's Grant, or a
// fake's wrapper of it) that refreshes at tokenURL: srv.TokenURL(), or the
// fake's own route to srv when the fake serves OAuth under its own URL.
// provider and account name the errors it returns.
func NewTokenSource(srv *Server, tokenURL string, pair Pair, provider, account string) *TokenSource {
	return &TokenSource{srv: srv, tokenURL: tokenURL, provider: provider, account: account,
		access: pair.AccessToken, refresh: pair.RefreshToken}
}

// AccessToken implements providers.TokenSource: the current token, which
// the server may already consider expired.
func (t *TokenSource) AccessToken(context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.access, nil
}

// Refreshes is how many refreshes were tried, failed ones included.
func (t *TokenSource) Refreshes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.refreshes
}

// ForceRefresh implements providers.TokenSource. A refused refresh
// (400/401, e.g. invalid_grant) is KindSignIn, 410 KindGone, anything else
// KindUnreachable.
func (t *TokenSource) ForceRefresh(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.refreshes++
	cfg := t.srv.cfg
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {t.refresh}}
	basic := cfg.ClientSecret != "" && cfg.ClientAuth == ClientAuthHeader
	if !basic {
		form.Set("client_id", cfg.ClientID)
		if cfg.ClientSecret != "" {
			form.Set("client_secret", cfg.ClientSecret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(cfg.ClientID, cfg.ClientSecret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", providers.ErrUnreachable(t.provider, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized:
		return "", providers.ErrSignIn(t.provider, t.account, fmt.Errorf("token endpoint answered %d", resp.StatusCode))
	case resp.StatusCode == http.StatusGone:
		return "", providers.ErrGone(t.provider, "token endpoint gone")
	case resp.StatusCode != http.StatusOK:
		return "", providers.ErrUnreachable(t.provider, fmt.Errorf("token endpoint answered %d", resp.StatusCode))
	}
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		return "", providers.ErrBadData(t.provider, "token answer", fmt.Errorf("no access token"))
	}
	t.access = tok.AccessToken
	if tok.RefreshToken != "" { // rotating servers send a new one; others keep the old
		t.refresh = tok.RefreshToken
	}
	return t.access, nil
}
