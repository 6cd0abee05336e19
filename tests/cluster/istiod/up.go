package main

// `kmesh-istiod up DIR` starts istiod as a local process against the control plane that
// `cluster.sh up DIR` started, and points the install's webhooks at it. The API server
// reaches istiod by URL (https://localhost:PORT), never through the istiod Service: there
// is no kubelet or kube-proxy in the test bed. Only the live webhook configurations of
// this test bed are changed; the shipped manifests keep naming the Service.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	admissionregv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/retry"
)

const (
	istioNamespace = "istio-system"
	readyTimeout   = 180 * time.Second
	rootCertMap    = "istio-ca-root-cert" // istiod writes its root certificate here
)

// local is one started istiod.
type local struct {
	dir, kubeconfig, revision string
	ports                     map[string]int // http, grpc, secure-grpc, webhook, monitoring, ctrlz
	cmd                       *exec.Cmd
	exited                    chan error
	cs                        kubernetes.Interface
	rootPEM                   []byte
	refusedSince              time.Time // first time /inject refused the probe
}

func runUp(args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(os.Stderr, "usage: kmesh-istiod up DIR   (DIR of a control plane started by cluster.sh up)")
		return 2
	}
	dir, err := filepath.Abs(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "istiod:", err)
		return 2
	}
	l := &local{dir: dir, kubeconfig: filepath.Join(dir, "admin.kubeconfig"), revision: "default",
		exited: make(chan error, 1)}
	if _, err := os.Stat(l.kubeconfig); err != nil {
		fmt.Fprintf(os.Stderr, "istiod: %s holds no control plane (run 'cluster.sh up %s' first): %v\n", dir, args[0], err)
		return 2
	}
	if data, err := os.ReadFile(filepath.Join(dir, "istiod.pid")); err == nil {
		fmt.Fprintf(os.Stderr, "istiod: already started in %s (pid %s); run 'cluster.sh down %s' first\n",
			dir, strings.TrimSpace(string(data)), args[0])
		return 2
	}
	start := time.Now()
	if err := l.start(); err != nil {
		fmt.Fprintln(os.Stderr, "istiod:", err)
		l.stop()
		return 1
	}
	fmt.Printf("istiod %s ready in %.1fs: webhooks https://localhost:%d, debug http://127.0.0.1:%d/debug, "+
		"monitoring http://127.0.0.1:%d (ports in %s)\n", releaseOf(), time.Since(start).Seconds(),
		l.ports["webhook"], l.ports["http"], l.ports["monitoring"], filepath.Join(dir, "istiod.env"))
	return 0
}

func (l *local) start() error {
	cfg, err := clientcmd.BuildConfigFromFlags("", l.kubeconfig)
	if err != nil {
		return err
	}
	if l.cs, err = kubernetes.NewForConfig(cfg); err != nil {
		return err
	}
	ctx := context.Background()
	for _, name := range []string{"istio", "istio-sidecar-injector"} {
		if _, err := l.cs.CoreV1().ConfigMaps(istioNamespace).Get(ctx, name, metav1.GetOptions{}); err != nil {
			return fmt.Errorf("ConfigMap %s/%s: %w (run 'kubectl mesh install' first)", istioNamespace, name, err)
		}
	}
	ports, err := freePorts(6)
	if err != nil {
		return err
	}
	l.ports = map[string]int{"http": ports[0], "grpc": ports[1], "secure-grpc": ports[2], "webhook": ports[3],
		"monitoring": ports[4], "ctrlz": ports[5]}
	if err := l.spawn(); err != nil {
		return err
	}
	if err := l.waitFor("istiod /ready", l.ready); err != nil {
		return err
	}
	if err := l.waitFor("ConfigMap "+istioNamespace+"/"+rootCertMap, l.readRoot); err != nil {
		return err
	}
	if err := l.pointWebhooks(ctx); err != nil {
		return err
	}
	if err := l.waitFor("istiod to switch validation to failurePolicy Fail", l.validationFailClosed); err != nil {
		return err
	}
	if err := l.waitFor("the injector to render a sidecar", l.injects); err != nil {
		return err
	}
	if err := l.waitFor("the API server to inject through istiod", l.apiServerInjects); err != nil {
		return err
	}
	if bad := grepLog(l.logPath(), "invalid mesh config"); bad != "" {
		return fmt.Errorf("istiod ignored the mesh ConfigMap %s/istio: %s", istioNamespace, bad)
	}
	return l.writeEnv()
}

func (l *local) logPath() string { return filepath.Join(l.dir, "logs", "istiod.log") }

// spawn starts pilot-discovery in a session of its own, so it outlives this command, with
// its working directory in DIR/istiod: istiod resolves its default file paths (mesh
// config, injection templates, CA certificates, DNS certificates) relative to it, and
// finding none there it reads the ConfigMaps and makes its own CA.
func (l *local) spawn() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	work := filepath.Join(l.dir, "istiod")
	for _, d := range []string{work, filepath.Join(l.dir, "logs")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	logf, err := os.OpenFile(l.logPath(), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	addr := func(name string) string { return "127.0.0.1:" + strconv.Itoa(l.ports[name]) }
	cmd := exec.Command(self, "pilot-discovery", "discovery",
		"--kubeconfig="+l.kubeconfig,
		"--namespace="+istioNamespace,
		"--httpAddr="+addr("http"),
		"--grpcAddr="+addr("grpc"),
		"--secureGRPCAddr="+addr("secure-grpc"),
		"--httpsAddr="+addr("webhook"),
		"--monitoringAddr="+addr("monitoring"),
		// ControlZ would otherwise take the fixed port 9876, clashing between test beds.
		"--ctrlz_address=127.0.0.1",
		"--ctrlz_port="+strconv.Itoa(l.ports["ctrlz"]),
		"--domain=cluster.local",
		"--shutdownDuration=1s",
		"--log_output_level=default:info",
		"--log_as_json=false",
	)
	cmd.Dir = work
	cmd.Env = append(os.Environ(),
		"KUBECONFIG="+l.kubeconfig,
		"POD_NAME=istiod-local",
		"POD_NAMESPACE="+istioNamespace,
		"SERVICE_ACCOUNT=istiod",
		"REVISION="+l.revision,
		"CLUSTER_ID=Kubernetes",
		// The API server checks the serving certificate against the URL's host.
		"ISTIOD_CUSTOM_HOST=localhost",
		"PILOT_CERT_PROVIDER=istiod",
		"INJECTION_WEBHOOK_CONFIG_NAME=istio-sidecar-injector",
		"VALIDATION_WEBHOOK_CONFIG_NAME=istio-validator-"+istioNamespace,
		"ENABLE_DEBUG_ON_HTTP=true",
		"PILOT_ENABLE_ANALYSIS=false",
		"PILOT_ENABLE_STATUS=false",
		// Two cores are shared with the rest of the test run.
		"GOMAXPROCS=2",
	)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start pilot-discovery: %w", err)
	}
	l.cmd = cmd
	if err := os.WriteFile(filepath.Join(l.dir, "istiod.pid"), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		return err
	}
	go func() { l.exited <- cmd.Wait() }()
	return nil
}

// permanent marks an answer that waiting will not change.
type permanent struct{ err error }

func (p *permanent) Error() string { return p.err.Error() }

// waitFor polls check until it succeeds, istiod exits, or readyTimeout passes.
func (l *local) waitFor(what string, check func() error) error {
	deadline := time.Now().Add(readyTimeout)
	var last error
	for time.Now().Before(deadline) {
		if last = check(); last == nil {
			return nil
		}
		var final *permanent
		if errors.As(last, &final) {
			return fmt.Errorf("%s: %v; last lines of %s:\n%s", what, final.err, l.logPath(), tail(l.logPath(), 10))
		}
		select {
		case err := <-l.exited:
			l.exited <- err
			return fmt.Errorf("istiod exited (%v) while waiting for %s; last lines of %s:\n%s",
				err, what, l.logPath(), tail(l.logPath(), 30))
		case <-time.After(250 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s: not done after %s: %v; last lines of %s:\n%s", what, readyTimeout, last,
		l.logPath(), tail(l.logPath(), 30))
}

func (l *local) ready() error {
	resp, err := (&http.Client{Timeout: 2 * time.Second}).Get(fmt.Sprintf("http://127.0.0.1:%d/ready", l.ports["http"]))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/ready: %s %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

func (l *local) readRoot() error {
	cm, err := l.cs.CoreV1().ConfigMaps(istioNamespace).Get(context.Background(), rootCertMap, metav1.GetOptions{})
	if err != nil {
		return err
	}
	root := cm.Data["root-cert.pem"]
	if root == "" {
		return errors.New("no root-cert.pem in it yet")
	}
	l.rootPEM = []byte(root)
	return nil
}

// pointWebhooks makes every webhook configuration of this revision (the injector, revision
// tags, both validators) call istiod at https://localhost:PORT, trusting istiod's root.
// istiod itself keeps patching caBundle and failurePolicy; it never touches the URL.
func (l *local) pointWebhooks(ctx context.Context) error {
	base := fmt.Sprintf("https://localhost:%d", l.ports["webhook"])
	selector := metav1.ListOptions{LabelSelector: "istio.io/rev=" + l.revision}
	point := func(cc *admissionregv1.WebhookClientConfig, path string) {
		url := base + path
		cc.Service, cc.URL, cc.CABundle = nil, &url, l.rootPEM
	}
	mutating := l.cs.AdmissionregistrationV1().MutatingWebhookConfigurations()
	validating := l.cs.AdmissionregistrationV1().ValidatingWebhookConfigurations()
	var found []string
	list, err := mutating.List(ctx, selector)
	if err != nil {
		return err
	}
	for _, item := range list.Items {
		found = append(found, "mutatingwebhookconfiguration/"+item.Name)
		err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
			c, err := mutating.Get(ctx, item.Name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			for i := range c.Webhooks {
				point(&c.Webhooks[i].ClientConfig, "/inject")
			}
			_, err = mutating.Update(ctx, c, metav1.UpdateOptions{FieldManager: "kmesh-istiod"})
			return err
		})
		if err != nil {
			return fmt.Errorf("pointing %s at istiod: %w", item.Name, err)
		}
	}
	vlist, err := validating.List(ctx, selector)
	if err != nil {
		return err
	}
	for _, item := range vlist.Items {
		found = append(found, "validatingwebhookconfiguration/"+item.Name)
		err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
			c, err := validating.Get(ctx, item.Name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			for i := range c.Webhooks {
				point(&c.Webhooks[i].ClientConfig, "/validate")
			}
			_, err = validating.Update(ctx, c, metav1.UpdateOptions{FieldManager: "kmesh-istiod"})
			return err
		})
		if err != nil {
			return fmt.Errorf("pointing %s at istiod: %w", item.Name, err)
		}
	}
	if len(list.Items) == 0 || len(vlist.Items) == 0 {
		return fmt.Errorf("expected the injector and the validators labelled istio.io/rev=%s, found %v", l.revision, found)
	}
	return nil
}

// validationFailClosed: istiod switches its validators to Fail only after a dry run of an
// invalid Gateway was denied through the API server, so this also proves the API server
// reaches istiod by URL.
func (l *local) validationFailClosed() error {
	list, err := l.cs.AdmissionregistrationV1().ValidatingWebhookConfigurations().List(context.Background(),
		metav1.ListOptions{LabelSelector: "istio.io/rev=" + l.revision})
	if err != nil {
		return err
	}
	for _, c := range list.Items {
		for _, w := range c.Webhooks {
			if w.FailurePolicy == nil || *w.FailurePolicy != admissionregv1.Fail {
				return fmt.Errorf("%s/%s is still failurePolicy Ignore", c.Name, w.Name)
			}
		}
	}
	return nil
}

func probePod(labels map[string]string) *corev1.Pod {
	return &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: "kmesh-istiod-probe", Namespace: "default", Labels: labels},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "busybox",
			Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}}}}},
	}
}

// injects sends an AdmissionReview straight to istiod's /inject, as the API server would,
// and checks that istiod rendered the install's template into a patch.
func (l *local) injects() error {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(l.rootPEM) {
		return errors.New("istiod's root certificate does not parse")
	}
	raw, err := json.Marshal(probePod(nil))
	if err != nil {
		return err
	}
	review := admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request: &admissionv1.AdmissionRequest{UID: "kmesh-istiod-probe",
			Kind:      metav1.GroupVersionKind{Version: "v1", Kind: "Pod"},
			Resource:  metav1.GroupVersionResource{Version: "v1", Resource: "pods"},
			Namespace: "default", Operation: admissionv1.Create, Object: runtime.RawExtension{Raw: raw}},
	}
	body, _ := json.Marshal(review)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "localhost"}}}
	resp, err := client.Post(fmt.Sprintf("https://localhost:%d/inject", l.ports["webhook"]), "application/json",
		bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	var got admissionv1.AdmissionReview
	if err := json.Unmarshal(out, &got); err != nil || got.Response == nil {
		return fmt.Errorf("/inject answered %s: %s", resp.Status, out)
	}
	if !got.Response.Allowed {
		// istiod is ready, so its injector has loaded the ConfigMap: a refusal that lasts is
		// the template's fault (allow a moment for a ConfigMap update still on its way).
		reason := "no reason given"
		if got.Response.Result != nil {
			reason = got.Response.Result.Message
		}
		err := fmt.Errorf("/inject refused the probe Pod: %s", reason)
		if l.refusedSince.IsZero() {
			l.refusedSince = time.Now()
		} else if time.Since(l.refusedSince) > 10*time.Second {
			return &permanent{err}
		}
		return err
	}
	if !bytes.Contains(got.Response.Patch, []byte("istio-proxy")) {
		return fmt.Errorf("/inject returned no istio-proxy container: %s", got.Response.Patch)
	}
	return nil
}

// apiServerInjects creates a probe Pod with a server-side dry run, asking for injection by
// Pod label (the object selector needs a namespace without injection labels), and checks
// the API server called istiod. Skipped when "default" carries injection labels.
func (l *local) apiServerInjects() error {
	ctx := context.Background()
	ns, err := l.cs.CoreV1().Namespaces().Get(ctx, "default", metav1.GetOptions{})
	if err != nil {
		return err
	}
	if _, ok := ns.Labels["istio-injection"]; ok {
		return nil
	}
	if _, ok := ns.Labels["istio.io/rev"]; ok {
		return nil
	}
	pod, err := l.cs.CoreV1().Pods("default").Create(ctx, probePod(map[string]string{"sidecar.istio.io/inject": "true"}),
		metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	if err != nil {
		return err
	}
	for _, c := range append(pod.Spec.InitContainers, pod.Spec.Containers...) {
		if c.Name == "istio-proxy" {
			return nil
		}
	}
	return errors.New("the dry-run probe Pod came back without istio-proxy")
}

// writeEnv leaves the ports for tests and people, as shell assignments.
func (l *local) writeEnv() error {
	var b strings.Builder
	fmt.Fprintf(&b, "ISTIOD_PID=%d\n", l.cmd.Process.Pid)
	fmt.Fprintf(&b, "ISTIOD_HTTP_PORT=%d\n", l.ports["http"])
	fmt.Fprintf(&b, "ISTIOD_GRPC_PORT=%d\n", l.ports["grpc"])
	fmt.Fprintf(&b, "ISTIOD_SECURE_GRPC_PORT=%d\n", l.ports["secure-grpc"])
	fmt.Fprintf(&b, "ISTIOD_WEBHOOK_PORT=%d\n", l.ports["webhook"])
	fmt.Fprintf(&b, "ISTIOD_MONITORING_PORT=%d\n", l.ports["monitoring"])
	fmt.Fprintf(&b, "ISTIOD_CTRLZ_PORT=%d\n", l.ports["ctrlz"])
	fmt.Fprintf(&b, "ISTIOD_LOG=%s\n", l.logPath())
	fmt.Fprintf(&b, "ISTIOD_VERSION=%s\n", releaseOf())
	return os.WriteFile(filepath.Join(l.dir, "istiod.env"), []byte(b.String()), 0o644)
}

// stop ends a half-started istiod, for a failed start.
func (l *local) stop() {
	if l.cmd == nil || l.cmd.Process == nil {
		return
	}
	_ = l.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-l.exited:
	case <-time.After(15 * time.Second):
		_ = l.cmd.Process.Kill()
	}
	_ = os.Remove(filepath.Join(l.dir, "istiod.pid"))
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func tail(path string, lines int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// grepLog returns the first line of the log that contains s, or "".
func grepLog(path, s string) string {
	data, _ := os.ReadFile(path)
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, s) {
			return line
		}
	}
	return ""
}
