package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// SchemaVersion is the schema version this package writes. Open migrates an
// older store up to it and refuses a newer one.
var SchemaVersion = len(migrations)

// BusyTimeout is how long a statement waits for another connection or
// process that holds the write lock before it fails with SQLITE_BUSY.
const BusyTimeout = 10 * time.Second

// Store is an open incident history database. It is safe for concurrent use
// by several goroutines; writes are serialized by SQLite.
type Store struct {
	db   *sql.DB
	path string
	// now is the clock used for first_seen/last_seen and default windows.
	now func() time.Time

	// stmts caches prepared statements by SQL text; Record's statements
	// are parsed once per connection instead of once per call.
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	// readOnly is set by OpenReadOnly.
	readOnly bool
	// version is the schema version of a store opened read-only, which
	// may be older than SchemaVersion (see minReadVersion); Open migrates,
	// so its stores are always at SchemaVersion.
	version int
}

// minReadVersion is the oldest schema OpenReadOnly reads: the incident
// tables have not changed since version 1; version 2 added the watch's
// tables, which only `watch` (through Open) uses.
const minReadVersion = 1

// DefaultPath returns where the store lives when the user names none:
// $XDG_STATE_HOME/depgraph/depgraph.db, or ~/.local/state/depgraph/depgraph.db
// when XDG_STATE_HOME is unset or not absolute (as the XDG base directory
// specification asks).
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "depgraph", "depgraph.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("store: find default path: %w (set XDG_STATE_HOME or pass a path)", err)
	}
	return filepath.Join(home, ".local", "state", "depgraph", "depgraph.db"), nil
}

// ErrNoStore is wrapped by OpenReadOnly's error when no store exists at
// the path (it also matches fs.ErrNotExist).
var ErrNoStore = errors.New("no incident store there")

type noStoreError struct{ path string }

func (e *noStoreError) Error() string {
	return fmt.Sprintf("store: open %s: %v (run `depgraph ingest --db %s` to create one)", e.path, ErrNoStore, e.path)
}

func (e *noStoreError) Is(target error) bool { return target == ErrNoStore || target == fs.ErrNotExist }

// fileURI returns the SQLite URI naming the file at path. The path is made
// absolute and every byte SQLite's URI syntax would read ('%', '?', '#')
// or that is not printable ASCII is percent-encoded, so that the file
// opened is the file named: "a%41b.db" opens "a%41b.db", never "aAb.db".
func fileURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("file:")
	for i := 0; i < len(abs); i++ {
		c := abs[i]
		if c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

// Open opens the store at path for reading and writing, creating the file
// and its parent directories when missing, and migrates its schema to
// SchemaVersion. The database runs in WAL mode with foreign keys on and a
// busy timeout of BusyTimeout. Any file name is taken literally ('%', '?'
// and '#' included).
//
// Commands that only read open the store with OpenReadOnly instead.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: open: empty path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: open: %w", err)
		}
	}
	uri, err := fileURI(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	dsn := uri +
		"?_pragma=busy_timeout(" + fmt.Sprint(BusyTimeout.Milliseconds()) + ")" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(1)" +
		"&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, now: func() time.Time { return time.Now().UTC() }, version: SchemaVersion}
	if err := retryBusy(context.Background(), BusyTimeout, s.migrate); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := s.prepare(context.Background(), recordSQL); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// OpenReadOnly opens an existing store for reading only: it never creates
// a file or a directory, never migrates, and works on a store the user may
// not write (a file without write permission, or in a read-only
// directory). A missing store is an error matching ErrNoStore and
// fs.ErrNotExist; a store of an older schema is an error asking for an
// ingest, which migrates it. Record on a read-only store fails.
//
// The database is opened with mode=ro; when the file or its directory is
// not writable (SQLite could not create the WAL's shared-memory file) it is
// opened immutable, which reads without locking: a snapshot of what the
// file holds.
func OpenReadOnly(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: open: empty path")
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &noStoreError{path: path}
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("store: open %s: not a regular file", path)
	}
	uri, err := fileURI(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	params := "?mode=ro"
	if !writable(path) || !writable(filepath.Dir(path)) {
		params += "&immutable=1"
	}
	dsn := uri + params +
		"&_pragma=busy_timeout(" + fmt.Sprint(BusyTimeout.Milliseconds()) + ")" +
		"&_pragma=query_only(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, now: func() time.Time { return time.Now().UTC() }, readOnly: true}
	v, err := s.Version(context.Background())
	if err != nil {
		db.Close()
		if msg := err.Error(); strings.Contains(msg, "no such table") || strings.Contains(msg, "not a database") {
			return nil, fmt.Errorf("store: open %s: not a depgraph store: %w", path, err)
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	switch {
	case v > len(migrations):
		db.Close()
		return nil, fmt.Errorf("store: open %s: schema version %d is newer than this depgraph knows (%d): upgrade depgraph", path, v, len(migrations))
	case v < minReadVersion:
		db.Close()
		return nil, fmt.Errorf("store: open %s: schema version %d is older than this depgraph's (%d): run `depgraph ingest --db %s` once to migrate it", path, v, len(migrations), path)
	}
	s.version = v
	return s, nil
}

// writable reports whether the process may write path.
func writable(path string) bool {
	return syscall.Access(path, 2 /* W_OK */) == nil
}

// ReadOnly reports whether the store was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Version returns the schema version recorded in the database.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}

// txStmt returns query as a statement of tx: the statement prepared at
// Open when there is one (database/sql then parses it once per
// connection), else a fresh one. It never waits for a second connection,
// so it cannot deadlock a pool of one.
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	st := s.stmts[query]
	s.mu.Unlock()
	if st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	return tx.PrepareContext(ctx, query)
}

// txExec runs query in tx.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// txQueryRow runs query in tx for one row.
func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Row, error) {
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(ctx, args...), nil
}

// prepare prepares queries for txStmt.
func (s *Store) prepare(ctx context.Context, queries []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	for _, q := range queries {
		if s.stmts[q] != nil {
			continue
		}
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", strings.Fields(q)[0], err)
		}
		s.stmts[q] = st
	}
	return nil
}

// migrate creates the version table and applies every migration the
// database lacks, each in its own immediate transaction, so that two
// processes opening a fresh store at once apply each migration once.
func (s *Store) migrate(ctx context.Context) error {
	for {
		done, err := s.migrateOne(ctx)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// retryBusy runs f until it returns anything but SQLITE_BUSY, or until
// timeout has passed. SQLite's busy handler covers waiting for a lock held
// by another connection, but not the switch of a fresh file to WAL mode
// that each new connection's pragma makes: two processes creating the
// same store at once can see SQLITE_BUSY at once from it. The switch is
// brief, so a short back-off and another try succeeds.
func retryBusy(ctx context.Context, timeout time.Duration, f func(context.Context) error) error {
	deadline := time.Now().Add(timeout)
	wait := time.Millisecond
	for {
		err := f(ctx)
		if err == nil || !isBusy(err) || time.Now().Add(wait).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY, primary or extended.
func isBusy(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == sqliteBusy
}

// sqliteBusy is SQLite's primary result code SQLITE_BUSY.
const sqliteBusy = 5

// migrateOne applies the next missing migration. It reports done when the
// schema is already current.
func (s *Store) migrateOne(ctx context.Context) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("begin migration: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version INTEGER NOT NULL,
		single  INTEGER PRIMARY KEY CHECK (single = 1)
	) STRICT`); err != nil {
		return false, fmt.Errorf("create version table: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO schema_version(version, single) VALUES (0, 1)`); err != nil {
		return false, fmt.Errorf("init version table: %w", err)
	}
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case v > len(migrations):
		return false, fmt.Errorf("schema version %d is newer than this depgraph knows (%d): upgrade depgraph", v, len(migrations))
	case v == len(migrations):
		return true, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("migrate schema to version %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, v+1); err != nil {
		return false, fmt.Errorf("bump schema version to %d: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit migration to version %d: %w", v+1, err)
	}
	return false, nil
}

// timeLayout is the fixed-width UTC form times are stored in; it sorts
// lexically in time order for years 0000 to 9999.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// fmtTime renders t for storage.
func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseTime reads a stored time; the empty string is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: bad stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}
