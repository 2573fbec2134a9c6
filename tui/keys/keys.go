// Package keys declares every key binding of the dashboard in one place,
// with the help texts bubbles/help shows.
package keys

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the bindings. Global ones work everywhere; the others go to
// the focused pane.
type KeyMap struct {
	// Global.
	Quit      key.Binding
	Help      key.Binding
	NextPane  key.Binding
	PrevPane  key.Binding
	Refresh   key.Binding
	Account   key.Binding // 1..9
	CloseHelp key.Binding

	// Accounts pane.
	Up         key.Binding
	Down       key.Binding
	Select     key.Binding
	AddAccount key.Binding
	SignIn     key.Binding

	// History pane.
	Range      key.Binding
	PrevDay    key.Binding
	NextDay    key.Binding
	PrevWindow key.Binding
	NextWindow key.Binding
	LastDay    key.Binding
	Metric     key.Binding
	PrevMetric key.Binding
	GoTo       key.Binding
	OpenDay    key.Binding // the cursor's day in the day pane

	// Day pane.
	HeartSpan key.Binding // heart rate: whole day or the last 3 hours

	// Login screen (a modal: the global keys do not apply there).
	CopyLink key.Binding
	Paste    key.Binding // to and from the paste field
	Submit   key.Binding
	Cancel   key.Binding
	Retry    key.Binding
}

// Default returns the standard bindings.
func Default() *KeyMap {
	return &KeyMap{
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		NextPane:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Refresh:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Account:   key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "account")),
		CloseHelp: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close help")),

		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Select:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "show account")),
		AddAccount: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add account")),
		SignIn:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sign in")),

		Range:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "range 7d/30d/90d/1y")),
		PrevDay:    key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous day")),
		NextDay:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next day")),
		PrevWindow: key.NewBinding(key.WithKeys("pgup", "H"), key.WithHelp("pgup/H", "back a range")),
		NextWindow: key.NewBinding(key.WithKeys("pgdown", "L"), key.WithHelp("pgdn/L", "forward a range")),
		LastDay:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "today")),
		Metric:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "next metric")),
		PrevMetric: key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "previous metric")),
		GoTo:       key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "go to date")),
		OpenDay:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open day")),

		HeartSpan: key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "heart rate: day / 3 h")),

		CopyLink: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy link")),
		Paste:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "paste address")),
		Submit:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "ok")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
	}
}

// relabel is b with a shorter help text for the footer.
func relabel(b key.Binding, k, desc string) key.Binding {
	b.SetHelp(k, desc)
	return b
}

// Global lists the bindings that work in every pane, for the help views.
func (k *KeyMap) Global() []key.Binding {
	return []key.Binding{k.NextPane, k.PrevPane, k.Account, k.Refresh, k.Help, k.Quit}
}

// ShortGlobal is the global part of the footer's short help, most
// needed first (the footer cuts the rest when narrow).
func (k *KeyMap) ShortGlobal() []key.Binding {
	return []key.Binding{relabel(k.NextPane, "tab", "pane"), k.Help, k.Quit, k.Refresh, k.Account}
}

// ShortAccounts is the accounts pane's part of the footer.
func (k *KeyMap) ShortAccounts() []key.Binding {
	return []key.Binding{relabel(k.Down, "↑↓/jk", "move"), relabel(k.Select, "enter", "show"),
		relabel(k.AddAccount, "a", "add")}
}

// ShortHistory is the history pane's part of the footer.
func (k *KeyMap) ShortHistory() []key.Binding {
	return []key.Binding{relabel(k.Range, "t", "range"), relabel(k.PrevDay, "←→/hl", "day"),
		relabel(k.Metric, "m", "metric"), relabel(k.GoTo, "g", "date"), relabel(k.OpenDay, "enter", "open"),
		relabel(k.PrevWindow, "H/L", "page")}
}

// ShortDay is the day pane's part of the footer.
func (k *KeyMap) ShortDay() []key.Binding {
	return []key.Binding{relabel(k.HeartSpan, "w", "day/3h"), k.LastDay}
}

// AccountKeys are the accounts pane's bindings.
func (k *KeyMap) AccountKeys() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Select, k.AddAccount, k.SignIn}
}

// HistoryKeys are the history pane's bindings.
func (k *KeyMap) HistoryKeys() []key.Binding {
	return []key.Binding{k.Range, k.PrevDay, k.NextDay, k.PrevWindow, k.NextWindow, k.OpenDay, k.LastDay,
		k.Metric, k.PrevMetric, k.GoTo}
}

// DayKeys are the day pane's bindings.
func (k *KeyMap) DayKeys() []key.Binding {
	return []key.Binding{k.HeartSpan, k.LastDay}
}

// FullHelp groups every binding in columns for the `?` screen.
func (k *KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.Global(), k.AccountKeys(), k.HistoryKeys(), k.DayKeys()}
}

// ShortLoginPick is the login screen's footer while choosing a provider.
func (k *KeyMap) ShortLoginPick() []key.Binding {
	return []key.Binding{relabel(k.Down, "↑↓/jk", "move"), relabel(k.Submit, "enter", "choose"),
		relabel(k.Cancel, "esc", "close")}
}

// ShortLoginName is the login screen's footer while naming the account.
func (k *KeyMap) ShortLoginName() []key.Binding {
	return []key.Binding{relabel(k.Submit, "enter", "sign in"), relabel(k.Cancel, "esc", "back")}
}

// ShortLoginWait is the login screen's footer while it waits for the
// browser; pasting: the paste field has the keys.
func (k *KeyMap) ShortLoginWait(pasting bool) []key.Binding {
	if pasting {
		return []key.Binding{relabel(k.Submit, "enter", "submit"), relabel(k.Paste, "tab", "leave field"), k.Cancel}
	}
	return []key.Binding{k.CopyLink, k.Paste, k.Cancel}
}

// ShortLoginFailed is the login screen's footer after a failed sign-in.
func (k *KeyMap) ShortLoginFailed() []key.Binding {
	return []key.Binding{k.Retry, relabel(k.Cancel, "esc", "close")}
}

// LoginKeys are the login screen's bindings.
func (k *KeyMap) LoginKeys() []key.Binding {
	return []key.Binding{k.CopyLink, k.Paste, k.Submit, k.Cancel, k.Retry}
}
