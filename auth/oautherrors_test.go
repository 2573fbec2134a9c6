package auth

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fittui/fittui/auth/oauthtest"
)

// hostileTokenServer answers every token request with HTTP 400 and the
// OAuth error code pick chooses from the form it was sent (it may echo a
// secret back), or with a redirect when pick returns a URL.
func hostileTokenServer(t *testing.T, pick func(form url.Values) string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		code := pick(r.PostForm)
		if strings.HasPrefix(code, "http://") {
			http.Redirect(w, r, code, http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "echo " + code})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestRefreshErrorCodesAreAllowListed: a token endpoint whose `error` is
// not a registered OAuth code (here: the refresh token or the client
// secret it was sent, or a made-up word) is reported as "unrecognised
// error"; known codes are named; nothing sent ever comes back in a message
// or the debug log, not even through a redirect to a URL made of it.
func TestRefreshErrorCodesAreAllowListed(t *testing.T) {
	const secret = "client-secret-0123456789"
	cases := []struct {
		name string
		pick func(url.Values) string
		want string
	}{
		{"echoes the refresh token", func(f url.Values) string { return f.Get("refresh_token") }, "(unrecognised error)"},
		{"echoes the client secret", func(url.Values) string { return secret }, "(unrecognised error)"},
		{"a code nobody registered", func(url.Values) string { return "slow_down_please" }, "(unrecognised error)"},
		{"a registered code", func(url.Values) string { return "temporarily_unavailable" }, "(temporarily_unavailable)"},
		{"an extension code", func(url.Values) string { return "expired_token" }, "(expired_token)"},
		{"a redirect made of the token", func(f url.Values) string {
			return "http://127.0.0.1:1/" + f.Get("refresh_token") + "?x=" + f.Get("client_secret")
		}, "cannot reach the provider"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hostileTokenServer(t, tc.pick)
			var logBuf syncBuffer
			cfg := Config{Provider: "googlehealth", ClientID: "gid.apps.googleusercontent.com", ClientSecret: secret,
				TokenURL: srv.URL, HTTPClient: srv.Client(), Logger: debugLogger(&logBuf)}
			st := openStore(t)
			const rt = "rt-SECRETrefreshTOKEN0123456789abcdef"
			seed(t, st, "googlehealth", "me", oauthtest.Pair{AccessToken: "at-SECRETaccess0123456789", RefreshToken: rt}, expired)
			src := newSource(t, cfg, st, "me", SourceOptions{MaxAttempts: 1})
			_, err := src.RefreshNow(context.Background())
			if err == nil {
				t.Fatal("refresh succeeded against a refusing server")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			noSecrets(t, "error", err.Error(), []string{rt, secret})
			noSecrets(t, "debug log", logBuf.String(), []string{rt, secret})
		})
	}
}

// TestExchangeAndCallbackErrorCodesAreAllowListed: the same for the code
// exchange (which sends the code and the PKCE verifier) and for the
// `error` the browser brings back.
func TestExchangeAndCallbackErrorCodesAreAllowListed(t *testing.T) {
	fake, cfg := googleFake(t)
	var sent []string
	srv := hostileTokenServer(t, func(f url.Values) string {
		sent = append(sent, f.Get("code"), f.Get("code_verifier"))
		return f.Get("code_verifier")
	})
	var logBuf syncBuffer
	cfg.TokenURL, cfg.Logger = srv.URL, debugLogger(&logBuf)
	l := startLogin(t, cfg)
	if _, err := fake.Browse(context.Background(), l.URL()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := l.Wait(ctx)
	if err == nil || !strings.Contains(err.Error(), "(unrecognised error)") {
		t.Fatalf("exchange error %v", err)
	}
	if len(sent) != 2 || sent[0] == "" || sent[1] == "" {
		t.Fatalf("the exchange sent %d values", len(sent))
	}
	noSecrets(t, "exchange error", err.Error(), sent)
	noSecrets(t, "debug log", logBuf.String(), sent)

	// The browser comes back with an error that is not an OAuth code.
	_, cfg2 := googleFake(t)
	l2 := startLogin(t, cfg2)
	u, _ := url.Parse(l2.URL())
	back := l2.RedirectURI() + "?state=" + u.Query().Get("state") + "&error=rt-" + strings.Repeat("x", 30)
	resp, err := http.Get(back)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, err = l2.Wait(ctx)
	if err == nil || !strings.Contains(err.Error(), `"unrecognised error"`) || strings.Contains(err.Error(), "rt-") {
		t.Fatalf("callback error %v", err)
	}
}

func TestKnownOAuthCodes(t *testing.T) {
	for _, code := range []string{"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
		"unsupported_grant_type", "invalid_scope", "access_denied", "unsupported_response_type", "server_error",
		"temporarily_unavailable", "invalid_token", "expired_token", "insufficient_scope", "redirect_uri_mismatch"} {
		if got := cleanCode(code); got != code {
			t.Errorf("cleanCode(%q) = %q", code, got)
		}
	}
	for _, code := range []string{"Invalid_Grant", "system", "rt-abc", "invalid_grant ", "x"} {
		if got := cleanCode(code); got != "unrecognised error" {
			t.Errorf("cleanCode(%q) = %q", code, got)
		}
	}
	if cleanCode("") != "" {
		t.Error("an empty code became text")
	}
}
