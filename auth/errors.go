package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

// Errors a login ends with. Test with errors.Is.
var (
	// ErrDenied: the person refused consent in the browser.
	ErrDenied = errors.New("sign-in was denied in the browser; nothing was changed (run the sign-in again if that was a mistake)")
	// ErrTimeout: nobody finished the sign-in in time.
	ErrTimeout = errors.New("sign-in timed out waiting for the browser; nothing was changed, start it again")
	// ErrCancelled: the sign-in was abandoned (Close, or the context).
	ErrCancelled = errors.New("sign-in cancelled; nothing was changed")
	// ErrLoginOver: SubmitPaste after the login ended.
	ErrLoginOver = errors.New("this sign-in has already ended")
	// ErrNoRevoke: the provider has no revoke endpoint; only the local
	// token can be deleted.
	ErrNoRevoke = errors.New("the provider has no way to revoke a token; only the local copy can be deleted")
)

// PortInUseError: the loopback port for the callback is taken.
type PortInUseError struct {
	Provider  string
	Port      int
	FixedPort bool // the provider needs the exact registered redirect URI
	Err       error
}

func (e *PortInUseError) Error() string {
	env := EnvPrefix(e.Provider) + "REDIRECT_URL"
	msg := fmt.Sprintf("%s: port %d on 127.0.0.1 is already in use, so the sign-in cannot receive the browser's answer there. Free it (quit the program using port %d), or use another port: pass --port N or set %s=http://127.0.0.1:N/callback",
		e.Provider, e.Port, e.Port, env)
	if e.FixedPort {
		msg += ", and register that exact redirect URI with your " + e.Provider + " app"
	}
	return msg
}

func (e *PortInUseError) Unwrap() error { return e.Err }

// ProviderError: the provider sent the browser back with an error other
// than access_denied. Code is the OAuth error code, cleaned.
type ProviderError struct {
	Provider string
	Code     string
}

func (e *ProviderError) Error() string {
	return fmt.Sprintf("%s: the provider stopped the sign-in with error %q; check the app's settings (redirect URI, scopes, client id) and try again", e.Provider, e.Code)
}

// ExchangeError: the provider refused to turn the code into a token, or
// could not be reached. It carries the HTTP status and OAuth error code,
// never the code, verifier or any token.
type ExchangeError struct {
	Provider string
	Status   int    // 0 when no answer came
	Code     string // OAuth error code, e.g. invalid_grant; may be empty
	Err      error  // sanitized cause, may be nil
}

func (e *ExchangeError) Error() string {
	msg := e.Provider + ": could not finish the sign-in"
	switch {
	case e.Status != 0 && e.Code != "":
		msg += fmt.Sprintf(": the token endpoint answered HTTP %d (%s)", e.Status, e.Code)
	case e.Status != 0:
		msg += fmt.Sprintf(": the token endpoint answered HTTP %d", e.Status)
	case e.Err != nil:
		msg += ": " + e.Err.Error()
	}
	switch e.Code {
	case "invalid_client", "unauthorized_client":
		msg += "; check " + EnvPrefix(e.Provider) + "CLIENT_ID and _CLIENT_SECRET"
	case "redirect_uri_mismatch":
		msg += "; the redirect URI is not the one registered with the app"
	}
	return msg + "; start the sign-in again"
}

func (e *ExchangeError) Unwrap() error { return e.Err }

// tokenEndpointError describes a failed token request without secrets.
type tokenEndpointError struct {
	Status int
	Code   string
}

func (e *tokenEndpointError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("token endpoint answered HTTP %d (%s)", e.Status, e.Code)
	}
	return fmt.Sprintf("token endpoint answered HTTP %d", e.Status)
}

// oauthCodes are the error codes a message may repeat: those RFC 6749
// registers (§4.1.2.1 for the authorization endpoint, §5.2 for the token
// endpoint), plus invalid_token and insufficient_scope (RFC 6750),
// expired_token (RFC 8628; Fitbit sends it) and redirect_uri_mismatch
// (Google). Anything else a server puts in `error` may be text, or an echo
// of what it was sent, so it is never repeated.
var oauthCodes = map[string]bool{
	"invalid_request":           true,
	"unauthorized_client":       true,
	"access_denied":             true,
	"unsupported_response_type": true,
	"invalid_scope":             true,
	"server_error":              true,
	"temporarily_unavailable":   true,
	"invalid_client":            true,
	"invalid_grant":             true,
	"unsupported_grant_type":    true,
	"invalid_token":             true,
	"expired_token":             true,
	"insufficient_scope":        true,
	"redirect_uri_mismatch":     true,
}

// unrecognisedCode stands in for an `error` that is not in oauthCodes.
const unrecognisedCode = "unrecognised error"

// cleanCode keeps an OAuth error code only if it is a registered one, so a
// hostile or chatty server cannot put text (or a token) in our messages.
func cleanCode(s string) string {
	switch {
	case s == "":
		return ""
	case oauthCodes[s]:
		return s
	}
	return unrecognisedCode
}

var methodRE = regexp.MustCompile(`^[A-Z]{1,10}$`)

// cleanMethod keeps an HTTP method name for a log line if it looks like one.
func cleanMethod(m string) string {
	if methodRE.MatchString(m) {
		return m
	}
	return "(unusual)"
}

// redacted replaces a secret found in a message.
const redacted = "[redacted]"

// scrub removes every secret in sent (and its URL-escaped form) from text.
// Secrets shorter than 4 bytes are not looked for: replacing them would
// shred ordinary words, and no client secret, code, verifier or token is
// that short.
func scrub(text string, sent []string) string {
	for _, s := range sent {
		if len(s) < 4 {
			continue
		}
		text = strings.ReplaceAll(text, s, redacted)
		if esc := url.QueryEscape(s); esc != s {
			text = strings.ReplaceAll(text, esc, redacted)
		}
		if esc := url.PathEscape(s); esc != s {
			text = strings.ReplaceAll(text, esc, redacted)
		}
	}
	return text
}

// scrubbedError is an error whose text had secrets removed; Unwrap keeps
// the original for errors.Is (timeouts, cancellation), never for printing.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// scrubErr is err with the secrets in sent removed from its text.
func scrubErr(err error, sent []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := scrub(msg, sent); clean != msg {
		return &scrubbedError{msg: clean, err: err}
	}
	return err
}

// classify turns an error from golang.org/x/oauth2 into a secret-free one:
// the status and OAuth error code of a refused request, or the transport
// error with the URL's query removed. It never keeps RetrieveError (whose
// message quotes the response body: Fitbit echoes refresh tokens there).
// sent are the secrets the request carried (client secret, code, verifier,
// refresh token): a server can echo them anywhere, even in a redirect's
// path, so they are removed from whatever text is kept.
func classify(err error, sent ...string) (status int, code string, clean error) {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		code = re.ErrorCode
		if code == "" {
			code = fitbitErrorType(re.Body)
		}
		code = cleanCode(code)
		return status, code, &tokenEndpointError{Status: status, Code: code}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return 0, "", &url.Error{Op: ue.Op, URL: scrub(RedactURL(ue.URL), sent), Err: scrubErr(ue.Err, sent)}
	}
	if errors.Is(err, errNoAccessToken) {
		return 0, "", err
	}
	// Anything else from the library ("cannot parse json: ...") may quote
	// the body; say what kind of thing failed and nothing more.
	return 0, "", errors.New("the token endpoint sent an answer that is not a token")
}

var errNoAccessToken = errors.New("the token endpoint sent no access token")

// fitbitErrorType reads Fitbit's {"errors":[{"errorType":"invalid_grant"}]}.
func fitbitErrorType(body []byte) string {
	var fb struct {
		Errors []struct {
			ErrorType string `json:"errorType"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &fb) == nil && len(fb.Errors) > 0 {
		return fb.Errors[0].ErrorType
	}
	return ""
}

// RedactURL drops a URL's query, fragment and user info: what is left
// (scheme, host, path) is safe to log. Unparseable input gives "<url>".
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<url>"
	}
	u.User = nil
	u.RawQuery = ""
	u.ForceQuery = false
	u.Fragment = ""
	u.RawFragment = ""
	return u.String()
}
