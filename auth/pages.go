package auth

import (
	"errors"
	"html"
	"net/http"
)

// page is a fixed answer of the callback server. Pages are constants: they
// never include anything from the request, so nothing from the query
// (code, state, error text) can be reflected into the browser.
type page struct {
	status int
	title  string
	body   string
}

var (
	pageSuccess   = page{http.StatusOK, "Signed in", "fittui is signed in. You can close this tab and go back to the terminal."}
	pageDenied    = page{http.StatusOK, "Sign-in denied", "You denied access, so nothing was changed. You can close this tab; start the sign-in again in fittui if that was a mistake."}
	pageProvider  = page{http.StatusOK, "Sign-in stopped", "The provider stopped the sign-in with an error. fittui shows the details in the terminal. You can close this tab."}
	pageExchange  = page{http.StatusBadGateway, "Sign-in failed", "fittui could not turn the provider's answer into a token. The terminal says why. Close this tab and start the sign-in again."}
	pageEnded     = page{http.StatusGone, "Sign-in ended", "This sign-in ended before it could finish (it timed out or was cancelled). Start it again in fittui."}
	pageBadState  = page{http.StatusBadRequest, "Not this sign-in", "This address does not belong to the sign-in fittui is waiting for, so it was ignored. Use the link fittui shows now."}
	pageNoCode    = page{http.StatusBadRequest, "Incomplete answer", "This address carries no sign-in code, so it was ignored. Approve the sign-in from the link fittui shows."}
	pageReused    = page{http.StatusBadRequest, "Already used", "This sign-in has already received its answer; this request was ignored."}
	pageWrongHost = page{http.StatusBadRequest, "Wrong address", "This request did not come to the address fittui is listening on, so it was ignored."}
	pageNotFound  = page{http.StatusNotFound, "Not found", "Nothing here. fittui only listens for the sign-in callback."}
	pageMethod    = page{http.StatusMethodNotAllowed, "Not allowed", "fittui's sign-in callback only answers GET requests."}
)

func pageFor(err error) page {
	var pe *ProviderError
	var ee *ExchangeError
	switch {
	case err == nil:
		return pageSuccess
	case errors.Is(err, ErrDenied):
		return pageDenied
	case errors.As(err, &pe):
		return pageProvider
	case errors.As(err, &ee):
		return pageExchange
	}
	return pageEnded
}

func (p page) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(p.status)
	_, _ = w.Write([]byte(`<!doctype html><html><head><meta charset="utf-8"><title>fittui: ` + html.EscapeString(p.title) +
		`</title><style>body{font-family:sans-serif;max-width:36em;margin:4em auto;line-height:1.5}</style></head><body><h1>` +
		html.EscapeString(p.title) + `</h1><p>` + html.EscapeString(p.body) + `</p></body></html>`))
}
