package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestExitStatus builds the binary and runs it as a user would: a bad command
// line exits 2, a failure 1, success 0; version names the VCS revision the
// build came from.
func TestExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "outsidein")
	// Stamp the VCS revision when git can tell it (some machines set
	// GOFLAGS=-buildvcs=false, or build outside a checkout).
	stamped := true
	if _, err := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".").CombinedOutput(); err != nil {
		stamped = false
		if out, err := exec.Command("go", "build", "-buildvcs=false", "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	tests := []struct {
		args   []string
		status int
		output string
	}{
		{[]string{"version"}, 0, "model     motive-"},
		{[]string{"serve", "-h"}, 0, "usage: outsidein serve"},
		{nil, 2, "bad command line: no command given"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"serve", "--output-format", "xml"}, 2, "--output-format"},
		{[]string{"demo", "--rate", "-5"}, 2, "--rate"},
		{[]string{"demo", "--workers", "-3"}, 2, "--workers"},
		{[]string{"eval", "--data", "/nonexistent.jsonl"}, 1, "no such file"},
		{[]string{"healthcheck", "--url", "http://127.0.0.1:1/healthz", "--timeout", "1s"}, 1, "healthcheck"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, err := exec.Command(bin, tc.args...).CombinedOutput()
			status := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				status = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tc.status || !strings.Contains(string(out), tc.output) {
				t.Fatalf("exit status %d, want %d; output should contain %q:\n%s", status, tc.status, tc.output, out)
			}
		})
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil || !stamped {
		t.Skipf("no VCS revision to compare with (git: %v)", err)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "revision  " + strings.TrimSpace(string(head)); !strings.Contains(string(out), want) {
		t.Errorf("version does not name the checkout's revision %q:\n%s", want, out)
	}
	if !regexp.MustCompile(`(?m)^go        go1\.`).Match(out) {
		t.Errorf("version does not name the Go version:\n%s", out)
	}
}
