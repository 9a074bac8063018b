// Package deploy holds the deployment files: the Dockerfile, Docker Compose,
// Kubernetes (with KEDA), systemd units, the Grafana dashboard and the
// Prometheus rules. This test keeps them consistent with the code (queue
// names, Asynq's Redis keys, metric names) and with docs/cli.md (flags,
// environment variables), so a rename elsewhere fails here instead of in
// production. Nothing here needs Docker, a cluster or systemd.
package deploy

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	yaml "go.yaml.in/yaml/v3"

	"github.com/sohoa/sohoa/workers"
)

const (
	cliDoc     = "../docs/cli.md"
	metricsSrc = "../workers/metrics/metrics.go"
	opsDoc     = "../docs/operations.md"

	// defaultShutdown is the worker's --shutdown-timeout default (docs/cli.md).
	defaultShutdown = 60 * time.Second
	// stopMargin is how much longer than --shutdown-timeout an orchestrator
	// must wait before SIGKILL: after the timeout the worker still returns
	// the unfinished tasks to Redis and exits.
	stopMargin = 10 * time.Second
)

// ---------------------------------------------------------------- YAML ---

type yamlDoc struct {
	file  string // relative to deploy/
	index int    // document index in the file
	m     map[string]any
}

func (d yamlDoc) where() string { return fmt.Sprintf("%s (document %d)", d.file, d.index+1) }

// deployFiles lists the files under deploy/ with one of the extensions.
func deployFiles(t *testing.T, exts ...string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != "." {
			return filepath.SkipDir
		}
		if !d.IsDir() && slices.Contains(exts, filepath.Ext(path)) {
			out = append(out, filepath.ToSlash(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// loadYAML decodes every document of a YAML file; empty documents are skipped.
func loadYAML(path string) ([]yamlDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	var docs []yamlDoc
	for i := 0; ; i++ {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", path, i+1, err)
		}
		if v == nil {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: document %d is a %T, want a mapping", path, i+1, v)
		}
		docs = append(docs, yamlDoc{file: path, index: i, m: m})
	}
}

func allYAML(t *testing.T) []yamlDoc {
	t.Helper()
	var docs []yamlDoc
	for _, p := range deployFiles(t, ".yaml", ".yml") {
		d, err := loadYAML(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d...)
	}
	return docs
}

// get walks a decoded YAML/JSON tree: string keys for maps, ints for lists.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func strs(v any) []string {
	var out []string
	for _, x := range list(v) {
		out = append(out, str(x))
	}
	return out
}

func TestYAMLParses(t *testing.T) {
	files := deployFiles(t, ".yaml", ".yml")
	for _, want := range []string{"compose.yaml", "kubernetes/kustomization.yaml", "kubernetes/worker-deployment.yaml",
		"kubernetes/keda-scaledobject.yaml", "prometheus/alerts.yml"} {
		if !slices.Contains(files, want) {
			t.Errorf("deploy/%s is missing", want)
		}
	}
	for _, p := range files {
		docs, err := loadYAML(p)
		if err != nil {
			t.Error(err)
			continue
		}
		if len(docs) == 0 {
			t.Errorf("%s: no YAML document", p)
		}
	}
}

// ---------------------------------------------------------- Kubernetes ---

type k8sObject struct {
	yamlDoc
	kind, name string
}

func k8sObjects(t *testing.T) []k8sObject {
	t.Helper()
	var out []k8sObject
	for _, d := range allYAML(t) {
		if !strings.HasPrefix(d.file, "kubernetes/") {
			continue
		}
		out = append(out, k8sObject{d, str(d.m["kind"]), str(get(d.m, "metadata", "name"))})
	}
	if len(out) == 0 {
		t.Fatal("no Kubernetes objects under deploy/kubernetes")
	}
	return out
}

func findObject(objs []k8sObject, kind, name string) *k8sObject {
	for i := range objs {
		if objs[i].kind == kind && objs[i].name == name {
			return &objs[i]
		}
	}
	return nil
}

func TestKubernetesObjects(t *testing.T) {
	objs := k8sObjects(t)
	seen := map[string]string{}
	for _, o := range objs {
		for _, f := range []string{"apiVersion", "kind"} {
			if str(o.m[f]) == "" {
				t.Errorf("%s: no %s", o.where(), f)
			}
		}
		if o.name == "" {
			t.Errorf("%s: no metadata.name", o.where())
		}
		key := o.kind + "/" + o.name
		if prev, dup := seen[key]; dup {
			t.Errorf("%s: %s is also defined in %s", o.where(), key, prev)
		}
		seen[key] = o.where()
		if o.kind != "Namespace" && o.kind != "Kustomization" {
			if ns := str(get(o.m, "metadata", "namespace")); ns != "sohoa" {
				t.Errorf("%s: %s has namespace %q, want sohoa", o.where(), key, ns)
			}
		}
	}

	// kustomization.yaml lists every manifest but the examples, and only files that exist.
	k := findObject(objs, "Kustomization", "sohoa")
	if k == nil {
		t.Fatal("kubernetes/kustomization.yaml: no Kustomization named sohoa")
	}
	listed := strs(k.m["resources"])
	for _, r := range listed {
		if _, err := os.Stat(filepath.Join("kubernetes", r)); err != nil {
			t.Errorf("kustomization.yaml lists %s: %v", r, err)
		}
	}
	for _, p := range deployFiles(t, ".yaml", ".yml") {
		base, ok := strings.CutPrefix(p, "kubernetes/")
		if !ok || base == "kustomization.yaml" || strings.Contains(base, ".example.") {
			continue
		}
		if !slices.Contains(listed, base) {
			t.Errorf("kustomization.yaml does not list %s", base)
		}
	}

	// What pods refer to exists: ConfigMaps, Secrets (secrets.example.yaml), claims, Services.
	for _, o := range objs {
		spec := podSpec(o)
		if spec == nil {
			continue
		}
		for _, c := range list(spec["containers"]) {
			for _, ef := range list(get(c, "envFrom")) {
				if n := str(get(ef, "configMapRef", "name")); n != "" && findObject(objs, "ConfigMap", n) == nil {
					t.Errorf("%s: envFrom ConfigMap %q is not defined", o.where(), n)
				}
				if n := str(get(ef, "secretRef", "name")); n != "" && findObject(objs, "Secret", n) == nil {
					t.Errorf("%s: envFrom Secret %q is not defined (not even in secrets.example.yaml)", o.where(), n)
				}
			}
			for _, e := range list(get(c, "env")) {
				ref := get(e, "valueFrom", "secretKeyRef")
				if ref == nil {
					continue
				}
				s := findObject(objs, "Secret", str(get(ref, "name")))
				if s == nil || get(s.m, "stringData", str(get(ref, "key"))) == nil {
					t.Errorf("%s: secret key %s/%s is not in secrets.example.yaml", o.where(), str(get(ref, "name")), str(get(ref, "key")))
				}
			}
		}
		for _, v := range list(spec["volumes"]) {
			if n := str(get(v, "persistentVolumeClaim", "claimName")); n != "" && findObject(objs, "PersistentVolumeClaim", n) == nil {
				t.Errorf("%s: volume claim %q is not defined", o.where(), n)
			}
			if n := str(get(v, "secret", "secretName")); n != "" && findObject(objs, "Secret", n) == nil {
				t.Errorf("%s: secret volume %q is not defined (not even in secrets.example.yaml)", o.where(), n)
			}
		}
	}
}

// podSpec is the pod template spec of a workload, or nil.
func podSpec(o k8sObject) map[string]any {
	switch o.kind {
	case "Deployment", "StatefulSet", "DaemonSet", "Job":
		m, _ := get(o.m, "spec", "template", "spec").(map[string]any)
		return m
	}
	return nil
}

// container is a workload's first container.
func container(o k8sObject) map[string]any {
	m, _ := get(podSpec(o), "containers", 0).(map[string]any)
	return m
}

// workerDeployments are the Deployments whose container runs `sohoa worker`.
func workerDeployments(t *testing.T, objs []k8sObject) []k8sObject {
	t.Helper()
	var out []k8sObject
	for _, o := range objs {
		if o.kind != "Deployment" {
			continue
		}
		args := strs(get(container(o), "args"))
		if strings.HasPrefix(o.name, "sohoa-worker") && (len(args) == 0 || args[0] != "worker") {
			t.Errorf("%s: Deployment %s: container args must start with \"worker\", got %q", o.where(), o.name, args)
		}
		if len(args) > 0 && args[0] == "worker" {
			out = append(out, o)
		}
	}
	if findObject(out, "Deployment", "sohoa-worker") == nil {
		t.Fatal("no worker Deployment sohoa-worker in deploy/kubernetes")
	}
	return out
}

// servedQueues is what a worker with these flags serves (docs/cli.md, Queues).
func servedQueues(flags map[string]string) []string {
	var qs []string
	if v, ok := flags["queues"]; ok && strings.TrimSpace(v) != "" {
		for part := range strings.SplitSeq(v, ",") {
			name, _, _ := strings.Cut(strings.TrimSpace(part), ":")
			if name != "" {
				qs = append(qs, name)
			}
		}
	} else {
		for q := range workers.DefaultQueues() {
			qs = append(qs, q)
		}
	}
	sort.Strings(qs)
	return qs
}

func shutdownTimeout(t *testing.T, where string, flags map[string]string) time.Duration {
	t.Helper()
	v, ok := flags["shutdown-timeout"]
	if !ok {
		return defaultShutdown
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		t.Errorf("%s: --shutdown-timeout %q: %v", where, v, err)
	}
	return d
}

// cpuCores parses a Kubernetes CPU quantity: "4", "1.5", "2500m".
func cpuCores(q string) (float64, error) {
	if m, ok := strings.CutSuffix(q, "m"); ok {
		n, err := strconv.ParseFloat(m, 64)
		return n / 1000, err
	}
	return strconv.ParseFloat(q, 64)
}

func TestWorkerDeployments(t *testing.T) {
	objs := k8sObjects(t)
	ws := workerDeployments(t, objs)
	defaults := workers.DefaultQueues()
	served := map[string]bool{}
	for _, w := range ws {
		c := container(w)
		inv := parseInvocation(w.where(), strs(c["args"]))
		where := fmt.Sprintf("%s: Deployment %s", w.where(), w.name)

		// A terminated pod drains: the kubelet must wait longer than the worker.
		grace, ok := get(podSpec(w), "terminationGracePeriodSeconds").(int)
		shutdown := shutdownTimeout(t, where, inv.flags)
		if !ok {
			t.Errorf("%s: no terminationGracePeriodSeconds (the default 30s is shorter than the worker's drain)", where)
		} else if time.Duration(grace)*time.Second < shutdown+stopMargin {
			t.Errorf("%s: terminationGracePeriodSeconds %d must exceed --shutdown-timeout %v by at least %v",
				where, grace, shutdown, stopMargin)
		}

		// One page per core: --concurrency = the CPU limit.
		conc, err := strconv.Atoi(inv.flags["concurrency"])
		if err != nil {
			t.Errorf("%s: --concurrency %q: want it set to the CPU limit", where, inv.flags["concurrency"])
		}
		limit := str(get(c, "resources", "limits", "cpu"))
		if cores, err := cpuCores(limit); err != nil || cores != float64(conc) {
			t.Errorf("%s: --concurrency %d but the CPU limit is %q", where, conc, limit)
		}
		if get(c, "resources", "limits", "memory") == nil || get(c, "resources", "requests", "memory") == nil {
			t.Errorf("%s: memory request and limit must be set", where)
		}

		// Probes on the metrics port.
		addr := inv.flags["metrics-addr"]
		_, port, _ := strings.Cut(addr, ":")
		if port == "" {
			t.Errorf("%s: --metrics-addr %q: want :PORT (probes and scraping need it)", where, addr)
		}
		ports := map[string]string{}
		for _, p := range list(c["ports"]) {
			ports[str(get(p, "name"))] = str(get(p, "containerPort"))
		}
		for probe, path := range map[string]string{"livenessProbe": "/healthz", "readinessProbe": "/readyz"} {
			got := str(get(c, probe, "httpGet", "path"))
			pp := str(get(c, probe, "httpGet", "port"))
			if n, ok := ports[pp]; ok {
				pp = n
			}
			if got != path || pp != port {
				t.Errorf("%s: %s is %s on port %s, want %s on the metrics port %s", where, probe, got, pp, path, port)
			}
		}
		if ann := str(get(w.m, "spec", "template", "metadata", "annotations", "prometheus.io/port")); ann != port {
			t.Errorf("%s: prometheus.io/port annotation %q, want %q", where, ann, port)
		}

		// Non-root, read-only root filesystem, a writable /tmp.
		if get(podSpec(w), "securityContext", "runAsNonRoot") != true && get(c, "securityContext", "runAsNonRoot") != true {
			t.Errorf("%s: runAsNonRoot must be true", where)
		}
		if get(c, "securityContext", "readOnlyRootFilesystem") != true {
			t.Errorf("%s: readOnlyRootFilesystem must be true", where)
		}
		tmp := false
		for _, m := range list(c["volumeMounts"]) {
			if str(get(m, "mountPath")) == "/tmp" {
				for _, v := range list(podSpec(w)["volumes"]) {
					if str(get(v, "name")) == str(get(m, "name")) && get(v, "emptyDir") != nil {
						tmp = true
					}
				}
			}
		}
		if !tmp {
			t.Errorf("%s: /tmp must be an emptyDir (the root filesystem is read-only)", where)
		}

		for _, q := range servedQueues(inv.flags) {
			if _, ok := defaults[q]; !ok {
				t.Errorf("%s: --queues names %q, not a sohoa queue (%v)", where, q, keys(defaults))
			}
			served[q] = true
		}
	}
	// Every queue needs a worker, or its tasks (and retries) wait forever.
	for q := range defaults {
		if !served[q] {
			t.Errorf("no worker Deployment serves the %q queue", q)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// asynqPendingKeys finds, by enqueueing a task in an in-memory Redis, the
// Redis LIST in which Asynq keeps each queue's pending tasks: the key KEDA's
// redis scaler must watch.
func asynqPendingKeys(t *testing.T, queues []string) map[string]string {
	t.Helper()
	mr := miniredis.RunT(t)
	c := asynq.NewClient(asynq.RedisClientOpt{Addr: mr.Addr()})
	defer c.Close()
	out := map[string]string{}
	for _, q := range queues {
		info, err := c.Enqueue(asynq.NewTask("deploy:probe", nil), asynq.Queue(q))
		if err != nil {
			t.Fatalf("enqueue on %s: %v", q, err)
		}
		for _, k := range mr.Keys() {
			if mr.Type(k) != "list" {
				continue
			}
			if vals, _ := mr.List(k); slices.Contains(vals, info.ID) {
				out[q] = k
			}
		}
		if out[q] == "" {
			t.Fatalf("no Redis list holds the pending task of queue %s (keys: %v)", q, mr.Keys())
		}
	}
	return out
}

func TestKEDAScaledObjects(t *testing.T) {
	objs := k8sObjects(t)
	ws := workerDeployments(t, objs)
	pending := asynqPendingKeys(t, keys(workers.DefaultQueues()))
	scaled := map[string]bool{}
	for _, o := range objs {
		if o.kind != "ScaledObject" {
			continue
		}
		where := fmt.Sprintf("%s: ScaledObject %s", o.where(), o.name)
		target := str(get(o.m, "spec", "scaleTargetRef", "name"))
		w := findObject(ws, "Deployment", target)
		if w == nil {
			t.Errorf("%s: scaleTargetRef.name %q is not a worker Deployment", where, target)
			continue
		}
		scaled[target] = true
		// Only a running worker serving a queue moves its retries back to
		// pending and recovers crashed workers' tasks: never scale to zero.
		minR, _ := get(o.m, "spec", "minReplicaCount").(int)
		maxR, _ := get(o.m, "spec", "maxReplicaCount").(int)
		if minR < 1 || maxR < minR {
			t.Errorf("%s: minReplicaCount %d, maxReplicaCount %d: want 1 <= min <= max", where, minR, maxR)
		}

		want := map[string]string{} // list key -> queue
		for _, q := range servedQueues(parseInvocation(w.where(), strs(container(*w)["args"])).flags) {
			want[pending[q]] = q
		}
		got := map[string]bool{}
		for _, tr := range list(get(o.m, "spec", "triggers")) {
			if str(get(tr, "type")) != "redis" {
				continue
			}
			ln := str(get(tr, "metadata", "listName"))
			got[ln] = true
			if _, ok := want[ln]; !ok {
				t.Errorf("%s: redis trigger on %q, which is not the pending list of a queue %s serves", where, ln, target)
			}
			if n, err := strconv.Atoi(str(get(tr, "metadata", "listLength"))); err != nil || n < 1 {
				t.Errorf("%s: trigger %s: listLength %q must be a positive number (a string)", where, ln, str(get(tr, "metadata", "listLength")))
			}
			if a := str(get(tr, "authenticationRef", "name")); a != "" && findObject(objs, "TriggerAuthentication", a) == nil {
				t.Errorf("%s: trigger %s: TriggerAuthentication %q is not defined", where, ln, a)
			}
			host, _, _ := strings.Cut(str(get(tr, "metadata", "address")), ".")
			if findObject(objs, "Service", host) == nil {
				t.Errorf("%s: trigger %s: address %q is not a Service here", where, ln, str(get(tr, "metadata", "address")))
			}
		}
		for key, q := range want {
			if !got[key] {
				t.Errorf("%s: no redis trigger for queue %s (list %s)", where, q, key)
			}
		}
	}
	for _, w := range ws {
		if !scaled[w.name] {
			t.Errorf("worker Deployment %s has no ScaledObject", w.name)
		}
	}
}

// Production Redis persists: AOF, and never evicts a key (a lost task).
func TestRedisPersists(t *testing.T) {
	check := func(where string, args []string) {
		flag := func(name string) string {
			i := slices.Index(args, name)
			if i < 0 || i+1 >= len(args) {
				return ""
			}
			return args[i+1]
		}
		if flag("--appendonly") != "yes" {
			t.Errorf("%s: Redis must run with --appendonly yes", where)
		}
		if f := flag("--appendfsync"); f != "everysec" && f != "always" {
			t.Errorf("%s: --appendfsync %q, want everysec or always", where, f)
		}
		if flag("--maxmemory-policy") != "noeviction" {
			t.Errorf("%s: --maxmemory-policy must be noeviction", where)
		}
	}
	n := 0
	for _, d := range allYAML(t) {
		if s := get(d.m, "services", "redis"); s != nil {
			check(d.where()+": service redis", strs(get(s, "command")))
			n++
		}
		if str(d.m["kind"]) == "StatefulSet" && str(get(d.m, "metadata", "name")) == "redis" {
			c := get(d.m, "spec", "template", "spec", "containers", 0)
			check(d.where()+": StatefulSet redis", append(strs(get(c, "command")), strs(get(c, "args"))...))
			if get(d.m, "spec", "volumeClaimTemplates", 0) == nil {
				t.Errorf("%s: the Redis StatefulSet needs a volumeClaimTemplate", d.where())
			}
			n++
		}
	}
	if n != 2 {
		t.Errorf("found %d Redis definitions, want 2 (compose and Kubernetes)", n)
	}
}

// ------------------------------------------------------------- Compose ---

func composeFile(t *testing.T) map[string]any {
	t.Helper()
	docs, err := loadYAML("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("compose.yaml: %d documents, want 1", len(docs))
	}
	return docs[0].m
}

// composeCommand is a service's command as a list.
func composeCommand(v any) []string {
	if s, ok := v.(string); ok {
		return strings.Fields(s)
	}
	return strs(v)
}

// sohoaService reports whether a compose service runs the sohoa image.
func sohoaService(s any) bool {
	return str(get(s, "build", "dockerfile")) == "deploy/Dockerfile" || strings.Contains(str(get(s, "image")), "sohoa")
}

// compose.yaml uses env_file entries with "required", which Docker Compose
// takes from 2.24 on (older ones refuse the file): docs/operations.md says
// so next to the command that starts the farm.
func TestComposeVersionDocumented(t *testing.T) {
	c := composeFile(t)
	needs := false
	for _, s := range mapOf(c["services"]) {
		for _, e := range list(get(s, "env_file")) {
			if get(e, "required") != nil {
				needs = true
			}
		}
	}
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	needs = needs || strings.Contains(string(b), "required: false")
	if !needs {
		return
	}
	ops, err := os.ReadFile(opsDoc)
	if err != nil {
		t.Fatal(err)
	}
	text := string(ops)
	i := strings.Index(text, "docker compose up")
	if i < 0 {
		t.Fatalf("%s has no docker compose up", opsDoc)
	}
	near := text[max(0, i-300):min(len(text), i+300)]
	if !regexp.MustCompile(`Compose (≥ ?|v?)2\.24`).MatchString(near) {
		t.Errorf("%s: compose.yaml needs Docker Compose 2.24 or later (env_file required:), but the text by its first `docker compose up` does not say so:\n%s", opsDoc, near)
	}
}

func TestCompose(t *testing.T) {
	c := composeFile(t)
	services := mapOf(c["services"])
	if len(services) == 0 {
		t.Fatal("compose.yaml: no services")
	}
	volumes, _ := c["volumes"].(map[string]any)
	secrets, _ := c["secrets"].(map[string]any)
	for name, s := range services {
		where := "compose.yaml: service " + name
		for _, v := range list(get(s, "volumes")) {
			var src, typ string
			if m, ok := v.(map[string]any); ok {
				src, typ = str(m["source"]), str(m["type"])
			} else {
				src, _, _ = strings.Cut(str(v), ":")
				typ = "volume"
				if strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") || strings.HasPrefix(src, "~") {
					typ = "bind"
				}
			}
			switch typ {
			case "volume":
				if _, ok := volumes[src]; !ok {
					t.Errorf("%s: volume %q is not declared under volumes:", where, src)
				}
			case "bind":
				if !strings.HasPrefix(src, "/") {
					if _, err := os.Stat(src); err != nil {
						t.Errorf("%s: bind mount source %s: %v", where, src, err)
					}
				}
			}
		}
		for _, sec := range list(get(s, "secrets")) {
			n := str(sec)
			if m, ok := sec.(map[string]any); ok {
				n = str(m["source"])
			}
			if _, ok := secrets[n]; !ok {
				t.Errorf("%s: secret %q is not declared under secrets:", where, n)
			}
		}
		envFiles := list(get(s, "env_file"))
		if ef, ok := get(s, "env_file").(string); ok {
			envFiles = []any{ef}
		}
		for _, ef := range envFiles {
			path, required := str(ef), true
			if m, ok := ef.(map[string]any); ok {
				path = str(m["path"])
				if r, ok := m["required"].(bool); ok {
					required = r
				}
			}
			if _, err := os.Stat(path); err != nil && required {
				t.Errorf("%s: env_file %s: %v", where, path, err)
			}
		}
		deps := get(s, "depends_on")
		var depNames []string
		if m, ok := deps.(map[string]any); ok {
			depNames = keys(m)
		} else {
			depNames = strs(deps)
		}
		for _, d := range depNames {
			if _, ok := services[d]; !ok {
				t.Errorf("%s: depends_on %q, not a service", where, d)
			}
		}
		if _, ok := mapOf(s)["container_name"]; ok && sohoaService(s) {
			t.Errorf("%s: container_name prevents docker compose up --scale", where)
		}
	}

	w := services["worker"]
	if w == nil {
		t.Fatal("compose.yaml: no worker service")
	}
	cmd := composeCommand(get(w, "command"))
	if len(cmd) == 0 || cmd[0] != "worker" {
		t.Fatalf("compose.yaml: worker command %q must start with worker", cmd)
	}
	inv := parseInvocation("compose.yaml: worker", cmd)
	shutdown := shutdownTimeout(t, "compose.yaml: worker", inv.flags)
	grace, err := time.ParseDuration(str(get(w, "stop_grace_period")))
	if err != nil {
		t.Errorf("compose.yaml: worker stop_grace_period: %v (the default 10s is far too short)", err)
	} else if grace < shutdown+stopMargin {
		t.Errorf("compose.yaml: worker stop_grace_period %v must exceed --shutdown-timeout %v by at least %v", grace, shutdown, stopMargin)
	}
	if r, _ := get(w, "deploy", "replicas").(int); r < 1 {
		t.Errorf("compose.yaml: worker deploy.replicas = %d, want >= 1", r)
	}
	if get(w, "ports") != nil {
		t.Errorf("compose.yaml: the worker publishes ports: scaled replicas would conflict")
	}
	if s := str(get(w, "stop_signal")); s != "" && s != "SIGTERM" {
		t.Errorf("compose.yaml: worker stop_signal %s, want SIGTERM", s)
	}

	// The API reads its tokens from a mounted secret.
	api := services["api"]
	if api == nil {
		t.Fatal("compose.yaml: no api service")
	}
	ainv := parseInvocation("compose.yaml: api", composeCommand(get(api, "command")))
	if ainv.sub != "serve" {
		t.Errorf("compose.yaml: api runs %q, want serve", ainv.sub)
	}
	tok, ok := strings.CutPrefix(ainv.flags["tokens"], "/run/secrets/")
	if !ok || !slices.Contains(strs(get(api, "secrets")), tok) {
		t.Errorf("compose.yaml: api --tokens %q is not one of its secrets under /run/secrets", ainv.flags["tokens"])
	}
}

// ------------------------------------------------------------- systemd ---

type unitFile map[string]map[string][]string // section -> key -> values

func loadUnit(t *testing.T, path string) unitFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unitFile{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Errorf("%s:%d: not KEY=VALUE in a section: %q", path, n, line)
				continue
			}
			if strings.HasSuffix(v, "\\") {
				t.Errorf("%s:%d: continuation lines are not supported by this test", path, n)
			}
			u[section][strings.TrimSpace(k)] = append(u[section][strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return u
}

func (u unitFile) last(section, key string) string {
	v := u[section][key]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// systemdSeconds parses a systemd time span: "120", "90s", "2min", "2min 30s".
func systemdSeconds(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "min", "m"), " ", "")
	return time.ParseDuration(s)
}

// execArgs splits an ExecStart line into the program's arguments after the program.
func execArgs(line string) (prog string, args []string) {
	f := strings.Fields(strings.TrimLeft(line, "-@+!:"))
	if len(f) == 0 {
		return "", nil
	}
	return f[0], f[1:]
}

func TestSystemdUnits(t *testing.T) {
	units := deployFiles(t, ".service")
	for _, want := range []string{"systemd/sohoa-worker@.service", "systemd/sohoa-serve.service"} {
		if !slices.Contains(units, want) {
			t.Errorf("deploy/%s is missing", want)
		}
	}
	for _, p := range units {
		u := loadUnit(t, p)
		svc := u["Service"]
		if svc == nil {
			t.Errorf("%s: no [Service] section", p)
			continue
		}
		if _, ok := u["Install"]; !ok {
			t.Errorf("%s: no [Install] section", p)
		}
		if usr := u.last("Service", "User"); usr == "" || usr == "root" || usr == "0" {
			t.Errorf("%s: User=%q: the service must run as a non-root user", p, usr)
		}
		for k, want := range map[string]string{"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
			"Restart": "always", "KillSignal": "SIGTERM", "EnvironmentFile": "/etc/sohoa/sohoa.env"} {
			if got := u.last("Service", k); got != want {
				t.Errorf("%s: %s=%q, want %q", p, k, got, want)
			}
		}
		if len(svc["ReadWritePaths"]) == 0 {
			t.Errorf("%s: ProtectSystem=strict needs ReadWritePaths= for the store", p)
		}
		execs := svc["ExecStart"]
		if len(execs) != 1 {
			t.Errorf("%s: want one ExecStart=, got %d", p, len(execs))
			continue
		}
		prog, args := execArgs(execs[0])
		if prog != "/usr/local/bin/sohoa" || len(args) == 0 {
			t.Errorf("%s: ExecStart=%s, want /usr/local/bin/sohoa SUBCOMMAND ...", p, execs[0])
			continue
		}
		inv := parseInvocation(p, args)
		stop, err := systemdSeconds(u.last("Service", "TimeoutStopSec"))
		if err != nil {
			t.Errorf("%s: TimeoutStopSec: %v", p, err)
		}
		if inv.sub == "worker" {
			if !strings.Contains(p, "@") {
				t.Errorf("%s: the worker unit must be a template (sohoa-worker@N)", p)
			}
			if !strings.Contains(inv.flags["name"], "%i") {
				t.Errorf("%s: --name %q should include the instance (%%i)", p, inv.flags["name"])
			}
			if shutdown := shutdownTimeout(t, p, inv.flags); stop < shutdown+stopMargin {
				t.Errorf("%s: TimeoutStopSec %v must exceed --shutdown-timeout %v by at least %v", p, stop, shutdown, stopMargin)
			}
		}
	}
}

// ---------------------------------------------------------- Dockerfile ---

type instruction struct {
	cmd, args string
	line      int
}

func dockerfile(t *testing.T) [][]instruction {
	t.Helper()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var stages [][]instruction
	var cur strings.Builder
	start := 0
	flush := func() {
		s := strings.TrimSpace(cur.String())
		cur.Reset()
		if s == "" {
			return
		}
		cmd, args, _ := strings.Cut(s, " ")
		in := instruction{strings.ToUpper(cmd), strings.TrimSpace(args), start}
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Errorf("Dockerfile:%d: %s before the first FROM", in.line, in.cmd)
			}
			return
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	for i, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue // comments (and the syntax directive) inside continuations too
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if s, ok := strings.CutSuffix(trimmed, "\\"); ok {
			cur.WriteString(s + " ")
			continue
		}
		cur.WriteString(trimmed)
		flush()
	}
	flush()
	if len(stages) < 2 {
		t.Fatalf("Dockerfile: %d stages, want a build and a runtime stage", len(stages))
	}
	return stages
}

func TestDockerfile(t *testing.T) {
	stages := dockerfile(t)
	build, final := stages[0], stages[len(stages)-1]
	all := func(st []instruction, cmd string) string {
		var b strings.Builder
		for _, in := range st {
			if in.cmd == cmd {
				b.WriteString(in.args + "\n")
			}
		}
		return b.String()
	}
	buildRun := all(build, "RUN")
	for _, want := range []string{"libtesseract-dev", "libleptonica-dev", "CGO_ENABLED=1", "-trimpath", "./cmd/sohoa"} {
		if !strings.Contains(buildRun, want) {
			t.Errorf("Dockerfile build stage: no %s", want)
		}
	}
	run := all(final, "RUN")
	for _, pkg := range []string{"tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-eng", "tesseract-ocr-osd", "poppler-utils", "ca-certificates", "tini"} {
		if !regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(pkg) + `(\s|$)`).MatchString(run) {
			t.Errorf("Dockerfile runtime stage does not install %s", pkg)
		}
	}
	for _, want := range []string{"--no-install-recommends", "rm -rf /var/lib/apt/lists"} {
		if !strings.Contains(run, want) {
			t.Errorf("Dockerfile runtime stage: no %s", want)
		}
	}
	env := all(final, "ENV")
	for _, want := range []string{"OMP_THREAD_LIMIT=1", "MALLOC_ARENA_MAX=1"} {
		if !strings.Contains(env, want) {
			t.Errorf("Dockerfile runtime stage: ENV %s missing", want)
		}
	}
	users := strings.Fields(all(final, "USER"))
	if len(users) == 0 {
		t.Fatal("Dockerfile runtime stage has no USER: it would run as root")
	}
	user, _, _ := strings.Cut(users[len(users)-1], ":")
	if user == "root" || user == "0" {
		t.Errorf("Dockerfile: USER %s: must be non-root", user)
	}
	// Numeric, so Kubernetes' runAsNonRoot can verify it, and the same uid as the manifests.
	uid, err := strconv.Atoi(user)
	if err != nil {
		t.Errorf("Dockerfile: USER %q should be numeric (runAsNonRoot cannot check a name)", user)
	}
	for _, o := range k8sObjects(t) {
		spec := podSpec(o)
		if spec == nil || !strings.HasPrefix(o.name, "sohoa") {
			continue
		}
		if got, _ := get(spec, "securityContext", "runAsUser").(int); got != uid {
			t.Errorf("%s: runAsUser %d, want the image's uid %d", o.where(), got, uid)
		}
	}
	if !strings.Contains(all(final, "VOLUME"), "/data") {
		t.Errorf("Dockerfile: no VOLUME /data")
	}
	var ep, cmd []string
	if err := json.Unmarshal([]byte(all(final, "ENTRYPOINT")), &ep); err != nil || !slices.Equal(ep, []string{"tini", "--", "sohoa"}) {
		t.Errorf("Dockerfile: ENTRYPOINT %q (%v), want [\"tini\",\"--\",\"sohoa\"]", all(final, "ENTRYPOINT"), err)
	}
	if err := json.Unmarshal([]byte(all(final, "CMD")), &cmd); err != nil || !slices.Equal(cmd, []string{"worker"}) {
		t.Errorf("Dockerfile: CMD %q (%v), want [\"worker\"]", all(final, "CMD"), err)
	}
	if s := strings.TrimSpace(all(final, "STOPSIGNAL")); s != "SIGTERM" {
		t.Errorf("Dockerfile: STOPSIGNAL %q, want SIGTERM", s)
	}
}

// ------------------------------------------------- docs/cli.md contract ---

var flagRE = regexp.MustCompile(`--[a-z][a-z0-9-]*`)

type cliDocs struct {
	sections  map[string]map[string]bool // subcommand -> flags in its section
	global    map[string]bool            // flags every command takes
	qualified map[string][]string        // flag -> the subcommands the Configuration table gives it to
	env       map[string]bool            // SOHOA_* variables
}

func readCLIDocs(t *testing.T) cliDocs {
	t.Helper()
	b, err := os.ReadFile(cliDoc)
	if err != nil {
		t.Fatal(err)
	}
	d := cliDocs{sections: map[string]map[string]bool{}, global: map[string]bool{},
		qualified: map[string][]string{}, env: map[string]bool{}}
	row := regexp.MustCompile("^\\| `SOHOA_[A-Z_]+` \\| ([^|]*)\\|")
	qual := regexp.MustCompile(`\(([a-z, ]+)\)`)
	var cur []string
	for _, line := range strings.Split(string(b), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			cur = nil
			if names, ok := strings.CutPrefix(h, "sohoa "); ok {
				for n := range strings.SplitSeq(names, ",") {
					n = strings.TrimSpace(n)
					cur = append(cur, n)
					d.sections[n] = map[string]bool{}
				}
			}
		}
		for _, n := range cur {
			for _, f := range flagRE.FindAllString(line, -1) {
				d.sections[n][f] = true
			}
		}
		if strings.HasPrefix(line, "Every command also takes") {
			for _, f := range flagRE.FindAllString(line, -1) {
				d.global[f] = true
			}
		}
		if m := row.FindStringSubmatch(line); m != nil {
			f := flagRE.FindString(m[1])
			if q := qual.FindStringSubmatch(m[1]); q != nil {
				for s := range strings.SplitSeq(q[1], ",") {
					d.qualified[f] = append(d.qualified[f], strings.TrimSpace(s))
				}
			} else if f != "" {
				d.global[f] = true
			}
		}
		for _, v := range regexp.MustCompile(`SOHOA_[A-Z_]+`).FindAllString(line, -1) {
			d.env[v] = true
		}
	}
	for _, want := range []string{"worker", "submit", "status"} {
		if d.sections[want] == nil {
			t.Fatalf("%s: no section for sohoa %s: has its layout changed? (update this test)", cliDoc, want)
		}
	}
	return d
}

func (d cliDocs) documented(sub, flag string) bool {
	return d.sections[sub][flag] || d.global[flag] || slices.Contains(d.qualified[flag], sub)
}

// invocation is one `sohoa SUBCOMMAND --flags...` found in the deploy files.
type invocation struct {
	where string
	sub   string
	flags map[string]string
	order []string
	text  bool // found in text (a comment, the docs) rather than in a command list
}

// boolFlags take no value.
var boolFlags = map[string]bool{"strict-priority": true, "strict-perms": true, "wait": true, "json": true, "watch": true, "quiet": true}

func parseInvocation(where string, args []string) invocation {
	inv := invocation{where: where, flags: map[string]string{}}
	if len(args) == 0 {
		return inv
	}
	inv.sub = args[0]
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") || a == "--" {
			continue
		}
		name, val, ok := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		switch {
		case ok:
		case boolFlags[name] || i+1 >= len(args) || strings.HasPrefix(args[i+1], "--"):
			val = "true"
		default:
			val = args[i+1]
			i++
		}
		inv.flags[name] = val
		inv.order = append(inv.order, name)
	}
	return inv
}

// textInvocations finds `sohoa SUBCOMMAND ...` in lines of text (comments,
// shell examples, the operations guide), up to the end of the shell command.
func textInvocations(t *testing.T, path string) []invocation {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\bsohoa\s+([a-z][a-z-]*)`)
	var out []invocation
	for n, line := range strings.Split(string(b), "\n") {
		for _, m := range re.FindAllStringSubmatchIndex(line, -1) {
			rest := line[m[1]:]
			if i := strings.IndexAny(rest, "|;&`#)"); i >= 0 {
				rest = rest[:i]
			}
			inv := parseInvocation(fmt.Sprintf("%s:%d", path, n+1), append([]string{line[m[2]:m[3]]}, strings.Fields(rest)...))
			inv.text = true
			out = append(out, inv)
		}
	}
	return out
}

// invocations gathers every sohoa command line in the deploy files.
func invocations(t *testing.T) []invocation {
	t.Helper()
	var out []invocation
	for _, o := range k8sObjects(t) {
		spec := podSpec(o)
		for _, c := range list(spec["containers"]) {
			if !strings.Contains(str(get(c, "image")), "sohoa") {
				continue
			}
			args := append(strs(get(c, "command")), strs(get(c, "args"))...)
			if len(args) > 0 && filepath.Base(args[0]) == "sohoa" {
				args = args[1:]
			}
			out = append(out, parseInvocation(o.where(), args))
		}
	}
	for name, s := range mapOf(composeFile(t)["services"]) {
		if sohoaService(s) {
			out = append(out, parseInvocation("compose.yaml: service "+name, composeCommand(get(s, "command"))))
		}
	}
	for _, p := range deployFiles(t, ".service") {
		for _, e := range loadUnit(t, p)["Service"]["ExecStart"] {
			if prog, args := execArgs(e); filepath.Base(prog) == "sohoa" {
				out = append(out, parseInvocation(p, args))
			}
		}
	}
	for _, p := range deployFiles(t, "", ".yaml", ".yml", ".service", ".example", ".md", ".txt") {
		out = append(out, textInvocations(t, p)...)
	}
	if _, err := os.Stat(opsDoc); err == nil {
		out = append(out, textInvocations(t, opsDoc)...)
	}
	return out
}

// Every flag the deploy files (and the operations guide) pass to sohoa is
// documented in docs/cli.md for that subcommand.
func TestFlagsDocumented(t *testing.T) {
	d := readCLIDocs(t)
	for _, inv := range invocations(t) {
		switch {
		case d.sections[inv.sub] != nil:
		case inv.text:
			continue // "kubectl -n sohoa scale ...": not a sohoa command line
		default:
			t.Errorf("%s: sohoa %s: no such subcommand in %s", inv.where, inv.sub, cliDoc)
			continue
		}
		for _, f := range inv.order {
			if !d.documented(inv.sub, "--"+f) {
				t.Errorf("%s: sohoa %s --%s is not documented for %s in %s", inv.where, inv.sub, f, inv.sub, cliDoc)
			}
		}
	}
}

// Every SOHOA_* variable the deploy files set is documented in docs/cli.md,
// and the env file holds only what sohoa's --config accepts.
func TestEnvironmentDocumented(t *testing.T) {
	d := readCLIDocs(t)
	check := func(where, key string) {
		if strings.HasPrefix(key, "SOHOA_") && !d.env[key] {
			t.Errorf("%s: %s is not documented in %s", where, key, cliDoc)
		}
	}
	b, err := os.ReadFile("sohoa.env.example")
	if err != nil {
		t.Fatal(err)
	}
	kv := regexp.MustCompile(`^#?([A-Z][A-Z0-9_]*)=(.*)$`)
	n := 0
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		m := kv.FindStringSubmatch(line)
		if m == nil {
			if line != "" && !strings.HasPrefix(line, "#") {
				t.Errorf("sohoa.env.example:%d: not KEY=VALUE: %q", i+1, line)
			}
			continue
		}
		where := fmt.Sprintf("sohoa.env.example:%d", i+1)
		if !strings.HasPrefix(m[1], "SOHOA_") && !strings.HasPrefix(m[1], "AWS_") {
			t.Errorf("%s: %s: only SOHOA_* and AWS_* keys are accepted by --config", where, m[1])
		}
		if strings.ContainsAny(m[2], "$`\"'") || strings.TrimSpace(m[2]) != m[2] {
			t.Errorf("%s: keep values unquoted, without $ or spaces: systemd, compose and sohoa read them alike", where)
		}
		check(where, m[1])
		n++
	}
	if n == 0 {
		t.Error("sohoa.env.example: no settings")
	}
	for _, o := range k8sObjects(t) {
		if o.kind == "ConfigMap" || o.kind == "Secret" {
			for _, k := range append(keys(mapOf(o.m["data"])), keys(mapOf(o.m["stringData"]))...) {
				check(o.where(), k)
			}
		}
		for _, c := range list(podSpec(o)["containers"]) {
			for _, e := range list(get(c, "env")) {
				check(o.where(), str(get(e, "name")))
			}
		}
	}
	for name, s := range mapOf(composeFile(t)["services"]) {
		for _, k := range keys(mapOf(get(s, "environment"))) {
			check("compose.yaml: service "+name, k)
		}
	}
	for _, p := range deployFiles(t, ".service") {
		for _, e := range loadUnit(t, p)["Service"]["Environment"] {
			for _, kv := range strings.Fields(e) {
				k, _, _ := strings.Cut(kv, "=")
				check(p, k)
			}
		}
	}
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// ------------------------------------------------------------- metrics ---

// metricNames reads the metric names from workers/metrics/metrics.go as
// text; histograms also expose NAME_bucket, NAME_sum and NAME_count.
func metricNames(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(metricsSrc)
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	if strings.Contains(src, "Namespace:") || strings.Contains(src, "Subsystem:") {
		t.Fatalf("%s uses Namespace/Subsystem: metric names are no longer literal; update this test", metricsSrc)
	}
	names := map[string]bool{}
	for _, re := range []string{`Name:\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"`, `NewDesc\(\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"`} {
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(src, -1) {
			names[m[1]] = true
		}
	}
	for _, m := range regexp.MustCompile(`(?s)HistogramOpts\{.*?Name:\s*"([^"]+)"`).FindAllStringSubmatch(src, -1) {
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			names[m[1]+suffix] = true
		}
	}
	if len(names) < 5 {
		t.Fatalf("%s: found only %v: has the file changed shape? (update this test)", metricsSrc, keys(names))
	}
	return names
}

var sohoaMetricRE = regexp.MustCompile(`\bsohoa_[a-z][a-z0-9_]*`)

// Every sohoa_* metric named anywhere in deploy/ (dashboard, alerts, KEDA)
// and in the operations guide exists in workers/metrics.
func TestMetricNamesExist(t *testing.T) {
	names := metricNames(t)
	files := deployFiles(t, "", ".yaml", ".yml", ".json", ".service", ".example", ".md", ".txt")
	if _, err := os.Stat(opsDoc); err == nil {
		files = append(files, opsDoc)
	}
	used := map[string]bool{}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range strings.Split(string(b), "\n") {
			for _, m := range sohoaMetricRE.FindAllString(line, -1) {
				used[m] = true
				if !names[m] {
					t.Errorf("%s:%d: metric %s is not defined in %s", p, n+1, m, metricsSrc)
				}
			}
		}
	}
	for _, n := range keys(names) {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")
		if !used[n] && !used[base] && !used[base+"_bucket"] {
			t.Logf("metric %s is not used in deploy/ (dashboard, alerts)", n)
		}
	}
}

// queueGauges are read from Redis by every worker: the same values from each,
// so a query must take max by queue, never sum them.
var queueGauges = []string{"sohoa_queue_tasks", "sohoa_queue_latency_seconds", "sohoa_queue_paused", "sohoa_batches_in_flight"}

func checkQueueGauges(t *testing.T, where, expr string) {
	t.Helper()
	for _, g := range queueGauges {
		all := len(regexp.MustCompile(`\b`+g+`\b`).FindAllString(expr, -1))
		wrapped := len(regexp.MustCompile(`\bmax(\s+by\s*\([^)]*\))?\s*\(\s*`+g+`\b`).FindAllString(expr, -1))
		if all != wrapped {
			t.Errorf("%s: %s must be aggregated with max(...) or max by (...) (every worker exports it): %s", where, g, expr)
		}
	}
}

// checkIngestLeftOut: a query that adds up the pending work of every
// queue must leave out "ingest", where completion events wait for the
// downstream consumer by design (no worker serves it), or an idle farm
// looks busy or stuck.
func checkIngestLeftOut(t *testing.T, where, expr string) {
	t.Helper()
	if strings.Contains(expr, "sum(max by (queue) (sohoa_queue_tasks") && !strings.Contains(expr, `queue!="ingest"`) {
		t.Errorf("%s adds up every queue's tasks, \"ingest\" included (events wait there by design): %s", where, expr)
	}
}

// The alert rules pass promtool's own checks and their tests
// (prometheus/alerts_test.yml: an idle farm with events waiting in
// "ingest" fires nothing; a stuck "ocr" queue fires). make deps installs
// promtool; in CI (CI=true) a missing promtool fails the test.
func TestAlertRulesWithPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool is not installed: run deploy/setup-debian.sh (make deps)")
		}
		t.Skip("promtool is not installed (deploy/setup-debian.sh installs it; CI=true makes this a failure)")
	}
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = "prometheus"
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestGrafanaDashboard(t *testing.T) {
	b, err := os.ReadFile("grafana/sohoa-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("grafana/sohoa-dashboard.json: %v", err)
	}
	if v, _ := d["schemaVersion"].(float64); v < 36 {
		t.Errorf("schemaVersion %v, want >= 36", d["schemaVersion"])
	}
	if str(d["uid"]) == "" || str(d["title"]) == "" {
		t.Error("the dashboard needs a uid and a title")
	}
	input := false
	for _, in := range list(d["__inputs"]) {
		if str(get(in, "name")) == "DS_PROMETHEUS" && str(get(in, "pluginId")) == "prometheus" {
			input = true
		}
	}
	if !input {
		t.Error("no DS_PROMETHEUS datasource in __inputs")
	}
	names := metricNames(t)
	ids := map[float64]bool{}
	exprs := 0
	for _, p := range list(d["panels"]) {
		title := str(get(p, "title"))
		id, _ := get(p, "id").(float64)
		if ids[id] {
			t.Errorf("panel %q: duplicate id %v", title, id)
		}
		ids[id] = true
		x, _ := get(p, "gridPos", "x").(float64)
		w, _ := get(p, "gridPos", "w").(float64)
		if w <= 0 || x+w > 24 {
			t.Errorf("panel %q: gridPos x=%v w=%v does not fit 24 columns", title, x, w)
		}
		if str(get(p, "type")) == "row" {
			continue
		}
		if ds := str(get(p, "datasource", "uid")); ds != "${DS_PROMETHEUS}" {
			t.Errorf("panel %q: datasource %q, want ${DS_PROMETHEUS}", title, ds)
		}
		if len(list(get(p, "targets"))) == 0 {
			t.Errorf("panel %q: no query", title)
		}
		for _, tg := range list(get(p, "targets")) {
			expr := str(get(tg, "expr"))
			if expr == "" {
				t.Errorf("panel %q: a target without expr", title)
				continue
			}
			exprs++
			checkQueueGauges(t, "panel "+strconv.Quote(title), expr)
			checkIngestLeftOut(t, "panel "+strconv.Quote(title), expr)
			for _, m := range sohoaMetricRE.FindAllString(expr, -1) {
				if !names[m] {
					t.Errorf("panel %q: metric %s is not defined in %s", title, m, metricsSrc)
				}
			}
		}
	}
	// The panels the operators asked for, by the metric they show.
	all := string(b)
	for _, m := range []string{"sohoa_pages_processed_total", "sohoa_stage_duration_seconds_bucket", "sohoa_ocr_confidence_bucket",
		"sohoa_queue_tasks", "sohoa_queue_latency_seconds", "sohoa_batches_in_flight", "sohoa_tasks_in_flight",
		"sohoa_queue_paused", "process_resident_memory_bytes"} {
		if !strings.Contains(all, m) {
			t.Errorf("the dashboard has no panel on %s", m)
		}
	}
	if exprs < 10 {
		t.Errorf("only %d queries in the dashboard", exprs)
	}
}

func TestPrometheusRules(t *testing.T) {
	docs, err := loadYAML("prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range list(docs[0].m["groups"]) {
		for _, r := range list(get(g, "rules")) {
			name, expr := str(get(r, "alert")), str(get(r, "expr"))
			if name == "" || expr == "" {
				t.Errorf("prometheus/alerts.yml: group %s: a rule without alert or expr", str(get(g, "name")))
				continue
			}
			if get(r, "labels", "severity") == nil {
				t.Errorf("prometheus/alerts.yml: %s: no severity label", name)
			}
			checkQueueGauges(t, "alert "+name, expr)
			checkIngestLeftOut(t, "alert "+name, expr)
			n++
		}
	}
	if n == 0 {
		t.Error("prometheus/alerts.yml: no alerting rules")
	}
	// The compose Prometheus loads the rules file it mounts.
	pdocs, err := loadYAML("prometheus/prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strs(pdocs[0].m["rule_files"]), "/etc/prometheus/alerts.yml") {
		t.Error("prometheus/prometheus.yml does not load /etc/prometheus/alerts.yml")
	}
	// The commented Prometheus trigger in the KEDA file follows the same rule.
	b, err := os.ReadFile("kubernetes/keda-scaledobject.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if _, q, ok := strings.Cut(line, "query:"); ok {
			checkQueueGauges(t, "kubernetes/keda-scaledobject.yaml", q)
		}
	}
}

// Paths under deploy/ named in the deploy files and the operations guide exist.
func TestReferencedPathsExist(t *testing.T) {
	files := deployFiles(t, "", ".yaml", ".yml", ".service", ".example", ".md", ".txt")
	if _, err := os.Stat(opsDoc); err == nil {
		files = append(files, opsDoc)
	} else {
		t.Errorf("%s: %v", opsDoc, err)
	}
	re := regexp.MustCompile(`\bdeploy/[A-Za-z0-9_.@/-]*[A-Za-z0-9_@/-]`)
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range strings.Split(string(b), "\n") {
			for _, ref := range re.FindAllString(line, -1) {
				if _, err := os.Stat(filepath.Join("..", ref)); err != nil {
					t.Errorf("%s:%d: %s does not exist", p, n+1, ref)
				}
			}
		}
	}
}
