package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// bootstrap creates what the test identities need, then waits for the controller
// manager to prove itself alive by creating the default ServiceAccount.
func (p *plane) bootstrap() error {
	cfg, err := clientcmd.BuildConfigFromFlags("", filepath.Join(p.dir, "admin.kubeconfig"))
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	ctx := context.Background()
	objects := []func() error{
		func() error {
			_, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{
				ObjectMeta: metav1.ObjectMeta{Name: restrictedNS}}, metav1.CreateOptions{})
			return err
		},
		func() error {
			_, err := cs.RbacV1().Roles(restrictedNS).Create(ctx, &rbacv1.Role{
				ObjectMeta: metav1.ObjectMeta{Name: "kmesh-restricted-read"},
				Rules: []rbacv1.PolicyRule{{APIGroups: []string{"*"}, Resources: []string{"*"},
					Verbs: []string{"get", "list", "watch"}}},
			}, metav1.CreateOptions{})
			return err
		},
		func() error {
			_, err := cs.RbacV1().RoleBindings(restrictedNS).Create(ctx, &rbacv1.RoleBinding{
				ObjectMeta: metav1.ObjectMeta{Name: "kmesh-restricted-read"},
				RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: "kmesh-restricted-read"},
				Subjects:   []rbacv1.Subject{{APIGroup: "rbac.authorization.k8s.io", Kind: "User", Name: restrictedUser}},
			}, metav1.CreateOptions{})
			return err
		},
		func() error {
			_, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{
				ObjectMeta: metav1.ObjectMeta{Name: "kmesh-cluster-admin"},
				RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "cluster-admin"},
				Subjects:   []rbacv1.Subject{{APIGroup: "rbac.authorization.k8s.io", Kind: "User", Name: clusterAdminUser}},
			}, metav1.CreateOptions{})
			return err
		},
	}
	for _, create := range objects {
		if err := create(); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("bootstrap RBAC: %w", err)
		}
	}
	return p.waitFor("kube-controller-manager (default ServiceAccount)", func() error {
		_, err := cs.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		return err
	})
}

// writeKubeconfigs writes one kubeconfig per identity, each a single context.
func (p *plane) writeKubeconfigs() error {
	server := fmt.Sprintf("https://127.0.0.1:%d", p.apiPort)
	ca := base64.StdEncoding.EncodeToString(p.ca.certPEM)
	certUser := func(kp *keyPair) string {
		return fmt.Sprintf("    client-certificate-data: %s\n    client-key-data: %s\n",
			base64.StdEncoding.EncodeToString(kp.certPEM), base64.StdEncoding.EncodeToString(kp.keyPEM))
	}
	files := map[string]struct{ user, auth, ns string }{
		"admin.kubeconfig":         {adminUser, certUser(p.admin), "default"},
		"cluster-admin.kubeconfig": {clusterAdminUser, certUser(p.clusterAdm), "default"},
		"restricted.kubeconfig":    {restrictedUser, "    token: " + p.token + "\n", restrictedNS},
	}
	for name, f := range files {
		text := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: kmesh-local
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
%scontexts:
- name: %s@kmesh-local
  context:
    cluster: kmesh-local
    user: %s
    namespace: %s
current-context: %s@kmesh-local
`, server, ca, f.user, f.auth, f.user, f.user, f.ns, f.user)
		if err := os.WriteFile(filepath.Join(p.dir, name), []byte(text), 0o600); err != nil {
			return err
		}
	}
	return nil
}
