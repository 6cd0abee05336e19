#include "lib/kustomize/generators.hpp"

#include <set>

#include "lib/core/base64.hpp"
#include "lib/core/strings.hpp"
#include "lib/kustomize/paths.hpp"
#include "lib/kustomize/scalars.hpp"
#include "lib/yaml/scalar.hpp"

namespace kmesh::kustomize {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

bool is_env_var_name(const std::string& key) {
  if (key.empty()) return false;
  if (key[0] >= '0' && key[0] <= '9') return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

bool is_config_map_key(const std::string& key) {
  if (key.empty() || key.size() > 253 || key == "." || key == ".." || starts_with(key, ".."))
    return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

Result<std::pair<std::string, std::string>> parse_file_source(const std::string& source) {
  size_t separators = std::count(source.begin(), source.end(), '=');
  if (separators == 0) return std::pair{base_name(source), source};
  if (separators > 1)
    return usage_error("source \"" + source + "\" key name or file path contains '='");
  size_t eq = source.find('=');
  if (eq == 0) return usage_error("missing key name for file path in source \"" + source + "\"");
  if (eq + 1 == source.size())
    return usage_error("missing file path for key name in source \"" + source + "\"");
  return std::pair{source.substr(0, eq), source.substr(eq + 1)};
}

std::string remove_quotes(const std::string& s) {
  if (s.size() < 2 || s.front() != s.back()) return s;
  if (s.front() == '"' || s.front() == '\'') return s.substr(1, s.size() - 2);
  return s;
}

Json make_base(const GeneratorArgs& args, const char* kind) {
  Json meta = {{"name", args.name}};
  if (!args.ns.empty()) meta["namespace"] = args.ns;
  return {{"apiVersion", "v1"}, {"kind", kind}, {"metadata", std::move(meta)}};
}

void add_data(Json& object, const Pairs& pairs, bool secret) {
  if (secret) object["data"] = Json::object();
  for (const auto& [key, value] : pairs) {
    if (secret)
      object["data"][key] = encode_secret_value(value);
    else if (yaml::is_valid_utf8(value))
      object["data"][key] = value;
    else
      object["binaryData"][key] = encode_secret_value(value);
  }
}

void apply_options(Json& object, const std::optional<GeneratorOptions>& options) {
  if (!options) return;
  for (const auto& [k, v] : options->labels)
    object["metadata"]["labels"][k] = v;
  for (const auto& [k, v] : options->annotations)
    object["metadata"]["annotations"][k] = v;
  if (options->immutable) object["immutable"] = true;
}

Behavior behavior_of(const std::string& s) {
  if (s == "create") return Behavior::kCreate;
  if (s == "merge") return Behavior::kMerge;
  if (s == "replace") return Behavior::kReplace;
  return Behavior::kUnspecified;
}

// A string map of metadata labels or annotations, as kyaml reads them.
std::map<std::string, std::string> meta_map(const Json& object, const char* field) {
  std::map<std::string, std::string> out;
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->contains(field) || !(*meta)[field].is_object()) return out;
  for (auto it = (*meta)[field].begin(); it != (*meta)[field].end(); ++it)
    out[it.key()] = scalar_text(it.value());
  return out;
}

void set_meta_map(Json& object, const char* field, const std::map<std::string, std::string>& m) {
  Json& meta = object["metadata"];
  meta.erase(field);
  if (!m.empty()) meta[field] = m;
}

// Kustomize's CopyMergeMetaDataFieldsFrom: labels and annotations merged (ours win), name,
// namespace and the bookkeeping taken from the object being replaced.
void copy_merge_metadata(Resource& into, const Resource& old) {
  for (const char* field : {"labels", "annotations"}) {
    auto merged = meta_map(old.object, field);
    for (const auto& [k, v] : meta_map(into.object, field))
      merged[k] = v;
    set_meta_map(into.object, field, merged);
  }
  into.set_name(old.name());
  into.set_namespace(old.ns());
  into.generated = old.generated;
  into.previous = old.previous;
  into.prefixes = old.prefixes;
  into.suffixes = old.suffixes;
  into.build_annotated = old.build_annotated;
}

void merge_data_field(Resource& into, const Resource& old, const char* field) {
  std::map<std::string, std::string> merged;
  for (const Json* src : std::initializer_list<const Json*>{&old.object, &into.object}) {
    auto it = src->find(field);
    if (it == src->end() || !it->is_object()) continue;
    for (auto kv = it->begin(); kv != it->end(); ++kv)
      merged[kv.key()] = scalar_text(kv.value());
  }
  into.object.erase(field);
  if (!merged.empty()) into.object[field] = merged;
}

}  // namespace

Result<Pairs> parse_env_file(const std::string& text, const std::string& file) {
  Pairs pairs;
  std::vector<std::string> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!yaml::is_valid_utf8(line))
      return usage_error(file + ": line " + std::to_string(i + 1) + " has invalid UTF-8 bytes");
    if (i == 0 && starts_with(line, "\xEF\xBB\xBF")) line = line.substr(3);
    size_t start = line.find_first_not_of(" \t\v\f\r");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start);
    size_t eq = line.find('=');
    std::string key = line.substr(0, eq);
    if (!is_env_var_name(key))
      return usage_error(file + ": line " + std::to_string(i + 1) + ": \"" + key +
                         "\" is not a valid environment variable name");
    pairs.emplace_back(key, eq == std::string::npos ? "" : line.substr(eq + 1));
  }
  return pairs;
}

Result<std::pair<std::string, std::string>> parse_literal(const std::string& source) {
  size_t eq = source.find('=');
  if (eq == 0 || eq == std::string::npos)
    return usage_error("invalid literal source " + source + ", expected key=value");
  return std::pair{source.substr(0, eq), remove_quotes(source.substr(eq + 1))};
}

Result<Pairs> load_pairs(const GeneratorArgs& args, const RootLoader& loader) {
  Pairs all;
  for (const auto& env : args.envs) {
    KMESH_ASSIGN_OR_RETURN(auto text, loader.load(env));
    KMESH_ASSIGN_OR_RETURN(auto pairs, parse_env_file(text, loader.resolve(env)));
    all.insert(all.end(), pairs.begin(), pairs.end());
  }
  for (const auto& literal : args.literals) {
    KMESH_ASSIGN_OR_RETURN(auto pair, parse_literal(literal));
    all.push_back(std::move(pair));
  }
  for (const auto& source : args.files) {
    KMESH_ASSIGN_OR_RETURN(auto key_path, parse_file_source(source));
    KMESH_ASSIGN_OR_RETURN(auto text, loader.load(key_path.second));
    all.emplace_back(key_path.first, std::move(text));
  }
  std::set<std::string> seen;
  for (const auto& [key, value] : all) {
    if (!is_config_map_key(key))
      return usage_error("\"" + key + "\" is not a valid key name for a ConfigMap or Secret");
    if (!seen.insert(key).second)
      return usage_error("configmap " + args.name + " illegally repeats the key `" + key + "`");
  }
  return all;
}

std::string encode_secret_value(const std::string& bytes) {
  const size_t line_length = 70;
  std::string encoded = base64_encode(bytes);
  if (encoded.size() < line_length) return encoded;
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += line_length)
    out += encoded.substr(i, line_length) + "\n";
  return out;
}

std::optional<GeneratorOptions> merge_options(const std::optional<GeneratorOptions>& local,
                                              const std::optional<GeneratorOptions>& global) {
  if (!global) return local;
  GeneratorOptions merged = local ? *local : GeneratorOptions{};
  for (const auto& [k, v] : global->labels)
    merged.labels.emplace(k, v);
  for (const auto& [k, v] : global->annotations)
    merged.annotations.emplace(k, v);
  merged.disable_name_suffix_hash =
      merged.disable_name_suffix_hash || global->disable_name_suffix_hash;
  merged.immutable = merged.immutable || global->immutable;
  return merged;
}

Result<Resource> generate(const GeneratorArgs& args, const std::optional<GeneratorOptions>& options,
                          bool secret, const RootLoader& loader) {
  const char* kind = secret ? "Secret" : "ConfigMap";
  if (args.name.empty())
    return usage_error(std::string("a ") + (secret ? "secret" : "configmap") + " generator in " +
                       loader.root() + " must have a name");
  KMESH_ASSIGN_OR_RETURN(auto pairs, load_pairs(args, loader));
  Resource r;
  r.object = make_base(args, kind);
  if (secret) r.object["type"] = args.type.empty() ? "Opaque" : args.type;
  add_data(r.object, pairs, secret);
  apply_options(r.object, options);
  r.generated =
      Generated{behavior_of(args.behavior), !(options && options->disable_name_suffix_hash)};
  r.source = loader.root() + " (" + (secret ? "secretGenerator " : "configMapGenerator ") +
             args.name + ")";
  return r;
}

Status absorb_generated(ResMap& map, Resource generated) {
  ResId id = generated.cur_id();
  auto matches = map.matching_any_id([&](const ResId& other) { return id.equals(other); });
  Behavior behavior = generated.generated ? generated.generated->behavior : Behavior::kUnspecified;
  if (matches.empty()) {
    if (behavior == Behavior::kMerge || behavior == Behavior::kReplace)
      return usage_error("id " + id.str() + " does not exist; cannot merge or replace");
    return map.append(std::move(generated));
  }
  if (matches.size() > 1)
    return usage_error("found multiple objects that could accept merge of " + id.str());
  Resource& old = map.items()[matches.front()];
  if (behavior != Behavior::kMerge && behavior != Behavior::kReplace)
    return usage_error("id " + id.str() + " exists; behavior must be merge or replace");
  Resource merged = std::move(generated);
  if (behavior == Behavior::kMerge) {
    merge_data_field(merged, old, "data");
    merge_data_field(merged, old, "binaryData");
  }
  copy_merge_metadata(merged, old);
  old = std::move(merged);
  map.invalidate();
  return {};
}

}  // namespace kmesh::kustomize
