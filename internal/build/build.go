// Package build tells which build of outsidein is running: its version, the
// VCS revision it was built from, and the Go version, read from the binary's
// build information.
package build

import (
	"runtime"
	"runtime/debug"
)

// version is set at link time for release builds:
// go build -ldflags "-X github.com/outsidein/outsidein/internal/build.version=v1.2.3".
var version string

// Info describes the running binary.
type Info struct {
	Version   string // release or module version; "(devel)" for a build from a checkout
	Revision  string // VCS revision, "" when unknown
	Time      string // VCS commit time (RFC 3339), "" when unknown
	Modified  bool   // the checkout had uncommitted changes
	GoVersion string
}

// Read returns the running binary's build information.
func Read() Info {
	i := Info{Version: "(devel)", GoVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		if v := bi.Main.Version; v != "" {
			i.Version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				i.Revision = s.Value
			case "vcs.time":
				i.Time = s.Value
			case "vcs.modified":
				i.Modified = s.Value == "true"
			}
		}
	}
	if version != "" {
		i.Version = version
	}
	return i
}
