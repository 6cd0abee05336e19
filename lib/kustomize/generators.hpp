#pragma once
// configMapGenerator and secretGenerator: objects made from literals, files and env files,
// and how they combine (behavior create/merge/replace) with objects from bases.

#include <string>
#include <utility>
#include <vector>

#include "lib/core/result.hpp"
#include "lib/kustomize/kustomization.hpp"
#include "lib/kustomize/loader.hpp"
#include "lib/kustomize/resource.hpp"

namespace kmesh::kustomize {

/// Key/value pairs from a generator's envs, literals and files, in that order.
Result<std::vector<std::pair<std::string, std::string>>> load_pairs(const GeneratorArgs& args,
                                                                    const RootLoader& loader);

/// Parses an env file ("KEY=value" lines, '#' comments); errors name the file.
Result<std::vector<std::pair<std::string, std::string>>> parse_env_file(const std::string& text,
                                                                        const std::string& file);

/// Splits a literal source "key=value" (surrounding quotes of the value removed).
Result<std::pair<std::string, std::string>> parse_literal(const std::string& source);

/// Kustomize's base64 for generated data: standard, cut into lines of 70 with a newline
/// after each when it is longer than one line.
std::string encode_secret_value(const std::string& bytes);

/// Merges the kustomization's generatorOptions into one generator's own options.
std::optional<GeneratorOptions> merge_options(const std::optional<GeneratorOptions>& local,
                                              const std::optional<GeneratorOptions>& global);

/// Makes the ConfigMap (secret=false) or Secret of one generator entry.
Result<Resource> generate(const GeneratorArgs& args, const std::optional<GeneratorOptions>& options,
                          bool secret, const RootLoader& loader);

/// Adds a generated object to the map, or merges it into / replaces the object of the same
/// id, as its behavior says.
Status absorb_generated(ResMap& map, Resource generated);

}  // namespace kmesh::kustomize
