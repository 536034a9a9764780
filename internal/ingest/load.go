package ingest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/suggest"
)

// Options says what to load.
type Options struct {
	// Paths are model files or directories (every *.yaml and *.yml in a
	// directory, sorted by name). When empty, Default is loaded.
	Paths []string
	// Default is the model used when Paths is empty: a file name (for
	// messages) and an fs.FS to read it from.
	Default *FSFile
	// CatalogDirs are searched, in order, for `include: [name]` before
	// the built-in catalogs.
	CatalogDirs []string
	// Catalogs holds the built-in catalogs as NAME.yaml at its root; nil
	// means none.
	Catalogs fs.FS
	// Includes are loaded as if a model file included them (catalog
	// names, or paths relative to the working directory).
	Includes []string
	// AllowOutsideIncludes lets a file include files outside its own
	// directory tree. Without it such includes are refused, so that a
	// model (say, from a pull request) cannot make depgraph read
	// arbitrary files such as credentials.
	AllowOutsideIncludes bool
}

// FSFile names a file inside an fs.FS.
type FSFile struct {
	FS   fs.FS
	Name string
}

// Result is a loaded model and the warnings met on the way.
type Result struct {
	Model    *model.Model
	Warnings []*Warning
}

// catalogDisplayDir is how embedded catalog files are named in messages.
const catalogDisplayDir = "catalogs"

// source is one file to load and how to read it.
type source struct {
	display string // name used in messages and model.Pos
	builtIn bool   // read from an embedded file system
	key     string // identity, so each file loads once
	origin  string // model.Node.Origin for its nodes
	read    func() ([]byte, error)
	dir     func(rel string, outside bool) (source, error) // resolves relative includes; outside allows leaving the tree
}

// Load reads, checks and returns the model described by opts. On failure
// the error is an ErrorList holding every problem found.
func Load(opts Options) (*Result, error) {
	l := &loader{opts: opts, loaded: map[string]bool{}, builtIn: map[string]bool{}}
	for _, dir := range opts.CatalogDirs {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			l.errs = append(l.errs, &Error{Pos: model.Pos{File: dir}, Msg: "catalog directory not found", Hint: "--catalog names a directory of NAME.yaml catalog files"})
		}
	}
	var queue []source
	if len(opts.Includes) > 0 {
		root := diskSource(".")
		root.display = "command line"
		for _, name := range opts.Includes {
			if s, ok := l.resolveInclude(root, rawInclude{name: name, pos: model.Pos{File: "command line"}}); ok {
				queue = append(queue, s)
			}
		}
	}
	if len(opts.Paths) == 0 && len(opts.Includes) == 0 {
		if opts.Default == nil {
			return nil, ErrorList{{Msg: "no model given", Hint: "pass -m FILE"}}
		}
		queue = append(queue, fsSource(opts.Default.FS, opts.Default.Name, opts.Default.Name, "example:"+opts.Default.Name))
	}
	for _, p := range opts.Paths {
		srcs, err := diskSources(p)
		if err != nil {
			l.errs = append(l.errs, &Error{Pos: model.Pos{File: p}, Msg: err.Error()})
			continue
		}
		queue = append(queue, srcs...)
	}
	for len(queue) > 0 {
		src := queue[0]
		queue = queue[1:]
		if l.loaded[src.key] {
			continue
		}
		l.loaded[src.key] = true
		if src.builtIn {
			l.builtIn[src.display] = true
		}
		queue = append(queue, l.loadFile(src)...)
	}
	l.check()
	l.markBuiltIn(l.errs)
	l.markBuiltIn(l.warnings)
	if len(l.errs) > 0 {
		return nil, l.errs.sort()
	}
	return &Result{Model: &l.model, Warnings: l.warnings}, nil
}

// applyOverlays applies every `extend:` entry to its target, in load
// order, recording what each changed (see model.Overlay).
func (l *loader) applyOverlays(index map[string]*model.Node) {
	setBy := map[string]*model.Overlay{} // target + "\x00" + field → the overlay that set it
	for _, o := range l.model.Overlays {
		n, ok := index[o.Target]
		if !ok {
			l.errs = append(l.errs, &Error{Pos: o.Pos, Msg: fmt.Sprintf("extend: unknown node %q", o.Target), Hint: l.unknownHint(o.Target, sortedIDs(index))})
			continue
		}
		for _, g := range o.Given {
			replace := slices.Contains(o.Replace, g.Name)
			conflict := func(has bool) bool {
				if !has || replace {
					return false
				}
				hint := fmt.Sprintf("%s is set at %s: add `replace: [%s]` and a `reason:` to override it", g.Name, l.where(n.Pos), g.Name)
				if prev := setBy[o.Target+"\x00"+g.Name]; prev != nil {
					hint = fmt.Sprintf("the overlay at %s sets it already", l.where(prev.Pos))
				}
				l.errs = append(l.errs, &Error{Pos: g.Pos, Msg: fmt.Sprintf("extend %s: the node has %s set already", o.Target, g.Name), Hint: hint})
				return true
			}
			change := g.Name
			if replace {
				change += " replaced"
			}
			switch g.Name {
			case "depends_on":
				added := o.Fields.DependsOn
				if replace {
					kept := slices.DeleteFunc(slices.Clone(n.DependsOn), func(d model.Dependency) bool { return !d.PartOf })
					n.DependsOn = append(kept, added...)
				} else {
					for _, d := range added {
						for _, t := range d.Targets() {
							if !d.IsGroup() && slices.ContainsFunc(n.DependsOn, func(e model.Dependency) bool { return !e.IsGroup() && e.ID == t }) {
								l.errs = append(l.errs, &Error{Pos: d.Pos, Msg: fmt.Sprintf("extend %s: the node depends on %q already", o.Target, t), Hint: "add `replace: [depends_on]` and a `reason:` to change how"})
							}
						}
					}
					n.DependsOn = append(n.DependsOn, added...)
				}
				var ts []string
				for _, d := range added {
					ts = append(ts, strings.Join(d.Targets(), "|"))
				}
				change += " +" + strings.Join(ts, " +")
			case "tags":
				n.Tags = mergeList(n.Tags, o.Fields.Tags, replace)
				change += " +" + strings.Join(o.Fields.Tags, " +")
			case "aliases":
				n.Aliases = mergeList(n.Aliases, o.Fields.Aliases, replace)
				change += " +" + strings.Join(o.Fields.Aliases, " +")
			case "sources":
				if replace {
					n.Sources = nil
				}
				n.Sources = append(n.Sources, o.Fields.Sources...)
				change += fmt.Sprintf(" +%d", len(o.Fields.Sources))
			case "meta":
				if replace || n.Meta == nil {
					n.Meta = map[string]any{}
				}
				var keys []string
				for k, v := range o.Fields.Meta {
					if _, has := n.Meta[k]; has {
						l.errs = append(l.errs, &Error{Pos: g.Pos, Msg: fmt.Sprintf("extend %s: meta key %q is set already", o.Target, k), Hint: "add `replace: [meta]` and a `reason:` to override the node's meta"})
						continue
					}
					n.Meta[k] = v
					keys = append(keys, k)
				}
				slices.Sort(keys)
				change += " +" + strings.Join(keys, " +")
			case "status":
				if conflict(n.Status != nil) {
					continue
				}
				n.Status = o.Fields.Status
				change += " " + n.Status.Type + " " + n.Status.URL
			case "unavailability":
				if conflict(n.Unavailability != nil) {
					continue
				}
				n.Unavailability = o.Fields.Unavailability
				change += " " + strconv.FormatFloat(*n.Unavailability, 'g', -1, 64)
			case "owner":
				if conflict(n.Owner != "") {
					continue
				}
				n.Owner = o.Fields.Owner
				change += " " + n.Owner
			case "confidence":
				if conflict(n.Confidence != "") {
					continue
				}
				n.Confidence = o.Fields.Confidence
				change += " " + n.Confidence
			}
			setBy[o.Target+"\x00"+g.Name] = o
			o.Changes = append(o.Changes, change)
		}
	}
}

// mergeList adds the strings of add to list that it lacks, or replaces
// list with add.
func mergeList(list, add []string, replace bool) []string {
	if replace {
		return slices.Clone(add)
	}
	for _, s := range add {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

// where formats p for a message, saying when it is in a built-in file.
func (l *loader) where(p model.Pos) string {
	e := Error{Pos: p, BuiltIn: l.builtIn[p.File]}
	return e.Where()
}

// markBuiltIn flags the errors positioned in built-in files.
func (l *loader) markBuiltIn(list ErrorList) {
	for _, e := range list {
		e.BuiltIn = l.builtIn[e.Pos.File]
	}
}

type loader struct {
	opts     Options
	loaded   map[string]bool
	builtIn  map[string]bool // display names of the embedded files loaded
	model    model.Model
	catalogs []string
	errs     ErrorList
	warnings ErrorList
	// catalogIDs maps ids defined by any available catalog to its name;
	// built only when an unknown id needs a hint.
	catalogIDs map[string]string
}

// loadFile decodes one file and returns the sources it includes.
func (l *loader) loadFile(src source) []source {
	data, err := src.read()
	if err != nil {
		l.errs = append(l.errs, &Error{Pos: model.Pos{File: src.display}, Msg: err.Error()})
		return nil
	}
	rf, errs := decodeFile(src.display, src.origin, data)
	l.errs = append(l.errs, errs...)
	if rf == nil {
		return nil
	}
	l.model.Files = append(l.model.Files, src.display)
	l.model.Digests = append(l.model.Digests, model.FileDigest{File: src.display, Size: len(data), SHA256: sha256.Sum256(data)})
	l.model.Nodes = append(l.model.Nodes, rf.nodes...)
	l.model.Overlays = append(l.model.Overlays, rf.overlays...)
	if rf.catalog != "" {
		l.catalogs = append(l.catalogs, rf.catalog)
	}
	var next []source
	for _, inc := range rf.includes {
		s, ok := l.resolveInclude(src, inc)
		if ok {
			next = append(next, s)
		}
	}
	return next
}

// isPath reports whether an include names a file rather than a catalog.
func isPath(name string) bool {
	return strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// resolveInclude finds the file an include names.
func (l *loader) resolveInclude(from source, inc rawInclude) (source, bool) {
	if isPath(inc.name) {
		s, err := from.dir(inc.name, l.opts.AllowOutsideIncludes)
		switch {
		case errors.Is(err, errOutside):
			l.errs = append(l.errs, &Error{Pos: inc.pos, Msg: fmt.Sprintf("included file %q is outside the including file's directory", inc.name), Hint: "move it beside the model, or pass --allow-outside-includes if you trust the model"})
			return source{}, false
		case err != nil:
			l.errs = append(l.errs, &Error{Pos: inc.pos, Msg: fmt.Sprintf("included file %q not found", inc.name), Hint: "paths are relative to the including file"})
			return source{}, false
		}
		return s, true
	}
	for _, dir := range l.opts.CatalogDirs {
		p := filepath.Join(dir, inc.name+".yaml")
		if regularFile(p) {
			s := diskSource(p)
			s.origin = "catalog:" + inc.name
			return s, true
		}
	}
	if l.opts.Catalogs != nil {
		if _, err := fs.Stat(l.opts.Catalogs, inc.name+".yaml"); err == nil {
			return fsSource(l.opts.Catalogs, inc.name+".yaml", path.Join(catalogDisplayDir, inc.name+".yaml"), "catalog:"+inc.name), true
		}
	}
	names := l.catalogNames()
	hint := "no catalog has that name"
	if c := suggest.Closest(inc.name, names); c != "" {
		hint = "did you mean `" + c + "`?"
	} else if len(names) > 0 {
		hint = "`depgraph catalog list` shows the catalogs"
	}
	l.errs = append(l.errs, &Error{Pos: inc.pos, Msg: fmt.Sprintf("unknown catalog %q", inc.name), Hint: hint})
	return source{}, false
}

// catalogNames lists every catalog available to includes.
func (l *loader) catalogNames() []string {
	var names []string
	add := func(file string) {
		if base, ok := strings.CutSuffix(file, ".yaml"); ok {
			names = append(names, base)
		}
	}
	for _, dir := range l.opts.CatalogDirs {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			add(e.Name())
		}
	}
	if l.opts.Catalogs != nil {
		entries, _ := fs.ReadDir(l.opts.Catalogs, ".")
		for _, e := range entries {
			add(e.Name())
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// check validates the whole model across files: unique ids and resolvable,
// non-self dependencies.
func (l *loader) check() {
	slices.Sort(l.catalogs)
	l.model.Catalogs = slices.Compact(l.catalogs)
	index := make(map[string]*model.Node, len(l.model.Nodes))
	for _, n := range l.model.Nodes {
		if n.ID == "" {
			continue
		}
		if first, dup := index[n.ID]; dup {
			at, other := n, first
			if l.builtIn[n.Pos.File] && !l.builtIn[first.Pos.File] {
				at, other = first, n // point at the user's own file
			}
			hint := "also defined at " + l.where(other.Pos)
			if l.builtIn[other.Pos.File] {
				hint += ": use the catalog's node instead of defining it again"
			}
			l.errs = append(l.errs, &Error{Pos: at.Pos, Msg: fmt.Sprintf("duplicate id %q", n.ID), Hint: hint})
			continue
		}
		index[n.ID] = n
	}
	l.applyOverlays(index)
	var ids []string // built lazily for suggestions
	for _, n := range l.model.Nodes {
		if n.Status != nil {
			for i, h := range n.Status.HostedOn {
				if _, ok := index[h]; !ok {
					if ids == nil {
						ids = sortedIDs(index)
					}
					l.errs = append(l.errs, &Error{Pos: n.Status.HostedOnPos[i], Msg: fmt.Sprintf("status hosted_on: unknown node %q", h), Hint: l.unknownHint(h, ids)})
				}
			}
		}
		for _, dep := range n.DependsOn {
			for i, target := range dep.Targets() {
				pos := dep.Pos
				if dep.IsGroup() {
					pos = dep.MemberPos[i]
				}
				if target == n.ID {
					l.errs = append(l.errs, &Error{Pos: pos, Msg: fmt.Sprintf("%q depends on itself", n.ID), Hint: "remove the entry; a node's own failure is always counted"})
					continue
				}
				if _, ok := index[target]; ok {
					continue
				}
				if ids == nil {
					ids = sortedIDs(index)
				}
				l.errs = append(l.errs, &Error{Pos: pos, Msg: fmt.Sprintf("unknown dependency %q", target), Hint: l.unknownHint(target, ids)})
			}
		}
	}
}

func sortedIDs(index map[string]*model.Node) []string {
	ids := make([]string, 0, len(index))
	for id := range index {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// unknownHint suggests a fix for a dependency on an unknown id.
func (l *loader) unknownHint(target string, ids []string) string {
	if c := suggest.Suffix(target, ids); c != "" {
		return "did you mean `" + c + "`?"
	}
	if cat := l.catalogDefining(target); cat != "" {
		return fmt.Sprintf("catalog %q defines it: add `include: [%s]`", cat, cat)
	}
	if c := suggest.Closest(target, ids); c != "" {
		return "did you mean `" + c + "`?"
	}
	return ""
}

// catalogDefining returns the catalog that defines id, decoding every
// available catalog once on first use.
func (l *loader) catalogDefining(id string) string {
	if l.catalogIDs == nil {
		l.catalogIDs = map[string]string{}
		for _, name := range l.catalogNames() {
			src, ok := l.catalogSource(name)
			if !ok {
				continue
			}
			data, err := src.read()
			if err != nil {
				continue
			}
			if rf, _ := decodeFile(src.display, src.origin, data); rf != nil {
				for _, n := range rf.nodes {
					if _, taken := l.catalogIDs[n.ID]; !taken {
						l.catalogIDs[n.ID] = name
					}
				}
			}
		}
	}
	return l.catalogIDs[id]
}

func (l *loader) catalogSource(name string) (source, bool) {
	for _, dir := range l.opts.CatalogDirs {
		p := filepath.Join(dir, name+".yaml")
		if regularFile(p) {
			return diskSource(p), true
		}
	}
	if l.opts.Catalogs != nil {
		return fsSource(l.opts.Catalogs, name+".yaml", path.Join(catalogDisplayDir, name+".yaml"), "catalog:"+name), true
	}
	return source{}, false
}

// diskSources expands a -m argument into files.
func diskSources(p string) ([]source, error) {
	info, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("no such file or directory")
		}
		return nil, err
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return nil, errors.New("not a regular file")
		}
		return []source{diskSource(p)}, nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, err
	}
	var out []source
	for _, e := range entries {
		name := e.Name()
		if (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) && regularFile(filepath.Join(p, name)) {
			out = append(out, diskSource(filepath.Join(p, name)))
		}
	}
	if len(out) == 0 {
		return nil, errors.New("directory holds no *.yaml or *.yml files")
	}
	return out, nil
}

// errOutside reports an include outside the including file's tree.
var errOutside = errors.New("outside the including file's directory")

// regularFile reports whether p is (or links to) a regular file: FIFOs,
// devices and directories named *.yaml are not read, since reading them
// could hang or never end.
func regularFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

// realPath resolves p's symbolic links into an absolute path, so that a
// file reached by two names (or through a directory link loop) is one
// file; p itself when it cannot be resolved.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// within reports whether path lies in the tree rooted at dir (both real
// paths).
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// diskSource reads a file from disk, refusing files that are not regular
// and files over MaxFileSize.
func diskSource(p string) source {
	return source{
		display: p,
		key:     "file:" + realPath(p),
		origin:  p,
		read: func() ([]byte, error) {
			info, err := os.Stat(p)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil, errors.New("no such file")
				}
				return nil, err
			}
			if !info.Mode().IsRegular() {
				return nil, errors.New("not a regular file")
			}
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return readLimited(f)
		},
		dir: func(rel string, outside bool) (source, error) {
			base := filepath.Dir(p)
			if p == "." {
				base = "."
			}
			q := filepath.Join(base, filepath.FromSlash(rel))
			if filepath.IsAbs(rel) {
				q = rel
			}
			if !regularFile(q) {
				return source{}, fs.ErrNotExist
			}
			if !outside && !within(realPath(base), realPath(q)) {
				return source{}, errOutside
			}
			return diskSource(q), nil
		},
	}
}

// fsSource reads a file from an fs.FS (the embedded catalogs or example).
func fsSource(fsys fs.FS, name, display, origin string) source {
	return source{
		display: display,
		builtIn: true,
		key:     origin + ":" + name,
		origin:  origin,
		read: func() ([]byte, error) {
			f, err := fsys.Open(name)
			if err != nil {
				return nil, errors.New("no such file")
			}
			defer f.Close()
			return readLimited(f)
		},
		dir: func(rel string, _ bool) (source, error) {
			q := path.Join(path.Dir(name), rel)
			if !fs.ValidPath(q) {
				return source{}, errOutside
			}
			if _, err := fs.Stat(fsys, q); err != nil {
				return source{}, err
			}
			return fsSource(fsys, q, path.Join(path.Dir(display), rel), origin), nil
		},
	}
}

// readLimited reads r, refusing more than MaxFileSize bytes.
func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("file is larger than the %d-byte limit", MaxFileSize)
	}
	return data, nil
}
