#pragma once
// Objects the traffic policy tests share.

#include <string>

namespace kmesh::testing {

/// Namespace NS with a Service `reviews` and two Deployments, reviews-v1 and reviews-v2,
/// whose Pod templates carry version=v1 and version=v2 (the subsets the route tests name).
inline std::string reviews_yaml(const std::string& ns) {
  std::string text =
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns +
      "\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: " + ns +
      "\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n";
  for (const char* version : {"v1", "v2"})
    text += std::string("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-") +
            version + "\n  namespace: " + ns +
            "\nspec:\n  selector:\n    matchLabels: {app: reviews, version: " + version +
            "}\n  template:\n    metadata:\n      labels: {app: reviews, version: " + version +
            "}\n    spec:\n      containers: [{name: reviews, image: reviews:" + version + "}]\n";
  return text;
}

}  // namespace kmesh::testing
