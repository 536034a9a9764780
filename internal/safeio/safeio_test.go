package safeio

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	if err := os.WriteFile(small, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "feed.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	tests := []struct {
		name    string
		path    string
		max     int64
		want    string
		wantErr error
		errText string
	}{
		{"fits", small, 10, "0123456789", nil, ""},
		{"symlink to a file", link, 10, "0123456789", nil, ""},
		{"one byte over", small, 9, "", ErrTooLarge, "file too large (over 9 bytes)"},
		{"fifo refused without blocking", fifo, 10, "", ErrNotRegular, "a FIFO"},
		{"directory", dir, 10, "", ErrNotRegular, "a directory"},
		{"device", "/dev/zero", DefaultLimit, "", ErrNotRegular, "a device"},
		{"missing", filepath.Join(dir, "nope"), 10, "", fs.ErrNotExist, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadFileLimit(tt.path, tt.max)
			if tt.wantErr == nil {
				if err != nil || string(got) != tt.want {
					t.Fatalf("got %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.errText) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.wantErr, tt.errText)
			}
		})
	}
}

func TestReadAllLimit(t *testing.T) {
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	_, err = ReadAllLimit(f, "standard input", 1<<20)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "standard input: file too large (over 1 MiB)") {
		t.Fatalf("err = %v", err)
	}
}
