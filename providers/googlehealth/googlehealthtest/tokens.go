package googlehealthtest

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

// TokenSource is a providers.TokenSource for tests: it starts from a
// granted token pair and refreshes at the fake's token endpoint the way
// fittui's stored-token source does (form POST with the client secret),
// turning invalid_grant into a KindSignIn error.
type TokenSource struct {
	srv     *Server
	account string

	mu        sync.Mutex
	access    string
	refresh   string
	refreshes int
}

// TokenSource grants a token pair (all Scopes when none are given) and
// returns a source for the account named account.
func (s *Server) TokenSource(account string, scopes ...string) *TokenSource {
	p := s.Grant(scopes...)
	return &TokenSource{srv: s, account: account, access: p.AccessToken, refresh: p.RefreshToken}
}

// AccessToken implements providers.TokenSource: the current token, which
// the fake may consider expired (see ExpireAccessTokens).
func (t *TokenSource) AccessToken(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.access, nil
}

// Refreshes is how many refreshes were asked for.
func (t *TokenSource) Refreshes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.refreshes
}

// ForceRefresh implements providers.TokenSource.
func (t *TokenSource) ForceRefresh(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.refreshes++
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {t.refresh},
		"client_id":     {t.srv.cfg.ClientID},
		"client_secret": {t.srv.cfg.ClientSecret},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.srv.TokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", providers.ErrUnreachable("googlehealth", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		Error        string `json:"error"`
	}
	json.Unmarshal(body, &tok)
	switch {
	case resp.StatusCode == http.StatusOK && tok.AccessToken != "":
		t.access = tok.AccessToken
		if tok.RefreshToken != "" {
			t.refresh = tok.RefreshToken
		}
		return t.access, nil
	case tok.Error == "invalid_grant":
		return "", providers.ErrSignIn("googlehealth", t.account, fmt.Errorf("token endpoint: invalid_grant"))
	}
	return "", providers.ErrUnreachable("googlehealth", fmt.Errorf("token endpoint answered HTTP %d", resp.StatusCode))
}
