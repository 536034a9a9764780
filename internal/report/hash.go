package report

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
)

// HashFiles returns the model hash of the given files: "sha256:" and the
// hex SHA-256 of their contents, taken in path order, each preceded by its
// length as 8 bytes big-endian (so moving bytes from one file to the next
// changes the hash). Paths set the order only: the same files read from
// another directory hash the same. read returns a file's bytes.
func HashFiles(paths []string, read func(path string) ([]byte, error)) (string, error) {
	sorted := slices.Clone(paths)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	h := sha256.New()
	var n [8]byte
	for _, p := range sorted {
		data, err := read(p)
		if err != nil {
			return "", fmt.Errorf("report: hash %s: %w", p, err)
		}
		binary.BigEndian.PutUint64(n[:], uint64(len(data)))
		h.Write(n[:])
		h.Write(data)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
