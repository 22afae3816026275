package deploycheck

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/config"
)

var motives = []string{"discounts", "information", "community", "service", "none"}

// TestConfigExamples loads the example configuration with the service's own parser, so
// the compose stack and the Kubernetes ConfigMap start with a file the service accepts.
func TestConfigExamples(t *testing.T) {
	root := repoRoot(t)
	path := filepath.Join(root, "deploy/config/outsidein.json")
	f, err := config.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := brands.NewCatalog(f.Brands); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	with, without := 0, 0
	for _, b := range f.Brands {
		if len(b.ExpectedMotives) == 0 {
			without++
			continue
		}
		with++
		for m := range b.ExpectedMotives {
			if !slices.Contains(motives, m) {
				t.Errorf("brand %s: expected motive %q is not one of %v", b.Name, m, motives)
			}
		}
	}
	if with == 0 || without == 0 {
		t.Errorf("the example should show brands with and without expected_motives (with %d, without %d)", with, without)
	}

	cm := readFile(t, root, "deploy/kubernetes/configmap.yaml")
	embedded, ok := blockScalar(cm, "outsidein.json")
	if !ok {
		t.Fatal("configmap.yaml has no outsidein.json key with a block scalar")
	}
	var a, b any
	if err := json.Unmarshal([]byte(embedded), &a); err != nil {
		t.Fatalf("configmap.yaml outsidein.json: %v", err)
	}
	if err := json.Unmarshal([]byte(readFile(t, path)), &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("configmap.yaml's outsidein.json differs from deploy/config/outsidein.json")
	}
}

// blockScalar returns the text of a YAML literal block scalar `key: |`, unindented.
func blockScalar(doc, key string) (string, bool) {
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != key+": |" {
			continue
		}
		keyIndent := len(l) - len(strings.TrimLeft(l, " "))
		var body []string
		indent := -1
		for _, bl := range lines[i+1:] {
			trimmed := strings.TrimLeft(bl, " ")
			n := len(bl) - len(trimmed)
			if trimmed != "" && n <= keyIndent {
				break
			}
			if indent < 0 && trimmed != "" {
				indent = n
			}
			if len(bl) >= indent && indent > 0 {
				bl = bl[indent:]
			}
			body = append(body, bl)
		}
		return strings.Join(body, "\n"), true
	}
	return "", false
}

func TestDockerfile(t *testing.T) {
	root := repoRoot(t)
	df := readFile(t, root, "deploy/Dockerfile")
	goMod := readFile(t, root, "go.mod")
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(goMod)
	if goVersion == nil {
		t.Fatal("go.mod has no go directive")
	}
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(froms) < 2 {
		t.Fatalf("want a multi-stage build, found %d FROM lines", len(froms))
	}
	if want := "golang:" + goVersion[1]; froms[0][1] != want {
		t.Errorf("build stage is %s, want %s (go.mod says go %s)", froms[0][1], want, goVersion[1])
	}
	final := froms[len(froms)-1][1]
	if !strings.HasPrefix(final, "gcr.io/distroless/static") && final != "scratch" {
		t.Errorf("final stage is %s, want distroless static or scratch", final)
	}
	for _, want := range []string{"CGO_ENABLED=0", "./cmd/outsidein"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile does not build with %s", want)
		}
	}
	users := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(users) == 0 {
		t.Fatal("Dockerfile sets no USER")
	}
	user := strings.Split(users[len(users)-1][1], ":")[0]
	if uid, err := strconv.Atoi(user); err != nil || uid == 0 {
		t.Errorf("USER %s: want a numeric non-root uid (runAsNonRoot cannot check a name)", user)
	}
}

// TestKubernetesManifests checks the settings the deployment promises. With kubectl on
// the machine it first renders the kustomization, which fails on malformed manifests.
func TestKubernetesManifests(t *testing.T) {
	root := repoRoot(t)
	dir := filepath.Join(root, "deploy/kubernetes")
	var all string
	if kubectl, err := exec.LookPath("kubectl"); err == nil {
		all = mustRun(t, root, kubectl, "kustomize", dir)
	} else {
		t.Log("kubectl not installed: checking the manifests without rendering them")
		for _, f := range globFiles(t, filepath.Join(dir, "*.yaml")) {
			all += readFile(t, f) + "\n---\n"
		}
	}
	docs := map[string]string{}
	for _, doc := range strings.Split(all, "\n---\n") {
		if m := regexp.MustCompile(`(?m)^kind:\s*(\S+)`).FindStringSubmatch(doc); m != nil {
			docs[m[1]] += doc
		}
	}
	for _, kind := range []string{"Deployment", "Service", "PodDisruptionBudget", "ConfigMap", "HorizontalPodAutoscaler"} {
		if docs[kind] == "" {
			t.Errorf("no %s in deploy/kubernetes", kind)
		}
	}

	dep := docs["Deployment"]
	for _, want := range []string{
		"replicas: 3",
		"runAsNonRoot: true",
		"readOnlyRootFilesystem: true",
		"allowPrivilegeEscalation: false",
		"requests:",
		"limits:",
		"value: outsidein\n", // OUTSIDEIN_GROUP: one consumer group for every replica
	} {
		if !strings.Contains(dep, want) {
			t.Errorf("Deployment lacks %q", strings.TrimSpace(want))
		}
	}
	for probe, path := range map[string]string{"livenessProbe": "/livez", "readinessProbe": "/healthz"} {
		if got := probePath(dep, probe); got != path {
			t.Errorf("%s path = %q, want %q", probe, got, path)
		}
	}

	// More replicas than partitions sit idle: the autoscaler must stop at the count
	// kafka-init gives the input topic.
	m := regexp.MustCompile(`maxReplicas:\s*(\d+)`).FindStringSubmatch(docs["HorizontalPodAutoscaler"])
	p := regexp.MustCompile(`\bmentions:(\d+)`).FindStringSubmatch(readFile(t, root, "docker-compose.yml"))
	if m == nil || p == nil {
		t.Fatalf("maxReplicas (%v) or the partitions of mentions in docker-compose.yml (%v) not found", m, p)
	}
	maxReplicas, _ := strconv.Atoi(m[1])
	partitions, _ := strconv.Atoi(p[1])
	if maxReplicas > partitions {
		t.Errorf("HPA maxReplicas %d exceeds the %d partitions of mentions", maxReplicas, partitions)
	}
	if !strings.Contains(docs["HorizontalPodAutoscaler"], "name: outsidein_consumer_lag") {
		t.Error("HPA does not scale on outsidein_consumer_lag")
	}
}

// probePath returns the httpGet path of the named probe in a manifest.
func probePath(manifest, probe string) string {
	i := strings.Index(manifest, probe+":")
	if i < 0 {
		return ""
	}
	m := regexp.MustCompile(`path:\s*(\S+)`).FindStringSubmatch(manifest[i:])
	if m == nil {
		return ""
	}
	return m[1]
}
