// Package deploycheck checks the deployment files under deploy/ and docker-compose.yml
// with the real tools (promtool, amtool, docker-compose). It holds tests only.
//
// A missing tool skips its test on a developer machine and fails it under CI=true:
//
//	apt-get install -y prometheus prometheus-alertmanager docker-compose
//	CI=true go test ./internal/deploycheck
package deploycheck

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// inCI reports whether the tests run under CI, where a missing tool is a failure.
func inCI() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv("CI"))) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// tool returns the path of the named command. When it is absent the test is skipped,
// unless CI is set: then it fails, so CI cannot pass by checking nothing.
func tool(t *testing.T, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if inCI() {
		t.Fatalf("%s is not installed and CI is set: install it with apt-get install -y %s", name, debianPackage)
	}
	t.Skipf("%s is not installed (apt-get install -y %s); skipping. Under CI=true this is a failure.", name, debianPackage)
	return ""
}

// repoRoot returns the module root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found above %s: %v", root, err)
	}
	return root
}

// run executes a command in dir and returns its combined output and error.
func run(dir, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}

// mustRun runs a command in dir and fails the test with its output when it fails.
func mustRun(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	out, err := run(dir, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return out
}

// readFile returns a file of the repository as a string.
func readFile(t *testing.T, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// globFiles returns the files matching pattern and fails when there are none.
func globFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files match %s", pattern)
	}
	return files
}
