package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func runDown(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: kmesh-cp down DIR")
		return 2
	}
	dir, err := filepath.Abs(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "down:", err)
		return 2
	}
	if err := stopProcesses(dir); err != nil && !os.IsNotExist(err) {
		fmt.Fprintln(os.Stderr, "down:", err)
		return 1
	}
	// Remove only what up created, so a DIR the caller chose keeps anything else it holds.
	for _, name := range []string{"data", "pki", "logs", "pids", "admin.kubeconfig",
		"cluster-admin.kubeconfig", "restricted.kubeconfig"} {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			fmt.Fprintln(os.Stderr, "down:", err)
			return 1
		}
	}
	_ = os.Remove(dir) // only succeeds when nothing else is left in it
	return 0
}

// stopProcesses sends SIGTERM to every component listed in DIR/pids, newest first, and
// SIGKILL to any still alive after a grace period.
func stopProcesses(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "pids"))
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var pids []int
	for i := len(lines) - 1; i >= 0; i-- {
		fields := strings.Fields(lines[i])
		if len(fields) != 2 {
			continue
		}
		pid, err := strconv.Atoi(fields[1])
		if err != nil || !isOurs(pid) {
			continue
		}
		pids = append(pids, pid)
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(15 * time.Second)
	for _, pid := range pids {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if alive(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	return nil
}

// isOurs guards against a recycled pid: the process must be this binary.
func isOurs(pid int) bool {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	self, _ := os.Executable()
	argv0 := strings.SplitN(string(cmdline), "\x00", 2)[0]
	return filepath.Base(argv0) == filepath.Base(self)
}

func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	// A zombie still answers signal 0; it is gone for our purposes.
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat))
	return len(fields) < 3 || fields[2] != "Z"
}
