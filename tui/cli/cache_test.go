package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/cache"
	"github.com/fittui/fittui/providers/fitbit/fitbittest"
)

// fitbitData starts the fake Fitbit API (tokens and data) on the real
// clock, points the fitbit settings at it and signs account in.
func fitbitData(t *testing.T, account string) *fitbittest.Server {
	t.Helper()
	fake := fitbittest.New(fitbittest.Config{ClientSecret: "s3cret"})
	t.Cleanup(fake.Close)
	for k, v := range map[string]string{"CLIENT_ID": fake.ClientID(), "CLIENT_SECRET": "s3cret",
		"TOKEN_URL": fake.TokenURL(), "API_URL": fake.URL} {
		t.Setenv("FITTUI_FITBIT_"+k, v)
	}
	seed(t, "fitbit", account, fake.Grant())
	return fake
}

// TestCacheInfoAndClear: `fittui today` on a Fitbit account fills the
// cache, a second run asks the provider nothing, `cache info` shows the
// account's size and age (text and JSON), and `cache clear --account`
// empties it while keeping the request budget.
func TestCacheInfoAndClear(t *testing.T) {
	isolate(t)
	r := runNow(t, "cache", "info")
	if r.code != 0 || !strings.HasPrefix(r.out, "The cache is empty (") {
		t.Fatalf("empty: exit %d %q %q", r.code, r.out, r.err)
	}
	fake := fitbitData(t, "fb")
	if r := runNow(t, "today", "--account", "fb"); r.code != 0 {
		t.Fatalf("today: exit %d %s", r.code, r.err)
	}
	sent := fake.APIRequests("")
	if r := runNow(t, "today", "--account", "fb"); r.code != 0 {
		t.Fatalf("today again: exit %d %s", r.code, r.err)
	}
	// A new process asks again only what the policy says is stale: the
	// profile and settled days not at all.
	if again := fake.APIRequests("") - sent; again >= sent {
		t.Errorf("the second run sent %d requests, the first %d", again, sent)
	}

	r = runNow(t, "cache", "info")
	if r.code != 0 || !regexp.MustCompile(`(?m)^ACCOUNT +SIZE +ENTRIES +OLDEST +NEWEST\nfb +\d+(\.\d)? (B|KiB) +\d+ +(just now|\d+s ago) +(just now|\d+s ago)\n\n.* of 256\.0 MiB \(cache_size\) in .*fittui\n$`).MatchString(r.out) {
		t.Fatalf("info: exit %d\n%s%s", r.code, r.out, r.err)
	}
	r = runNow(t, "cache", "info", "--json")
	var info struct {
		Folder   string `json:"folder"`
		MaxBytes int64  `json:"max_bytes"`
		Accounts []struct {
			Account string    `json:"account"`
			Bytes   int64     `json:"bytes"`
			Entries int       `json:"entries"`
			Oldest  time.Time `json:"oldest"`
			Newest  time.Time `json:"newest"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal([]byte(r.out), &info); err != nil || len(info.Accounts) != 1 || info.Accounts[0].Account != "fb" ||
		info.Accounts[0].Bytes <= 0 || info.MaxBytes != cache.DefaultMaxBytes || time.Since(info.Accounts[0].Newest) > time.Minute {
		t.Fatalf("info --json: %v\n%s", err, r.out)
	}
	budget, _ := filepath.Glob(filepath.Join(info.Folder, ".budget", "*"))
	if len(budget) == 0 {
		t.Fatal("no request budget recorded")
	}

	r = runNow(t, "cache", "clear", "--account", "nobody")
	if r.code != 0 || r.out != "No cached data for nobody.\n" {
		t.Errorf("clear unknown: exit %d %q", r.code, r.out)
	}
	r = runNow(t, "cache", "clear", "--account", "fb")
	if r.code != 0 || !regexp.MustCompile(`^Deleted \d+(\.\d)? (B|KiB) of cached data \(fb\)\.\n$`).MatchString(r.out) {
		t.Errorf("clear: exit %d %q %q", r.code, r.out, r.err)
	}
	if _, err := os.Stat(filepath.Join(info.Folder, "fb")); !os.IsNotExist(err) {
		t.Errorf("the account's folder is still there: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(info.Folder, ".budget", "*")); len(left) != len(budget) {
		t.Error("clear deleted the request budget")
	}
	r = runNow(t, "cache", "clear")
	if r.code != 0 || r.out != "The cache is already empty.\n" {
		t.Errorf("clear all: exit %d %q", r.code, r.out)
	}
	if r := runNow(t, "cache", "clear", "--account", "../x"); r.code != 2 {
		t.Errorf("bad name: exit %d %q", r.code, r.err)
	}
}

// TestCacheSizeFromConfig: cache info reports the configured cap.
func TestCacheSizeFromConfig(t *testing.T) {
	isolate(t)
	writeConfig(t, "cache_size = \"64MB\"\n")
	r := runNow(t, "cache", "info", "--json")
	if r.code != 0 || !strings.Contains(r.out, `"max_bytes": 64000000`) {
		t.Fatalf("exit %d %s %s", r.code, r.out, r.err)
	}
}

// TestTodayOfflineFromCache: with the provider down, `fittui today` still
// prints the cached day and says on stderr that it is offline data.
func TestTodayOfflineFromCache(t *testing.T) {
	isolate(t)
	fake := fitbitData(t, "fb")
	first := runNow(t, "today", "--account", "fb", "--json")
	if first.code != 0 {
		t.Fatalf("today: exit %d %s", first.code, first.err)
	}
	fake.SetFault("", fitbittest.FaultServerError, -1)
	// Today's entries are fresh for a minute: a run two minutes later
	// must ask, fail, and fall back.
	later := runWith(t, func(a *app) { a.now = func() time.Time { return time.Now().Add(2 * time.Minute) } },
		"today", "--account", "fb", "--json")
	if later.code != 0 || later.out != first.out {
		t.Fatalf("offline: exit %d\n%s\nwant\n%s\n%s", later.code, later.out, first.out, later.err)
	}
	if !regexp.MustCompile(`^fittui: fb: offline, last updated \d\d:\d\d\n$`).MatchString(later.err) {
		t.Errorf("stderr %q", later.err)
	}
}

// TestNoCacheFolder: when the cache folder cannot be made, fittui warns
// and works without it.
func TestNoCacheFolder(t *testing.T) {
	isolate(t)
	blocker := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", blocker)
	xdg.Reload()
	fitbitData(t, "fb")
	r := runNow(t, "today", "--account", "fb", "--json")
	if r.code != 0 || !strings.Contains(r.err, "continuing without the cache") || !strings.Contains(r.out, `"account": "fb"`) {
		t.Fatalf("exit %d\nout %s\nerr %s", r.code, r.out, r.err)
	}
	if r := runNow(t, "cache", "info"); r.code != 1 || !strings.Contains(r.err, "cache folder") {
		t.Errorf("cache info: exit %d %q", r.code, r.err)
	}
}
