#include "cli/completion.hpp"

#include <algorithm>
#include <set>

#include "cli/completion_values.hpp"
#include "lib/core/strings.hpp"

namespace kmesh::cli {
namespace {

// Where the words typed so far lead: the command, its positional arguments, the flags
// given, and a flag still waiting for its value.
struct Walk {
  const CLI::App* root = nullptr;
  const CLI::App* command = nullptr;
  std::vector<std::string> positionals;
  std::set<const CLI::Option*> given;
  const CLI::Option* pending = nullptr;
  kube::Overrides typed;
  bool after_dashes = false;
  bool help = false;
};

bool takes_value(const CLI::Option& opt) {
  return opt.get_items_expected_max() > 0;  // flags expect 0 items
}

bool visible(const CLI::Option& opt) {
  return !opt.get_group().empty();  // CLI11 hides options whose group is ""
}

// A command accepts its own options and, through fallthrough, its parents' (the global
// flags among them); the nearest definition wins.
const CLI::Option* find_option(const CLI::App& command, const std::string& dashed) {
  bool is_long = starts_with(dashed, "--");
  std::string name = dashed.substr(is_long ? 2 : 1);
  for (const CLI::App* c = &command; c; c = c->get_parent())
    for (const CLI::Option* opt : c->get_options())
      if (!opt->get_positional() && (is_long ? opt->check_lname(name) : opt->check_sname(name)))
        return opt;
  return nullptr;
}

const CLI::App* find_subcommand(const CLI::App& command, const std::string& word) {
  for (const CLI::App* sub : command.get_subcommands({}))
    if (sub->check_name(word)) return sub;
  return nullptr;
}

// Records the global flags that say where the cluster is, for names from the cluster.
void record(Walk& walk, const CLI::Option& opt, const std::string& value) {
  auto globals = walk.root->get_options();
  if (std::find(globals.begin(), globals.end(), &opt) == globals.end()) return;
  kube::Overrides& t = walk.typed;
  for (auto [name, field] : {std::pair{"kubeconfig", &t.kubeconfig},
                             {"context", &t.context},
                             {"cluster", &t.cluster},
                             {"user", &t.user},
                             {"namespace", &t.namespace_}})
    if (opt.check_lname(name)) *field = value;
}

void give(Walk& walk, const CLI::Option* opt) {
  if (!opt) return;
  walk.given.insert(opt);
  if (opt->check_lname("help")) walk.help = true;
}

// -abc: flags a and b, then c with its value attached, or another flag.
void walk_short(Walk& walk, const std::string& word) {
  for (size_t i = 1; i < word.size(); ++i) {
    const CLI::Option* opt = find_option(*walk.command, std::string("-") + word[i]);
    give(walk, opt);
    if (!opt || !takes_value(*opt)) continue;
    std::string rest = word.substr(i + 1);
    if (starts_with(rest, "=")) rest = rest.substr(1);  // kubectl's -n=NAME
    if (rest.empty())
      walk.pending = opt;
    else
      record(walk, *opt, rest);
    return;
  }
}

void walk_flag(Walk& walk, const std::string& word) {
  if (!starts_with(word, "--")) return walk_short(walk, word);
  size_t eq = word.find('=');
  const CLI::Option* opt = find_option(*walk.command, word.substr(0, eq));
  give(walk, opt);
  if (!opt || !takes_value(*opt)) return;
  if (eq == std::string::npos)
    walk.pending = opt;
  else
    record(walk, *opt, word.substr(eq + 1));
}

void walk_word(Walk& walk, const std::string& word) {
  if (walk.pending) {
    record(walk, *walk.pending, word);
    walk.pending = nullptr;
  } else if (walk.after_dashes) {
    walk.positionals.push_back(word);
  } else if (word == "--") {
    walk.after_dashes = true;
  } else if (word.size() > 1 && word[0] == '-') {
    walk_flag(walk, word);
  } else if (const CLI::App* sub = find_subcommand(*walk.command, word);
             sub && walk.positionals.empty()) {
    walk.command = sub;
  } else {
    walk.positionals.push_back(word);
  }
}

bool repeatable(const CLI::Option& opt) {
  return opt.get_items_expected_max() > 1;
}

std::string first_line(const std::string& text) {
  return std::string(trim(text.substr(0, text.find('\n'))));
}

void add_flag_names(Completions& out, const CLI::Option& opt, const std::string& prefix,
                    std::set<std::string>& seen) {
  std::vector<std::string> names;
  for (const auto& l : opt.get_lnames())
    names.push_back("--" + l);
  for (const auto& s : opt.get_snames())
    names.push_back("-" + s);
  for (const auto& name : names)
    if (starts_with(name, prefix) && seen.insert(name).second)
      out.candidates.push_back({name, first_line(opt.get_description())});
}

// Flags of the command and of its parents, but not the ones given that take one value.
Completions complete_flag_names(const Walk& walk, const std::string& prefix) {
  Completions out;
  std::set<std::string> seen;
  for (const CLI::App* c = walk.command; c; c = c->get_parent())
    for (const CLI::Option* opt : c->get_options()) {
      if (opt->get_positional() || !visible(*opt)) continue;
      if (walk.given.count(opt) && !repeatable(*opt)) continue;
      add_flag_names(out, *opt, prefix, seen);
    }
  return out;
}

Completions complete_subcommands(const CLI::App& command, const std::string& prefix) {
  Completions out;
  for (const CLI::App* sub : command.get_subcommands({}))
    if (starts_with(sub->get_name(), prefix) && !sub->get_group().empty())
      out.candidates.push_back({sub->get_name(), first_line(sub->get_description())});
  return out;
}

// The positional that the next word fills: each takes as many words as it holds.
const CLI::Option* next_positional(const CLI::App& command, size_t filled) {
  size_t start = 0;
  for (const CLI::Option* opt : command.get_options()) {
    if (!opt->get_positional()) continue;
    size_t capacity = static_cast<size_t>(std::max(1, opt->get_items_expected_max()));
    if (filled < start + capacity) return opt;
    start += capacity;
  }
  return nullptr;
}

// `--flag`, `-f` or `--flag=value` being typed.
Completions complete_flag(const Walk& walk, const std::string& word, ClusterNames& cluster) {
  size_t eq = word.find('=');
  if (eq == std::string::npos) return complete_flag_names(walk, word);
  const CLI::Option* opt = find_option(*walk.command, word.substr(0, eq));
  if (!opt || !takes_value(*opt)) return {{}, kCompError};
  return complete_value(*opt, *walk.command, word.substr(eq + 1), walk.typed, cluster);
}

}  // namespace

Completions complete(const CLI::App& root, const std::vector<std::string>& words,
                     ClusterNames& cluster) {
  Walk walk;
  walk.root = walk.command = &root;
  for (size_t i = 0; i + 1 < words.size(); ++i)
    walk_word(walk, words[i]);
  std::string word = words.empty() ? "" : words.back();
  if (walk.help) return {};
  if (walk.pending) return complete_value(*walk.pending, *walk.command, word, walk.typed, cluster);
  bool options_end = walk.after_dashes;  // after `--`, only arguments
  if (!options_end && starts_with(word, "-")) return complete_flag(walk, word, cluster);
  if (!options_end && walk.positionals.empty() && !walk.command->get_subcommands({}).empty())
    return complete_subcommands(*walk.command, word);
  const CLI::Option* opt = next_positional(*walk.command, walk.positionals.size());
  if (!opt) return {};
  return complete_value(*opt, *walk.command, word, walk.typed, cluster);
}

void print_completions(std::ostream& out, const Completions& completions, bool descriptions) {
  for (const auto& c : completions.candidates) {
    out << c.value;
    std::string description = c.description;
    std::replace(description.begin(), description.end(), '\t', ' ');
    if (descriptions && !description.empty()) out << '\t' << description;
    out << '\n';
  }
  out << ':' << completions.directive << '\n';
}

}  // namespace kmesh::cli
