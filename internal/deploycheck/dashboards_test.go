package deploycheck

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// prometheusSeries are the series Prometheus adds itself.
var prometheusSeries = []string{"up", "ALERTS", "ALERTS_FOR_STATE"}

// metricName finds the metrics the service registers, with their kind: every
// `CounterOpts{Name: "outsidein_..."` (or Gauge, Histogram, Summary) in its non-test
// Go source.
var metricName = regexp.MustCompile(`(Counter|Gauge|Histogram|Summary)Opts\{\s*Name:\s*"(outsidein_[a-z0-9_]+)"`)

// dashboardExpr is one PromQL expression of a dashboard and where it stands.
type dashboardExpr struct {
	where string // file: panel title / refId, for messages
	expr  string // with Grafana variables replaced
}

func TestDashboardExpressions(t *testing.T) {
	promtool := tool(t, "promtool", "prometheus")
	root := repoRoot(t)
	known := knownMetrics(t, root)

	files := globFiles(t, filepath.Join(root, "deploy/grafana/dashboards/*.json"))
	if len(files) < 3 {
		t.Fatalf("want at least 3 dashboards, found %d", len(files))
	}
	var exprs []dashboardExpr
	for _, f := range files {
		found, err := dashboardExprs(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(found) == 0 {
			t.Errorf("%s: no PromQL expressions found", f)
		}
		exprs = append(exprs, found...)
	}
	t.Logf("checked %d expressions from %d dashboards", len(exprs), len(files))
	for _, problem := range checkExprs(t, promtool, known, exprs) {
		t.Error(problem)
	}
}

// TestDashboardsProvisioning checks what ties the dashboards to the rest of the stack:
// unique uids, datasources that provisioning creates, the brand variable, and the
// dashboard links in alert annotations.
func TestDashboardsProvisioning(t *testing.T) {
	root := repoRoot(t)
	datasources := map[string]bool{"-- Grafana --": true}
	for _, m := range regexp.MustCompile(`(?m)^\s*uid:\s*(\S+)`).FindAllStringSubmatch(
		readFile(t, root, "deploy/grafana/provisioning/datasources/outsidein.yml"), -1) {
		datasources[m[1]] = true
	}
	uids := map[string]string{}
	for _, f := range globFiles(t, filepath.Join(root, "deploy/grafana/dashboards/*.json")) {
		var dash struct {
			UID        string `json:"uid"`
			Templating struct {
				List []struct{ Name string } `json:"list"`
			} `json:"templating"`
		}
		text := readFile(t, f)
		if err := json.Unmarshal([]byte(text), &dash); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if dash.UID == "" || uids[dash.UID] != "" {
			t.Errorf("%s: uid %q is empty or also used by %s", f, dash.UID, uids[dash.UID])
		}
		uids[dash.UID] = f
		for _, m := range regexp.MustCompile(`"uid":\s*"([^"]*)"`).FindAllStringSubmatch(text, -1) {
			if m[1] != dash.UID && !datasources[m[1]] {
				t.Errorf("%s: datasource uid %q is not provisioned", filepath.Base(f), m[1])
			}
		}
		if dash.UID == "outsidein-brand-motives" && !slices.Contains(dash.Templating.List, struct{ Name string }{"brand"}) {
			t.Errorf("%s: no brand variable", filepath.Base(f))
		}
	}
	for _, f := range globFiles(t, filepath.Join(root, rulesGlob)) {
		for _, m := range regexp.MustCompile(`/d/([\w-]+)/`).FindAllStringSubmatch(readFile(t, f), -1) {
			if uids[m[1]] == "" {
				t.Errorf("%s links dashboard %q, which deploy/grafana/dashboards does not hold", filepath.Base(f), m[1])
			}
		}
	}
}

// TestCheckExprs shows that the dashboard check rejects what it should: a table of
// expressions as a dashboard could hold them, each run through promtool and the
// metric-name check.
func TestCheckExprs(t *testing.T) {
	promtool := tool(t, "promtool", "prometheus")
	known := knownMetrics(t, repoRoot(t))
	tests := []struct {
		name    string
		expr    string
		wantErr string // substring of the one problem expected, "" for none
	}{
		{"exported counter", `sum by (motive) (rate(outsidein_mentions_total{brand=~"$brand"}[$__rate_interval]))`, ""},
		{"histogram bucket", `histogram_quantile(0.99, sum by (le) (rate(outsidein_classify_duration_seconds_bucket[$__interval])))`, ""},
		{"recording rule", `brand:outsidein_complaints:rate5m_avg1w{brand=~"$brand"}`, ""},
		{"alerts", `ALERTS{alertstate="firing", brand=~"${brand}"}`, ""},
		{"syntax error", `sum(rate(outsidein_mentions_total[5m])`, "promtool"},
		{"unknown function", `summ(outsidein_mentions_total)`, "promtool"},
		{"unknown metric", `rate(outsidein_mention_total[5m])`, `unknown metric "outsidein_mention_total"`},
		{"histogram without suffix", `rate(outsidein_classify_duration_seconds[5m])`, `unknown metric "outsidein_classify_duration_seconds"`},
		{"unknown recording rule", `brand:outsidein_complaints:rate1d`, `unknown metric "brand:outsidein_complaints:rate1d"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := grafanaStandIns(tt.expr)
			problems := checkExprs(t, promtool, known, []dashboardExpr{{where: tt.name, expr: e}})
			switch {
			case tt.wantErr == "" && len(problems) > 0:
				t.Errorf("unexpected problems: %q", problems)
			case tt.wantErr != "" && (len(problems) != 1 || !strings.Contains(problems[0], tt.wantErr)):
				t.Errorf("problems = %q, want one containing %q", problems, tt.wantErr)
			}
		})
	}
}

// checkExprs writes the expressions into a rule file, checks it with promtool and checks
// every metric name against known. It returns one problem per bad expression.
func checkExprs(t *testing.T, promtool string, known map[string]bool, exprs []dashboardExpr) []string {
	t.Helper()
	type rule struct {
		Record string `json:"record"`
		Expr   string `json:"expr"`
	}
	var problems []string
	// One group per expression, so a parse error names the group and so the dashboard
	// panel it came from. JSON is YAML, so no YAML library is needed.
	type group struct {
		Name  string `json:"name"`
		Rules []rule `json:"rules"`
	}
	var groups []group
	for i, e := range exprs {
		groups = append(groups, group{Name: fmt.Sprintf("expr%d", i), Rules: []rule{{Record: "deploycheck:dashboard_expr", Expr: e.expr}}})
		names, err := metricNames(e.expr)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v in %q", e.where, err, e.expr))
			continue
		}
		for _, n := range names {
			if !known[n] {
				problems = append(problems, fmt.Sprintf("%s: unknown metric %q (neither exported by the service nor recorded by a rule) in %q", e.where, n, e.expr))
			}
		}
	}
	b, err := json.MarshalIndent(map[string]any{"groups": groups}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "dashboard-exprs.rules.yml")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(".", promtool, "check", "rules", file)
	if err != nil {
		failed := 0
		for i, e := range exprs {
			if strings.Contains(out, fmt.Sprintf("group %q", fmt.Sprintf("expr%d", i))) {
				problems = append(problems, fmt.Sprintf("%s: promtool rejects %q", e.where, e.expr))
				failed++
			}
		}
		if failed == 0 {
			problems = append(problems, "promtool check rules failed")
		}
		t.Logf("promtool check rules:\n%s", out)
	}
	return problems
}

// knownMetrics is the set of names a dashboard may query: what the service registers
// (read from its source, so that a metric renamed or removed there fails here), what
// Prometheus adds, and the recording rules.
func knownMetrics(t *testing.T, root string) map[string]bool {
	t.Helper()
	known := map[string]bool{}
	for _, m := range prometheusSeries {
		known[m] = true
	}
	exported := 0
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range metricName.FindAllStringSubmatch(string(src), -1) {
			exported++
			switch m[1] {
			case "Histogram":
				known[m[2]+"_bucket"], known[m[2]+"_sum"], known[m[2]+"_count"] = true, true, true
			case "Summary":
				known[m[2]], known[m[2]+"_sum"], known[m[2]+"_count"] = true, true, true
			default:
				known[m[2]] = true
			}
		}
		return nil
	})
	if err != nil || exported < 10 {
		t.Fatalf("reading the service's metric names: %v (%d found)", err, exported)
	}
	records := 0
	for _, f := range globFiles(t, filepath.Join(root, rulesGlob)) {
		for _, name := range recordNames(readFile(t, f)) {
			known[name] = true
			records++
		}
	}
	if records == 0 {
		t.Fatalf("no recording rules found in %s", rulesGlob)
	}
	return known
}

var recordLine = regexp.MustCompile(`^\s*-?\s*record:\s*(\S+)`)

func recordNames(rules string) []string {
	var names []string
	for _, line := range strings.Split(rules, "\n") {
		if m := recordLine.FindStringSubmatch(line); m != nil {
			names = append(names, strings.Trim(m[1], `'"`))
		}
	}
	return names
}

// dashboardExprs returns every PromQL expression of a Grafana dashboard: panel targets
// (rows and nested panels included), annotation queries and query variables, with the
// Grafana variables replaced by valid stand-ins.
func dashboardExprs(file string) ([]dashboardExpr, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var dash map[string]any
	if err := json.Unmarshal(b, &dash); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	base := filepath.Base(file)
	var exprs []dashboardExpr
	var walk func(v any, where string)
	walk = func(v any, where string) {
		switch v := v.(type) {
		case map[string]any:
			if title, ok := v["title"].(string); ok {
				where = base + ": " + title
			}
			if e, ok := v["expr"].(string); ok && strings.TrimSpace(e) != "" {
				w := where
				if ref, ok := v["refId"].(string); ok {
					w += " / " + ref
				}
				exprs = append(exprs, dashboardExpr{where: w, expr: grafanaStandIns(e)})
			}
			keys := make([]string, 0, len(v))
			for k := range v {
				if k != "templating" {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(v[k], where)
			}
		case []any:
			for _, item := range v {
				walk(item, where)
			}
		}
	}
	walk(dash, base)

	templating, _ := dash["templating"].(map[string]any)
	vars, _ := templating["list"].([]any)
	for _, raw := range vars {
		v, _ := raw.(map[string]any)
		if v["type"] != "query" {
			continue
		}
		query := v["query"]
		if q, ok := query.(map[string]any); ok {
			query = q["query"]
		}
		qs, _ := query.(string)
		e, err := variableExpr(qs)
		if err != nil {
			return nil, fmt.Errorf("%s: variable %v: %w", base, v["name"], err)
		}
		if e != "" {
			exprs = append(exprs, dashboardExpr{where: fmt.Sprintf("%s: variable %v", base, v["name"]), expr: grafanaStandIns(e)})
		}
	}
	return exprs, nil
}

var variableFunc = regexp.MustCompile(`(?s)^\s*(label_values|query_result|label_names|metrics)\((.*)\)\s*$`)

// variableExpr returns the PromQL inside a Grafana Prometheus variable query:
// label_values(selector, label), query_result(expr); "" for label_values(label),
// label_names() and metrics(regex), which hold none.
func variableExpr(q string) (string, error) {
	m := variableFunc.FindStringSubmatch(q)
	if m == nil {
		return "", fmt.Errorf("unsupported variable query %q", q)
	}
	arg := strings.TrimSpace(m[2])
	switch m[1] {
	case "query_result":
		return arg, nil
	case "label_values":
		i := strings.LastIndex(arg, ",")
		if i < 0 {
			return "", nil
		}
		return strings.TrimSpace(arg[:i]), nil
	}
	return "", nil
}

var grafanaVar = regexp.MustCompile(`\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)`)

// grafanaStandIns replaces Grafana's variables with values valid where they are used:
// durations for the interval variables, numbers for their _ms/_s forms, a plain word
// for template variables (which stand in label values).
func grafanaStandIns(expr string) string {
	return grafanaVar.ReplaceAllStringFunc(expr, func(s string) string {
		m := grafanaVar.FindStringSubmatch(s)
		name := m[1] + m[2] + m[3]
		switch name {
		case "__rate_interval", "__interval", "__range", "__auto", "__auto_interval":
			return "5m"
		case "__interval_ms", "__range_ms":
			return "300000"
		case "__range_s":
			return "300"
		}
		return "standin"
	})
}

func TestGrafanaStandIns(t *testing.T) {
	tests := []struct{ in, want string }{
		{`rate(x{brand=~"$brand"}[$__rate_interval])`, `rate(x{brand=~"standin"}[5m])`},
		{`rate(x{brand=~"${brand:regex}"}[$__interval])`, `rate(x{brand=~"standin"}[5m])`},
		{`increase(x[$__range]) / $__range_s`, `increase(x[5m]) / 300`},
		{`x{a="[[a]]"}`, `x{a="standin"}`},
	}
	for _, tt := range tests {
		if got := grafanaStandIns(tt.in); got != tt.want {
			t.Errorf("grafanaStandIns(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVariableExpr(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{`label_values(outsidein_mentions_total, brand)`, `outsidein_mentions_total`, false},
		{`label_values(outsidein_mentions_total{channel="x", motive=~"a|b"}, brand)`, `outsidein_mentions_total{channel="x", motive=~"a|b"}`, false},
		{`label_values(brand)`, ``, false},
		{`query_result(topk(5, brand:outsidein_mentions:rate1h))`, `topk(5, brand:outsidein_mentions:rate1h)`, false},
		{`up`, ``, true},
	}
	for _, tt := range tests {
		got, err := variableExpr(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("variableExpr(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestMetricNames(t *testing.T) {
	tests := []struct {
		expr    string
		want    []string
		wantErr bool
	}{
		{`up`, []string{"up"}, false},
		{`sum by (brand, motive) (rate(outsidein_mentions_total{brand=~"a|b", motive!="none"}[5m] offset 1d))`, []string{"outsidein_mentions_total"}, false},
		{`a:b:c / ignoring (motive) group_left (brand) d_total > bool 0.5 and on () e`, []string{"a:b:c", "d_total", "e"}, false},
		{`histogram_quantile(0.99, sum without (instance) (rate(h_bucket[1m:30s])))`, []string{"h_bucket"}, false},
		{`count_values("version", x) or vector(1) unless absent(y) * Inf + NaN`, []string{"x", "y"}, false},
		{`{__name__="named", job="x"} - topk(3, z) @ 1700000000`, []string{"named", "z"}, false},
		{`label_replace(x, "dst", "$1", "src", "(.*)") # comment with fake_metric`, []string{"x"}, false},
		{`sum(x) by (le)`, []string{"x"}, false},
		{`{__name__=~"outsidein_.*"}`, nil, true},
		{`x{a="unterminated}`, nil, true},
	}
	for _, tt := range tests {
		got, err := metricNames(tt.expr)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("metricNames(%q) = %q, %v; want %q, error %v", tt.expr, got, err, tt.want, tt.wantErr)
		}
	}
}

// PromQL words that are not metric names where they stand alone.
var promqlKeywords = map[string]bool{
	"and": true, "or": true, "unless": true, "bool": true, "offset": true, "inf": true, "nan": true,
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	// Aggregations can be followed by a by/without clause rather than "(".
	"sum": true, "min": true, "max": true, "avg": true, "group": true, "stddev": true, "stdvar": true,
	"count": true, "count_values": true, "bottomk": true, "topk": true, "quantile": true,
	"limitk": true, "limit_ratio": true,
}

// Keywords followed by a parenthesised list of label names.
var labelListKeywords = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
}

// metricNames returns the metric names a PromQL expression selects, in order of first
// appearance. It is a scanner, not a parser (promtool judges validity): it skips strings,
// comments, label matchers, ranges, numbers, functions and label lists, and keeps the
// identifiers that remain. A regular expression on __name__ is an error: the check
// could not tell which metrics it selects.
func metricNames(expr string) ([]string, error) {
	var names []string
	add := func(n string) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	s := expr
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			end, err := skipString(s, i)
			if err != nil {
				return nil, err
			}
			i = end
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '{':
			end, name, err := scanMatchers(s, i)
			if err != nil {
				return nil, err
			}
			if name != "" {
				add(name)
			}
			i = end
		case c == '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unterminated range at %d", i)
			}
			i += end + 1
		case isDigit(c) || (c == '.' && i+1 < len(s) && isDigit(s[i+1])):
			for i < len(s) && (isIdentChar(s[i]) || s[i] == '.') {
				i++
			}
		case isIdentStart(c):
			start := i
			for i < len(s) && isIdentChar(s[i]) {
				i++
			}
			word := s[start:i]
			next := skipSpace(s, i)
			lower := strings.ToLower(word)
			switch {
			case labelListKeywords[lower] && next < len(s) && s[next] == '(':
				end := strings.IndexByte(s[next:], ')')
				if end < 0 {
					return nil, fmt.Errorf("unterminated label list after %s", word)
				}
				i = next + end + 1
			case promqlKeywords[lower]:
			case next < len(s) && s[next] == '(':
				// A function call; its arguments are scanned next.
			default:
				add(word)
			}
		default:
			i++
		}
	}
	return names, nil
}

// scanMatchers skips a {...} label matcher list starting at s[i] and returns the index
// after it and the metric name of a __name__="..." matcher, if any.
func scanMatchers(s string, i int) (end int, name string, err error) {
	i++ // '{'
	label, labelEnd := "", 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '}':
			return i + 1, name, nil
		case c == '"' || c == '\'' || c == '`':
			stop, err := skipString(s, i)
			if err != nil {
				return 0, "", err
			}
			if label == "__name__" {
				if op := strings.TrimSpace(s[labelEnd:i]); op != "=" {
					return 0, "", fmt.Errorf("__name__ matched by %q: use a literal metric name", op)
				}
				name = s[i+1 : stop-1]
			}
			label = ""
			i = stop
		case isIdentStart(c):
			start := i
			for i < len(s) && isIdentChar(s[i]) {
				i++
			}
			label, labelEnd = s[start:i], i
		default:
			i++
		}
	}
	return 0, "", fmt.Errorf("unterminated label matchers")
}

// skipString returns the index after the string literal starting at s[i].
func skipString(s string, i int) (int, error) {
	quote := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && quote != '`':
			j++
		case s[j] == quote:
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated string at %d", i)
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c == ':' || (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || isDigit(c) }
