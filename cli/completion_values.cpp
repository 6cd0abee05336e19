#include "cli/completion_values.hpp"

#include <map>

#include "cli/completion_scripts.hpp"
#include "cli/output.hpp"
#include "lib/core/strings.hpp"
#include "lib/mesh/bookstore.hpp"
#include "lib/mesh/values.hpp"

namespace kmesh::cli {
namespace {

std::vector<Candidate> plain(const std::vector<std::string>& names) {
  std::vector<Candidate> out;
  for (const auto& n : names)
    out.push_back({n, ""});
  return out;
}

bool under_bookstore(const CLI::App& command) {
  for (const CLI::App* c = &command; c; c = c->get_parent())
    if (c->get_name() == "bookstore") return true;
  return false;
}

// Splits "a (x, y), b" at the commas outside parentheses.
std::vector<std::string> top_level_items(const std::string& text) {
  std::vector<std::string> items(1);
  int depth = 0;
  for (char c : text) {
    depth += (c == '(') - (c == ')');
    if (c == ',' && depth == 0)
      items.emplace_back();
    else
      items.back() += c;
  }
  return items;
}

// -o's help lists the formats the command allows ("Output format: table (default), json,
// yaml"): that list is the one users read, so completion offers exactly it, and only names
// that parse_format knows.
std::vector<Candidate> output_formats(const CLI::Option& option) {
  const std::string& help = option.get_description();
  size_t colon = help.find(':');
  if (colon == std::string::npos) return {};
  const std::vector<Format> all = {Format::kYaml, Format::kJson,    Format::kName, Format::kTable,
                                   Format::kDot,  Format::kMermaid, Format::kSvg,  Format::kHtml};
  std::vector<Candidate> out;
  for (const auto& item : top_level_items(help.substr(colon + 1))) {
    std::string text(trim(item));
    size_t end = text.find_first_of(" (");
    std::string name = text.substr(0, end);
    if (!parse_format(name, all).ok()) continue;
    std::string note;
    if (size_t open = text.find('('); open != std::string::npos)
      note = text.substr(open + 1, text.rfind(')') - open - 1);
    out.push_back({name, note});
  }
  return out;
}

std::vector<Candidate> profiles(const CLI::App& command) {
  return plain(under_bookstore(command) ? mesh::bookstore_profile_names() : mesh::profile_names());
}

// What completes each option, by its long name (flags) or its name (positionals).
enum class Source { kNothing, kFiles, kDirs, kNamespaces, kServices, kKubeconfig, kFixed };

Source source_of(const std::string& key) {
  static const std::map<std::string, Source> kSources = {{"kubeconfig", Source::kFiles},
                                                         {"filename", Source::kFiles},
                                                         {"token-file", Source::kFiles},
                                                         {"jwks", Source::kFiles},
                                                         {"from", Source::kFiles},
                                                         {"jwks-from", Source::kFiles},
                                                         {"templates", Source::kDirs},
                                                         {"output-dir", Source::kDirs},
                                                         {"dir", Source::kDirs},
                                                         {"namespace", Source::kNamespaces},
                                                         {"NAMESPACE", Source::kNamespaces},
                                                         {"SERVICE", Source::kServices},
                                                         {"context", Source::kKubeconfig},
                                                         {"cluster", Source::kKubeconfig},
                                                         {"user", Source::kKubeconfig},
                                                         {"profile", Source::kFixed},
                                                         {"output", Source::kFixed},
                                                         {"dry-run", Source::kFixed},
                                                         {"fail-on", Source::kFixed},
                                                         {"canary", Source::kFixed},
                                                         {"SHELL", Source::kFixed}};
  auto it = kSources.find(key);
  return it == kSources.end() ? Source::kNothing : it->second;
}

std::vector<Candidate> fixed_values(const std::string& key, const CLI::Option& option,
                                    const CLI::App& command) {
  if (key == "profile") return profiles(command);
  if (key == "output") return output_formats(option);
  if (key == "dry-run")
    return {{"none", "change the cluster"},
            {"client", "print what would be sent"},
            {"server", "print what the server would store"}};
  if (key == "fail-on") return plain({"error", "warning"});
  if (key == "canary") return plain(mesh::bookstore_services());
  if (key == "SHELL") return plain(completion_shells());
  return {};
}

std::vector<Candidate> cluster_values(Source source, const std::string& key,
                                      const kube::Overrides& typed, ClusterNames& cluster) {
  switch (source) {
    case Source::kNamespaces:
      return plain(cluster.namespaces(typed));
    case Source::kServices:
      return plain(cluster.services(typed));
    case Source::kKubeconfig:
      return plain(cluster.kubeconfig_names(typed, key));
    default:
      return {};
  }
}

}  // namespace

Completions complete_value(const CLI::Option& option, const CLI::App& command,
                           const std::string& prefix, const kube::Overrides& typed,
                           ClusterNames& cluster) {
  const std::string key = option.get_single_name();
  Source source = source_of(key);
  if (source == Source::kFiles) return {{}, kCompDefault};
  if (source == Source::kDirs) return {{}, kCompDirs};
  std::vector<Candidate> all = source == Source::kFixed
                                   ? fixed_values(key, option, command)
                                   : cluster_values(source, key, typed, cluster);
  Completions out;
  for (auto& c : all)
    if (starts_with(c.value, prefix)) out.candidates.push_back(std::move(c));
  return out;
}

}  // namespace kmesh::cli
