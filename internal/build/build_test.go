package build

import (
	"runtime"
	"testing"
)

func TestRead(t *testing.T) {
	i := Read()
	if i.GoVersion != runtime.Version() {
		t.Errorf("GoVersion %q, want %q", i.GoVersion, runtime.Version())
	}
	if i.Version == "" {
		t.Error("empty version")
	}
	old := version
	t.Cleanup(func() { version = old })
	version = "v9.9.9"
	if got := Read().Version; got != "v9.9.9" {
		t.Errorf("with a link-time version, Version = %q", got)
	}
}
