package deploycheck

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestScrapeJobMatchesRules checks that every way the deployment is scraped labels the
// service with the job the rules and dashboards select it by. With another job name,
// OutsideinDown fires for good (and mutes every brand alert) while OutsideinNotReady and
// NoMentionsConsumed never fire.
func TestScrapeJobMatchesRules(t *testing.T) {
	root := repoRoot(t)
	var selectors string
	for _, f := range globFiles(t, filepath.Join(root, rulesGlob)) {
		selectors += readFile(t, f)
	}
	for _, f := range globFiles(t, filepath.Join(root, "deploy/grafana/dashboards/*.json")) {
		selectors += readFile(t, f)
	}
	jobs := selectedJobs(selectors)
	if len(jobs) != 1 {
		t.Fatalf("rules and dashboards select the service by %d job names %q, want one", len(jobs), jobs)
	}
	job := jobs[0]

	for _, cfg := range []string{"deploy/prometheus/prometheus.yml", "deploy/prometheus/kubernetes.yml"} {
		if !slices.Contains(jobNames(readFile(t, root, cfg)), job) {
			t.Errorf("%s has no scrape job named %q", cfg, job)
		}
	}

	// The operator names a PodMonitor's job after the pod label jobLabel names.
	pm := readFile(t, root, "deploy/kubernetes/podmonitor.yaml")
	m := regexp.MustCompile(`(?m)^\s*jobLabel:\s*(\S+)`).FindStringSubmatch(pm)
	if m == nil {
		t.Fatal("podmonitor.yaml sets no jobLabel: the operator would name the job namespace/name")
	}
	dep := readFile(t, root, "deploy/kubernetes/deployment.yaml")
	template := dep[strings.Index(dep, "template:"):]
	if want := m[1] + ": " + job + "\n"; !strings.Contains(template, want) {
		t.Errorf("the Deployment's pods lack the label %q that the PodMonitor's jobLabel takes the job from", strings.TrimSpace(want))
	}
}

// TestKubernetesPrometheusConfig checks the scrape config for Kubernetes with promtool,
// which also loads the rule files it names. Debian builds Prometheus without Kubernetes
// service discovery, so the discovery block is checked as a static target: everything
// else (relabelling, rule files) is checked as written.
func TestKubernetesPrometheusConfig(t *testing.T) {
	promtool := tool(t, "promtool", "prometheus")
	root := repoRoot(t)
	cfg, ok := withStaticTarget(readFile(t, root, "deploy/prometheus/kubernetes.yml"))
	if !ok {
		t.Fatal("kubernetes.yml has no kubernetes_sd_configs block")
	}
	// The rule files' paths are relative to the config: point them at the repository's.
	rules := filepath.Join(root, "deploy/prometheus/rules")
	if !strings.Contains(cfg, "- rules/") {
		t.Fatal("kubernetes.yml names no rule files under rules/")
	}
	cfg = strings.ReplaceAll(cfg, "- rules/", "- "+rules+"/")
	file := filepath.Join(t.TempDir(), "kubernetes.yml")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, root, promtool, "check", "config", file)
	if !strings.Contains(out, "rule files found") {
		t.Errorf("kubernetes.yml loads no rule files:\n%s", out)
	}
}

// withStaticTarget replaces the kubernetes_sd_configs block of a config with one static
// target at the same indentation.
func withStaticTarget(cfg string) (string, bool) {
	lines := strings.Split(cfg, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "kubernetes_sd_configs:" {
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
		end := i + 1
		for end < len(lines) && (strings.TrimSpace(lines[end]) == "" || strings.HasPrefix(lines[end], indent+" ")) {
			end++
		}
		static := []string{indent + "static_configs:", indent + "  - targets: ['localhost:8080']"}
		return strings.Join(slices.Concat(lines[:i], static, lines[end:]), "\n"), true
	}
	return cfg, false
}

// selectedJobs returns the distinct values of job="..." matchers in rules or dashboard
// JSON (where the quotes are escaped).
func selectedJobs(s string) []string {
	var jobs []string
	for _, m := range regexp.MustCompile(`\bjob\s*=~?\s*\\?"([^"\\]*)`).FindAllStringSubmatch(s, -1) {
		if !slices.Contains(jobs, m[1]) {
			jobs = append(jobs, m[1])
		}
	}
	return jobs
}

// jobNames returns the job_name values of a Prometheus config.
func jobNames(cfg string) []string {
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s*-?\s*job_name:\s*['"]?([^'"\s]+)`).FindAllStringSubmatch(cfg, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestSelectedJobs(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{`up{job="outsidein"} == 0 or absent(up{job="outsidein"})`, []string{"outsidein"}},
		{`"expr": "sum(up{job=\"outsidein\"})"`, []string{"outsidein"}},
		{`up{job="a"} + up{job =~ "b"}`, []string{"a", "b"}},
		{`sum by (job) (up)`, nil},
	} {
		if got := selectedJobs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("selectedJobs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
