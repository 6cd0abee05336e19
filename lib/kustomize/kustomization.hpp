#pragma once
// A kustomization file, read and checked the way Kustomize reads it: as YAML 1.1 turned
// into JSON and decoded strictly, so a wrongly typed value (`namePrefix: 080`) or an unknown
// field is an error. Fields Kustomize has but this engine does not implement are errors too,
// naming the field and the file.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kustomize/fieldspec.hpp"

namespace kmesh::kustomize {

using StringMap = std::map<std::string, std::string>;

/// Which objects a patch applies to; empty fields match anything, names are regexes.
struct Selector {
  Gvk gvk;
  std::string name;
  std::string ns;
  std::string label_selector;
  std::string annotation_selector;
};

/// generatorOptions, globally or on one generator.
struct GeneratorOptions {
  StringMap labels;
  StringMap annotations;
  bool disable_name_suffix_hash = false;
  bool immutable = false;
};

/// One configMapGenerator or secretGenerator entry.
struct GeneratorArgs {
  std::string name;
  std::string ns;
  std::string behavior;
  std::vector<std::string> literals;
  std::vector<std::string> files;
  std::vector<std::string> envs;
  std::optional<GeneratorOptions> options;
  std::string type;  ///< secrets only
};

/// One entry of `patches` (or of the deprecated patchesJson6902).
struct PatchArgs {
  std::string path;
  std::string patch;
  std::optional<Selector> target;
  bool allow_name_change = false;
  bool allow_kind_change = false;
};

/// One entry of `labels`.
struct LabelArgs {
  StringMap pairs;
  bool include_selectors = false;
  bool include_templates = false;
  std::vector<FieldSpec> fields;
};

/// One entry of `images`.
struct ImageArgs {
  std::string name;
  std::string new_name;
  std::string new_tag;
  std::string digest;
  std::string tag_suffix;
};

/// One entry of `replicas`.
struct ReplicaArgs {
  std::string name;
  int64_t count = 0;
};

/// sortOptions of the top kustomization.
struct SortOptions {
  std::string order;  ///< "legacy" or "fifo"
  std::optional<std::vector<std::string>> order_first;
  std::optional<std::vector<std::string>> order_last;
};

/// A parsed kustomization (or Component).
struct Kustomization {
  std::string file;  ///< path of the kustomization file, for messages
  std::string dir;   ///< its directory, the root files are loaded from
  std::string kind;  ///< "Kustomization" or "Component"

  std::vector<std::string> resources;
  std::vector<std::string> components;
  std::string ns;
  std::string name_prefix;
  std::string name_suffix;
  StringMap common_labels;
  std::vector<LabelArgs> labels;
  StringMap common_annotations;
  std::vector<ImageArgs> images;
  std::vector<ReplicaArgs> replicas;
  std::vector<PatchArgs> patches;
  std::vector<std::string> patches_strategic_merge;
  std::vector<PatchArgs> patches_json6902;
  std::vector<GeneratorArgs> config_map_generator;
  std::vector<GeneratorArgs> secret_generator;
  std::optional<GeneratorOptions> generator_options;
  std::optional<SortOptions> sort_options;
};

/// The file names Kustomize recognises in a directory, in its order.
const std::vector<std::string>& kustomization_file_names();

/// Parses and checks the text of a kustomization file.
Result<Kustomization> parse_kustomization(const std::string& text, const std::string& file,
                                          const std::string& dir);

}  // namespace kmesh::kustomize
