package cli

import (
	"runtime/debug"
	"strings"
)

// Version is the build's version: set by the linker
// (-ldflags "-X github.com/depgraph/depgraph/internal/cli.Version=v1.2.3"),
// or else read from the build information (versionFromBuildInfo).
var Version = versionFromBuildInfo(debug.ReadBuildInfo())

// versionFromBuildInfo names a build: the module version when the binary
// was built from a module (go install …@v1.2.3), otherwise "dev", followed
// by the VCS revision, its time and "+dirty" for uncommitted changes when
// go build recorded them (builds inside a git checkout).
func versionFromBuildInfo(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return "dev"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	var rev, at string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" || strings.Contains(v, rev[:min(12, len(rev))]) {
		return v // a pseudo-version already names the revision
	}
	v += " (" + rev[:min(12, len(rev))]
	if at != "" {
		v += ", " + at
	}
	if dirty {
		v += ", modified"
	}
	return v + ")"
}
