// Command kmesh-istiod is real Istio for kubectl-mesh's test bed: one multi-call binary,
// built from the istio.io/istio module, whose first argument picks the program.
//
//	kmesh-istiod pilot-discovery ARGS...   istiod (pilot-discovery discovery ...)
//	kmesh-istiod istioctl ARGS...          istioctl of the same commit
//	kmesh-istiod up DIR                    start istiod against cluster.sh's control plane in DIR
//	kmesh-istiod version                   the Istio release and commit built in
//
// It is a module of its own, apart from tests/cluster/cp, because Istio pins a newer
// client-go than the control plane's Kubernetes release.
package main

import (
	"fmt"
	"os"

	// Every known client auth plugin, as istioctl's own main imports.
	_ "k8s.io/client-go/plugin/pkg/client/auth"

	istioctl "istio.io/istio/istioctl/cmd"
	discovery "istio.io/istio/pilot/cmd/pilot-discovery/app"
	"istio.io/istio/pkg/log"
	"istio.io/istio/pkg/version"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	role := os.Args[1]
	// Each program reads os.Args (cobra, flag defaults): present it as if run by its name.
	os.Args = append([]string{role}, os.Args[2:]...)
	switch role {
	case "pilot-discovery":
		runDiscovery()
	case "istioctl":
		runIstioctl()
	case "up":
		os.Exit(runUp(os.Args[1:]))
	case "version":
		fmt.Println(releaseOf(), version.Info.GitRevision)
	default:
		usage()
		os.Exit(2)
	}
}

// runDiscovery mirrors istio.io/istio/pilot/cmd/pilot-discovery/main.go, less its
// automemlimit import (GOMEMLIMIT from a cgroup limit: none here, and it logs at start).
func runDiscovery() {
	log.EnableKlogWithCobra()
	root := discovery.NewRootCommand()
	if err := root.Execute(); err != nil {
		log.Error(err)
		os.Exit(255)
	}
}

// runIstioctl mirrors istio.io/istio/istioctl/cmd/istioctl/main.go.
func runIstioctl() {
	if err := istioctl.ConfigAndEnvProcessing(); err != nil {
		fmt.Fprintf(os.Stderr, "Could not initialize: %v\n", err)
		os.Exit(istioctl.GetExitCode(err))
	}
	root := istioctl.GetRootCmd(os.Args[1:])
	log.EnableKlogWithCobra()
	if err := root.Execute(); err != nil {
		os.Exit(istioctl.GetExitCode(err))
	}
}

func releaseOf() string { return version.Info.Version }

func usage() {
	fmt.Fprintln(os.Stderr, `usage: kmesh-istiod ROLE [ARGS]
roles:
  pilot-discovery ARGS   istiod
  istioctl ARGS          istioctl of the same Istio commit
  up DIR                 start istiod against the control plane in DIR (cluster.sh istiod DIR)
  version                print the Istio version and commit built in`)
}
