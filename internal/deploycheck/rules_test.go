package deploycheck

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

const (
	rulesGlob     = "deploy/prometheus/rules/*.yml"
	ruleTestsGlob = "deploy/prometheus/tests/*_test.yml"
)

func TestPrometheusRuleUnitTests(t *testing.T) {
	promtool := tool(t, "promtool", "prometheus")
	root := repoRoot(t)
	tests := globFiles(t, filepath.Join(root, ruleTestsGlob))
	mustRun(t, root, promtool, append([]string{"test", "rules"}, tests...)...)
}

func TestPrometheusRulesAndConfig(t *testing.T) {
	promtool := tool(t, "promtool", "prometheus")
	root := repoRoot(t)
	rules := globFiles(t, filepath.Join(root, rulesGlob))
	mustRun(t, root, promtool, append([]string{"check", "rules"}, rules...)...)
	// check config also loads and checks the rule files the config names.
	out := mustRun(t, root, promtool, "check", "config", "deploy/prometheus/prometheus.yml")
	if !strings.Contains(out, "rule files found") {
		t.Errorf("prometheus.yml loads no rule files:\n%s", out)
	}
}

func TestAlertmanagerConfig(t *testing.T) {
	amtool := tool(t, "amtool", "prometheus-alertmanager")
	root := repoRoot(t)
	const cfg = "deploy/alertmanager/alertmanager.yml"
	mustRun(t, root, amtool, "check-config", cfg)

	tests := []struct {
		name   string
		labels []string
		want   string
	}{
		{"complaint spike to the brand desk", []string{"alertname=ComplaintSpike", "category=brand", "brand=acme", "severity=critical"}, "brand-desk-webhook"},
		{"motive shift to the brand desk", []string{"alertname=MotiveShift", "category=brand", "brand=acme", "motive=discounts"}, "brand-desk-webhook"},
		{"pipeline down to on-call email", []string{"alertname=OutsideinDown", "category=pipeline", "severity=critical"}, "sre-email"},
		{"dead letters to on-call email", []string{"alertname=DeadLettersRising", "category=pipeline", "reason=invalid_utf8"}, "sre-email"},
		{"anything else falls back to email", []string{"alertname=Watchdog"}, "sre-email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"config", "routes", "test", "--config.file=" + cfg, "--verify.receivers=" + tt.want}, tt.labels...)
			out := mustRun(t, root, amtool, args...)
			if got := strings.TrimSpace(lastLine(out)); got != tt.want {
				t.Errorf("routed to %q, want %q\n%s", got, tt.want, out)
			}
		})
	}

	// Brand alerts are grouped per brand and muted while the pipeline is down.
	am := readFile(t, root, cfg)
	for _, want := range []string{"group_by: ['brand']", `target_matchers: ['category="brand"']`, "OutsideinDown"} {
		if !strings.Contains(am, want) {
			t.Errorf("%s lacks %s", cfg, want)
		}
	}
}

func TestComposeConfig(t *testing.T) {
	compose := tool(t, "docker-compose", "docker-compose")
	root := repoRoot(t)
	mustRun(t, root, compose, "-f", "docker-compose.yml", "config", "-q")
	services := mustRun(t, root, compose, "-f", "docker-compose.yml", "config", "--services")
	got := strings.Fields(services)
	for _, want := range []string{"kafka", "kafka-init", "outsidein", "producer", "prometheus", "alertmanager", "grafana"} {
		if !slices.Contains(got, want) {
			t.Errorf("docker-compose.yml has no %s service (services: %v)", want, got)
		}
	}
}

// TestEveryAlertHasFiringAndQuietCase holds the rule tests to the standard of the
// project: each alert is expected to fire somewhere and to stay quiet somewhere.
func TestEveryAlertHasFiringAndQuietCase(t *testing.T) {
	root := repoRoot(t)
	var alerts []string
	for _, f := range globFiles(t, filepath.Join(root, rulesGlob)) {
		alerts = append(alerts, alertNames(readFile(t, f))...)
	}
	if len(alerts) < 6 {
		t.Fatalf("found %d alerts in %s, want at least 6: %v", len(alerts), rulesGlob, alerts)
	}
	var tests []string
	for _, f := range globFiles(t, filepath.Join(root, ruleTestsGlob)) {
		tests = append(tests, readFile(t, f))
	}
	for _, problem := range caseCoverage(alerts, tests...) {
		t.Error(problem)
	}
}

func TestCaseCoverage(t *testing.T) {
	const fires = `
    alert_rule_test:
      - eval_time: 10m
        alertname: A
        exp_alerts:
          - exp_labels: {brand: x}
`
	const quiet = `
    alert_rule_test:
      - eval_time: 5m
        alertname: A
        exp_alerts: []
`
	tests := []struct {
		name  string
		files []string
		want  []string
	}{
		{"firing and quiet", []string{fires, quiet}, nil},
		{"only firing", []string{fires}, []string{"A: no test expects it to stay quiet"}},
		{"only quiet", []string{quiet}, []string{"A: no test expects it to fire"}},
		{"none", nil, []string{"A: no test expects it to fire", "A: no test expects it to stay quiet"}},
		{"test of an unknown alert", []string{fires, quiet, strings.ReplaceAll(quiet, "alertname: A", "alertname: Typo")},
			[]string{"Typo: tested but not defined in the rules"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := caseCoverage([]string{"A"}, tt.files...)
			if !slices.Equal(got, tt.want) {
				t.Errorf("caseCoverage = %q, want %q", got, tt.want)
			}
		})
	}
}

var (
	alertLine     = regexp.MustCompile(`^\s*-\s*alert:\s*(\S+)`)
	alertnameLine = regexp.MustCompile(`^\s*(?:-\s*)?alertname:\s*(\S+)`)
	expAlertsLine = regexp.MustCompile(`^(\s*)exp_alerts:\s*(.*?)\s*$`)
)

// alertNames returns the names of the alerting rules in a rule file.
func alertNames(rules string) []string {
	var names []string
	for _, line := range strings.Split(rules, "\n") {
		if m := alertLine.FindStringSubmatch(line); m != nil {
			names = append(names, strings.Trim(m[1], `'"`))
		}
	}
	return names
}

// caseCoverage reads promtool test files and returns what is missing: alerts no test
// expects to fire (a non-empty exp_alerts), alerts no test expects to stay quiet
// (exp_alerts: []), and tested alert names the rules do not define.
func caseCoverage(alerts []string, testFiles ...string) []string {
	fires, quiet := map[string]bool{}, map[string]bool{}
	tested := map[string]bool{}
	for _, file := range testFiles {
		lines := readLines(file)
		current := ""
		for i, line := range lines {
			if m := alertnameLine.FindStringSubmatch(line); m != nil {
				current = strings.Trim(m[1], `'"`)
				tested[current] = true
				continue
			}
			m := expAlertsLine.FindStringSubmatch(line)
			if m == nil || current == "" {
				continue
			}
			switch {
			case m[2] == "[]":
				quiet[current] = true
			case m[2] == "" && i+1 < len(lines) && nextIsListItem(lines[i+1:], len(m[1])):
				fires[current] = true
			}
		}
	}
	var problems []string
	for _, a := range alerts {
		if !fires[a] {
			problems = append(problems, a+": no test expects it to fire")
		}
		if !quiet[a] {
			problems = append(problems, a+": no test expects it to stay quiet")
		}
	}
	var unknown []string
	for a := range tested {
		if !slices.Contains(alerts, a) {
			unknown = append(unknown, a+": tested but not defined in the rules")
		}
	}
	sort.Strings(unknown)
	return append(problems, unknown...)
}

// nextIsListItem reports whether the first non-blank line is a list item indented
// deeper than indent.
func nextIsListItem(lines []string, indent int) bool {
	for _, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		return len(l)-len(trimmed) > indent && strings.HasPrefix(trimmed, "- ")
	}
	return false
}

func readLines(s string) []string {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// A brand alert's notification carries the link to the screen filtered to
// the brand (ComplaintSpike's "screen" annotation, which
// brand_alerts_test.yml checks), so the desk lands on what the complaints
// are about.
func TestBrandAlertTextLinksTheScreen(t *testing.T) {
	amtool := tool(t, "amtool", "prometheus-alertmanager")
	root := repoRoot(t)
	data := filepath.Join(t.TempDir(), "alert.json")
	const alert = `{"receiver":"brand-desk-webhook","status":"firing","alerts":[{"status":"firing",
		"labels":{"alertname":"ComplaintSpike","brand":"skyjet","category":"brand","severity":"critical"},
		"annotations":{"summary":"Complaints about skyjet are 5.7x their weekly baseline","description":"skyjet receives 600m complaints/s.",
		"dashboard":"/d/outsidein-brand-motives/brand-motives?var-brand=skyjet","screen":"https://screen.example.com/?brand=skyjet"},
		"startsAt":"2026-12-08T04:00:00Z","endsAt":"0001-01-01T00:00:00Z"}],
		"groupLabels":{"brand":"skyjet"},"commonLabels":{"alertname":"ComplaintSpike","brand":"skyjet","category":"brand"},"commonAnnotations":{},"externalURL":"http://alertmanager:9093"}`
	if err := os.WriteFile(data, []byte(alert), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, root, amtool, "template", "render", "--template.glob=deploy/alertmanager/templates/*.tmpl",
		`--template.text={{ template "outsidein.brand.subject" . }}|{{ template "outsidein.brand.text" . }}`, "--template.data="+data)
	for _, want := range []string{"[outsidein] FIRING ComplaintSpike · skyjet|", "Complaints about skyjet are 5.7x",
		"What the complaints are about, and the latest posts: https://screen.example.com/?brand=skyjet"} {
		if !strings.Contains(out, want) {
			t.Errorf("the brand alert's text lacks %q:\n%s", want, out)
		}
	}
	am := readFile(t, root, "deploy/alertmanager/alertmanager.yml")
	if !strings.Contains(am, `{{ template "outsidein.brand.text" . }}`) {
		t.Error("alertmanager.yml's brand desk does not use the outsidein.brand.text template")
	}
}
