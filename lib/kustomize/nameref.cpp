#include "lib/kustomize/nameref.hpp"

#include <set>
#include <unordered_map>

#include "lib/core/strings.hpp"
#include "lib/kustomize/fieldspec.hpp"
#include "lib/kustomize/scalars.hpp"

namespace kmesh::kustomize {
namespace {

// What the selection needs of each object, computed once: nothing renames objects here.
struct Info {
  ResId cur;
  std::string org_ns;  // effective namespace of the original id
  std::vector<ResId> prev;
};

struct Context {
  std::vector<Resource>& items;
  std::vector<Info> info;
  std::unordered_map<std::string, std::vector<size_t>> by_prev_name;
};

Context make_context(std::vector<Resource>& items) {
  Context c{items, {}, {}};
  c.info.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    Info info{items[i].cur_id(), items[i].org_id().effective_namespace(), items[i].prev_ids()};
    std::set<std::string> names;
    for (const auto& id : info.prev)
      names.insert(id.name);
    for (const auto& n : names)
      c.by_prev_name[n].push_back(i);
    c.info.push_back(std::move(info));
  }
  return c;
}

// Kustomize's utils.SameEndingSubSlice.
bool same_ending(std::vector<std::string> a, std::vector<std::string> b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.empty()) return b.empty();
  size_t diff = b.size() - a.size();
  for (size_t i = a.size(); i-- > 0;)
    if (b[i + diff] != a[i]) return false;
  return true;
}

bool affixes_equal(const Resource& r, const Resource& o, bool allow_empty) {
  bool prefixes = (allow_empty && (r.prefixes.empty() || o.prefixes.empty())) ||
                  same_ending(r.prefixes, o.prefixes);
  bool suffixes = (allow_empty && (r.suffixes.empty() || o.suffixes.empty())) ||
                  same_ending(r.suffixes, o.suffixes);
  return prefixes && suffixes;
}

// The objects one referrer may refer to: cluster-scoped ones, those in its namespace, and for
// a RoleBinding those in its ServiceAccount subjects' namespaces.
struct Referrer {
  size_t index;
  const FieldSpec* spec;
  Gvk target;
  std::set<std::string> binding_namespaces;
  std::optional<Gvk> role_ref;  // for roleRef/name: the kind the roleRef names
};

bool could_be_referenced(const Context& c, const Referrer& ref, size_t i) {
  const ResId& referrer = c.info[ref.index].cur;
  if (referrer.cluster_scoped) return true;
  const ResId& target = c.info[i].cur;
  if (target.cluster_scoped || target.effective_namespace() == referrer.effective_namespace())
    return true;
  return ref.binding_namespaces.count(c.items[i].ns()) > 0;
}

bool prev_selected_by(const Info& info, const Gvk& gvk) {
  for (const auto& id : info.prev)
    if (id.gvk.selected_by(gvk)) return true;
  return false;
}

bool same_namespace_as_referrer(const Context& c, const Referrer& ref, size_t i) {
  const ResId& referrer = c.info[ref.index].cur;
  if (referrer.cluster_scoped) return true;
  const ResId& target = c.info[i].cur;
  if (target.cluster_scoped || target.gvk.kind == "ServiceAccount") return true;
  return referrer.effective_namespace() == target.effective_namespace();
}

template <typename Pred>
std::vector<size_t> sieve(const std::vector<size_t>& in, Pred keep) {
  std::vector<size_t> out;
  for (size_t i : in)
    if (keep(i)) out.push_back(i);
  return out;
}

// Kustomize's selectReferral over candidates already limited to the previous name.
Result<std::optional<size_t>> select_referral(const Context& c, const Referrer& ref,
                                              std::vector<size_t> cands, bool compare_namespaces) {
  cands = sieve(cands, [&](size_t i) { return prev_selected_by(c.info[i], ref.target); });
  if (ref.role_ref)
    cands = sieve(cands, [&](size_t i) { return prev_selected_by(c.info[i], *ref.role_ref); });
  cands = sieve(cands, [&](size_t i) { return same_namespace_as_referrer(c, ref, i); });
  if (cands.size() == 1) return std::optional<size_t>(cands[0]);
  const Resource& referrer = c.items[ref.index];
  cands = sieve(cands, [&](size_t i) { return affixes_equal(c.items[i], referrer, true); });
  if (cands.size() > 1)
    cands = sieve(cands, [&](size_t i) { return affixes_equal(c.items[i], referrer, false); });
  if (cands.size() == 1) return std::optional<size_t>(cands[0]);
  if (cands.empty()) return std::optional<size_t>();
  bool identical = true;
  for (size_t i : cands)
    identical = identical && c.items[i].name() == c.items[cands[0]].name() &&
                (!compare_namespaces || c.items[i].ns() == c.items[cands[0]].ns());
  if (identical) return std::optional<size_t>(cands[0]);
  std::vector<std::string> ids;
  for (size_t i : cands)
    ids.push_back(c.info[i].cur.str());
  return usage_error("found multiple possible referrals for " + c.info[ref.index].cur.str() + " " +
                     ref.spec->path + ": " + join(ids, ", "));
}

std::vector<size_t> named(const Context& c, const Referrer& ref, const std::string& name) {
  auto it = c.by_prev_name.find(name);
  if (it == c.by_prev_name.end()) return {};
  return sieve(it->second, [&](size_t i) { return could_be_referenced(c, ref, i); });
}

Status set_scalar(const Context& c, const Referrer& ref, Json& node) {
  std::string old_name = scalar_text(node);
  KMESH_ASSIGN_OR_RETURN(auto referral, select_referral(c, ref, named(c, ref, old_name), false));
  if (!referral) return {};
  std::string name = c.items[*referral].name();
  if (name != old_name) node = name;
  return {};
}

// A map reference's candidates narrowed to its namespace: by original namespace if any
// candidate has it, otherwise by current namespace.
std::vector<size_t> in_namespace(const Context& c, const Referrer& ref, const std::string& ns,
                                 std::vector<size_t> cands) {
  bool original = false;
  for (size_t i = 0; i < c.items.size() && !original; ++i)
    original = c.info[i].org_ns == ns && c.info[i].org_ns != "_non_namespaceable_" &&
               could_be_referenced(c, ref, i);
  return sieve(cands, [&](size_t i) {
    return original ? c.info[i].org_ns == ns : c.info[i].cur.effective_namespace() == ns;
  });
}

Status set_mapping(const Context& c, const Referrer& ref, Json& node) {
  auto name_it = node.find("name");
  if (name_it == node.end())
    return usage_error("name reference " + ref.spec->path + " in " + c.info[ref.index].cur.str() +
                       ": no 'name' field in node");
  std::string old_name = scalar_text(*name_it);
  auto cands = named(c, ref, old_name);
  if (auto ns = node.find("namespace"); ns != node.end())
    cands = in_namespace(c, ref, scalar_text(*ns), std::move(cands));
  KMESH_ASSIGN_OR_RETURN(auto referral, select_referral(c, ref, std::move(cands), true));
  if (!referral) return {};
  const Resource& target = c.items[*referral];
  std::string name = target.name(), ns = target.ns();
  if (name == old_name && ns.empty()) return {};
  node["name"] = name;
  if (!ns.empty()) node["namespace"] = ns;
  return {};
}

Status set_reference(const Context& c, const Referrer& ref, Json& node) {
  if (node.is_null()) return {};
  if (node.is_object()) return set_mapping(c, ref, node);
  if (!node.is_array()) return set_scalar(c, ref, node);
  for (auto& element : node) {
    if (element.is_null()) continue;
    if (element.is_array())
      return usage_error(ref.spec->path + ": expected a name or a map with a name");
    KMESH_TRY(element.is_object() ? set_mapping(c, ref, element) : set_scalar(c, ref, element));
  }
  return {};
}

std::set<std::string> role_binding_namespaces(const Json& object) {
  std::set<std::string> out;
  if (string_field(object, "kind") != "RoleBinding") return out;
  auto subjects = object.find("subjects");
  if (subjects == object.end() || !subjects->is_array()) return out;
  for (const auto& s : *subjects)
    if (s.is_object() && s.contains("namespace") && s.value("kind", Json()) == "ServiceAccount" &&
        s["namespace"].is_string())
      out.insert(s["namespace"].get<std::string>());
  return out;
}

std::optional<Gvk> role_ref_gvk(const FieldSpec& spec, const Json& object) {
  if (!ends_with(spec.path, "roleRef/name")) return std::nullopt;
  auto role_ref = object.find("roleRef");
  if (role_ref == object.end() || !role_ref->is_object() || !role_ref->contains("apiGroup") ||
      !role_ref->contains("kind"))
    return std::nullopt;
  return Gvk{scalar_text((*role_ref)["apiGroup"]), "", scalar_text((*role_ref)["kind"])};
}

}  // namespace

Status fix_name_references(ResMap& map) {
  Context c = make_context(map.items());
  std::vector<ResId> org_ids;
  for (const auto& r : c.items)
    org_ids.push_back(r.org_id());
  for (const auto& back_ref : builtin_config().name_references) {
    for (const auto& spec : back_ref.referrers) {
      // The referrer was chosen by its original GVK; the path applies whatever it is now.
      FieldSpec any_gvk = FieldSpec::make({}, spec.path, false);
      for (size_t i = 0; i < c.items.size(); ++i) {
        if (!org_ids[i].gvk.selected_by(spec.gvk)) continue;
        Json& object = c.items[i].object;
        Referrer ref{i, &spec, back_ref.target, role_binding_namespaces(object),
                     role_ref_gvk(spec, object)};
        auto set = [&](Json& node) { return set_reference(c, ref, node); };
        KMESH_TRY(apply_field_spec(object, any_gvk, CreateKind::kNone, set));
      }
    }
  }
  return {};
}

}  // namespace kmesh::kustomize
