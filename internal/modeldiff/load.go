package modeldiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
)

// GitPrefix marks a side given as a git revision: "git:REV:path".
const GitPrefix = "git:"

// Load loads one side of a diff: a model file or directory, or
// "git:REV:path" (path relative to dir, the git working directory; "" is
// the current directory). opts supplies the catalogs; its Paths and
// Default are ignored.
func Load(ctx context.Context, spec, dir string, opts ingest.Options) (*model.Model, error) {
	opts.Default = nil
	opts.Includes = nil
	if !strings.HasPrefix(spec, GitPrefix) {
		opts.Paths = []string{spec}
		res, err := ingest.Load(opts)
		if err != nil {
			return nil, err
		}
		return res.Model, nil
	}
	rev, path, ok := strings.Cut(strings.TrimPrefix(spec, GitPrefix), ":")
	if !ok || rev == "" || path == "" {
		return nil, ingest.ErrorList{{Pos: model.Pos{File: spec}, Msg: "malformed git revision", Hint: "write git:REV:path, e.g. git:HEAD~1:acme.yaml"}}
	}
	tmp, err := os.MkdirTemp("", "depgraph-diff-*")
	if err != nil {
		return nil, fmt.Errorf("modeldiff: %w", err)
	}
	defer os.RemoveAll(tmp)
	files, err := git(ctx, dir, "ls-tree", "-r", "--name-only", "--full-name", rev, "--", path)
	if err != nil {
		return nil, ingest.ErrorList{{Pos: model.Pos{File: spec}, Msg: err.Error()}}
	}
	prefix, _ := git(ctx, dir, "rev-parse", "--show-prefix")
	prefix = strings.TrimSpace(prefix)
	var names []string
	for _, f := range strings.Split(strings.TrimSpace(files), "\n") {
		if f == "" || !(strings.HasSuffix(f, ".yaml") || strings.HasSuffix(f, ".yml")) {
			continue
		}
		data, err := git(ctx, dir, "show", rev+":"+f)
		if err != nil {
			return nil, ingest.ErrorList{{Pos: model.Pos{File: spec}, Msg: err.Error()}}
		}
		rel := strings.TrimPrefix(f, prefix)
		dst := filepath.Join(tmp, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, fmt.Errorf("modeldiff: %w", err)
		}
		if err := os.WriteFile(dst, []byte(data), 0o644); err != nil {
			return nil, fmt.Errorf("modeldiff: %w", err)
		}
		names = append(names, rel)
	}
	if len(names) == 0 {
		return nil, ingest.ErrorList{{Pos: model.Pos{File: spec}, Msg: fmt.Sprintf("no *.yaml or *.yml file at %s in revision %s", path, rev)}}
	}
	opts.Paths = []string{filepath.Join(tmp, filepath.FromSlash(path))}
	// Name the files as git:REV:path in every position.
	rename := func(p model.Pos) model.Pos {
		if rel, ok := strings.CutPrefix(p.File, tmp+string(filepath.Separator)); ok {
			p.File = GitPrefix + rev + ":" + filepath.ToSlash(rel)
		}
		return p
	}
	res, err := ingest.Load(opts)
	if err != nil {
		var el ingest.ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				e.Pos = rename(e.Pos)
			}
			return nil, el
		}
		return nil, err
	}
	m := res.Model
	for i, f := range m.Files {
		m.Files[i] = rename(model.Pos{File: f}).File
	}
	for _, n := range m.Nodes {
		n.Pos = rename(n.Pos)
		if n.Origin != "" && !strings.HasPrefix(n.Origin, "catalog:") {
			n.Origin = rename(model.Pos{File: n.Origin}).File
		}
		for i := range n.DependsOn {
			n.DependsOn[i].Pos = rename(n.DependsOn[i].Pos)
		}
		for i := range n.Sources {
			n.Sources[i].Pos = rename(n.Sources[i].Pos)
		}
	}
	return m, nil
}

// git runs a git command in dir and returns its output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errOut.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out.String(), nil
}
