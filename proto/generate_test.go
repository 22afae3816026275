package proto

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedCodeIsFresh regenerates the Go code into a temporary folder and
// fails when it differs from the committed files.
func TestGeneratedCodeIsFresh(t *testing.T) {
	if _, err := exec.LookPath("protoc"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("protoc not found: CI must install protobuf-compiler")
		}
		t.Skip("protoc not installed (apt-get install protobuf-compiler); skipping the freshness check")
	}
	out := t.TempDir()
	cmd := exec.Command("sh", "gen.sh", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		hint := ""
		if strings.Contains(string(msg), "google/protobuf/") {
			hint = "\n(protoc finds the well-known types in Debian's libprotobuf-dev: apt-get install -y libprotobuf-dev)"
		}
		t.Fatalf("gen.sh: %v\n%s%s", err, msg, hint)
	}
	files, err := filepath.Glob("outsidein/v1/*.pb.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no committed generated files found (%v)", err)
	}
	for _, f := range files {
		want, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatalf("regenerated %s: %v", f, err)
		}
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `go generate ./proto/` and commit the result", f)
		}
	}
	generated, _ := filepath.Glob(filepath.Join(out, "outsidein/v1/*.pb.go"))
	if len(generated) != len(files) {
		t.Errorf("regeneration made %d files, %d are committed", len(generated), len(files))
	}
}
