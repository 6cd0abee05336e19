// Command kmesh-cp is the local Kubernetes control plane of kubectl-mesh's tests and
// demo: one multi-call binary whose first argument picks the role. The server roles run
// in their own processes because kube-apiserver and kube-controller-manager share global
// registries (feature gates, metrics, signal handlers) that panic when set up twice.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	role, args := os.Args[1], os.Args[2:]
	switch role {
	case "up":
		os.Exit(runUp(args))
	case "down":
		os.Exit(runDown(args))
	case "etcd":
		os.Exit(runEtcd(args))
	case "kube-apiserver":
		os.Exit(runAPIServer(args))
	case "kube-controller-manager":
		os.Exit(runControllerManager(args))
	case "kubectl":
		runKubectl(args)
	case "version":
		fmt.Println(kubernetesVersion())
	default:
		usage()
		os.Exit(2)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage: kmesh-cp ROLE [ARGS]
roles:
  up DIR [-- EXTRA-APISERVER-FLAGS]   start etcd, kube-apiserver and kube-controller-manager
  down DIR                            stop them and remove their data
  etcd | kube-apiserver | kube-controller-manager | kubectl   run one component
  version                             print the Kubernetes release built in`)
}
