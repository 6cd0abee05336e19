// The images transformer: new names, tags and digests for container images.

#include <regex>
#include <unordered_map>

#include "lib/kustomize/transformers.hpp"

namespace kmesh::kustomize {
namespace {

bool in_tag_class(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '{' ||
         c == '}' || c == '-';
}

// Matches the rest of an image after its name: (:[tag chars]*)?(@sha256:[tag chars]*)?$
bool tag_and_digest(std::string_view rest) {
  size_t i = 0;
  if (i < rest.size() && rest[i] == ':') {
    ++i;
    while (i < rest.size() && in_tag_class(rest[i]))
      ++i;
  }
  if (i < rest.size()) {
    std::string_view digest = "@sha256:";
    if (rest.substr(i, digest.size()) != digest) return false;
    i += digest.size();
    while (i < rest.size() && in_tag_class(rest[i]))
      ++i;
  }
  return i == rest.size();
}

// Kustomize builds a regular expression from the image name; names made of ordinary image
// characters need no regex engine ('.' still matches any character, as in the regex).
bool plain_name(const std::string& name) {
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == ':' ||
          c == '.' || c == '-' || c == '@'))
      return false;
  return true;
}

bool regex_match_image(const std::string& image, const std::string& name) {
  static std::unordered_map<std::string, std::regex> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    try {
      it = cache
               .emplace(name, std::regex("^" + name +
                                         "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$"))
               .first;
    } catch (const std::regex_error&) {
      return false;  // Kustomize ignores the compile error and matches nothing
    }
  }
  return std::regex_match(image, it->second);
}

struct Split {
  std::string name, tag, digest;
};

// Kustomize's image.Split: the name ends at the first ':' or '@' after the first '/'.
Split split_image(const std::string& image) {
  size_t slash = image.find('/');
  size_t offset = (slash != std::string::npos && slash > 0) ? slash : 0;
  std::string search = image.substr(offset);
  size_t at = search.find('@'), colon = search.find(':');
  if (at == std::string::npos && colon == std::string::npos) return {image, "", ""};
  if (at != std::string::npos && (colon == std::string::npos || at < colon))
    return {image.substr(0, at + offset), "", image.substr(at + offset + 1)};
  if (at != std::string::npos)
    return {image.substr(0, colon + offset), image.substr(colon + offset + 1, at - colon - 1),
            image.substr(at + offset + 1)};
  return {image.substr(0, colon + offset), image.substr(colon + offset + 1), ""};
}

Status update_field(Json& field, const ImageArgs& args, const std::string& where) {
  if (field.is_structured()) return usage_error(where + ": image is not a string");
  if (!field.is_string()) return {};
  const std::string& image = field.get_ref<const std::string&>();
  if (!image_matches(image, args.name)) return {};
  field = update_image(image, args);
  return {};
}

// Kustomize first updates the image of every element of any `containers` or
// `initContainers` list, wherever it is in the object.
Status update_container_lists(Json& node, const ImageArgs& args, const std::string& where) {
  if (node.is_array()) {
    for (auto& item : node)
      KMESH_TRY(update_container_lists(item, args, where));
    return {};
  }
  if (!node.is_object()) return {};
  for (auto it = node.begin(); it != node.end(); ++it) {
    KMESH_TRY(update_container_lists(it.value(), args, where));
    if ((it.key() != "containers" && it.key() != "initContainers") || !it.value().is_array())
      continue;
    for (auto& container : it.value()) {
      if (!container.is_object()) continue;
      auto image = container.find("image");
      if (image != container.end() && !image->is_null())
        KMESH_TRY(update_field(*image, args, where));
    }
  }
  return {};
}

}  // namespace

bool image_matches(const std::string& image, const std::string& name) {
  if (!plain_name(name)) return regex_match_image(image, name);
  if (image.size() < name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (name[i] != '.' ? image[i] != name[i] : image[i] == '\n') return false;
  return tag_and_digest(std::string_view(image).substr(name.size()));
}

std::string update_image(const std::string& image, const ImageArgs& args) {
  Split s = split_image(image);
  if (!args.new_name.empty()) s.name = args.new_name;
  if (!args.new_tag.empty() && !args.digest.empty()) {
    s.tag = args.new_tag;
    s.digest = args.digest;
  } else if (!args.new_tag.empty()) {
    s.tag = args.new_tag;
    s.digest.clear();
  } else if (!args.digest.empty()) {
    s.tag.clear();
    s.digest = args.digest;
  } else if (!args.tag_suffix.empty()) {
    s.tag += args.tag_suffix;
    s.digest.clear();
  }
  std::string out = s.name;
  if (!s.tag.empty()) out += ":" + s.tag;
  if (!s.digest.empty()) out += "@" + s.digest;
  return out;
}

Status set_image(ResMap& map, const ImageArgs& args) {
  for (auto& r : map.items()) {
    if (r.kind() == "CustomResourceDefinition") continue;
    std::string where = "images: " + r.cur_id().str();
    KMESH_TRY(update_container_lists(r.object, args, where));
    auto set = [&](Json& field) { return update_field(field, args, where); };
    KMESH_TRY(apply_field_specs(r.object, builtin_config().images, CreateKind::kNone, set));
  }
  return {};
}

}  // namespace kmesh::kustomize
