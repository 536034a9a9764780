// Package safeio reads input files with a size limit, refusing what is not
// a regular file.
//
// depgraph reads files the user names (saved feeds, incident files,
// Open-PSA models, import sources). Read without a bound, /dev/zero or a
// runaway file exhausts memory; opened without a check, a FIFO blocks
// forever. ReadFileLimit refuses devices, FIFOs, sockets and directories
// before opening for reading, opens without blocking, and stops reading
// one byte past the limit.
package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// DefaultLimit is a limit for files that hold one document depgraph reads
// (a model, a saved feed, an incident file): 32 MiB.
const DefaultLimit = 32 << 20

// ErrTooLarge is wrapped by the error for a file over the limit.
var ErrTooLarge = errors.New("file too large")

// ErrNotRegular is wrapped by the error for a path that is not a regular
// file (a directory, device, FIFO or socket).
var ErrNotRegular = errors.New("not a regular file")

// ReadFileLimit reads the regular file at path, of at most max bytes. Its
// errors name the path: "safeio: /dev/zero: not a regular file (a device)",
// "safeio: big.json: file too large (over 32 MiB)". Symbolic links are
// followed; what they point to must be a regular file.
func ReadFileLimit(path string, max int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regular(path, fi); err != nil {
		return nil, err
	}
	// O_NONBLOCK: a FIFO swapped in after the Stat must not block Open.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regular(path, fi); err != nil {
		return nil, err
	}
	if fi.Size() > max {
		return nil, tooLarge(path, max)
	}
	return ReadAllLimit(f, path, max)
}

// ReadAllLimit reads r to its end, failing once it passes max bytes; name
// names the input in the error (standard input, a URL).
func ReadAllLimit(r io.Reader, name string, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("safeio: read %s: %w", name, err)
	}
	if int64(len(data)) > max {
		return nil, tooLarge(name, max)
	}
	return data, nil
}

func tooLarge(name string, max int64) error {
	return fmt.Errorf("safeio: %s: %w (over %s)", name, ErrTooLarge, size(max))
}

// regular returns an error unless fi is a regular file.
func regular(path string, fi fs.FileInfo) error {
	m := fi.Mode()
	if m.IsRegular() {
		return nil
	}
	what := "not a file"
	switch {
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a FIFO"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		what = "a device"
	}
	return fmt.Errorf("safeio: %s: %w (%s)", path, ErrNotRegular, what)
}

// size prints n bytes for people.
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
