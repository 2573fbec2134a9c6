package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/fittui/fittui/providers"
	"github.com/fittui/fittui/theme"
	"github.com/fittui/fittui/tui/textfmt"
)

// The file is decoded into a plain map and checked here against the schema,
// rather than decoded into a struct and checked with MetaData.Undecoded:
// BurntSushi/toml matches struct fields case-insensitively (Theme = "x"
// would pass) and silently drops a non-table value for a map field
// (options = "x"), and MetaData has no per-entry positions for [[account]]
// keys. Walking the map catches all of these and names the exact line.

// knownKeys lists the keys each table accepts.
var (
	topKeys     = []string{"theme", "refresh", "cache_size", "units", "account", "provider"}
	accountKeys = []string{"name", "provider", "units", "options", "goals"}
	// goalKeys are the [account.goals] keys, in the order of providers.Goals.
	goalKeys = []string{"steps", "distance_km", "calories", "active_minutes", "floors", "sleep_minutes"}
)

// checker collects problems while the file is walked.
type checker struct {
	pos positions
	e   *Error
}

func (ck *checker) add(path []string, msg string) { ck.e.add(ck.pos.line(path...), msg) }

func (c *Config) parse(data string) error {
	var raw map[string]any
	if _, err := toml.Decode(data, &raw); err != nil {
		return c.decodeError(err)
	}
	ck := &checker{pos: scanPositions(data), e: &Error{Path: c.Path}}

	for _, k := range sortedKeys(raw) {
		if !slices.Contains(topKeys, k) {
			ck.unknown([]string{k}, topKeys)
		}
	}
	if s, ok := ck.str(raw["theme"], "theme"); ok {
		if _, err := theme.Lookup(s); err != nil {
			ck.add([]string{"theme"}, fmt.Sprintf("theme %q: unknown theme (known: %s)", s, strings.Join(theme.Names(), ", ")))
		} else {
			c.Theme = s
		}
	}
	if s, ok := ck.str(raw["refresh"], "refresh"); ok {
		if d, err := ParseRefresh(s); err != nil {
			ck.add([]string{"refresh"}, "refresh "+err.Error())
		} else {
			c.Refresh = d
		}
	}
	if s, ok := ck.str(raw["cache_size"], "cache_size"); ok {
		if n, err := ParseSize(s); err != nil {
			ck.add([]string{"cache_size"}, "cache_size "+err.Error())
		} else {
			c.CacheSize = n
		}
	}
	if u, ok := ck.units(raw["units"], "units"); ok {
		c.Units = u
	}
	c.Accounts = ck.accounts(raw["account"])
	for i := range c.Accounts {
		if c.Accounts[i].Units == "" {
			c.Accounts[i].Units = c.Units
		}
	}
	c.providers = ck.providers(raw["provider"])

	if len(ck.e.Problems) > 0 {
		ck.e.sort()
		return ck.e
	}
	return nil
}

func (ck *checker) accounts(v any) []Account {
	if v == nil {
		return nil
	}
	entries, ok := tables(v)
	if !ok {
		ck.add([]string{"account"}, "account: write each account as an [[account]] table")
		return nil
	}
	var out []Account
	firstUse := map[string]int{} // account name -> line
	for i, t := range entries {
		at := []string{"account", index(i)}
		path := func(k ...string) []string { return append(slices.Clone(at), k...) }
		for _, k := range sortedKeys(t) {
			if !slices.Contains(accountKeys, k) {
				ck.unknown(path(k), accountKeys)
			}
		}
		a := Account{Line: ck.pos.line(at...)}
		name, nameOK := ck.str(t["name"], path("name")...)
		provider, providerOK := ck.str(t["provider"], path("provider")...)
		a.Name, a.Provider = name, provider
		switch {
		case t["name"] == nil || nameOK && name == "":
			ck.add(at, fmt.Sprintf(`account #%d has no name: add name = "..."`, i+1))
		case !nameOK:
			// wrong type, reported by str
		case firstUse[name] != 0:
			ck.add(path("name"), fmt.Sprintf("account name %q is already used on line %d: names must be unique", name, firstUse[name]))
		default:
			firstUse[name] = ck.pos.line(path("name")...)
		}
		if t["provider"] == nil || providerOK && provider == "" {
			label := fmt.Sprintf("#%d", i+1)
			if nameOK && name != "" {
				label = fmt.Sprintf("%q", name)
			}
			ck.add(at, fmt.Sprintf(`account %s has no provider: add provider = "NAME"%s`, label, forExample()))
		}
		if o, present := t["options"]; present {
			opts, ok := o.(map[string]any)
			if !ok {
				ck.add(path("options"), fmt.Sprintf(`account #%d options: write them as an [account.options] table of name = "value"`, i+1))
			}
			for _, k := range sortedKeys(opts) {
				if s, ok := ck.str(opts[k], path("options", k)...); ok {
					if a.Options == nil {
						a.Options = map[string]string{}
					}
					a.Options[k] = s
				}
			}
		}
		if u, ok := ck.units(t["units"], path("units")...); ok {
			a.Units = u
		}
		if g, present := t["goals"]; present {
			a.Goals = ck.goals(g, i, path("goals"))
		}
		out = append(out, a)
	}
	return out
}

// units reads a units name at path.
func (ck *checker) units(v any, path ...string) (textfmt.Units, bool) {
	s, ok := ck.str(v, path...)
	if !ok {
		return "", false
	}
	u, ok := textfmt.ParseUnits(s)
	if !ok {
		ck.add(path, fmt.Sprintf("%s %q: unknown units (known: %s)", spoken(path), s, strings.Join(textfmt.UnitNames, ", ")))
	}
	return u, ok
}

// goals reads account #i's [account.goals] table: positive numbers, whole
// ones but for distance_km.
func (ck *checker) goals(v any, i int, at []string) providers.Goals {
	var g providers.Goals
	t, ok := v.(map[string]any)
	if !ok {
		ck.add(at, fmt.Sprintf("account #%d goals: write them as an [account.goals] table of name = number", i+1))
		return g
	}
	for _, k := range sortedKeys(t) {
		path := append(slices.Clone(at), k)
		if !slices.Contains(goalKeys, k) {
			ck.unknown(path, goalKeys)
			continue
		}
		var n float64
		switch x := t[k].(type) {
		case int64:
			n = float64(x)
		case float64:
			n = x
		default:
			ck.add(path, fmt.Sprintf("%s: expected a number, found %s", spoken(path), describe(t[k])))
			continue
		}
		switch {
		case n <= 0 || n > 1e6:
			ck.add(path, fmt.Sprintf("%s = %g: a goal is a number above 0 (remove the key for none)", spoken(path), n))
			continue
		case k != "distance_km" && n != float64(int(n)):
			ck.add(path, fmt.Sprintf("%s = %g: expected a whole number", spoken(path), n))
			continue
		}
		switch k {
		case "steps":
			g.Steps = int(n)
		case "distance_km":
			g.DistanceKm = n
		case "calories":
			g.Calories = int(n)
		case "active_minutes":
			g.ActiveMinutes = int(n)
		case "floors":
			g.Floors = int(n)
		case "sleep_minutes":
			g.SleepMinutes = int(n)
		}
	}
	return g
}

// forExample names a provider that works with no set-up (one with sample
// accounts), for messages.
func forExample() string {
	for _, r := range providers.Listed() {
		if r.Samples != nil {
			return fmt.Sprintf(` (for example %q)`, r.Name)
		}
	}
	return ""
}

func (ck *checker) providers(v any) map[string]ProviderSettings {
	out := map[string]ProviderSettings{}
	if v == nil {
		return out
	}
	all, ok := v.(map[string]any)
	if !ok {
		ck.add([]string{"provider"}, "provider: write provider settings as [provider.NAME] tables")
		return out
	}
	for _, name := range sortedKeys(all) {
		at := []string{"provider", name}
		t, ok := all[name].(map[string]any)
		keys := settingsOf(name)
		switch {
		case len(keys) == 0:
			ck.add(at, fmt.Sprintf("[provider.%s]: unknown provider (settings are for: %s)", name, strings.Join(OAuthProviders(), ", ")))
			continue
		case !ok:
			ck.add(at, fmt.Sprintf("provider %s: write its settings as a [provider.%s] table", name, name))
			continue
		}
		var s ProviderSettings
		for _, k := range sortedKeys(t) {
			f := s.field(k)
			if f == nil || !slices.Contains(keys, k) {
				ck.unknown(append(slices.Clone(at), k), keys)
				continue
			}
			if str, ok := ck.str(t[k], append(slices.Clone(at), k)...); ok {
				*f = str
			}
		}
		out[name] = s
	}
	return out
}

// str checks that v, the value at path, is a string. It returns false for
// an absent value and for a wrong type (which it reports).
func (ck *checker) str(v any, path ...string) (string, bool) {
	if v == nil {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		ck.add(path, fmt.Sprintf("%s: expected a string in quotes, found %s", spoken(path), describe(v)))
	}
	return s, ok
}

func (ck *checker) unknown(path []string, known []string) {
	key := toml.Key(stripIndices(path)).String()
	ck.add(path, fmt.Sprintf("unknown key %q (known: %s)", key, strings.Join(known, ", ")))
}

// tables returns v as a list of tables: [[x]] entries or an inline array of
// inline tables.
func tables(v any) ([]map[string]any, bool) {
	switch v := v.(type) {
	case []map[string]any:
		return v, true
	case []any:
		out := make([]map[string]any, 0, len(v))
		for _, e := range v {
			t, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out = append(out, t)
		}
		return out, true
	}
	return nil, false
}

// spoken writes a path for a person: account.[1].name -> account #2 name.
func spoken(path []string) string {
	var b strings.Builder
	for _, p := range path {
		var i int
		if _, err := fmt.Sscanf(p, "[%d]", &i); err == nil {
			fmt.Fprintf(&b, " #%d", i+1)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

func describe(v any) string {
	switch v := v.(type) {
	case int64:
		return fmt.Sprintf("the number %d", v)
	case float64:
		return fmt.Sprintf("the number %g", v)
	case bool:
		return fmt.Sprintf("%t", v)
	case time.Time:
		return "a date or time"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", v)
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
