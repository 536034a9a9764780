package fetch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/depgraph/depgraph/internal/safeio"
)

// OfflineName maps a feed key or URL to the base name of its saved file in
// an offline directory: the URL scheme ("https://") is dropped, and every
// character other than an ASCII letter, digit, '.', '-' or '_' becomes '_'.
// So the key "github" maps to "github", and the URL
// "https://www.githubstatus.com/api/v2/summary.json" to
// "www.githubstatus.com_api_v2_summary.json".
//
// Fetcher.Offline looks a request's file up in this order, taking the
// first that exists:
//
//  1. OfflineName(key)
//  2. OfflineName(key) + any extension ("github.json", "github.rss"), when
//     exactly one such file exists
//  3. OfflineName(url)
//  4. OfflineName(url) + any extension, when exactly one exists
//
// Save writes files under name 1, so a saved directory replays as is.
func OfflineName(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '_':
		default:
			b[i] = '_'
		}
	}
	name := string(b)
	if name == "" || strings.Trim(name, ".") == "" {
		return "_" + name // never "", "." or ".."
	}
	return name
}

// offlineFile finds the saved file of key or url in dir, following the
// order OfflineName documents.
func offlineFile(dir, key, url string) (string, error) {
	var tried []string
	for _, s := range []string{key, url} {
		if s == "" {
			continue
		}
		name := OfflineName(s)
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
			return "", fmt.Errorf("fetch: offline: %s is not a regular file (a FIFO or device): save the feed as a file", p)
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
		// name holds no glob metacharacters, so the pattern is literal.
		matches, err := filepath.Glob(p + ".*")
		if err != nil {
			return "", err
		}
		var files []string
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
				files = append(files, m)
			}
		}
		switch len(files) {
		case 1:
			return files[0], nil
		case 0:
		default:
			return "", fmt.Errorf("fetch: offline: %d files match %s.* in %s (%s): keep one", len(files), name, dir, strings.Join(baseNames(files), ", "))
		}
		tried = append(tried, name, name+".*")
	}
	if len(tried) == 0 {
		return "", fmt.Errorf("fetch: offline: request has neither key nor URL")
	}
	return "", fmt.Errorf("fetch: offline: no saved feed for %q in %s (looked for %s)", key, dir, strings.Join(tried, ", "))
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}

// readOffline fills res from the request's saved file.
func (r *runner) readOffline(res *Result) {
	res.Attempts = 1
	p, err := offlineFile(r.offline, res.Key, res.URL)
	if err != nil {
		res.Err = err
		return
	}
	res.File = p
	// safeio refuses a FIFO or device saved under a feed's name (it would
	// block or never end) and stops past the size limit.
	body, err := safeio.ReadFileLimit(p, r.maxBytes)
	if errors.Is(err, safeio.ErrTooLarge) {
		res.Err = fmt.Errorf("fetch: offline: %s: %w: response larger than %d bytes", p, ErrTooLarge, r.maxBytes)
		return
	}
	if err != nil {
		res.Err = fmt.Errorf("fetch: offline: %w", err)
		return
	}
	res.Status = 200
	res.Body = body
}

// Save writes the body of every successful, changed result to dir under
// OfflineName(key), creating dir when missing, so that a later run with
// Fetcher.Offline set to dir replays them. Results that failed or were not
// modified are skipped. Each file is written to a temporary name and
// renamed, so a reader never sees half a file.
func Save(dir string, results []Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("fetch: save: %w", err)
	}
	var errs []error
	for _, r := range results {
		if r.Err != nil || r.NotModified || r.Body == nil {
			continue
		}
		if err := writeAtomic(filepath.Join(dir, OfflineName(r.Key)), r.Body); err != nil {
			errs = append(errs, fmt.Errorf("fetch: save %s: %w", r.Key, err))
		}
	}
	return errors.Join(errs...)
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), fs.FileMode(0o644))
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}
