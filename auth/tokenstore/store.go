// Package tokenstore keeps OAuth tokens on disk: one JSON file per account,
// 0600 files in a 0700 folder, written atomically, with a cross-process
// lock per account for refreshes.
//
// Tokens live under $XDG_STATE_HOME/fittui/tokens/ by default: they are
// machine-local state that must survive restarts, not configuration a person
// edits or syncs (dotfile repositories often carry ~/.config, and a token
// must never end up in one), and not cache (deleting the cache must never
// sign anyone out).
package tokenstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/adrg/xdg"
	"github.com/gofrs/flock"

	"github.com/fittui/fittui/auth/internal/savepoint"
	"github.com/fittui/fittui/cache/safefile"
)

// FormatVersion is written into every token file.
const FormatVersion = 1

const (
	dirMode  fs.FileMode = 0o700
	fileMode fs.FileMode = 0o600
	fileExt              = ".json"
	lockExt              = ".lock"
	tmpInfix             = ".tmp-"
	// staleTemp is the age after which a temp file left by a killed
	// process is removed; a real save takes milliseconds.
	staleTemp = 10 * time.Minute
	// MaxAccountLen bounds account names (bytes).
	MaxAccountLen = 100
)

// ErrNoToken means the account has no token file: it was never signed in
// or has been logged out.
var ErrNoToken = errors.New("no token stored")

// Token is the stored OAuth 2.0 token.
type Token struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"` // zero: does not expire
}

// Record is one account's token file.
type Record struct {
	Version  int    `json:"version"`
	Provider string `json:"provider"`
	Account  string `json:"account"`
	Token    Token  `json:"token"`
	// Scopes granted (the provider may grant fewer than asked for).
	Scopes []string `json:"scopes,omitempty"`
	// UserID is the provider's user id when it sends one (Fitbit).
	UserID string `json:"user_id,omitempty"`
	// RefreshExpiry is when the refresh token dies, when the provider says
	// (Google apps in testing: 7 days).
	RefreshExpiry time.Time `json:"refresh_expiry,omitzero"`
	// NeedsSignIn is set when the provider refused the refresh token
	// (invalid_grant): the token is dead and nobody should try it again.
	NeedsSignIn bool `json:"needs_sign_in,omitempty"`
	// SignInReason says why, for `fittui auth list` (no secrets).
	SignInReason string    `json:"sign_in_reason,omitempty"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
}

// Store is a token folder. It is safe for concurrent use; concurrent use
// from several processes is safe too (atomic renames, per-account locks).
type Store struct {
	dir string
	now func() time.Time
}

// PermWarning says the token folder was open to other users (readable,
// not writable) and has been narrowed to 0700: the tokens in it may have
// been read.
type PermWarning struct {
	Dir  string
	Mode fs.FileMode // the mode it had
}

func (w *PermWarning) Error() string {
	return fmt.Sprintf("token folder %s was open to other users (mode %04o), so they may have read your tokens; fittui narrowed it to 0700. On a machine you share, sign in again to replace them: `fittui auth login PROVIDER --account NAME`",
		w.Dir, w.Mode.Perm())
}

// PermError is a token folder fittui refuses to use, as ssh refuses a
// ~/.ssh that others could change: the folder or one of its parents is
// writable by other users (without the sticky bit, which /tmp has), or is
// owned by someone other than the user (or, for a parent, root). Whoever
// can write there can replace the tokens, or the whole folder.
type PermError struct {
	Dir     string // the token folder
	At      string // the folder at fault: Dir or one of its parents
	Mode    fs.FileMode
	Problem string // "is writable by other users", "is owned by user 4242, not by you", ...
	Check   bool   // others could have replaced files: look before fixing
	Fix     string // the command that fixes it
	Hint    string // more ways out, appended after Fix
	Err     error  // a chmod that failed, when that is the problem
}

func (e *PermError) Error() string {
	where := "token folder " + e.At
	if e.At != e.Dir {
		where = "the token folder " + e.Dir + " is inside " + e.At + ", which"
	}
	msg := fmt.Sprintf("%s %s (mode %04o)", where, e.Problem, e.Mode.Perm())
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	msg += "; fittui does not keep tokens where others could read or replace them, as ssh refuses such a ~/.ssh. "
	if e.Check {
		msg += "Check that the files in " + e.Dir + " are yours, then run `"
	} else {
		msg += "Run `"
	}
	return msg + e.Fix + "`" + e.Hint
}

func (e *PermError) Unwrap() error { return e.Err }

// DefaultDir is $XDG_STATE_HOME/fittui/tokens (~/.local/state/fittui/tokens
// on Linux).
func DefaultDir() string {
	return filepath.Join(xdg.StateHome, "fittui", "tokens")
}

// OpenDefault opens the store in DefaultDir.
func OpenDefault() (*Store, *PermWarning, error) {
	return Open(DefaultDir())
}

// Open creates dir if needed (0700 whatever the umask). A folder others
// could read is narrowed to 0700 and the warning says it was open; a
// folder, or parent, that others could write or that is not the user's is
// refused with a *PermError (see checkFolder). err is for a folder that
// cannot be used.
func Open(dir string) (*Store, *PermWarning, error) {
	if dir == "" {
		return nil, nil, errors.New("token store: no folder given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("token store: %w", err)
	}
	s := &Store{dir: abs, now: time.Now}
	warn, err := s.ensureDir()
	if err != nil {
		return nil, nil, err
	}
	s.removeStaleTemps()
	return s, warn, nil
}

// SetClock replaces the clock used for Created/Updated (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Dir is the token folder.
func (s *Store) Dir() string { return s.dir }

// ensureDir makes the folder if needed and checks it is safe; it runs
// before every save and lock too, in case someone opened it up meanwhile.
func (s *Store) ensureDir() (*PermWarning, error) {
	if err := mkdirPrivate(s.dir); err != nil {
		return nil, fmt.Errorf("token store: cannot create %s: %w", s.dir, err)
	}
	fi, err := os.Stat(s.dir)
	if err != nil {
		return nil, fmt.Errorf("token store: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("token store: %s is not a folder", s.dir)
	}
	return checkFolder(s.dir, fi)
}

// mkdirPrivate makes dir and any missing parent with mode 0700 whatever
// the umask (each is chmodded as soon as it is made, so a umask of 000
// never leaves one open, nor 777 one fittui cannot enter).
func mkdirPrivate(dir string) error {
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is not a folder", dir)
		}
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := mkdirPrivate(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, dirMode); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // made by another process meanwhile
		}
		return err
	}
	return os.Chmod(dir, dirMode)
}

// ValidateAccount checks that name can be an account name: not empty, at
// most MaxAccountLen bytes, valid UTF-8, no path separators, no control
// characters, not starting with a dot.
func ValidateAccount(name string) error {
	switch {
	case name == "":
		return errors.New("account name is empty")
	case len(name) > MaxAccountLen:
		return fmt.Errorf("account name is longer than %d bytes", MaxAccountLen)
	case !utf8.ValidString(name):
		return errors.New("account name is not valid UTF-8")
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("account name %q starts with a dot", name)
	case strings.ContainsAny(name, `/\:`):
		return fmt.Errorf("account name %q contains a path separator (/, \\ or :)", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("account name %q contains a control character", name)
		}
	}
	return nil
}

// fileBase turns a valid account name into a file name stem: letters,
// digits and ._@+- stay, everything else becomes %XX, so names map to
// distinct, portable file names.
func fileBase(account string) string {
	var b strings.Builder
	for i := 0; i < len(account); i++ {
		c := account[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '.', c == '_', c == '@', c == '+', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Path is the token file of account.
func (s *Store) Path(account string) (string, error) {
	if err := ValidateAccount(account); err != nil {
		return "", err
	}
	return filepath.Join(s.dir, fileBase(account)+fileExt), nil
}

// CorruptError is a token file that cannot be read. The way out is to sign
// in again, which overwrites it.
type CorruptError struct {
	Account string
	Path    string
	Reason  string // what is wrong, never file contents
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("the token file of account %q (%s) is damaged (%s): sign in again with `fittui auth login PROVIDER --account %s`, or remove the file",
		e.Account, e.Path, e.Reason, e.Account)
}

// Load reads account's record. A missing file gives an error wrapping
// ErrNoToken; a damaged one a *CorruptError.
func (s *Store) Load(account string) (Record, error) {
	path, err := s.Path(account)
	if err != nil {
		return Record{}, err
	}
	data, err := readPrivate(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, fmt.Errorf("account %q: %w", account, ErrNoToken)
	}
	if reason, ok := damage(err); ok {
		return Record{}, &CorruptError{Account: account, Path: path, Reason: reason}
	}
	if err != nil {
		return Record{}, fmt.Errorf("account %q: cannot read token file: %w", account, err)
	}
	rec, reason := decode(data)
	if reason != "" {
		return Record{}, &CorruptError{Account: account, Path: path, Reason: reason}
	}
	if rec.Account != account {
		return Record{}, &CorruptError{Account: account, Path: path, Reason: "it belongs to another account name"}
	}
	return rec, nil
}

// maxFileBytes bounds a token file: a real one is well under 1 KiB, or
// ~100 KiB with thousands of scopes.
const maxFileBytes = 1 << 20

// readPrivate reads a token file and narrows its mode to 0600 if someone
// widened it (a copied file, say). The file must be a regular file: a link
// is not followed (reading it would chmod whatever it points to) and a
// named pipe is not waited on; either gives a *safefile.NotRegularError.
func readPrivate(path string) ([]byte, error) {
	f, fi, err := safefile.Open(path, safefile.NoFollow)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Mode().Perm()&^fileMode != 0 {
		_ = f.Chmod(fileMode) // the opened file itself, never a path
	}
	return safefile.ReadAll(f, fi, path, maxFileBytes)
}

// damage describes a read error that means the file is not a token file
// fittui wrote; ok is false for other errors (permissions, I/O).
func damage(err error) (reason string, ok bool) {
	var nr *safefile.NotRegularError
	var tl *safefile.TooLargeError
	switch {
	case errors.As(err, &nr):
		return "it is " + nr.Kind + ", not a regular file", true
	case errors.As(err, &tl):
		return "larger than " + safefile.Size(tl.Limit), true
	}
	return "", false
}

// decode parses a token file; reason is empty on success and otherwise
// describes the damage without quoting the file (it holds secrets).
func decode(data []byte) (Record, string) {
	var rec Record
	if len(data) == 0 {
		return rec, "the file is empty"
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return rec, fmt.Sprintf("not valid JSON near byte %d", se.Offset)
		case errors.As(err, &te):
			return rec, fmt.Sprintf("field %q has the wrong type", te.Field)
		}
		return rec, "not valid JSON"
	}
	switch {
	case rec.Version != FormatVersion:
		return rec, fmt.Sprintf("unknown format version %d", rec.Version)
	case rec.Provider == "":
		return rec, "no provider recorded"
	case rec.Account == "":
		return rec, "no account recorded"
	case rec.Token.AccessToken == "" && rec.Token.RefreshToken == "":
		return rec, "no token in it"
	}
	return rec, ""
}

// Save writes rec atomically (temp file in the same folder, fsync, rename,
// fsync the folder); the file is 0600 whatever the umask. Created is kept
// from rec (set to now when zero), Updated is set to now. On failure the
// previous file is untouched.
func (s *Store) Save(rec *Record) error {
	if rec == nil {
		return errors.New("token store: nothing to save")
	}
	path, err := s.Path(rec.Account)
	if err != nil {
		return err
	}
	if rec.Provider == "" {
		return fmt.Errorf("account %q: token has no provider", rec.Account)
	}
	now := s.now().UTC()
	rec.Version = FormatVersion
	if rec.Created.IsZero() {
		rec.Created = now
	}
	rec.Updated = now
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return fmt.Errorf("account %q: cannot encode token: %w", rec.Account, err)
	}
	data = append(data, '\n')
	if _, err := s.ensureDir(); err != nil {
		return err
	}
	if err := writeAtomic(s.dir, path, data); err != nil {
		return fmt.Errorf("account %q: cannot save token in %s: %w", rec.Account, s.dir, err)
	}
	return nil
}

func writeAtomic(dir, path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+tmpInfix+"*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	// CreateTemp already uses 0600; chmod anyway so no umask or platform
	// default can widen it.
	if err = tmp.Chmod(fileMode); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if savepoint.BeforeRename != nil {
		savepoint.BeforeRename(tmpName)
	}
	if err = os.Rename(tmpName, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes the rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		// Some file systems cannot fsync folders (EINVAL); the rename is
		// still atomic there.
		return err
	}
	return nil
}

// Delete removes account's token file and any temporary file a killed
// save left beside it (they hold tokens too). Its lock file stays:
// removing it could break a lock another process holds. It returns an
// error wrapping ErrNoToken when there was no token file. Callers hold the
// account's lock, so that no refresh saves meanwhile.
func (s *Store) Delete(account string) error {
	path, err := s.Path(account)
	if err != nil {
		return err
	}
	for _, t := range s.temps(account) {
		os.Remove(t.path)
	}
	if err := os.Remove(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("account %q: %w", account, ErrNoToken)
		}
		return fmt.Errorf("account %q: cannot delete token: %w", account, err)
	}
	return syncDir(s.dir)
}

// Entry is one account in List: what `fittui auth list` shows. It never
// holds a token.
type Entry struct {
	Account       string
	Provider      string
	Path          string
	Expiry        time.Time // access token; zero: does not expire
	HasRefresh    bool
	RefreshExpiry time.Time
	Scopes        []string
	NeedsSignIn   bool
	SignInReason  string
	Created       time.Time
	Updated       time.Time
	// Err is set for a file that cannot be read (*CorruptError or I/O);
	// the other fields except Account and Path are then empty.
	Err error
}

// List returns every account in the store, sorted by name. Damaged files
// are listed with Err set rather than failing the whole list.
func (s *Store) List() ([]Entry, error) {
	des, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("token store: cannot list %s: %w", s.dir, err)
	}
	var out []Entry
	for _, de := range des {
		name := de.Name()
		// Links and pipes named like token files are listed (as damaged):
		// the person should see them.
		if de.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, fileExt) {
			continue
		}
		account, ok := accountFromFile(strings.TrimSuffix(name, fileExt))
		if !ok {
			continue
		}
		e := Entry{Account: account, Path: filepath.Join(s.dir, name)}
		rec, err := s.Load(account)
		if err != nil {
			e.Err = err
		} else {
			e.Provider = rec.Provider
			e.Expiry = rec.Token.Expiry
			e.HasRefresh = rec.Token.RefreshToken != ""
			e.RefreshExpiry = rec.RefreshExpiry
			e.Scopes = rec.Scopes
			e.NeedsSignIn = rec.NeedsSignIn
			e.SignInReason = rec.SignInReason
			e.Created = rec.Created
			e.Updated = rec.Updated
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Account < out[j].Account })
	return out, nil
}

// accountFromFile reverses fileBase; ok is false for names fileBase
// cannot have produced.
func accountFromFile(base string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(base); i++ {
		c := base[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(base) {
			return "", false
		}
		var v byte
		if _, err := fmt.Sscanf(base[i+1:i+3], "%02X", &v); err != nil {
			return "", false
		}
		b.WriteByte(v)
		i += 2
	}
	name := b.String()
	if ValidateAccount(name) != nil || fileBase(name) != base {
		return "", false
	}
	return name, true
}

// Lock takes account's cross-process lock, waiting until ctx is done. If
// the lock is busy, waiting is called once before waiting (for a debug
// log). The returned unlock must be called.
func (s *Store) Lock(ctx context.Context, account string, waiting func()) (unlock func(), err error) {
	if err := ValidateAccount(account); err != nil {
		return nil, err
	}
	if _, err := s.ensureDir(); err != nil {
		return nil, err
	}
	lockPath := filepath.Join(s.dir, fileBase(account)+lockExt)
	fl := flock.New(lockPath, flock.SetPermissions(fileMode))
	ok, err := fl.TryLock()
	if err == nil && !ok {
		if waiting != nil {
			waiting()
		}
		ok, err = fl.TryLockContext(ctx, 20*time.Millisecond)
	}
	if err != nil {
		return nil, fmt.Errorf("account %q: cannot lock token file: %w", account, err)
	}
	if !ok {
		return nil, fmt.Errorf("account %q: gave up waiting for the token lock: %w", account, ctx.Err())
	}
	// A strict umask may have created the lock file unreadable for the
	// next process; it holds no secret, but keep it at 0600 like the rest.
	_ = os.Chmod(lockPath, fileMode)
	return func() { fl.Unlock() }, nil
}
