#include "lib/yaml/parse.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace kmesh::yaml {
namespace {

// Thrown from inside the event handler to stop yaml-cpp's parser; never leaves this file.
struct Stop : std::runtime_error {
  int line;
  Stop(int line_, const std::string& message) : std::runtime_error(message), line(line_) {}
};

constexpr const char* kStrTag = "tag:yaml.org,2002:str";

// Builds Json values straight from parser events, so there is no intermediate node graph,
// and checks the limits as it goes.
class Builder : public YAML::EventHandler {
 public:
  Builder(const ParseOptions& options, std::string_view text) : options_(options), text_(text) {}

  Json take() { return std::move(root_); }
  int first_line() const { return first_line_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    // yaml-cpp 0.7 does not consume a stray "," at the top of a document: it
    // reports an empty document and starts the next one at the same place, for ever (found
    // by tests/fuzz/yaml_load). A document must start past the previous one.
    if (mark.pos >= 0 && mark.pos <= last_start_) {
      char c = static_cast<size_t>(mark.pos) < text_.size() ? text_[mark.pos] : ' ';
      throw Stop(mark.line + 1, std::string("invalid YAML: unexpected \"") + c + "\"");
    }
    last_start_ = mark.pos;
    root_ = nullptr;
    stack_.clear();
    anchors_.clear();
    first_line_ = mark.line + 1;
    have_root_ = false;
    complex_key_line_ = 0;
  }
  void OnDocumentEnd() override {
    if (complex_key_line_)
      throw Stop(complex_key_line_, "a map or list used as a map key is not supported");
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(mark, nullptr, anchor, false, null_text(mark));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw Stop(mark.line + 1, "alias to an unknown anchor");
    alias_nodes_ += count_nodes(it->second);
    if (alias_nodes_ > options_.max_alias_nodes)
      throw Stop(mark.line + 1, "aliases expand to more than " +
                                    std::to_string(options_.max_alias_nodes) +
                                    " values (is this a YAML bomb?)");
    add(mark, it->second, YAML::NullAnchor, /*from_alias=*/true);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (!is_valid_utf8(value)) throw Stop(mark.line + 1, "text is not valid UTF-8");
    if (tag == "!" && !quote_closed(mark))
      throw Stop(mark.line + 1, "a quoted string is not closed before the end of the text");
    Json typed;
    if (tag == "?") {
      typed = resolve_plain(value, options_.typing);
      if (options_.go_timestamps && typed.is_string())
        if (auto time = go_timestamp(value)) typed = std::move(*time);
    } else if (tag == "!" || tag == kStrTag || tag == "tag:yaml.org,2002:binary") {
      typed = value;
    } else {
      // Explicit core tags (!!int, !!bool, !!null, !!float) and unknown local tags: type
      // the text as if it were plain, which is what yaml.v2 does for the core tags.
      typed = resolve_plain(value, options_.typing);
      if (tag == "tag:yaml.org,2002:int" && !typed.is_number_integer())
        throw Stop(mark.line + 1, "!!int value \"" + value + "\" is not an integer");
    }
    add(mark, std::move(typed), anchor, false, tag == "?" ? value : std::string());
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    push(mark, Json::array(), anchor);
  }
  void OnSequenceEnd() override { pop(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    push(mark, Json::object(), anchor);
  }
  void OnMapEnd() override { pop(); }

 private:
  struct Frame {
    Json value;
    YAML::anchor_t anchor = YAML::NullAnchor;
    int line = 0;
    bool have_key = false;  // maps: a key was read and waits for its value
    std::string key;
    bool key_is_merge = false;
    std::set<std::string> explicit_keys;  // keys written out, as opposed to merged in
    bool is_key = false;                  // this map or list is itself a map key
  };

  // yaml-cpp reports a plain null without its text; a key keeps the text the user wrote.
  std::string null_text(const YAML::Mark& mark) const {
    if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text_.size()) return "";
    std::string_view rest = text_.substr(static_cast<size_t>(mark.pos));
    for (std::string_view word : {"null", "Null", "NULL", "~"})
      if (rest.substr(0, word.size()) == word) return std::string(word);
    return "";
  }

  // yaml-cpp 0.7 ends a quoted scalar that the end of the text cuts off without an error when
  // a line break follows (`name: "abc` then EOF reads as "abc "), so a truncated file would be
  // applied with truncated values (found by tests/badinput). Whether the quote opening at
  // `mark` is closed; true when the scalar does not start with a quote there (a tag or an
  // anchor comes first).
  bool quote_closed(const YAML::Mark& mark) const {
    if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text_.size()) return true;
    size_t pos = static_cast<size_t>(mark.pos);
    char quote = text_[pos];
    if (quote != '"' && quote != '\'') return true;
    for (size_t i = pos + 1; i < text_.size(); ++i) {
      if (quote == '"' && text_[i] == '\\') {
        ++i;  // an escaped character, perhaps a quote
      } else if (text_[i] == quote) {
        if (quote == '"' || i + 1 >= text_.size() || text_[i + 1] != '\'') return true;
        ++i;  // '' is a quote inside a single-quoted scalar
      }
    }
    return false;
  }

  static size_t count_nodes(const Json& j) {
    size_t n = 1;
    if (j.is_structured())
      for (const auto& child : j)
        n += count_nodes(child);
    return n;
  }

  void push(const YAML::Mark& mark, Json empty, YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= options_.max_depth)
      throw Stop(mark.line + 1,
                 "nesting deeper than " + std::to_string(options_.max_depth) + " levels");
    // Kubernetes objects have no such keys, but yaml-cpp also reads an unclosed "[" as one:
    // report it at the end of the document, so that a syntax error found first wins.
    bool is_key = !stack_.empty() && stack_.back().value.is_object() && !stack_.back().have_key;
    if (is_key && !complex_key_line_) complex_key_line_ = mark.line + 1;
    Frame frame;
    frame.is_key = is_key;
    frame.value = std::move(empty);
    frame.anchor = anchor;
    frame.line = mark.line + 1;
    stack_.push_back(std::move(frame));
  }

  void pop() {
    Frame done = std::move(stack_.back());
    stack_.pop_back();
    if (done.anchor != YAML::NullAnchor) anchors_[done.anchor] = done.value;
    if (done.is_key) {  // an error already; only keep the structure going
      stack_.back().have_key = true;
      stack_.back().key.clear();
      return;
    }
    YAML::Mark mark;
    mark.line = done.line - 1;
    place(mark, std::move(done.value), false);
  }

  void add(const YAML::Mark& mark, Json value, YAML::anchor_t anchor, bool from_alias = false,
           const std::string& plain_text = {}) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = value;
    if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().have_key) {
      set_key(mark, value, plain_text);
      return;
    }
    place(mark, std::move(value), from_alias);
  }

  // Map keys are kept as the text the user wrote: Kubernetes objects only have string keys.
  void set_key(const YAML::Mark& mark, const Json& value, const std::string& plain_text) {
    Frame& f = stack_.back();
    f.key_is_merge = plain_text == "<<";
    if (value.is_string())
      f.key = value.get<std::string>();
    else if (!plain_text.empty())
      f.key = plain_text;
    else if (value.is_null())
      f.key = "";
    else
      f.key = value.dump();
    if (!f.key_is_merge) {
      if (!f.explicit_keys.insert(f.key).second)
        throw Stop(mark.line + 1, "duplicate key \"" + f.key + "\"");
    }
    f.have_key = true;
  }

  void place(const YAML::Mark& mark, Json value, bool /*from_alias*/) {
    if (stack_.empty()) {
      root_ = std::move(value);
      have_root_ = true;
      return;
    }
    Frame& f = stack_.back();
    if (f.value.is_array()) {
      f.value.push_back(std::move(value));
      return;
    }
    if (f.key_is_merge) {
      merge_into(mark, f.value, value);
    } else {
      f.value[f.key] = std::move(value);
    }
    f.have_key = false;
    f.key_is_merge = false;
  }

  // YAML 1.1 merge key (`<<: *base`), which yaml.v2 honours: keys already present win.
  static void merge_into(const YAML::Mark& mark, Json& target, const Json& source) {
    auto merge_one = [&](const Json& m) {
      if (!m.is_object())
        throw Stop(mark.line + 1, "merge key \"<<\" needs a map or a list of maps");
      for (auto it = m.begin(); it != m.end(); ++it)
        if (!target.contains(it.key())) target[it.key()] = it.value();
    };
    if (source.is_array())
      for (const auto& m : source)
        merge_one(m);
    else
      merge_one(source);
  }

  const ParseOptions& options_;
  std::string_view text_;
  Json root_;
  bool have_root_ = false;
  int first_line_ = 1;
  int last_start_ = -1;  ///< where the previous document started
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Json> anchors_;
  size_t alias_nodes_ = 0;
  int complex_key_line_ = 0;  ///< where a map or list was used as a key, 0 if nowhere
};

}  // namespace

Result<std::vector<Document>> parse_documents(std::string_view text, const std::string& source,
                                              const ParseOptions& options) {
  // yaml-cpp reads a NUL as the end of a quoted scalar's escape ("unknown escape character"),
  // which says nothing useful about a binary file given by mistake; YAML forbids it anyway.
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    auto line = std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(nul), '\n') + 1;
    return usage_error(source + ":" + std::to_string(line) +
                       ": contains a NUL byte: not a YAML text file");
  }
  std::vector<Document> docs;
  // yaml-cpp reads from a stream; a string stream over a copy is the cheapest it accepts.
  std::istringstream in{std::string(text)};
  Builder builder(options, text);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
      Json value = builder.take();
      if (value.is_null() && !options.keep_empty) continue;
      docs.push_back({std::move(value), source, builder.first_line()});
    }
  } catch (const Stop& stop) {
    return usage_error(source + ":" + std::to_string(stop.line) + ": " + stop.what());
  } catch (const YAML::Exception& e) {
    std::string where = source;
    if (!e.mark.is_null())
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return usage_error(where + ": invalid YAML: " + e.msg);
  }
  return docs;
}

Result<Document> parse_single(std::string_view text, const std::string& source,
                              const ParseOptions& options) {
  ParseOptions keep = options;
  keep.keep_empty = true;
  KMESH_ASSIGN_OR_RETURN(auto docs, parse_documents(text, source, keep));
  if (docs.size() > 1)
    return usage_error(source + ": expected one YAML document, found " +
                       std::to_string(docs.size()));
  if (docs.empty()) return Document{Json(nullptr), source, 1};
  return std::move(docs.front());
}

}  // namespace kmesh::yaml
