package cache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/adrg/xdg"

	"github.com/fittui/fittui/cache/safefile"
)

// Layout under the root ($XDG_CACHE_HOME/fittui by default): one folder
// per account (its name escaped to a safe folder name) holding one file
// per entry ("summary-2026-03-05.fc", ...), and ".budget/" holding the
// per-account request budgets shared by every fittui process.
//
// Every entry file is a 24-byte header (magic "FTC", format version,
// fetch time, payload length, CRC-32C of header and payload) followed by
// the payload. Writes go to a temporary file in the same folder, are
// synced and renamed into place, so a reader sees the old entry or the new
// one, never half of one. A truncated or corrupt entry is deleted and
// reported as a miss. The store is kept under a size cap by deleting the
// least recently used entries (file modification times, touched on read).

// DefaultMaxBytes is the default size cap of a store.
const DefaultMaxBytes = 256 << 20

// entryExt ends every entry file's name.
const entryExt = ".fc"

// budgetDir holds the request budgets; a dot name never collides with an
// escaped account name.
const budgetDir = ".budget"

// header layout.
const (
	headerLen  = 24
	magic      = "FTC"
	version    = 1
	touchEvery = time.Hour // reads refresh an entry's LRU time at most this often
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// DefaultRoot is $XDG_CACHE_HOME/fittui.
func DefaultRoot() string { return filepath.Join(xdg.CacheHome, "fittui") }

// Options configure a Store.
type Options struct {
	// Root folder; "": DefaultRoot().
	Root string
	// MaxBytes caps the entries' total size; 0: DefaultMaxBytes.
	MaxBytes int64
	// Now is the clock (LRU times); nil: time.Now.
	Now func() time.Time
	// OnDrop, if set, hears about every corrupt entry deleted (path and
	// why), e.g. for the debug log.
	OnDrop func(path string, err error)
	// FS writes entries and budgets' state; nil: OSFS (tests put faults
	// in it).
	FS FS
}

// Store is an on-disk cache of entries per account. It is safe for
// concurrent use, also by several processes sharing the root.
type Store struct {
	root   string
	max    int64
	now    func() time.Time
	onDrop func(string, error)
	fs     FS

	mu    sync.Mutex
	total int64 // approximate bytes of entries; -1: not counted yet
}

// Open returns the store at opt.Root, creating the folder (0700).
func Open(opt Options) (*Store, error) {
	if opt.Root == "" {
		opt.Root = DefaultRoot()
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.FS == nil {
		opt.FS = OSFS{}
	}
	if err := os.MkdirAll(opt.Root, 0o700); err != nil {
		return nil, fmt.Errorf("cache folder %s: %w", opt.Root, err)
	}
	return &Store{root: opt.Root, max: opt.MaxBytes, now: opt.Now, onDrop: opt.OnDrop, fs: opt.FS, total: -1}, nil
}

// Root returns the store's folder.
func (s *Store) Root() string { return s.root }

// Writable says whether entries can be written now: nil, or why not (a
// full disk, a read-only folder). It writes and deletes a small file.
func (s *Store) Writable() error {
	p := filepath.Join(s.root, ".probe-"+strconv.Itoa(os.Getpid()))
	defer os.Remove(p)
	// An entry's size, synced like one: a full disk refuses it.
	if err := s.fs.WriteAtomic(p, make([]byte, 4<<10), true); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}

// CorruptError says why an entry was dropped.
type CorruptError struct {
	Path   string
	Reason string
}

func (e *CorruptError) Error() string {
	return "cache entry " + e.Path + " is damaged (" + e.Reason + "); it was deleted and will be fetched again"
}

// AccountDir returns the folder name used for account: letters, digits,
// '-' and '_' stay; every other byte (and a leading '.') becomes %XX.
func AccountDir(account string) string {
	var b strings.Builder
	for i := 0; i < len(account); i++ {
		c := account[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' && i > 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	if b.Len() == 0 {
		return "%00"
	}
	return b.String()
}

// accountName reverses AccountDir.
func accountName(dir string) string {
	if dir == "%00" {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(dir); i++ {
		if dir[i] == '%' && i+2 < len(dir) {
			var c byte
			if _, err := fmt.Sscanf(dir[i+1:i+3], "%02X", &c); err == nil {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		b.WriteByte(dir[i])
	}
	return b.String()
}

func validKey(key string) error {
	if key == "" || len(key) > 100 || strings.HasPrefix(key, ".") {
		return fmt.Errorf("cache: bad entry key %q", key)
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("cache: bad entry key %q", key)
		}
	}
	return nil
}

func (s *Store) path(account, key string) string {
	return filepath.Join(s.root, AccountDir(account), key+entryExt)
}

// Entry is a stored answer.
type Entry struct {
	Payload []byte
	Fetched time.Time // when the provider answered
}

// Get reads an entry. ok is false when there is none, or when it was
// damaged (it is then deleted and OnDrop told).
func (s *Store) Get(account, key string) (e Entry, ok bool) {
	if validKey(key) != nil {
		return Entry{}, false
	}
	p := s.path(account, key)
	b, err := safefile.ReadFile(p, safefile.NoFollow, maxEntryBytes)
	if err != nil {
		if reason, damaged := openDamage(err); damaged {
			s.drop(p, reason)
		}
		return Entry{}, false
	}
	e, err = decodeEntry(b)
	if err != nil {
		s.drop(p, err.Error())
		return Entry{}, false
	}
	if fi, err := os.Stat(p); err == nil && s.now().Sub(fi.ModTime()) > touchEvery {
		t := s.now()
		_ = os.Chtimes(p, t, t) // best effort: only the LRU order suffers
	}
	return e, true
}

// maxEntryBytes bounds one entry file: the largest answer cached (a day
// of per-second heart rate) is a few MB, so anything near this is not an
// entry fittui wrote.
const maxEntryBytes = 64 << 20

// openDamage says whether an error opening an entry means the file is not
// an entry (a link, a named pipe, a device, far too large), and why.
func openDamage(err error) (reason string, damaged bool) {
	var nr *safefile.NotRegularError
	var tl *safefile.TooLargeError
	switch {
	case errors.As(err, &nr):
		return "it is " + nr.Kind + ", not a file fittui wrote", true
	case errors.As(err, &tl):
		return "larger than " + safefile.Size(tl.Limit), true
	}
	return "", false
}

func (s *Store) drop(p, reason string) {
	_ = os.Remove(p)
	if s.onDrop != nil {
		s.onDrop(p, &CorruptError{Path: p, Reason: reason})
	}
}

func encodeEntry(fetched time.Time, payload []byte) []byte {
	b := make([]byte, headerLen, headerLen+len(payload))
	copy(b, magic)
	b[3] = version
	binary.LittleEndian.PutUint64(b[4:], uint64(fetched.UnixNano()))
	binary.LittleEndian.PutUint32(b[12:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(b[16:], 0) // reserved
	b = append(b, payload...)
	crc := crc32.Update(crc32.Checksum(b[:20], castagnoli), castagnoli, b[headerLen:])
	binary.LittleEndian.PutUint32(b[20:], crc)
	return b
}

func decodeEntry(b []byte) (Entry, error) {
	switch {
	case len(b) < headerLen:
		return Entry{}, errors.New("shorter than its header")
	case string(b[:3]) != magic:
		return Entry{}, errors.New("not a fittui cache entry")
	case b[3] != version:
		return Entry{}, fmt.Errorf("format version %d, want %d", b[3], version)
	}
	n := binary.LittleEndian.Uint32(b[12:])
	if int64(len(b)-headerLen) != int64(n) {
		return Entry{}, fmt.Errorf("payload is %d bytes, header says %d", len(b)-headerLen, n)
	}
	crc := crc32.Update(crc32.Checksum(b[:20], castagnoli), castagnoli, b[headerLen:])
	if crc != binary.LittleEndian.Uint32(b[20:]) {
		return Entry{}, errors.New("checksum mismatch")
	}
	return Entry{Payload: b[headerLen:], Fetched: time.Unix(0, int64(binary.LittleEndian.Uint64(b[4:])))}, nil
}

// Put stores an entry atomically, then prunes if the store is over its cap.
func (s *Store) Put(account, key string, fetched time.Time, payload []byte) error {
	if err := validKey(key); err != nil {
		return err
	}
	if int64(len(payload))+headerLen > maxEntryBytes {
		return fmt.Errorf("cache: an answer of %d bytes is larger than an entry may be (%s)", len(payload), safefile.Size(maxEntryBytes))
	}
	p := s.path(account, key)
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	var old int64
	if fi, err := os.Stat(p); err == nil {
		old = fi.Size()
	}
	data := encodeEntry(fetched, payload)
	if err := s.fs.WriteAtomic(p, data, true); err != nil {
		return fmt.Errorf("cache: writing %s: %w", p, err)
	}
	s.mu.Lock()
	over := false
	if s.total >= 0 {
		s.total += int64(len(data)) - old
		over = s.total > s.max
	}
	counted := s.total >= 0
	s.mu.Unlock()
	if !counted || over {
		return s.Prune()
	}
	return nil
}

// writeAtomic writes data to a temporary file in dir, syncs it (when
// sync) and renames it to p.
func writeAtomic(dir, p string, data []byte, sync bool) error {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

type fileInfo struct {
	path    string
	account string
	size    int64
	mod     time.Time
}

// walk lists every entry (and stale temporary file, with account "").
func (s *Store) walk() ([]fileInfo, error) {
	dirs, err := os.ReadDir(s.root)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("cache: %w", err)
	}
	var out []fileInfo
	for _, d := range dirs {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			continue
		}
		dir := filepath.Join(s.root, d.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, f := range files {
			name := f.Name()
			tmp := strings.HasPrefix(name, ".tmp-")
			if f.IsDir() || !tmp && !strings.HasSuffix(name, entryExt) {
				continue
			}
			fi, err := f.Info()
			if err != nil {
				continue
			}
			acc := accountName(d.Name())
			if tmp {
				if s.now().Sub(fi.ModTime()) < time.Hour {
					continue // perhaps another process is writing it
				}
				acc = ""
			}
			out = append(out, fileInfo{path: filepath.Join(dir, name), account: acc, size: fi.Size(), mod: fi.ModTime()})
		}
	}
	return out, nil
}

// Prune deletes temporary files left by crashes and, while the store is
// over its cap, the least recently used entries until it is under 90% of
// the cap.
func (s *Store) Prune() error {
	files, err := s.walk()
	if err != nil {
		return err
	}
	if tmps, _ := filepath.Glob(filepath.Join(s.root, budgetDir, ".tmp-*")); len(tmps) > 0 {
		for _, p := range tmps {
			if fi, err := os.Stat(p); err == nil && s.now().Sub(fi.ModTime()) > time.Hour {
				_ = os.Remove(p)
			}
		}
	}
	var total int64
	kept := files[:0]
	for _, f := range files {
		if f.account == "" && strings.HasPrefix(filepath.Base(f.path), ".tmp-") {
			_ = os.Remove(f.path)
			continue
		}
		total += f.size
		kept = append(kept, f)
	}
	if total > s.max {
		sort.Slice(kept, func(i, j int) bool { return kept[i].mod.Before(kept[j].mod) })
		target := s.max / 10 * 9
		for _, f := range kept {
			if total <= target {
				break
			}
			if os.Remove(f.path) == nil {
				total -= f.size
			}
		}
	}
	s.mu.Lock()
	s.total = total
	s.mu.Unlock()
	return nil
}

// AccountInfo is what `fittui cache info` shows for one account.
type AccountInfo struct {
	Account string
	Bytes   int64
	Entries int
	Oldest  time.Time // fetch time of the oldest entry
	Newest  time.Time // fetch time of the newest entry
}

// Info lists the accounts in the store, sorted by name. Entries whose
// header is damaged are dropped on the way and not counted.
func (s *Store) Info() ([]AccountInfo, error) {
	files, err := s.walk()
	if err != nil {
		return nil, err
	}
	by := map[string]*AccountInfo{}
	for _, f := range files {
		if f.account == "" && strings.HasPrefix(filepath.Base(f.path), ".tmp-") {
			continue
		}
		fetched, err := readFetched(f.path)
		if err != nil {
			s.drop(f.path, err.Error())
			continue
		}
		ai := by[f.account]
		if ai == nil {
			ai = &AccountInfo{Account: f.account}
			by[f.account] = ai
		}
		ai.Bytes += f.size
		ai.Entries++
		if ai.Oldest.IsZero() || fetched.Before(ai.Oldest) {
			ai.Oldest = fetched
		}
		if fetched.After(ai.Newest) {
			ai.Newest = fetched
		}
	}
	out := make([]AccountInfo, 0, len(by))
	for _, ai := range by {
		out = append(out, *ai)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Account < out[j].Account })
	return out, nil
}

// readFetched reads an entry's fetch time from its header alone (info
// must stay quick on a full cache); a header that does not match the
// file's size is damage. Payload checksums are checked on Get.
func readFetched(p string) (time.Time, error) {
	f, fi, err := safefile.Open(p, safefile.NoFollow)
	if err != nil {
		if reason, damaged := openDamage(err); damaged {
			return time.Time{}, errors.New(reason)
		}
		return time.Time{}, err
	}
	defer f.Close()
	var h [headerLen]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return time.Time{}, errors.New("shorter than its header")
	}
	switch {
	case string(h[:3]) != magic:
		return time.Time{}, errors.New("not a fittui cache entry")
	case h[3] != version:
		return time.Time{}, fmt.Errorf("format version %d, want %d", h[3], version)
	case fi.Size()-headerLen != int64(binary.LittleEndian.Uint32(h[12:])):
		return time.Time{}, fmt.Errorf("payload is %d bytes, header says %d", fi.Size()-headerLen, binary.LittleEndian.Uint32(h[12:]))
	}
	return time.Unix(0, int64(binary.LittleEndian.Uint64(h[4:]))), nil
}

// Clear deletes the entries of account, or of every account when account
// is "". Request budgets are kept: forgetting them would let fittui spend
// more than a provider allows.
func (s *Store) Clear(account string) error {
	var dirs []string
	if account != "" {
		dirs = []string{filepath.Join(s.root, AccountDir(account))}
	} else {
		ents, err := os.ReadDir(s.root)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cache: %w", err)
		}
		for _, d := range ents {
			if d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				dirs = append(dirs, filepath.Join(s.root, d.Name()))
			}
		}
	}
	for _, d := range dirs {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("cache: clearing %s: %w", d, err)
		}
	}
	s.mu.Lock()
	s.total = -1
	s.mu.Unlock()
	return nil
}
