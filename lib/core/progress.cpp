#include "lib/core/progress.hpp"

namespace kmesh {
namespace {

// Carriage return, then "erase to the end of the line" (ECMA-48 EL).
constexpr const char* kRewriteLine = "\r\x1b[K";

// Below this width a status and its seconds cannot fit on one line; a wrapped line cannot
// be rewritten, so such a terminal gets plain lines.
constexpr int kMinColumns = 20;

bool is_continuation_byte(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

}  // namespace

std::string fit_to_columns(const std::string& text, int columns) {
  if (columns < 2) columns = 2;
  int count = 0;
  size_t cut = std::string::npos;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_continuation_byte(static_cast<unsigned char>(text[i]))) continue;
    if (count == columns - 1) cut = i;  // where "…" goes if the text is too long
    if (++count > columns) return text.substr(0, cut) + "…";
  }
  return text;
}

Progress::Progress(std::ostream& out, bool terminal, int columns, Clock clock)
    : out_(out),
      terminal_(terminal && (columns <= 0 || columns >= kMinColumns)),
      columns_(columns > 0 ? columns : 80),
      clock_(std::move(clock)) {}

Progress::~Progress() {
  clear();
}

void Progress::line(const std::string& text) {
  erase();
  out_ << text << '\n' << std::flush;
}

void Progress::status(const std::string& text) {
  if (!terminal_) {
    if (text != last_status_) out_ << text << '\n' << std::flush;
    last_status_ = text;
    return;
  }
  auto now = clock_();
  if (last_status_.empty()) started_ = now;
  last_status_ = text;
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
  // The text is cut, never the seconds; one column stays free: some terminals wrap when
  // the last one is written.
  std::string elapsed = " (" + std::to_string(seconds) + "s)";
  int room = columns_ - 1 - static_cast<int>(elapsed.size());
  out_ << kRewriteLine << fit_to_columns(text, room) << elapsed << std::flush;
  status_shown_ = true;
}

void Progress::erase() {
  if (!terminal_ || !status_shown_) return;
  out_ << kRewriteLine << std::flush;
  status_shown_ = false;
}

void Progress::clear() {
  erase();
  last_status_.clear();
}

std::function<void(const std::string&)> Progress::line_reporter() {
  return [this](const std::string& text) { line(text); };
}

std::function<void(const std::string&)> Progress::status_reporter() {
  return [this](const std::string& text) { status(text); };
}

}  // namespace kmesh
