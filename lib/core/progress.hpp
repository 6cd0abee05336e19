#pragma once
// Progress of a long operation (install, waits) for the person watching, on stderr. Two
// kinds of text: lasting lines ("✔ CRDs established") and a status that the next one replaces
// ("2/3 Deployments Available"). On a terminal the status is one line rewritten in place,
// with the seconds elapsed. Elsewhere (CI logs, pipes) a status is a plain line printed only
// when its text changes, so a log gets no carriage returns or escape codes and no line per
// poll, and two runs against the same cluster states log the same lines.

#include <chrono>
#include <functional>
#include <ostream>
#include <string>

namespace kmesh {

class Progress {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  /// `columns`: the terminal's width; a status is cut to fit so it never wraps (a wrapped
  /// line cannot be rewritten with a carriage return).
  Progress(
      std::ostream& out, bool terminal, int columns = 80,
      Clock clock = [] { return std::chrono::steady_clock::now(); });
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// A line that stays; on a terminal it replaces the status line, which comes back with the
  /// next status.
  void line(const std::string& text);
  /// The current state of a wait.
  void status(const std::string& text);
  /// Ends the current wait: removes the status line from a terminal; the next status starts
  /// its clock again.
  void clear();

  /// Callbacks for library code that takes std::function reporters.
  std::function<void(const std::string&)> line_reporter();
  std::function<void(const std::string&)> status_reporter();

 private:
  void erase();

  std::ostream& out_;
  bool terminal_;
  int columns_;
  Clock clock_;
  std::chrono::steady_clock::time_point started_{};
  bool status_shown_ = false;
  std::string last_status_;
};

/// TEXT cut to at most `columns` characters (UTF-8 code points), ending in "…" when cut.
std::string fit_to_columns(const std::string& text, int columns);

}  // namespace kmesh
