#pragma once
// The labels that mark what kubectl-mesh installed, so verify, upgrade and uninstall find
// exactly those objects.

namespace kmesh::mesh {

inline constexpr const char* kManagedByLabel = "app.kubernetes.io/managed-by";
inline constexpr const char* kManagedByValue = "kubectl-mesh";
inline constexpr const char* kComponentLabel = "kubectl-mesh.dev/component";
/// Absent on objects shared by every revision (namespace, CRDs, default validator).
inline constexpr const char* kRevisionLabel = "kubectl-mesh.dev/revision";
inline constexpr const char* kVersionLabel = "kubectl-mesh.dev/version";
inline constexpr const char* kProfileLabel = "kubectl-mesh.dev/profile";

/// The field manager of install, upgrade and tag changes.
inline constexpr const char* kInstallFieldManager = "kubectl-mesh-install";

}  // namespace kmesh::mesh
