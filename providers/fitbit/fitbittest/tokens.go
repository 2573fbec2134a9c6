package fitbittest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/fittui/fittui/providers"
)

// Tokens is a providers.TokenSource for tests: it starts from a granted
// pair and refreshes through the fake's token endpoint over HTTP, spending
// the single-use refresh token each time, like the real token source.
type Tokens struct {
	s  *Server
	mu sync.Mutex
	at string
	rt string
	n  int
}

// Tokens grants a pair and returns a token source holding it.
func (s *Server) Tokens() *Tokens {
	p := s.Grant()
	return &Tokens{s: s, at: p.AccessToken, rt: p.RefreshToken}
}

// AccessToken implements providers.TokenSource.
func (t *Tokens) AccessToken(context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.at, nil
}

// Refreshes counts successful refreshes.
func (t *Tokens) Refreshes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// ForceRefresh implements providers.TokenSource.
func (t *Tokens) ForceRefresh(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {t.rt}}
	if t.s.cfg.ClientSecret == "" {
		form.Set("client_id", t.s.cfg.ClientID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.s.TokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if t.s.cfg.ClientSecret != "" {
		req.SetBasicAuth(t.s.cfg.ClientID, t.s.cfg.ClientSecret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", providers.ErrUnreachable(Name, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized:
		return "", providers.ErrSignIn(Name, "test", fmt.Errorf("token endpoint answered %d", resp.StatusCode))
	case resp.StatusCode == http.StatusGone:
		return "", providers.ErrGone(Name, "token endpoint gone")
	case resp.StatusCode != http.StatusOK:
		return "", providers.ErrUnreachable(Name, fmt.Errorf("token endpoint answered %d", resp.StatusCode))
	}
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" || tok.RefreshToken == "" {
		return "", providers.ErrBadData(Name, "token answer", errors.New("no tokens"))
	}
	t.at, t.rt = tok.AccessToken, tok.RefreshToken
	t.n++
	return t.at, nil
}

// Name is the provider name used in the errors Tokens returns.
const Name = "fitbit"
