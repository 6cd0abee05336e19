package main

import (
	"flag"
	"fmt"
	neturl "net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/component-base/version"
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"

	_ "k8s.io/client-go/plugin/pkg/client/auth"
)

func kubernetesVersion() string { return version.Get().GitVersion }

// runEtcd runs a single-member etcd on loopback, embedded from go.etcd.io/etcd/server,
// until SIGTERM or SIGINT.
func runEtcd(args []string) int {
	fs := flag.NewFlagSet("etcd", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "data directory")
	clientPort := fs.Int("client-port", 0, "client port on 127.0.0.1")
	peerPort := fs.Int("peer-port", 0, "peer port on 127.0.0.1")
	if err := fs.Parse(args); err != nil || *dataDir == "" || *clientPort == 0 || *peerPort == 0 {
		fmt.Fprintln(os.Stderr, "etcd: --data-dir, --client-port and --peer-port are required")
		return 2
	}
	cfg := embed.NewConfig()
	cfg.Name = "kmesh"
	cfg.Dir = *dataDir
	cfg.LogLevel = "warn"
	// Test data is thrown away on stop, so durability buys nothing and fsync costs a lot.
	cfg.UnsafeNoFsync = true
	clientURL := mustURL(fmt.Sprintf("http://127.0.0.1:%d", *clientPort))
	peerURL := mustURL(fmt.Sprintf("http://127.0.0.1:%d", *peerPort))
	cfg.ListenClientUrls = []neturl.URL{clientURL}
	cfg.AdvertiseClientUrls = []neturl.URL{clientURL}
	cfg.ListenPeerUrls = []neturl.URL{peerURL}
	cfg.AdvertisePeerUrls = []neturl.URL{peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.ListenMetricsUrls = nil
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		return 1
	}
	defer e.Close()
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		fmt.Fprintln(os.Stderr, "etcd: not ready after 60s")
		return 1
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-stop:
		return 0
	case err := <-e.Err():
		fmt.Fprintln(os.Stderr, "etcd:", err)
		return 1
	}
}

func runAPIServer(args []string) int {
	cmd := apiserver.NewAPIServerCommand()
	cmd.SetArgs(args)
	return cli.Run(cmd)
}

func runControllerManager(args []string) int {
	cmd := controllermanager.NewControllerManagerCommand()
	cmd.SetArgs(args)
	return cli.Run(cmd)
}

// runKubectl runs kubectl of the same release as the server, so end-to-end tests stay
// inside kubectl's supported version skew whatever kubectl the machine has.
func runKubectl(args []string) {
	// kubectl reads os.Args itself for plugin lookup, so present it as "kubectl ...".
	os.Args = append([]string{"kubectl"}, args...)
	cmd := kubectlcmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(cmd); err != nil {
		kubectlutil.CheckErr(err)
	}
	os.Exit(0)
}

func mustURL(raw string) neturl.URL {
	u, err := neturl.Parse(raw)
	if err != nil {
		panic(err)
	}
	return *u
}
