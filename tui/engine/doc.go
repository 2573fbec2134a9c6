// Package engine decides when the dashboard asks which account for what,
// and applies the answers.
//
//   - Engine: at start every account's profile, painted first from what
//     the cache keeps (cache.Peek) and then asked; once the selected
//     account's time zone is known, its today and history window. The
//     ticker refreshes the selected account's today through its
//     scheduler (cache.Scheduler: within the request budget, backing
//     off after failures) and, every few minutes, the slow data and every
//     profile; the person's refresh asks the scheduler first, which may
//     say the budget is spent. Answers go to tui/state, which drops those
//     no longer wanted (generation ids) and says whether they changed
//     anything; the engine then tells its View which panes to redraw.
//   - The commands (fetch.go): every provider call runs in a tea.Cmd with
//     a timeout, a provider panic becomes an error, and the answers'
//     provenance (cache.Answer: fetched when, stale because of which
//     failure) becomes the state's dates and *providers.StaleError.
//   - The reductions (reduce.go), in the command's goroutine: a day of
//     heart rate down to a sparkline's bins, steps into 15-minute slots,
//     the night's main sleep.
//
// The root model (package tui) keeps the screens, keys and rendering; it
// hands every message it does not know to Engine.Update.
package engine
