package googlehealth

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/fittui/fittui/providers"
)

// APIError is Google's error body (a google.rpc.Status): the cause inside
// the *providers.Error a failed request returns. errors.As finds it.
type APIError struct {
	Code    int    // HTTP status code as Google states it
	Status  string // canonical code, e.g. "PERMISSION_DENIED"
	Message string // Google's text, for people
	// Reason, Domain and Metadata come from the first
	// type.googleapis.com/google.rpc.ErrorInfo detail, e.g. Reason
	// "ACCOUNT_NOT_LINKED".
	Reason   string
	Domain   string
	Metadata map[string]string
	// Details are all details, raw.
	Details []json.RawMessage
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.Code)
	if e.Status != "" {
		b.WriteString(" " + e.Status)
	}
	if e.Reason != "" {
		b.WriteString(" (" + e.Reason + ")")
	}
	if m := strings.TrimSpace(e.Message); m != "" {
		b.WriteString(": " + clip(oneLine(m), 300))
	}
	return b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// parseAPIError reads a google.rpc.Status error body; ok is false when the
// body is not one.
func parseAPIError(status int, body []byte) (*APIError, bool) {
	var env struct {
		Error *struct {
			Code    json.Number       `json:"code"`
			Message string            `json:"message"`
			Status  string            `json:"status"`
			Details []json.RawMessage `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Error == nil {
		return nil, false
	}
	e := &APIError{Code: status, Message: env.Error.Message, Status: env.Error.Status, Details: env.Error.Details}
	if c, err := env.Error.Code.Int64(); err == nil && c >= 100 && c <= 599 {
		e.Code = int(c)
	}
	for _, d := range env.Error.Details {
		var info struct {
			Type     string            `json:"@type"`
			Reason   string            `json:"reason"`
			Domain   string            `json:"domain"`
			Metadata map[string]string `json:"metadata"`
		}
		if json.Unmarshal(d, &info) != nil || !strings.HasSuffix(info.Type, "google.rpc.ErrorInfo") {
			continue
		}
		e.Reason, e.Domain, e.Metadata = info.Reason, info.Domain, info.Metadata
		break
	}
	// Some reasons only appear inside the message.
	if e.Reason == "" {
		for _, r := range []string{"ACCOUNT_NOT_LINKED", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"} {
			if strings.Contains(e.Message, r) {
				e.Reason = r
			}
		}
	}
	return e, true
}

// scopeFrom finds a scope Google named in the error, if any.
func (e *APIError) scopeFrom() string {
	keys := make([]string, 0, len(e.Metadata))
	for k := range e.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.Contains(strings.ToLower(k), "scope") && strings.Contains(e.Metadata[k], "googleapis.com/auth/") {
			return strings.Fields(e.Metadata[k])[0]
		}
	}
	for _, w := range strings.Fields(e.Message) {
		w = strings.Trim(w, `"'.,;()[]`)
		if strings.HasPrefix(w, "https://www.googleapis.com/auth/") {
			return w
		}
	}
	return ""
}

// reqInfo says what a request was for, so errors can name the scope.
type reqInfo struct {
	what  string // "steps daily totals"
	scope string // the scope the request needs
}

// apiErr turns an error answer into a *providers.Error. It returns nil for
// answers that are not Google error bodies, so the caller falls back to
// mapping by status alone.
func (p *Provider) apiErr(status int, header http.Header, body []byte, req reqInfo) error {
	e, ok := parseAPIError(status, body)
	if !ok {
		return nil
	}
	signIn := providers.ErrSignIn(Name, p.account, e)
	mk := func(kind providers.ErrorKind, msg string) *providers.Error {
		return &providers.Error{Kind: kind, Provider: Name, Message: msg, Err: e}
	}
	login := loginCommand(p.account)
	switch {
	case e.Reason == "ACCOUNT_NOT_LINKED":
		return mk(providers.KindSignIn, fmt.Sprintf(
			"the Google account behind %q has no Fitbit or Google Health data (ACCOUNT_NOT_LINKED): "+
				"open the Fitbit or Google Health app and link your Fitbit account to this Google account, "+
				"or sign in again with the Google account that holds your data: run `%s`",
			p.account, login))
	case status == http.StatusUnauthorized:
		return signIn
	case status == http.StatusTooManyRequests || e.Status == "RESOURCE_EXHAUSTED":
		// Retry-After when Google sends one, else a clamped default
		// (Google documents no rate-limit headers; see the descriptor).
		until := p.api.RetryAt(header)
		out := providers.ErrRateLimited(Name, until)
		out.Err = e
		return out
	case status == http.StatusForbidden && e.Reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT":
		scope := e.scopeFrom()
		if scope == "" {
			scope = req.scope
		}
		msg := fmt.Sprintf("fittui was not allowed to read %s", req.what)
		if scope != "" {
			msg += fmt.Sprintf(" (missing permission %s)", scope)
		}
		msg += fmt.Sprintf(": sign in again and tick every box on Google's consent screen: run `%s`", login)
		return mk(providers.KindSignIn, msg)
	case status == http.StatusForbidden && e.Reason == "SERVICE_DISABLED":
		return mk(providers.KindUnknown, "the Google Health API is not enabled in the Google Cloud project of your OAuth client: enable health.googleapis.com in the Cloud console, then try again")
	case status == http.StatusForbidden && strings.Contains(e.Message, "UberMint"):
		return mk(providers.KindSignIn, fmt.Sprintf("this Fitbit account has not been moved to a Google Account: move it in the Fitbit app, then run `%s`", login))
	case status == http.StatusForbidden:
		return mk(providers.KindSignIn, fmt.Sprintf(
			"Google refused access to %s (%s): check that your Google account is a test user of the OAuth app and sign in again: run `%s`",
			req.what, orDefault(e.Reason, e.Status), login))
	case status >= 500 || status == http.StatusRequestTimeout:
		return providers.ErrUnreachable(Name, e)
	case status == http.StatusGone:
		return &providers.Error{Kind: providers.KindGone, Provider: Name, Err: e, Message: "Google turned this API off"}
	}
	return mk(providers.KindUnknown, fmt.Sprintf("Google refused the request for %s; this is likely a fittui bug, please report it", req.what))
}

// loginCommand is the command that signs the account in again (the CLI
// leaves out --account for an account named after the provider).
func loginCommand(account string) string {
	if account == Name {
		return "fittui auth login " + Name
	}
	if strings.ContainsAny(account, " \t'\"$`\\") {
		account = "'" + strings.ReplaceAll(account, "'", `'\''`) + "'"
	}
	return "fittui auth login " + Name + " --account " + account
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
