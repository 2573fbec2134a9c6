// Package cache keeps provider answers on disk so the dashboard opens from
// what it already knows, keeps working offline and stays inside every
// provider's rate limit. Tokens and configuration never go here.
//
//   - Store: entries under $XDG_CACHE_HOME/fittui/<account>/, written
//     atomically, checksummed (damage is a miss, never shown), capped in
//     size (least recently used go first); Info and Clear back
//     `fittui cache info` and `fittui cache clear [--account NAME]`.
//   - Policy: how long data stays fresh, by the age of the day it is
//     about in the account's time zone (see Policy).
//   - Cached (Wrap): a providers.Provider serving fresh entries from disk
//     and asking the wrapped provider only for what is stale; the last
//     good data stays when the provider fails. As a Source (the *Answer
//     methods) every answer says where it came from: fetched when, from
//     disk or the provider, stale because of which failure (Answer), under
//     an explicit Mode (Ask, or Peek: what is on disk, never the network).
//     Direct is the Source of a provider that keeps nothing. Status sums
//     up the provider's health over all calls (`fittui today` reports it).
//   - Budget: requests per account and window (the provider's descriptor,
//     LimitFor), shared by every fittui process through a locked state
//     file, counted at the HTTP transport, which refuses requests past it
//     with a *providers.BudgetSpentError instead of sending them.
//   - Scheduler: when each account refreshes, within the budget, with
//     backoff after failures.
//
// Wiring one account is tui/wiring's job (Setup.Open): a budget per
// account, its Transport under the provider's HTTP client, the provider's
// rate-limit headers fed to Budget.Observe (providers.Env.OnRate), the
// provider wrapped with Wrap and given the budget with UseBudget, and for
// the dashboard the budget's Scheduler, all handed back together
// (wiring.Opened). The dashboard's refresh engine (tui/engine) paints its
// first frame from a Peek and reads staleness from the answers.
package cache
