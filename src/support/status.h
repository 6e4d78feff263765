// Errors are values: Status carries a message plus context added by each
// layer ("while importing node X: ..."). Expected<T> is a value or a Status.
#pragma once

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tflc {

enum class ErrorKind { kOk, kUsage, kInvalidInput, kUnsupported, kInternal };

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

  // Prepends "context: " so the outermost layer reads first.
  Status with_context(const std::string& context) const& {
    if (ok()) return *this;
    return Status(kind_, context + ": " + message_);
  }

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
};

inline Status ok_status() { return Status(); }
inline Status usage_error(std::string m) { return Status(ErrorKind::kUsage, std::move(m)); }
inline Status invalid_input(std::string m) { return Status(ErrorKind::kInvalidInput, std::move(m)); }
inline Status unsupported(std::string m) { return Status(ErrorKind::kUnsupported, std::move(m)); }
inline Status internal_error(std::string m) { return Status(ErrorKind::kInternal, std::move(m)); }

template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}
  Expected(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

// Internal invariant: aborts with file:line. Never used for bad user input.
#define TFLC_CHECK(cond)                                                        \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "internal error: %s:%d: check failed: %s\n", __FILE__, \
                   __LINE__, #cond);                                            \
      std::abort();                                                             \
    }                                                                           \
  } while (0)

#define TFLC_CONCAT_INNER(a, b) a##b
#define TFLC_CONCAT(a, b) TFLC_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)          \
  do {                                 \
    ::tflc::Status _st = (expr);       \
    if (!_st.ok()) return _st;         \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(TFLC_CONCAT(_expected_, __LINE__), lhs, expr)

}  // namespace tflc
