package main

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Names of the identities the control plane is started with.
const (
	adminUser        = "kmesh-admin"         // client certificate, group system:masters
	clusterAdminUser = "kmesh-cluster-admin" // client certificate, cluster-admin by RBAC only
	restrictedUser   = "kmesh-restricted"    // bearer token, reads in restrictedNamespace only
	restrictedNS     = "restricted-ns"
	readyTimeout     = 90 * time.Second
)

// plane describes one started control plane: where its files live and how to reach it.
type plane struct {
	dir         string
	pki         string
	apiPort     int
	etcdPort    int
	peerPort    int
	token       string
	ca          *keyPair
	admin       *keyPair
	clusterAdm  *keyPair
	exited      chan string // names of components that stopped while we waited
	processList []string
}

func runUp(args []string) int {
	if len(args) < 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(os.Stderr, "usage: kmesh-cp up DIR [-- EXTRA-APISERVER-FLAGS]")
		return 2
	}
	dir, extra := args[0], args[1:]
	if len(extra) > 0 && extra[0] == "--" {
		extra = extra[1:]
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "up:", err)
		return 2
	}
	if _, err := os.Stat(filepath.Join(abs, "pids")); err == nil {
		fmt.Fprintf(os.Stderr, "up: %s already holds a control plane; run 'down %s' first\n", abs, dir)
		return 2
	}
	p := &plane{dir: abs, pki: filepath.Join(abs, "pki"), exited: make(chan string, 4)}
	start := time.Now()
	if err := p.start(extra); err != nil {
		fmt.Fprintln(os.Stderr, "up:", err)
		p.stop()
		return 1
	}
	fmt.Printf("control plane %s ready at https://127.0.0.1:%d in %.1fs\n",
		kubernetesVersion(), p.apiPort, time.Since(start).Seconds())
	return 0
}

func (p *plane) start(extra []string) error {
	for _, d := range []string{p.pki, filepath.Join(p.dir, "data"), filepath.Join(p.dir, "logs")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	ports, err := freePorts(3)
	if err != nil {
		return err
	}
	p.etcdPort, p.peerPort, p.apiPort = ports[0], ports[1], ports[2]
	if err := p.writePKI(); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	if err := p.writeKubeconfigs(); err != nil {
		return fmt.Errorf("kubeconfigs: %w", err)
	}
	if err := p.spawn("etcd", "--data-dir", filepath.Join(p.dir, "data", "etcd"),
		"--client-port", strconv.Itoa(p.etcdPort), "--peer-port", strconv.Itoa(p.peerPort)); err != nil {
		return err
	}
	if err := p.spawn("kube-apiserver", append(p.apiserverFlags(), extra...)...); err != nil {
		return err
	}
	if err := p.waitReady(); err != nil {
		return err
	}
	if err := p.spawn("kube-controller-manager", p.controllerManagerFlags()...); err != nil {
		return err
	}
	return p.bootstrap()
}

func (p *plane) apiserverFlags() []string {
	pki := func(name string) string { return filepath.Join(p.pki, name) }
	return []string{
		"--etcd-servers=http://127.0.0.1:" + strconv.Itoa(p.etcdPort),
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(p.apiPort),
		// There is no default route in a sandbox, and a loopback advertise address is only
		// accepted without the endpoint reconciler.
		"--advertise-address=127.0.0.1",
		"--endpoint-reconciler-type=none",
		"--tls-cert-file=" + pki("serving.crt"),
		"--tls-private-key-file=" + pki("serving.key"),
		"--client-ca-file=" + pki("ca.crt"),
		"--token-auth-file=" + pki("tokens.csv"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + pki("sa.key"),
		"--service-account-signing-key-file=" + pki("sa.key"),
		"--service-cluster-ip-range=10.0.0.0/24",
		"--authorization-mode=RBAC",
		"--allow-privileged=true",
		// No kube-proxy here: resolve webhook Services through their endpoints, so a webhook
		// without a backend fails at once instead of timing out.
		"--enable-aggregator-routing=true",
		"--profiling=false",
	}
}

func (p *plane) controllerManagerFlags() []string {
	pki := func(name string) string { return filepath.Join(p.pki, name) }
	return []string{
		"--kubeconfig=" + filepath.Join(p.dir, "admin.kubeconfig"),
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port=0",
		"--service-account-private-key-file=" + pki("sa.key"),
		"--root-ca-file=" + pki("ca.crt"),
		"--cluster-signing-cert-file=" + pki("ca.crt"),
		"--cluster-signing-key-file=" + pki("ca.key"),
		"--profiling=false",
	}
}

func (p *plane) writePKI() error {
	var err error
	if p.ca, err = newCA("kmesh-local-ca"); err != nil {
		return err
	}
	serving, err := p.ca.issue("kube-apiserver", nil, []string{"127.0.0.1", "localhost", "kubernetes",
		"kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "10.0.0.1"})
	if err != nil {
		return err
	}
	if p.admin, err = p.ca.issue(adminUser, []string{"system:masters"}, nil); err != nil {
		return err
	}
	if p.clusterAdm, err = p.ca.issue(clusterAdminUser, nil, nil); err != nil {
		return err
	}
	for name, kp := range map[string]*keyPair{"ca": p.ca, "serving": serving, "admin": p.admin, "cluster-admin": p.clusterAdm} {
		if err := kp.write(p.pki, name); err != nil {
			return err
		}
	}
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		return err
	}
	p.token = hex.EncodeToString(buf)
	tokens := fmt.Sprintf("%s,%s,%s-uid,\"kmesh-restricted-group\"\n", p.token, restrictedUser, restrictedUser)
	if err := os.WriteFile(filepath.Join(p.pki, "tokens.csv"), []byte(tokens), 0o600); err != nil {
		return err
	}
	return writeServiceAccountKey(filepath.Join(p.pki, "sa.key"))
}

// spawn starts one component as a child of its own session, so it outlives this
// command, with its output in DIR/logs and its pid in DIR/pids.
func (p *plane) spawn(role string, args ...string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(p.dir, "logs", role+".log"), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(self, append([]string{role}, args...)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", role, err)
	}
	p.processList = append(p.processList, fmt.Sprintf("%s %d", role, cmd.Process.Pid))
	if err := os.WriteFile(filepath.Join(p.dir, "pids"), []byte(strings.Join(p.processList, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	go func() {
		_ = cmd.Wait()
		p.exited <- role
	}()
	return nil
}

func (p *plane) adminHTTP() *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(p.ca.cert)
	cert := tls.Certificate{Certificate: [][]byte{p.admin.cert.Raw}, PrivateKey: p.admin.key}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}}}}
}

// waitFor polls check until it succeeds, a component dies, or readyTimeout passes.
func (p *plane) waitFor(what string, check func() error) error {
	deadline := time.Now().Add(readyTimeout)
	var last error
	for time.Now().Before(deadline) {
		if last = check(); last == nil {
			return nil
		}
		select {
		case role := <-p.exited:
			return fmt.Errorf("%s exited while waiting for %s; last lines of %s:\n%s",
				role, what, p.logPath(role), tail(p.logPath(role), 20))
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready after %s: %v", what, readyTimeout, last)
}

func (p *plane) logPath(role string) string { return filepath.Join(p.dir, "logs", role+".log") }

func (p *plane) waitReady() error {
	client := p.adminHTTP()
	url := fmt.Sprintf("https://127.0.0.1:%d/readyz", p.apiPort)
	return p.waitFor("kube-apiserver /readyz", func() error {
		resp, err := client.Get(url)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("/readyz: %s", resp.Status)
		}
		return nil
	})
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

// stop ends whatever start got running, for a failed start.
func (p *plane) stop() {
	if err := stopProcesses(p.dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "up: stopping:", err)
	}
}
