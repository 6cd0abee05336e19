#include "lib/kustomize/selector.hpp"

#include <regex>

#include "lib/core/strings.hpp"
#include "lib/kustomize/scalars.hpp"

namespace kmesh::kustomize {
namespace {

struct Requirement {
  std::string key;
  std::string op;  // "=", "!=", "in", "notin", "exists", "!"
  std::vector<std::string> values;
};

// Splits on commas that are not inside parentheses.
std::vector<std::string> split_terms(const std::string& selector) {
  std::vector<std::string> terms;
  std::string current;
  int depth = 0;
  for (char c : selector) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      terms.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  terms.push_back(current);
  return terms;
}

Result<Requirement> parse_set_term(const std::string& term, size_t space) {
  Requirement r;
  r.key = std::string(trim(term.substr(0, space)));
  std::string rest(trim(term.substr(space)));
  if (starts_with(rest, "notin"))
    r.op = "notin", rest = rest.substr(5);
  else if (starts_with(rest, "in"))
    r.op = "in", rest = rest.substr(2);
  else
    return usage_error("invalid label selector term \"" + term + "\"");
  rest = std::string(trim(rest));
  if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')')
    return usage_error("invalid label selector term \"" + term + "\": expected (values)");
  for (const auto& v : split(rest.substr(1, rest.size() - 2), ','))
    r.values.emplace_back(trim(v));
  return r;
}

Result<Requirement> parse_term(const std::string& raw) {
  std::string term(trim(raw));
  if (term.empty()) return usage_error("empty label selector term");
  if (term[0] == '!') return Requirement{std::string(trim(term.substr(1))), "!", {}};
  for (const char* op : {"!=", "==", "="}) {
    size_t pos = term.find(op);
    if (pos == std::string::npos) continue;
    std::string key(trim(term.substr(0, pos)));
    std::string value(trim(term.substr(pos + std::string(op).size())));
    return Requirement{key, std::string(op) == "!=" ? "!=" : "=", {value}};
  }
  size_t space = term.find_first_of(" \t");
  if (space != std::string::npos) return parse_set_term(term, space);
  return Requirement{term, "exists", {}};
}

bool satisfies(const Requirement& r, const StringMap& labels) {
  auto it = labels.find(r.key);
  bool has = it != labels.end();
  auto in_values = [&] {
    return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
  };
  if (r.op == "exists") return has;
  if (r.op == "!") return !has;
  if (r.op == "=" || r.op == "in") return in_values();
  return !in_values();  // "!=" and "notin" also match objects without the key
}

StringMap meta_strings(const Json& object, const char* field) {
  StringMap out;
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return out;
  auto m = meta->find(field);
  if (m == meta->end() || !m->is_object()) return out;
  for (auto it = m->begin(); it != m->end(); ++it)
    out[it.key()] = scalar_text(it.value());
  return out;
}

// An anchored pattern; an empty pattern matches anything.
class Pattern {
 public:
  static Result<Pattern> make(const std::string& text, const std::string& what) {
    Pattern p;
    p.empty_ = text.empty();
    if (p.empty_) return p;
    try {
      p.re_ = std::regex("^(?:" + text + ")$");
    } catch (const std::regex_error&) {
      return usage_error("patch target " + what + " \"" + text +
                         "\" is not a valid regular expression");
    }
    return p;
  }
  bool matches(const std::string& s) const { return empty_ || std::regex_match(s, re_); }

 private:
  bool empty_ = true;
  std::regex re_;
};

}  // namespace

Result<bool> matches_label_selector(const std::string& selector, const StringMap& labels) {
  if (trim(selector).empty()) return true;
  for (const auto& term : split_terms(selector)) {
    KMESH_ASSIGN_OR_RETURN(auto requirement, parse_term(term));
    if (!satisfies(requirement, labels)) return false;
  }
  return true;
}

Result<std::vector<size_t>> select(const ResMap& map, const Selector& s) {
  KMESH_ASSIGN_OR_RETURN(auto group, Pattern::make(s.gvk.group, "group"));
  KMESH_ASSIGN_OR_RETURN(auto version, Pattern::make(s.gvk.version, "version"));
  KMESH_ASSIGN_OR_RETURN(auto kind, Pattern::make(s.gvk.kind, "kind"));
  KMESH_ASSIGN_OR_RETURN(auto name, Pattern::make(s.name, "name"));
  KMESH_ASSIGN_OR_RETURN(auto ns, Pattern::make(s.ns, "namespace"));
  std::vector<size_t> out;
  for (size_t i = 0; i < map.size(); ++i) {
    const Resource& r = map.items()[i];
    ResId cur = r.cur_id(), org = r.org_id();
    // Names and namespaces match on the original or the current value.
    if (!ns.matches(org.effective_namespace()) && !ns.matches(cur.effective_namespace())) continue;
    if (!name.matches(org.name) && !name.matches(cur.name)) continue;
    if (!group.matches(cur.gvk.group) || !version.matches(cur.gvk.version) ||
        !kind.matches(cur.gvk.kind))
      continue;
    KMESH_ASSIGN_OR_RETURN(
        bool labels_ok, matches_label_selector(s.label_selector, meta_strings(r.object, "labels")));
    if (!labels_ok) continue;
    KMESH_ASSIGN_OR_RETURN(
        bool annotations_ok,
        matches_label_selector(s.annotation_selector, meta_strings(r.object, "annotations")));
    if (annotations_ok) out.push_back(i);
  }
  return out;
}

}  // namespace kmesh::kustomize
