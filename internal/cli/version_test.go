package cli

import (
	"runtime/debug"
	"testing"
)

// versionTests: --version said "dev" whatever the build (issue 16 item 14).
var versionTests = []struct {
	name string
	bi   *debug.BuildInfo
	want string
}{
	{"no build info", nil, "dev"},
	{"go install @version", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
	{"pseudo-version", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201211230-f175f2f0a1b2"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "f175f2f0a1b2c3d4"}}}, "v0.0.0-20261201211230-f175f2f0a1b2"},
	{"git checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "f175f2f0a1b2c3d4e5f6"}, {Key: "vcs.time", Value: "2026-12-01T21:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
		"dev (f175f2f0a1b2, 2026-12-01T21:00:00Z, modified)"},
	{"clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "f175f2f0a1b2c3d4e5f6"}, {Key: "vcs.modified", Value: "false"}}},
		"dev (f175f2f0a1b2)"},
}

func TestVersionFromBuildInfo(t *testing.T) {
	for _, tt := range versionTests {
		if got := versionFromBuildInfo(tt.bi, tt.bi != nil); got != tt.want {
			t.Errorf("%s: got:%q want:%q", tt.name, got, tt.want)
		}
	}
}
