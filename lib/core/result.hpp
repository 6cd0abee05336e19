#pragma once
// The one error type of kubectl-mesh and the result that carries it through the library.
// Exceptions are for bugs only; every expected failure is an Error value that reaches
// main, which prints it and maps its kind to the exit status documented in the README.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kmesh {

/// What went wrong, which decides the exit status.
enum class ErrorKind {
  kCluster = 1,   ///< talking to the cluster failed: unreachable, refused, forbidden, timed out
  kUsage = 2,     ///< bad flags or bad input; nothing was changed
  kFindings = 3,  ///< a check ran and found problems
};

/// An expected failure, with a message meant for the user.
struct Error {
  ErrorKind kind = ErrorKind::kCluster;
  std::string message;

  /// Prepends context ("applying x: ...") so the final message reads from outside in.
  Error&& wrap(const std::string& context) && {
    message = context + ": " + message;
    return std::move(*this);
  }
};

inline Error usage_error(std::string message) {
  return {ErrorKind::kUsage, std::move(message)};
}
inline Error cluster_error(std::string message) {
  return {ErrorKind::kCluster, std::move(message)};
}

/// A value or an Error, like std::expected (C++23).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Error> state_;
};

/// Result of an operation that yields nothing but may fail.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace kmesh

#define KMESH_CONCAT_INNER(a, b) a##b
#define KMESH_CONCAT(a, b) KMESH_CONCAT_INNER(a, b)

/// Returns the error of a Result-valued expression from the enclosing function.
#define KMESH_TRY(expr)                                                       \
  do {                                                                        \
    auto&& kmesh_try_result_ = (expr);                                        \
    if (!kmesh_try_result_.ok()) return std::move(kmesh_try_result_).error(); \
  } while (false)

/// Declares `lhs` from a Result-valued expression, or returns its error.
#define KMESH_ASSIGN_OR_RETURN(lhs, expr) \
  KMESH_ASSIGN_OR_RETURN_IMPL(KMESH_CONCAT(kmesh_result_, __LINE__), lhs, expr)
#define KMESH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return std::move(tmp).error();     \
  lhs = std::move(tmp).value()
