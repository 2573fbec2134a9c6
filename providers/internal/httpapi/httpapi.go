// Package httpapi is the small HTTP core shared by fittui's network
// providers (Fitbit, Google Health, ...): it joins paths to a base URL,
// bounds every request with a timeout, adds the Bearer token from a
// providers.TokenSource (refreshing and retrying once when the provider says
// the token expired), caps how much of a body it reads, decodes JSON into
// typed structs and turns failures into *providers.Error values the UI and
// scheduler act on.
//
// What is provider-specific stays in the provider, through hooks on Client:
// Expired (is this 401 an expired token?), Check (turn an error response
// into an error, e.g. from the provider's error body) and Observe (see
// every response). Rate-limit headers are read here, by the names in the
// provider's descriptor (Rate, see rate.go), and handed to OnRate.
//
// A request that fittui's own request budget refuses before sending it
// (a *providers.BudgetSpentError from the transport) becomes a
// KindRateLimited error here, in one place, for every provider.
//
// Error messages never contain tokens: the Authorization header is the only
// place a token goes, and bodies of error responses are never quoted.
package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/fittui/fittui/providers"
)

// Defaults for Client fields left zero.
const (
	DefaultTimeout = 30 * time.Second
	DefaultMaxBody = 8 << 20 // 8 MiB
)

// Client sends requests for one account of one provider. Fill the fields,
// then use it from any number of goroutines; do not change fields after the
// first request.
type Client struct {
	// Provider is the registry name put into errors ("fitbit").
	Provider string
	// Account is the account's name, for sign-in messages.
	Account string
	// BaseURL is the API root, e.g. "https://api.fitbit.com"; request
	// paths are joined to it (a path prefix in BaseURL is kept).
	BaseURL string
	// HTTP sends the requests; nil: DefaultHTTPClient().
	HTTP *http.Client
	// Tokens supplies the Bearer token; nil: no Authorization header.
	Tokens providers.TokenSource
	// Timeout bounds each attempt (token, request and body read); 0:
	// DefaultTimeout.
	Timeout time.Duration
	// MaxBody caps the bytes read from a body; 0: DefaultMaxBody. A larger
	// body fails with a KindBadData "response too large" error.
	MaxBody int64
	// Header is added to every request (e.g. Accept-Language).
	Header http.Header
	// Now is the clock for RetryAt; nil: time.Now.
	Now func() time.Time
	// MaxInFlight bounds the requests this client has open at once
	// (others queue, honouring their ctx); 0: no bound. Queueing does not
	// count against Timeout.
	MaxInFlight int

	// Expired reports whether a 401 response means the access token
	// expired early, so that the token is force-refreshed and the request
	// retried once. nil: never retry.
	Expired func(r *Response) bool
	// Observe sees every response that arrived (any status) before it is
	// checked.
	Observe func(r *Response)
	// Rate names the provider's rate-limit headers (its descriptor's
	// Rate.Headers): OnRate hears what every answer that carries them
	// says, and RetryAt reads a 429's wait with them.
	Rate   providers.RateHeaders
	OnRate func(providers.RateReading)
	// Check turns a non-2xx response into an error. Returning nil falls
	// back to DefaultCheck. nil: DefaultCheck only.
	Check func(r *Response) error

	semOnce   sync.Once
	sem       chan struct{}
	refreshMu sync.Mutex

	blockMu      sync.Mutex
	blockedUntil time.Time // after a 429: nothing sent before this
}

// refreshed returns a token to retry with after failed was refused as
// expired. Refreshes are serialized: when several requests fail at once,
// the first refreshes and the others find a new token already there, so a
// provider with single-use refresh tokens sees one refresh, not many.
func (c *Client) refreshed(ctx context.Context, failed string) (string, error) {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	actx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	tok, err := c.Tokens.AccessToken(actx)
	if err == nil && tok != failed {
		return tok, nil
	}
	tok, err = c.Tokens.ForceRefresh(actx)
	switch _, typed := providers.AsError(err); {
	case err == nil:
		return tok, nil
	case ctx.Err() != nil:
		return "", ctx.Err()
	case typed:
		return "", err
	}
	return "", providers.ErrUnreachable(c.Provider, fmt.Errorf("refreshing the access token: %w", scrub(err)))
}

// Response is a fully read answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte // at most MaxBody bytes
	// Attempt is 1 for the first try, 2 for the retry after a refresh.
	Attempt int
	// Request is the method and path asked for, without the host, for
	// messages ("GET /1/user/-/profile.json").
	Request string
}

// DefaultHTTPClient returns a client whose transport has its own dial,
// TLS and header timeouts, so a dead network fails fast even before the
// per-request timeout.
func DefaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = DefaultTimeout
	t.IdleConnTimeout = 90 * time.Second
	t.MaxIdleConnsPerHost = 8
	return &http.Client{Transport: t}
}

var defaultHTTP = DefaultHTTPClient()

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// URL joins path and query to BaseURL.
func (c *Client) URL(path string, query url.Values) (string, error) {
	base, err := url.Parse(c.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return "", fmt.Errorf("%s: API URL %q is not an absolute http(s) URL", c.Provider, c.BaseURL)
	}
	u := *base
	u.Path = strings.TrimSuffix(base.Path, "/") + "/" + strings.TrimPrefix(path, "/")
	u.RawPath = ""
	u.RawQuery = query.Encode()
	u.Fragment = ""
	return u.String(), nil
}

// Get sends a GET and returns the 2xx response, or an error that is a
// *providers.Error (or ctx's own error when ctx ended).
func (c *Client) Get(ctx context.Context, path string, query url.Values) (*Response, error) {
	return c.Do(ctx, http.MethodGet, path, query)
}

// GetJSON sends a GET and decodes the 2xx body into v. what names the data
// for error messages ("Fitbit profile").
func (c *Client) GetJSON(ctx context.Context, path string, query url.Values, what string, v any) error {
	r, err := c.Get(ctx, path, query)
	if err != nil {
		return err
	}
	return c.Decode(r.Body, what, v)
}

// Decode unmarshals body into v, mapping failures to a KindBadData error
// naming what was read. Unknown fields are ignored.
func (c *Client) Decode(body []byte, what string, v any) error {
	return Decode(c.Provider, body, what, v)
}

// Decode unmarshals body into v; a failure is a KindBadData *providers.Error
// that names what and says why, without quoting the body.
func Decode(provider string, body []byte, what string, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return providers.ErrBadData(provider, what, errors.New("empty response"))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return providers.ErrBadData(provider, what, describeJSONError(err))
	}
	return nil
}

// DecodeList is Decode of an object whose member key is the array of
// items wanted ({"weight": [...]}); the member missing or null is bad
// data too (`no "weight" array`).
func DecodeList[T any](provider string, body []byte, what, key string) ([]T, error) {
	holder := reflect.New(reflect.StructOf([]reflect.StructField{{
		Name: "List", Type: reflect.TypeFor[*[]T](), Tag: reflect.StructTag(`json:"` + key + `"`),
	}}))
	if err := Decode(provider, body, what, holder.Interface()); err != nil {
		return nil, err
	}
	list, _ := holder.Elem().Field(0).Interface().(*[]T)
	if list == nil {
		return nil, providers.ErrBadData(provider, what, fmt.Errorf("no %q array", key))
	}
	return *list, nil
}

// describeJSONError rewrites encoding/json errors into short text that
// names the field but not the value.
func describeJSONError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && strings.Contains(se.Error(), "unexpected end"):
		return errors.New("truncated JSON")
	case errors.As(err, &se):
		return fmt.Errorf("malformed JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "top level"
		}
		return fmt.Errorf("field %s is a JSON %s, expected %s", field, te.Value, te.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("truncated JSON")
	}
	return err
}

// Do sends one request (no body) and returns its 2xx response. On a 401
// that Expired accepts it force-refreshes the token and retries once.
// Non-2xx answers go through Check, then DefaultCheck.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values) (*Response, error) {
	return c.DoBody(ctx, method, path, query, "", nil)
}

// PostJSON sends in as a JSON body with POST and decodes the 2xx answer
// into out (Google's rollUp methods). what names the data for errors.
func (c *Client) PostJSON(ctx context.Context, path string, query url.Values, in any, what string, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return &providers.Error{Kind: providers.KindUnknown, Provider: c.Provider, Message: "cannot encode request", Err: err}
	}
	r, err := c.DoBody(ctx, http.MethodPost, path, query, "application/json", body)
	if err != nil {
		return err
	}
	return c.Decode(r.Body, what, out)
}

// DoBody is Do with a request body of type contentType (none when body is
// nil); the body is sent again on the retry after a refresh.
func (c *Client) DoBody(ctx context.Context, method, path string, query url.Values, contentType string, body []byte) (*Response, error) {
	u, err := c.URL(path, query)
	if err != nil {
		return nil, &providers.Error{Kind: providers.KindUnknown, Provider: c.Provider, Message: err.Error()}
	}
	label := method + " /" + strings.TrimPrefix(path, "/")
	if c.MaxInFlight > 0 {
		c.semOnce.Do(func() { c.sem = make(chan struct{}, c.MaxInFlight) })
		select {
		case c.sem <- struct{}{}:
			defer func() { <-c.sem }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	r, used, err := c.attempt(ctx, method, u, label, 1, "", contentType, body)
	if err != nil {
		return nil, err
	}
	if r.Status == http.StatusUnauthorized && c.Tokens != nil && c.Expired != nil && c.Expired(r) {
		tok, err := c.refreshed(ctx, used)
		if err != nil {
			return nil, err
		}
		r, _, err = c.attempt(ctx, method, u, label, 2, tok, contentType, body)
		if err != nil {
			return nil, err
		}
	}
	if r.Status >= 200 && r.Status < 300 {
		return r, nil
	}
	if c.Check != nil {
		if err := c.Check(r); err != nil {
			return nil, err
		}
	}
	return nil, c.DefaultCheck(r)
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c *Client) maxBody() int64 {
	if c.MaxBody > 0 {
		return c.MaxBody
	}
	return DefaultMaxBody
}

// attempt sends the request once under its own timeout and reads the
// (capped) body; tok is the token to send ("": ask Tokens). It returns an
// error only when no complete answer came, and the token it sent.
func (c *Client) attempt(ctx context.Context, method, u, label string, n int, tok, contentType string, reqBody []byte) (*Response, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	actx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	fail := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err() // the caller gave up; not the provider's fault
		}
		var spent *providers.BudgetSpentError
		if errors.As(err, &spent) {
			if spent.Unshared != "" {
				return providers.ErrBudgetUnshared(c.Provider, spent.Unshared)
			}
			return providers.ErrBudgetSpent(c.Provider, spent.Until)
		}
		if actx.Err() != nil {
			return providers.ErrUnreachable(c.Provider, fmt.Errorf("%s: no answer within %s", label, c.timeout()))
		}
		return providers.ErrUnreachable(c.Provider, fmt.Errorf("%s: %w", label, scrub(err)))
	}

	var rd io.Reader
	if reqBody != nil {
		rd = bytes.NewReader(reqBody)
	}
	req, err := http.NewRequestWithContext(actx, method, u, rd)
	if err != nil {
		return nil, "", &providers.Error{Kind: providers.KindUnknown, Provider: c.Provider, Message: "cannot build request", Err: err}
	}
	if reqBody != nil && contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, vs := range c.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if c.Tokens != nil {
		if tok == "" {
			tok, err = c.Tokens.AccessToken(actx)
			if err != nil {
				if _, ok := providers.AsError(err); ok {
					return nil, "", err
				}
				return nil, "", fail(err)
			}
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, "", fail(err)
	}
	defer resp.Body.Close()
	limit := c.maxBody()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, "", fail(err)
	}
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: body, Attempt: n, Request: label}
	c.observeRate(r)
	if c.Observe != nil {
		c.Observe(r)
	}
	if int64(len(body)) > limit {
		r.Body = nil
		return nil, "", providers.ErrBadData(c.Provider, label,
			fmt.Errorf("response too large (over %d bytes)", limit))
	}
	return r, tok, nil
}

// scrub drops the URL from *url.Error (it is in the label already) and
// keeps the cause.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// DefaultCheck maps a non-2xx response by status alone: 401 → KindSignIn,
// 429 → KindRateLimited (RetryAt: Retry-After or the descriptor's reset
// header, clamped), 410 → KindGone, 5xx and
// 408 → KindUnreachable, anything else → KindUnknown naming the status.
func (c *Client) DefaultCheck(r *Response) error {
	status := fmt.Errorf("%s: HTTP %d %s", r.Request, r.Status, http.StatusText(r.Status))
	switch {
	case r.Status == http.StatusUnauthorized:
		return providers.ErrSignIn(c.Provider, c.Account, status)
	case r.Status == http.StatusTooManyRequests:
		return providers.ErrRateLimited(c.Provider, c.RetryAt(r.Header))
	case r.Status == http.StatusGone:
		return &providers.Error{Kind: providers.KindGone, Provider: c.Provider, Err: status,
			Message: "this API has been turned off"}
	case r.Status >= 500 || r.Status == http.StatusRequestTimeout:
		return providers.ErrUnreachable(c.Provider, status)
	}
	return &providers.Error{Kind: providers.KindUnknown, Provider: c.Provider, Err: status,
		Message: "the provider refused the request"}
}
