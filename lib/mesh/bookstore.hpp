#pragma once
// Fenix's Bookstore: rendering the embedded kustomize templates (or a user's copy) for a
// profile, then the options kustomize has no words for (moving the whole application to
// another namespace, image tags, replicas, a canary version).

#include <optional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/yaml/document.hpp"

namespace kmesh::mesh {

inline constexpr const char* kBookstoreNamespace = "bookstore-servicemesh";
inline constexpr const char* kBookstoreFieldManager = "kubectl-mesh-bookstore";
/// Marks every object the bookstore commands apply, so a profile switch can prune.
inline constexpr const char* kBookstoreLabel = "kubectl-mesh.dev/app";

/// The five services of the shop.
const std::vector<std::string>& bookstore_services();

/// The overlays --profile picks: mesh (sidecars, mTLS, JWT) and dev (no sidecars, JDWP).
const std::vector<std::string>& bookstore_profile_names();

struct BookstoreOptions {
  std::string profile = "mesh";  ///< mesh (sidecars, mTLS, JWT) or dev (no sidecars, JDWP)
  std::string ns;                ///< empty: bookstore-servicemesh
  std::string image_tag;         ///< empty: the templates' tag
  std::optional<int> replicas;
  std::string canary;         ///< SERVICE or SERVICE=TAG: add a version v2 of it
  std::string templates_dir;  ///< empty: the templates compiled into the binary
  std::vector<std::string>
      jwks_files;          ///< PEM keys for the RequestAuthentication; empty: upstream's
  std::string jwt_issuer;  ///< empty: the templates' issuer (icyfenix@gmail.com)
};

/// The target namespace of the options.
std::string bookstore_namespace(const BookstoreOptions& options);

/// Checks flags that need no cluster (profile, namespace name, canary service, replicas).
Status validate_bookstore_options(const BookstoreOptions& options);

/// Renders the objects, in kustomize's order, each labelled kubectl-mesh.dev/app=bookstore.
Result<std::vector<Json>> render_bookstore(const BookstoreOptions& options);

/// Moves objects from namespace `from` to `to`, including what kustomize leaves alone:
/// RoleBinding subject namespaces, AuthorizationPolicy namespaces/notNamespaces and
/// principals (cluster.local/ns/NS/sa/...).
void move_namespace(std::vector<Json>& objects, const std::string& from, const std::string& to);

/// Adds a version v2 Deployment of `service` (image tag `tag`, or the same as v1) and a v2
/// subset to its DestinationRule, when there is one.
Status add_canary(std::vector<Json>& objects, const std::string& service, const std::string& tag);

/// Puts a JWKS built from `jwks_files` and the issuer `issuer` (each when given) into the
/// RequestAuthentication's first jwtRule; an error when there is none to change.
Status set_jwt_rule(std::vector<Json>& objects, const std::vector<std::string>& jwks_files,
                    const std::string& issuer);

/// A file name for an object in --output-dir that no other object can share:
/// "<group>_<kind>_<namespace>_<name>.yaml" in lower case.
std::string object_file_name(const Json& object);

}  // namespace kmesh::mesh
