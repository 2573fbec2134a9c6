package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/fittui/fittui/auth/tokenstore"
	"github.com/fittui/fittui/providers"
)

var (
	_ oauth2.TokenSource    = (*Source)(nil)
	_ providers.TokenSource = (*Source)(nil)
)

// TokenStore is what a Source needs from the token store; *tokenstore.Store
// implements it.
type TokenStore interface {
	Load(account string) (tokenstore.Record, error)
	Save(rec *tokenstore.Record) error
	Lock(ctx context.Context, account string, waiting func()) (unlock func(), err error)
	// Orphans and PruneTemps handle the temporary files of saves that
	// were killed before their rename (see tokenstore.Orphans).
	Orphans(account string) ([]tokenstore.Orphan, error)
	PruneTemps(account string)
}

// SourceOptions tune a Source; the zero value is the default.
type SourceOptions struct {
	// MaxAttempts bounds refresh requests on network errors and 5xx,
	// all with the same refresh token. 0: 4 (the first and 3 retries).
	MaxAttempts int
	// Backoff is the wait before retry n (1, 2, ...); nil: 500ms, 1s, 2s...
	Backoff func(n int) time.Duration
	// ExpiryMargin: a token this close to expiry is refreshed. 0: 1 minute.
	ExpiryMargin time.Duration
	// OnWarning is called with trouble that does not stop the token from
	// being used, above all a *SaveWarning. It may be called from any
	// goroutine that calls Token.
	OnWarning func(error)
}

// SaveWarning: a refreshed token could not be saved. It is used from
// memory and saving is retried on every later call; if fittui exits
// first and the provider rotates refresh tokens, the person must sign in
// again.
type SaveWarning struct {
	Account string
	Err     error
}

func (w *SaveWarning) Error() string {
	return fmt.Sprintf("account %q: the refreshed token could not be saved (%v); it is kept in memory and saving is retried; free disk space or fix the folder's permissions, or you will have to sign in again after fittui exits", w.Account, w.Err)
}

func (w *SaveWarning) Unwrap() error { return w.Err }

// Source is a persisting oauth2.TokenSource for one stored account. It
// refreshes only when the token is missing or near expiry, under the
// account's cross-process lock, after re-reading the stored token (another
// process may have refreshed it already), and saves every refreshed token
// before handing it out. Safe for concurrent use.
type Source struct {
	r       *resolved
	conf    *oauth2.Config
	st      TokenStore
	account string
	opt     SourceOptions

	mu      sync.Mutex
	cur     *tokenstore.Record // last known record
	pending *tokenstore.Record // refreshed but not saved yet
	base    tokenstore.Token   // the stored token pending was refreshed from
	saveErr error
}

// NewSource returns the token source of account, whose token was stored
// with SaveGrant. It does no I/O.
func NewSource(cfg Config, st TokenStore, account string, opt SourceOptions) (*Source, error) {
	r, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	if err := tokenstore.ValidateAccount(account); err != nil {
		return nil, err
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 4
	}
	if opt.Backoff == nil {
		opt.Backoff = func(n int) time.Duration { return 250 * time.Millisecond << n }
	}
	if opt.ExpiryMargin <= 0 {
		opt.ExpiryMargin = time.Minute
	}
	r.log = r.log.With("account", account)
	return &Source{r: r, conf: r.oauth2Config(""), st: st, account: account, opt: opt}, nil
}

// Token implements oauth2.TokenSource.
func (s *Source) Token() (*oauth2.Token, error) { return s.TokenContext(context.Background()) }

// TokenContext returns a valid access token, refreshing it if needed.
// Errors are *providers.Error: KindSignIn when the person must sign in
// again (no token, damaged file, refresh token refused), KindUnreachable
// when the token endpoint cannot be reached after retries.
func (s *Source) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil && s.cur != nil && !s.cur.NeedsSignIn && s.fresh(s.cur.Token) {
		return toOAuth(s.cur.Token), nil
	}
	// Double-checked: read without the lock first; most of the time the
	// stored token is fresh.
	if s.pending == nil {
		if rec, err := s.st.Load(s.account); err == nil && !rec.NeedsSignIn && s.fresh(rec.Token) {
			s.cur = &rec
			return toOAuth(rec.Token), nil
		}
	}
	return s.refresh(ctx, false, "")
}

// AccessToken returns a valid access token (providers.TokenSource).
func (s *Source) AccessToken(ctx context.Context) (string, error) {
	tok, err := s.TokenContext(ctx)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// ForceRefresh is for a provider whose API just refused the access token
// this Source handed out (providers.TokenSource): it returns a different
// valid token, refreshing unless another process already stored a newer
// one. Same lock and rules as Token.
func (s *Source) ForceRefresh(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stale := ""
	if s.cur != nil {
		stale = s.cur.Token.AccessToken
	}
	tok, err := s.refresh(ctx, true, stale)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// RefreshNow refreshes even if the token is fresh (`fittui auth
// refresh`) and returns the new token (its Expiry for the report).
func (s *Source) RefreshNow(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh(ctx, true, "")
}

// Client is an HTTP client that authorizes requests with this source.
func (s *Source) Client(ctx context.Context) *http.Client {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.r.HTTPClient)
	return oauth2.NewClient(ctx, sourceCtx{s, ctx})
}

type sourceCtx struct {
	s   *Source
	ctx context.Context
}

func (c sourceCtx) Token() (*oauth2.Token, error) { return c.s.TokenContext(c.ctx) }

// Unsaved is non-nil (a *SaveWarning) while a refreshed token exists only
// in memory.
func (s *Source) Unsaved() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		return nil
	}
	return s.saveErr
}

func (s *Source) fresh(t tokenstore.Token) bool {
	if t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || s.r.Now().Add(s.opt.ExpiryMargin).Before(t.Expiry)
}

func (s *Source) signIn(reason string) error {
	return providers.ErrSignIn(s.r.Provider, s.account, errors.New(reason))
}

// refresh runs with s.mu held. force refreshes a fresh token too, unless
// stale is set and the stored token is a fresh one other than stale.
func (s *Source) refresh(ctx context.Context, force bool, stale string) (*oauth2.Token, error) {
	log := s.r.log
	unlock, err := s.st.Lock(ctx, s.account, func() {
		log.Debug("waiting for the refresh lock (another fittui is refreshing)")
	})
	if err != nil {
		return nil, err
	}
	defer unlock()

	rec, err := s.st.Load(s.account)
	var corrupt *tokenstore.CorruptError
	switch {
	case errors.Is(err, tokenstore.ErrNoToken):
		s.pending, s.cur = nil, nil
		return nil, s.signIn("no token is stored for this account")
	case errors.As(err, &corrupt) && s.pending == nil:
		return nil, providers.ErrSignIn(s.r.Provider, s.account, err)
	case err != nil && !errors.As(err, &corrupt):
		if s.pending != nil && s.fresh(s.pending.Token) && !force {
			return toOAuth(s.pending.Token), nil
		}
		return nil, err
	}

	if s.pending != nil {
		if err == nil && !sameToken(rec.Token, s.base) {
			// Someone else wrote a newer token (a refresh or a new
			// sign-in) since ours; theirs wins.
			log.Debug("dropping unsaved token: the stored one changed meanwhile")
			s.pending = nil
		} else {
			rec = *s.pending
			if s.save(&rec) == saved {
				log.Debug("saved the token kept in memory")
			}
		}
	}

	if rec.NeedsSignIn {
		s.cur = &rec
		reason := rec.SignInReason
		if reason == "" {
			reason = "the provider refused the stored token"
		}
		return nil, s.signIn(reason)
	}
	if s.fresh(rec.Token) && (!force || (stale != "" && rec.Token.AccessToken != stale)) {
		log.Debug("token is fresh, no refresh needed (another process may have refreshed it)", "expiry", rec.Token.Expiry)
		s.cur = &rec
		return toOAuth(rec.Token), nil
	}
	if rec.Token.RefreshToken == "" {
		if stale == "" && s.fresh(rec.Token) {
			return nil, fmt.Errorf("%s: account %q has no refresh token (the provider issues long-lived tokens); nothing to refresh", s.r.Provider, s.account)
		}
		return nil, s.markSignIn(&rec, "the token expired or was refused and the provider gave no refresh token")
	}

	// From here a request may spend the refresh token: whatever happens,
	// the answer is saved before fittui exits (see WaitForSaves).
	defer flights.begin()()
	tok, err := s.refreshWithRetries(ctx, rec.Token.RefreshToken)
	if err != nil {
		status, code, clean := classify(err, s.r.ClientSecret, rec.Token.RefreshToken)
		if code == "invalid_grant" && ctx.Err() == nil {
			log.Debug("refresh token refused", "status", status, "error", code)
			if tok, ok, err := s.recoverOrphan(ctx, &rec); ok {
				return tok, err
			}
			return nil, s.markSignIn(&rec, "the provider refused the refresh token (invalid_grant): it expired or access was revoked")
		}
		return nil, s.refreshError(ctx, err, status, code, clean)
	}
	return s.adopt(rec, rec.Token, rec.Token.RefreshToken, tok)
}

// refreshError turns a failed refresh other than invalid_grant into what
// callers get.
func (s *Source) refreshError(ctx context.Context, err error, status int, code string, clean error) error {
	log := s.r.log
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case status >= 500 || (status == 0 && isTransport(err)):
		log.Debug("refresh failed, token endpoint unreachable", "status", status)
		return providers.ErrUnreachable(s.r.Provider, clean)
	case code == "invalid_client" || code == "unauthorized_client":
		return fmt.Errorf("%s: the token endpoint does not accept this client (%s): check %sCLIENT_ID and _CLIENT_SECRET", s.r.Provider, code, EnvPrefix(s.r.Provider))
	}
	log.Debug("refresh failed", "status", status, "error", code)
	return fmt.Errorf("%s: account %q: refreshing the token failed: %w", s.r.Provider, s.account, clean)
}

// recoverOrphan runs when the provider refused the stored refresh token.
// A process killed while saving a rotated token leaves the live one in a
// temporary file beside the token file (tokenstore.Orphans); this tries
// each such record's refresh token, newest first, and adopts the first
// the provider accepts. ok is false when none is left to try: the account
// then needs a new sign-in. Runs under the lock.
func (s *Source) recoverOrphan(ctx context.Context, rec *tokenstore.Record) (tok *oauth2.Token, ok bool, err error) {
	log := s.r.log
	orphans, _ := s.st.Orphans(s.account)
	for _, o := range orphans {
		if o.Provider != rec.Provider || o.NeedsSignIn || o.Token.RefreshToken == "" || o.Token.RefreshToken == rec.Token.RefreshToken {
			continue
		}
		log.Debug("trying the refresh token a killed save left in a temporary file", "file", filepath.Base(o.Path))
		got, err := s.refreshWithRetries(ctx, o.Token.RefreshToken)
		if err == nil {
			log.Debug("recovered the account from the temporary file")
			tok, err := s.adopt(o.Record, rec.Token, o.Token.RefreshToken, got)
			return tok, true, err
		}
		status, code, clean := classify(err, s.r.ClientSecret, o.Token.RefreshToken)
		if code == "invalid_grant" && ctx.Err() == nil {
			log.Debug("that refresh token was refused too")
			continue
		}
		return nil, true, s.refreshError(ctx, err, status, code, clean)
	}
	return nil, false, nil
}

// adopt makes tok, the provider's answer to refreshing with used, the
// account's token: rec is the record it renews, stored the token now in
// the file (what a pending save is checked against). It saves, unless the
// account was logged out meanwhile.
func (s *Source) adopt(rec tokenstore.Record, stored tokenstore.Token, used string, tok *oauth2.Token) (*oauth2.Token, error) {
	rec.Token = fromOAuth(tok)
	if rec.Token.RefreshToken == "" {
		rec.Token.RefreshToken = used // not rotated: keep it
	}
	if sc, _ := tok.Extra("scope").(string); strings.TrimSpace(sc) != "" {
		rec.Scopes = s.r.grantedScopes(tok)
	}
	if n := extraSeconds(tok, "refresh_token_expires_in"); n > 0 {
		rec.RefreshExpiry = s.r.Now().Add(time.Duration(n) * time.Second)
	}
	s.r.log.Debug("token refreshed", "expiry", rec.Token.Expiry, "rotated", rec.Token.RefreshToken != used)
	s.base = stored
	if s.save(&rec) == saveGone {
		return nil, s.signIn(loggedOut)
	}
	s.cur = &rec
	return toOAuth(rec.Token), nil
}

// loggedOut is the sign-in reason when the token file was deleted while a
// refresh ran.
const loggedOut = "the account was logged out while its token was being refreshed"

type saveResult int

const (
	saved       saveResult = iota
	savePending            // kept in memory, retried later
	saveGone               // the token file was deleted meanwhile: not recreated
)

// save writes rec, or keeps it as pending and warns. Runs under the lock.
// It never recreates a token file that disappeared (`fittui auth logout`,
// which takes the same lock, or a person deleting it): a logged-out
// account stays logged out.
func (s *Source) save(rec *tokenstore.Record) saveResult {
	if _, err := s.st.Load(s.account); errors.Is(err, tokenstore.ErrNoToken) {
		s.r.log.Debug("not saving: the token file was deleted meanwhile (logged out)")
		s.pending, s.saveErr, s.cur = nil, nil, nil
		return saveGone
	}
	if err := s.st.Save(rec); err != nil {
		cp := *rec
		s.pending = &cp
		s.saveErr = &SaveWarning{Account: s.account, Err: err}
		s.r.log.Warn("refreshed token NOT saved; kept in memory", "error", err.Error())
		if s.opt.OnWarning != nil {
			s.opt.OnWarning(s.saveErr)
		}
		return savePending
	}
	s.pending, s.saveErr = nil, nil
	s.st.PruneTemps(s.account)
	if p, ok := s.st.(interface{ Path(string) (string, error) }); ok {
		file, _ := p.Path(s.account)
		s.r.log.Debug("token saved", "file", file)
	} else {
		s.r.log.Debug("token saved")
	}
	return saved
}

// markSignIn records that the account needs a new sign-in, so no process
// tries the dead token again, and returns the KindSignIn error.
func (s *Source) markSignIn(rec *tokenstore.Record, reason string) error {
	rec.NeedsSignIn = true
	rec.SignInReason = reason
	s.base = rec.Token
	if s.save(rec) == saveGone {
		return s.signIn(loggedOut)
	}
	s.cur = rec
	return s.signIn(reason)
}

func (s *Source) refreshWithRetries(ctx context.Context, refreshToken string) (*oauth2.Token, error) {
	for n := 1; ; n++ {
		sendCtx, stop := s.sendContext(ctx)
		hctx := context.WithValue(sendCtx, oauth2.HTTPClient, s.r.HTTPClient)
		tok, err := s.conf.TokenSource(hctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
		stop()
		if err == nil {
			return tok, nil
		}
		status, _, _ := classify(err)
		retry := status >= 500 || (status == 0 && isTransport(err))
		if !retry || n >= s.opt.MaxAttempts || ctx.Err() != nil {
			return nil, err
		}
		s.r.log.Debug("refresh attempt failed, retrying with the same refresh token", "attempt", n, "status", status)
		t := time.NewTimer(s.opt.Backoff(n))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

func isTransport(err error) bool {
	var ue *url.Error
	return errors.As(err, &ue)
}

// Revoke asks the provider to revoke the account's tokens (the refresh
// token when there is one: that ends the whole grant). Callers hold the
// account's lock (tokenstore.Store.Lock), so that no refresh rotates the
// token meanwhile. It returns
// ErrNoRevoke for providers without a revoke endpoint. It does not delete
// the stored token; the caller does that (tokenstore.Store.Delete) after deciding
// what a failed revoke means.
func (s *Source) Revoke(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.pending
	if rec == nil {
		r, err := s.st.Load(s.account)
		if err != nil {
			return err
		}
		rec = &r
	}
	err := revoke(ctx, s.r, rec.Token)
	// A killed refresh may have left the live refresh token in a temporary
	// file (the stored one is then spent): end that grant too.
	orphans, _ := s.st.Orphans(s.account)
	for _, o := range orphans {
		if o.Provider == rec.Provider && o.Token.RefreshToken != rec.Token.RefreshToken {
			if oerr := revoke(ctx, s.r, o.Token); oerr != nil {
				s.r.log.Debug("revoking the token of a temporary file failed", "error", oerr.Error())
			}
		}
	}
	return err
}

func revoke(ctx context.Context, r *resolved, t tokenstore.Token) error {
	if r.spec.Revoke == RevokeNone || r.RevokeURL == "" {
		return fmt.Errorf("%s: %w", r.Provider, ErrNoRevoke)
	}
	var req *http.Request
	var err error
	switch r.spec.Revoke {
	case RevokeDeleteBearer:
		if t.AccessToken == "" {
			return fmt.Errorf("%s: no access token to revoke with", r.Provider)
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodDelete, r.RevokeURL, nil)
		if err != nil {
			return fmt.Errorf("%s: bad revoke URL %s", r.Provider, RedactURL(r.RevokeURL))
		}
		req.Header.Set("Authorization", "Bearer "+t.AccessToken)
	default:
		form := url.Values{}
		tok, hint := t.RefreshToken, "refresh_token"
		if tok == "" {
			tok, hint = t.AccessToken, "access_token"
		}
		form.Set("token", tok)
		form.Set("token_type_hint", hint)
		basic := false
		if r.spec.RevokeClientAuth {
			if r.authStyle() == oauth2.AuthStyleInHeader {
				basic = true
			} else {
				form.Set("client_id", r.ClientID)
				if r.ClientSecret != "" {
					form.Set("client_secret", r.ClientSecret)
				}
			}
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, r.RevokeURL, strings.NewReader(form.Encode()))
		if err != nil {
			return fmt.Errorf("%s: bad revoke URL %s", r.Provider, RedactURL(r.RevokeURL))
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic {
			req.SetBasicAuth(url.QueryEscape(r.ClientID), url.QueryEscape(r.ClientSecret))
		}
	}
	resp, err := r.HTTPClient.Do(req)
	if err != nil {
		_, _, clean := classify(err, r.ClientSecret, t.RefreshToken, t.AccessToken)
		return fmt.Errorf("%s: could not reach the revoke endpoint: %w", r.Provider, clean)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		r.log.Debug("token revoked", "status", resp.StatusCode)
		return nil
	}
	code := cleanCode(oauthErrorCode(body))
	if code == "invalid_token" || code == "invalid_grant" {
		// Already dead: that is what revoking wanted.
		r.log.Debug("token was already invalid at the provider", "status", resp.StatusCode)
		return nil
	}
	return fmt.Errorf("%s: the revoke endpoint answered HTTP %d%s", r.Provider, resp.StatusCode, parens(code))
}

func parens(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func oauthErrorCode(body []byte) string {
	var std struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &std) == nil && std.Error != "" {
		return std.Error
	}
	return fitbitErrorType(body)
}

// SaveGrant stores a login's grant as account, under the account's lock
// (so it cannot interleave with another process's refresh), replacing any
// earlier token of that account. It returns the file written.
func SaveGrant(ctx context.Context, st *tokenstore.Store, account string, g *Grant) (string, error) {
	if g == nil || g.Token == nil {
		return "", errors.New("no grant to save")
	}
	path, err := st.Path(account)
	if err != nil {
		return "", err
	}
	unlock, err := st.Lock(ctx, account, nil)
	if err != nil {
		return "", err
	}
	defer unlock()
	rec := GrantRecord(account, g)
	if err := st.Save(rec); err != nil {
		return "", err
	}
	st.PruneTemps(account) // a killed refresh's leftovers are superseded now
	return path, nil
}

// GrantRecord turns a grant into the record stored for account.
func GrantRecord(account string, g *Grant) *tokenstore.Record {
	return &tokenstore.Record{
		Provider:      g.Provider,
		Account:       account,
		Token:         fromOAuth(g.Token),
		Scopes:        g.Scopes,
		UserID:        g.UserID,
		RefreshExpiry: g.RefreshExpiry,
	}
}

func fromOAuth(t *oauth2.Token) tokenstore.Token {
	return tokenstore.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken, Expiry: t.Expiry}
}

// toOAuth is what callers get: the access token only. The refresh token
// stays inside the Source, so it cannot leak through a caller.
func toOAuth(t tokenstore.Token) *oauth2.Token {
	return &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, Expiry: t.Expiry}
}

func sameToken(a, b tokenstore.Token) bool {
	return a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken && a.Expiry.Equal(b.Expiry)
}
