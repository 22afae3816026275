package cli

import (
	"context"
	"fmt"

	"github.com/outsidein/outsidein/internal/build"
	"github.com/outsidein/outsidein/internal/classify"
)

// versionCommand prints the build's version, VCS revision, Go version and the
// built-in model's version.
func versionCommand(_ context.Context, args []string, s Stdio) error {
	fs := newFlags("version", "version", "Prints the build's version, VCS revision, Go version and classifier model.", s.Err)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("version takes no arguments, got %q", fs.Arg(0))
	}
	b := build.Read()
	c, err := classify.Default()
	if err != nil {
		return err
	}
	rev := b.Revision
	switch {
	case rev == "":
		rev = "unknown"
	case b.Modified:
		rev += " (modified)"
	}
	if b.Time != "" {
		rev += " " + b.Time
	}
	_, err = fmt.Fprintf(s.Out, "outsidein %s\nrevision  %s\ngo        %s\nmodel     %s\n", b.Version, rev, b.GoVersion, c.Version())
	return err
}
