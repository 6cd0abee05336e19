#pragma once
// Shell completion: Cobra's `__complete` protocol on the CLI11 command tree. kubectl 1.26+
// runs `kubectl_complete-mesh WORD... PARTIAL` for `kubectl mesh <TAB>`, and the scripts of
// `kubectl mesh completion SHELL` run `kubectl-mesh __complete WORD... PARTIAL`; both read
// one candidate a line (`value<TAB>description`), then `:<directive>`.

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "lib/kube/kubeconfig.hpp"

namespace kmesh::cli {

/// Cobra's ShellCompDirective bits: what the shell does beside offering the candidates.
enum Directive : int {
  kCompDefault = 0,     ///< the shell's default: file names when there is no candidate
  kCompError = 1,       ///< something failed: ignore the candidates
  kCompNoSpace = 2,     ///< no space after the completed word
  kCompNoFiles = 4,     ///< never fall back to file names
  kCompFileExt = 8,     ///< the candidates are file extensions to filter file names by
  kCompDirs = 16,       ///< complete directory names only
  kCompKeepOrder = 32,  ///< keep the candidates' order
};

/// One completion: the word and what it is (shown by zsh, fish and kubectl).
struct Candidate {
  std::string value;
  std::string description;
};

struct Completions {
  std::vector<Candidate> candidates;
  int directive = kCompNoFiles;
};

/// Names that only the cluster (or the kubeconfig) knows, looked up only when a value needs
/// them. Implementations fail silently: an empty list, never an error or a message.
class ClusterNames {
 public:
  virtual ~ClusterNames() = default;
  /// The cluster's namespaces, for the kubeconfig, context and so on typed so far.
  virtual std::vector<std::string> namespaces(const kube::Overrides& typed) = 0;
  /// The Services of -n's namespace (or the context's).
  virtual std::vector<std::string> services(const kube::Overrides& typed) = 0;
  /// The kubeconfig's context, cluster or user names (`kind` is one of those words).
  virtual std::vector<std::string> kubeconfig_names(const kube::Overrides& typed,
                                                    const std::string& kind) = 0;
};

/// Completes the last of `words` (what is being typed, maybe empty) after the others, the
/// words typed after the program's name.
Completions complete(const CLI::App& root, const std::vector<std::string>& words,
                     ClusterNames& cluster);

/// Prints completions as `__complete` does: candidates (with descriptions when asked), then
/// `:<directive>`.
void print_completions(std::ostream& out, const Completions& completions, bool descriptions);

}  // namespace kmesh::cli
