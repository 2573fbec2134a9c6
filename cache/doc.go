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
//     good data stays when the provider fails, with the failure in Status.
//   - Budget: requests per account and window, shared by every fittui
//     process through a locked state file, counted at the HTTP transport.
//   - Scheduler: when each account refreshes, within the budget, with
//     backoff after failures.
//
// Wiring one account (what tui/connect does):
//
//	store, _ := cache.Open(cache.Options{})              // once per process
//	budget := store.Budget(acc.Name, cache.LimitFor(acc.Provider), now)
//	env.HTTPClient = &http.Client{Transport: budget.Transport(base), Timeout: ...}
//	p, _ := providers.Open(spec, env)
//	c := cache.Wrap(p, acc.Name, store, cache.DefaultPolicy(), now)
//	c.UseBudget(budget)
//	sched := cache.NewScheduler(c, budget, cache.SchedulerOptions{Interval: cfg.Refresh})
//
// and for Fitbit, whose headers say what is left of the hour:
//
//	fp.OnRateLimit(func(rl fitbit.RateLimit) { budget.Observe(rl.Remaining, rl.Reset) })
package cache
