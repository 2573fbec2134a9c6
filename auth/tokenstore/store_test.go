package tokenstore

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Helper subprocesses: the test binary re-runs itself with
// FITTUI_STORE_HELPER set (the standard helper-process pattern).
func TestMain(m *testing.M) {
	switch os.Getenv("FITTUI_STORE_HELPER") {
	case "":
		os.Exit(m.Run())
	case "saveloop":
		helperSaveLoop()
	case "umask":
		helperUmask()
	default:
		fmt.Fprintln(os.Stderr, "unknown helper")
		os.Exit(2)
	}
}

func helperCmd(t *testing.T, mode string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{"FITTUI_STORE_HELPER=" + mode}, env...)...)
	return cmd
}

func mustOpen(t *testing.T, dir string) *Store {
	t.Helper()
	s, warn, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if warn != nil {
		t.Fatalf("unexpected warning: %v", warn)
	}
	return s
}

func sample(account string, n int) *Record {
	return &Record{
		Provider: "fitbit",
		Account:  account,
		Token: Token{
			AccessToken:  fmt.Sprintf("access-%d", n),
			TokenType:    "Bearer",
			RefreshToken: fmt.Sprintf("refresh-%d", n),
			Expiry:       time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Second),
		},
		Scopes: []string{"activity", "heartrate"},
		UserID: "26FWFL",
	}
}

func perm(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestSaveLoadRoundTripAndModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "fittui", "tokens")
	s := mustOpen(t, dir)
	clock := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return clock })
	rec := sample("me", 1)
	if err := s.Save(rec); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("me")
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != rec.Token || got.Provider != "fitbit" || got.UserID != "26FWFL" ||
		strings.Join(got.Scopes, " ") != "activity heartrate" || !got.Created.Equal(clock) || !got.Updated.Equal(clock) {
		t.Fatalf("round trip lost data: %+v", got)
	}
	if p := perm(t, dir); p != 0o700 {
		t.Fatalf("folder mode %04o, want 0700", p)
	}
	path, _ := s.Path("me")
	if p := perm(t, path); p != 0o600 {
		t.Fatalf("file mode %04o, want 0600", p)
	}
	// The documented format: stable JSON keys.
	data, _ := os.ReadFile(path)
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "provider", "account", "token", "scopes", "user_id", "created", "updated"} {
		if _, ok := raw[k]; !ok {
			t.Fatalf("key %q missing from %s", k, data)
		}
	}
	tok := raw["token"].(map[string]any)
	for _, k := range []string{"access_token", "token_type", "refresh_token", "expiry"} {
		if _, ok := tok[k]; !ok {
			t.Fatalf("token key %q missing", k)
		}
	}

	// A second save keeps Created and moves Updated.
	later := clock.Add(time.Hour)
	s.SetClock(func() time.Time { return later })
	rec2 := got
	rec2.Token.AccessToken = "access-2"
	if err := s.Save(&rec2); err != nil {
		t.Fatal(err)
	}
	got2, _ := s.Load("me")
	if !got2.Created.Equal(clock) || !got2.Updated.Equal(later) || got2.Token.AccessToken != "access-2" {
		t.Fatalf("second save: %+v", got2)
	}
}

func TestWiderFolderIsTightened(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tokens")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	mustOpen(t, dir)
	if p := perm(t, dir); p != 0o700 {
		t.Fatalf("folder mode %04o after Open, want 0700", p)
	}
	// And again if someone widens it while fittui runs.
	s := mustOpen(t, dir)
	os.Chmod(dir, 0o777)
	if err := s.Save(sample("me", 1)); err != nil {
		t.Fatal(err)
	}
	if p := perm(t, dir); p != 0o700 {
		t.Fatalf("folder mode %04o after Save, want 0700", p)
	}
}

// TestWiderFolderThatCannotBeNarrowedIsRefused: a folder others can read
// that fittui cannot narrow is not used (it used to be, with a warning).
func TestWiderFolderThatCannotBeNarrowedIsRefused(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("uses /proc")
	}
	// /proc/self is 0555 and refuses chmod even for root: a folder wider
	// than 0700 that cannot be tightened.
	s, warn, err := Open("/proc/self")
	if err == nil || s != nil || warn != nil {
		t.Fatalf("store %v, warning %v, error %v: want a refusal", s, warn, err)
	}
	var pe *PermError
	if !errors.As(err, &pe) {
		t.Fatalf("got %T, want *PermError", err)
	}
	msg := err.Error()
	for _, want := range []string{"/proc/self", "0555", "could not be narrowed", "chmod 700"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("error %q does not mention %q", msg, want)
		}
	}
}

func TestCorruptFilesGiveClearErrors(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	path, _ := s.Path("me")
	secret := "ya29.SECRET-TOKEN-VALUE"
	cases := map[string]string{
		"empty":     "",
		"garbage":   "not json " + secret,
		"truncated": `{"version":1,"provider":"fitbit","account":"me","token":{"access_token":"` + secret,
		"wrongtype": `{"version":1,"provider":"fitbit","account":"me","token":"` + secret + `"}`,
		"version":   `{"version":99,"provider":"fitbit","account":"me","token":{"access_token":"` + secret + `"}}`,
		"notoken":   `{"version":1,"provider":"fitbit","account":"me","token":{}}`,
		"otheracct": `{"version":1,"provider":"fitbit","account":"you","token":{"access_token":"` + secret + `"}}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load("me")
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want *CorruptError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, `"me"`) || !strings.Contains(msg, "sign in again") || !strings.Contains(msg, path) {
				t.Fatalf("message does not name the account, the file and the fix: %s", msg)
			}
			if strings.Contains(msg, "SECRET") {
				t.Fatalf("message quotes the file: %s", msg)
			}
		})
	}
}

func TestLoadMissingIsErrNoToken(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if _, err := s.Load("nobody"); !errors.Is(err, ErrNoToken) {
		t.Fatalf("got %v, want ErrNoToken", err)
	}
	if err := s.Delete("nobody"); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Delete: got %v, want ErrNoToken", err)
	}
}

func TestAccountNames(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	for _, bad := range []string{"", "../x", "a/b", `a\b`, "c:d", ".hidden", "..", "x\x00y", "tab\there", strings.Repeat("a", MaxAccountLen+1), "\xff"} {
		if err := s.Save(&Record{Provider: "fitbit", Account: bad, Token: Token{AccessToken: "a"}}); err == nil {
			t.Fatalf("account name %q accepted", bad)
		}
		if _, err := s.Load(bad); err == nil {
			t.Fatalf("Load(%q) accepted", bad)
		}
	}
	good := []string{"me", "me@gmail.com", "Anna's watch", "100%", "ünï", "Me"}
	for i, name := range good {
		if err := s.Save(sample(name, i)); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
	}
	// Every file stays inside the folder and has a plain name.
	des, _ := os.ReadDir(s.Dir())
	for _, de := range des {
		if strings.ContainsAny(de.Name(), " '\\/") {
			t.Fatalf("unsafe file name %q", de.Name())
		}
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		if e.Err != nil {
			t.Fatalf("%s: %v", e.Account, e.Err)
		}
		names = append(names, e.Account)
	}
	if got, want := strings.Join(names, "|"), "100%|Anna's watch|Me|me|me@gmail.com|ünï"; got != want {
		t.Fatalf("List names %q, want %q", got, want)
	}
}

func TestListShowsStateAndDamage(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	a := sample("a", 1)
	a.NeedsSignIn, a.SignInReason = true, "refused"
	if err := s.Save(a); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(sample("b", 2)); err != nil {
		t.Fatal(err)
	}
	bad, _ := s.Path("c")
	os.WriteFile(bad, []byte("{"), 0o600)
	// Things List must skip: lock files, temp files, strays.
	os.WriteFile(filepath.Join(s.Dir(), "a.lock"), nil, 0o600)
	os.WriteFile(filepath.Join(s.Dir(), ".b.json.tmp-123"), []byte("{"), 0o600)
	os.WriteFile(filepath.Join(s.Dir(), "%zz.json"), []byte("{"), 0o600)
	os.Mkdir(filepath.Join(s.Dir(), "d.json"), 0o700)

	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("List returned %d entries: %+v", len(list), list)
	}
	if e := list[0]; e.Account != "a" || !e.NeedsSignIn || e.SignInReason != "refused" || e.Provider != "fitbit" {
		t.Fatalf("entry a: %+v", e)
	}
	if e := list[1]; e.Account != "b" || !e.HasRefresh || e.Expiry.IsZero() || len(e.Scopes) != 2 || e.Err != nil {
		t.Fatalf("entry b: %+v", e)
	}
	var ce *CorruptError
	if e := list[2]; e.Account != "c" || !errors.As(e.Err, &ce) {
		t.Fatalf("entry c: %+v", e)
	}
}

func TestDelete(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	s.Save(sample("me", 1))
	if err := s.Delete("me"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("me"); !errors.Is(err, ErrNoToken) {
		t.Fatalf("after Delete: %v", err)
	}
}

func TestFailedSaveKeepsOldFileAndLeavesNoTemp(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if err := s.Save(sample("me", 1)); err != nil {
		t.Fatal(err)
	}
	// Make the rename fail even for root: another account's target path
	// is a non-empty folder.
	blocker, _ := s.Path("other")
	os.MkdirAll(filepath.Join(blocker, "x"), 0o700)
	err := s.Save(sample("other", 2))
	if err == nil {
		t.Fatal("save over a folder succeeded")
	}
	if !strings.Contains(err.Error(), `"other"`) || strings.Contains(err.Error(), "access-2") {
		t.Fatalf("error should name the account and no token: %v", err)
	}
	des, _ := os.ReadDir(s.Dir())
	for _, de := range des {
		if strings.Contains(de.Name(), tmpInfix) {
			t.Fatalf("temp file %s left behind", de.Name())
		}
	}
	if got, err := s.Load("me"); err != nil || got.Token.AccessToken != "access-1" {
		t.Fatalf("other account damaged: %+v %v", got, err)
	}
}

func TestStaleTempFilesAreRemoved(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o700) // about temp files, not the folder's mode
	old := filepath.Join(dir, ".me.json.tmp-1")
	fresh := filepath.Join(dir, ".me.json.tmp-2")
	os.WriteFile(old, []byte("x"), 0o600)
	os.WriteFile(fresh, []byte("x"), 0o600)
	past := time.Now().Add(-time.Hour)
	os.Chtimes(old, past, past)
	mustOpen(t, dir)
	if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("stale temp file kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatal("fresh temp file (maybe another process's save) removed")
	}
}

func TestLockExcludesAndReportsWaiting(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	ctx := context.Background()
	unlockA, err := s.Lock(ctx, "me", func() { t.Error("first lock should not wait") })
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	acquired := make(chan func())
	go func() {
		unlockB, err := s.Lock(ctx, "me", func() { close(waiting) })
		if err != nil {
			t.Error(err)
		}
		acquired <- unlockB
	}()
	<-waiting // B found the lock busy
	select {
	case <-acquired:
		t.Fatal("second lock acquired while the first is held")
	default:
	}
	unlockA()
	unlockB := <-acquired
	unlockB()

	// A cancelled wait gives up with an error.
	unlockA, _ = s.Lock(ctx, "me", nil)
	defer unlockA()
	cctx, cancel := context.WithCancel(ctx)
	_, err = s.Lock(cctx, "me", cancel)
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled lock: %v", err)
	}
	// Other accounts are independent.
	unlockC, err := s.Lock(ctx, "you", func() { t.Error("other account waited") })
	if err != nil {
		t.Fatal(err)
	}
	unlockC()
}

// helperSaveLoop saves token n = 0, 1, 2, ... until killed, printing n
// after each save returns.
func helperSaveLoop() {
	s, _, err := Open(os.Getenv("FITTUI_STORE_DIR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	for n := 0; ; n++ {
		if err := s.Save(bigSample(n)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintln(w, n)
		w.Flush()
	}
}

// bigSample is sample n with many scopes, so a write spans several
// blocks and a torn write would show.
func bigSample(n int) *Record {
	r := sample("me", n)
	r.Scopes = nil
	for i := 0; i < 4000; i++ {
		r.Scopes = append(r.Scopes, fmt.Sprintf("scope-%d-%d", n, i))
	}
	return r
}

func TestKilledDuringSavesLeavesWholeToken(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	for round := 0; round < 50; round++ {
		cmd := helperCmd(t, "saveloop", "FITTUI_STORE_DIR="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		// Wait for the first completed save, then let it run for a random
		// number of further saves before SIGKILL lands mid-loop.
		extra := rand.IntN(40)
		last := -1
		for sc.Scan() {
			n, _ := strconv.Atoi(sc.Text())
			last = n
			if n >= extra {
				break
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		for sc.Scan() {
			n, _ := strconv.Atoi(sc.Text())
			last = n
		}
		cmd.Wait()
		if last < 0 {
			t.Fatal("helper saved nothing")
		}

		s, _, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := s.Load("me")
		if err != nil {
			t.Fatalf("round %d: file unreadable after kill: %v", round, err)
		}
		var n int
		if _, err := fmt.Sscanf(rec.Token.AccessToken, "access-%d", &n); err != nil {
			t.Fatalf("round %d: strange token %q", round, rec.Token.AccessToken)
		}
		// It is a save that finished or the one in flight, whole.
		if n < last || n > last+1 {
			t.Fatalf("round %d: file holds save %d, last finished %d", round, n, last)
		}
		want := bigSample(n)
		if rec.Token != want.Token || strings.Join(rec.Scopes, ",") != strings.Join(want.Scopes, ",") {
			t.Fatalf("round %d: save %d is not whole", round, n)
		}
		if p := perm(t, filepath.Join(dir, "me.json")); p != 0o600 {
			t.Fatalf("mode %04o", p)
		}
	}
}

// helperUmask sets the umask, opens a store (creating the folder) and
// saves, then prints the modes it sees.
func helperUmask() {
	mask, _ := strconv.ParseInt(os.Getenv("FITTUI_UMASK"), 8, 32)
	syscall.Umask(int(mask))
	dir := os.Getenv("FITTUI_STORE_DIR")
	s, warn, err := Open(dir)
	if err != nil || warn != nil {
		fmt.Println("open:", err, warn)
		os.Exit(1)
	}
	if err := s.Save(sample("me", 1)); err != nil {
		fmt.Println("save:", err)
		os.Exit(1)
	}
	unlock, err := s.Lock(context.Background(), "me", nil)
	if err != nil {
		fmt.Println("lock:", err)
		os.Exit(1)
	}
	unlock()
	st := func(p string) string {
		fi, err := os.Stat(p)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprintf("%04o", fi.Mode().Perm())
	}
	fmt.Printf("dir=%s file=%s lock=%s\n", st(dir), st(filepath.Join(dir, "me.json")), st(filepath.Join(dir, "me.lock")))
}

func TestModesWhateverTheUmask(t *testing.T) {
	for _, mask := range []string{"000", "022", "777"} {
		for _, existing := range []bool{false, true} {
			dir := filepath.Join(t.TempDir(), "fittui", "tokens")
			if existing {
				os.MkdirAll(dir, 0o755)
				os.Chmod(dir, 0o777)
			}
			out, err := helperCmd(t, "umask", "FITTUI_UMASK="+mask, "FITTUI_STORE_DIR="+dir).CombinedOutput()
			if err != nil {
				t.Fatalf("umask %s: %v: %s", mask, err, out)
			}
			if got, want := strings.TrimSpace(string(out)), "dir=0700 file=0600 lock=0600"; got != want {
				t.Fatalf("umask %s (existing folder %v): %s, want %s", mask, existing, got, want)
			}
		}
	}
}
