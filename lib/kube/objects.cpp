#include "lib/kube/objects.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include "lib/core/strings.hpp"
#include "lib/yaml/parse.hpp"

namespace kmesh::kube {
namespace {

bool is_manifest_name(const std::string& name) {
  return ends_with(name, ".yaml") || ends_with(name, ".yml") || ends_with(name, ".json");
}

Status list_dir(const std::string& dir, bool recursive, std::vector<std::string>& out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return usage_error("cannot read directory " + dir);
  std::vector<std::string> entries;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    entries.push_back(name);
  }
  ::closedir(d);
  std::sort(entries.begin(), entries.end());
  for (const auto& name : entries) {
    std::string path = dir + "/" + name;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (recursive) KMESH_TRY(list_dir(path, recursive, out));
    } else if (is_manifest_name(name)) {
      out.push_back(path);
    }
  }
  return {};
}

bool is_list_kind(const Json& obj) {
  std::string kind = kind_of(obj);
  return obj.contains("items") && obj["items"].is_array() &&
         (kind == "List" || ends_with(kind, "List"));
}

Status check_one(const Document& doc) {
  const Json& o = doc.value;
  std::string at = where(doc);
  if (!o.is_object()) return usage_error(at + ": a Kubernetes object must be a YAML map");
  if (!o.contains("apiVersion") || !o["apiVersion"].is_string() || api_version_of(o).empty())
    return usage_error(at + ": object has no apiVersion");
  if (!o.contains("kind") || !o["kind"].is_string() || kind_of(o).empty())
    return usage_error(at + ": object has no kind");
  if (!o.contains("metadata") || !o["metadata"].is_object())
    return usage_error(at + ": " + kind_of(o) + " has no metadata");
  if (name_of(o).empty()) return usage_error(at + ": " + kind_of(o) + " has no metadata.name");
  return {};
}

}  // namespace

// Json::value would throw on `kind: 5` (or `kind: yes`, a YAML 1.1 boolean): "" instead,
// which check_one reports as a missing kind.
std::string api_version_of(const Json& obj) {
  auto it = obj.is_object() ? obj.find("apiVersion") : obj.end();
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}
std::string kind_of(const Json& obj) {
  auto it = obj.is_object() ? obj.find("kind") : obj.end();
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string name_of(const Json& obj) {
  if (!obj.is_object() || !obj.contains("metadata") || !obj["metadata"].is_object()) return "";
  const Json& n = obj["metadata"].value("name", Json());
  return n.is_string() ? n.get<std::string>() : "";
}

std::string namespace_of(const Json& obj) {
  if (!obj.is_object() || !obj.contains("metadata") || !obj["metadata"].is_object()) return "";
  const Json& n = obj["metadata"].value("namespace", Json());
  return n.is_string() ? n.get<std::string>() : "";
}

std::string group_of(const std::string& api_version) {
  auto slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

std::string label_of(const Json& obj, const std::string& key) {
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return "";
  auto labels = meta->find("labels");
  if (labels == meta->end() || !labels->is_object()) return "";
  auto v = labels->find(key);
  return v != labels->end() && v->is_string() ? v->get<std::string>() : "";
}

Result<std::vector<Document>> check_objects(std::vector<Document> docs) {
  std::vector<Document> out;
  for (auto& doc : docs) {
    if (doc.value.is_object() && is_list_kind(doc.value)) {
      std::vector<Document> items;
      for (auto& item : doc.value["items"])
        items.push_back({std::move(item), doc.source, doc.line});
      KMESH_ASSIGN_OR_RETURN(auto checked, check_objects(std::move(items)));
      for (auto& c : checked)
        out.push_back(std::move(c));
      continue;
    }
    KMESH_TRY(check_one(doc));
    out.push_back(std::move(doc));
  }
  return out;
}

Result<std::vector<Document>> load_objects(const std::vector<std::string>& paths, std::istream& in,
                                           bool recursive) {
  if (paths.empty()) return usage_error("no input: pass -f FILE, -f DIR or -f - for stdin");
  std::vector<std::string> files;
  for (const auto& p : paths) {
    if (p == "-") {
      files.push_back(p);
      continue;
    }
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return usage_error("the path \"" + p + "\" does not exist");
    if (S_ISDIR(st.st_mode)) {
      size_t before = files.size();
      KMESH_TRY(list_dir(p, recursive, files));
      if (files.size() == before)
        return usage_error("the directory \"" + p + "\" holds no .yaml, .yml or .json file");
    } else {
      files.push_back(p);
    }
  }
  std::vector<Document> docs;
  bool read_stdin = false;
  for (const auto& f : files) {
    std::string text;
    if (f == "-") {
      if (read_stdin) return usage_error("-f - (stdin) given more than once");
      read_stdin = true;
      std::ostringstream buf;
      buf << in.rdbuf();
      text = buf.str();
    } else {
      auto file = read_file(f);
      if (!file.ok) return usage_error("cannot read " + f + ": " + file.error);
      text = std::move(file.text);
    }
    KMESH_ASSIGN_OR_RETURN(auto parsed, yaml::parse_documents(text, f));
    for (auto& d : parsed)
      docs.push_back(std::move(d));
  }
  return check_objects(std::move(docs));
}

}  // namespace kmesh::kube
