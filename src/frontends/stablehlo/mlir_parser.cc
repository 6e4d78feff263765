// A recursive-descent reader for the MLIR text StableHLO producers print
// (jax.export's mlir_module(), stablehlo-opt). Ops in generic form
// ("stablehlo.x"(...) <{...}> ({...}) {...} : (...) -> ...) are read by
// the generic grammar; pretty forms are read by one scanner that collects
// operands, key = value attributes, bare keywords and the trailing types,
// with the few op-specific shapes (reduce's "init:", while's cond/do
// regions, slice ranges) handled where they appear. Every nesting level
// and size is bounded, so hostile text gets an error, not a stack overflow.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <tuple>

#include "frontends/stablehlo/mlir.h"

namespace tflc::mlir {

const Attr* Attr::get(const std::string& key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return &v;
  return nullptr;
}

const Attr* Op::attr(const std::string& key) const {
  for (const auto& [k, v] : attrs)
    if (k == key) return &v;
  return nullptr;
}

std::vector<std::string> Op::keywords() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : attrs)
    if (k.rfind("keyword:", 0) == 0) out.push_back(v.s);
  return out;
}

std::string Op::where() const { return "line " + std::to_string(line) + ":" + std::to_string(col); }

const Func* Module::find(const std::string& name) const {
  for (const auto& f : funcs)
    if (f.name == name) return &f;
  return nullptr;
}

std::pair<std::string, int> split_result(const std::string& ref) {
  size_t h = ref.find('#');
  if (h == std::string::npos) return {ref, -1};
  return {ref.substr(0, h), std::atoi(ref.c_str() + h + 1)};
}

namespace {

constexpr int kMaxDepth = 200;         // regions, attribute nesting
constexpr size_t kMaxText = 1u << 31;  // 2 GB of text
constexpr int64_t kMaxResults = 1 << 16;

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$' || c == '-'; }

class Parser {
 public:
  Parser(const std::string& s, std::string what) : s_(s), what_(std::move(what)) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < s.size(); ++i)
      if (s[i] == '\n') line_starts_.push_back(i + 1);
  }

  Expected<Module> module() {
    if (s_.size() > kMaxText) return invalid_input(what_ + ": the text is over 2 GB");
    Module m;
    ws();
    bool wrapped = false;
    if (word_ahead("module")) {
      p_ += 6;
      ws();
      if (peek() == '@') {
        ASSIGN_OR_RETURN(m.name, symbol());
      }
      ws();
      if (word_ahead("attributes")) {
        p_ += 10;
        ws();
        Attr ignored;
        RETURN_IF_ERROR(dict(ignored, 0));
      }
      ws();
      RETURN_IF_ERROR(expect('{'));
      wrapped = true;
    }
    for (;;) {
      ws();
      if (eof()) {
        if (wrapped) return err("the module's '{' is never closed (the text may be truncated)");
        break;
      }
      if (wrapped && peek() == '}') {
        ++p_;
        ws();
        if (!eof()) return err("text after the module's closing '}'");
        break;
      }
      if (!word_ahead("func.func")) {
        if (peek() == '"') return err("a module in generic form (\"func.func\"() ...) is not supported yet; print it "
                                      "in the default (pretty) form, as jax.export's mlir_module() does");
        return err("expected func.func, found " + found());
      }
      ASSIGN_OR_RETURN(Func f, func());
      m.funcs.push_back(std::move(f));
    }
    if (m.funcs.empty()) return invalid_input(what_ + ": the text holds no func.func");
    return m;
  }

 private:
  // --- characters ---------------------------------------------------------
  bool eof() const { return p_ >= s_.size(); }
  char peek(size_t k = 0) const { return p_ + k < s_.size() ? s_[p_ + k] : '\0'; }
  void ws() {
    for (;;) {
      while (!eof() && std::isspace(static_cast<unsigned char>(peek()))) ++p_;
      if (peek() == '/' && peek(1) == '/') {
        while (!eof() && peek() != '\n') ++p_;
        continue;
      }
      break;
    }
  }
  bool word_ahead(const char* w) const {
    size_t n = std::char_traits<char>::length(w);
    return s_.compare(p_, n, w) == 0 && !ident_char(p_ + n < s_.size() ? s_[p_ + n] : ' ');
  }
  bool accept(char c) {
    ws();
    if (peek() != c) return false;
    ++p_;
    return true;
  }
  bool accept(const char* t) {
    ws();
    size_t n = std::char_traits<char>::length(t);
    if (s_.compare(p_, n, t) != 0) return false;
    p_ += n;
    return true;
  }
  Status expect(char c) {
    if (accept(c)) return ok_status();
    return err(std::string("expected '") + c + "', found " + found());
  }
  std::pair<int, int> line_col(size_t pos) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), pos);
    size_t line = static_cast<size_t>(it - line_starts_.begin());
    return {static_cast<int>(line), static_cast<int>(pos - line_starts_[line - 1] + 1)};
  }
  std::string found() const {
    if (eof()) return "the end of the text (it may be truncated)";
    std::string t;
    for (size_t i = p_; i < s_.size() && t.size() < 16 && s_[i] != '\n'; ++i) t += s_[i];
    std::string out;
    for (char c : t) out += std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c) : "?";
    return "'" + out + "'";
  }
  Status err(const std::string& m) const {
    auto [l, c] = line_col(std::min(p_, s_.size()));
    return invalid_input(what_ + ":" + std::to_string(l) + ":" + std::to_string(c) + ": " + m);
  }

  // --- tokens ---------------------------------------------------------------
  Expected<std::string> ident() {
    ws();
    size_t b = p_;
    while (!eof() && ident_char(peek())) ++p_;
    if (p_ == b) return err("expected a name, found " + found());
    return s_.substr(b, p_ - b);
  }
  // %name, %0, %0#1, %arg0
  Expected<std::string> value_name() {
    ws();
    if (peek() != '%') return err("expected a value (%name), found " + found());
    size_t b = p_++;
    while (!eof() && (ident_char(peek()) || peek() == '#')) ++p_;
    if (p_ - b < 2) return err("a value name is empty");
    return s_.substr(b, p_ - b);
  }
  Expected<std::string> symbol() {
    ws();
    if (peek() != '@') return err("expected a symbol (@name), found " + found());
    ++p_;
    if (peek() == '"') return string_lit();
    return ident();
  }
  Expected<std::string> string_lit() {
    ws();
    if (peek() != '"') return err("expected a string, found " + found());
    ++p_;
    std::string out;
    while (!eof() && peek() != '"') {
      // Copy a run of plain characters at once: weights come as long hex strings.
      size_t run = p_;
      while (run < s_.size() && s_[run] != '"' && s_[run] != '\\') ++run;
      if (run > p_) {
        out.append(s_, p_, run - p_);
        p_ = run;
        continue;
      }
      char c = s_[p_++];
      if (c == '\\') {
        if (eof()) break;
        char e = s_[p_++];
        if (std::isxdigit(static_cast<unsigned char>(e)) && std::isxdigit(static_cast<unsigned char>(peek()))) {
          out += static_cast<char>(std::strtol(std::string{e, s_[p_++]}.c_str(), nullptr, 16));
        } else {
          out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
      } else {
        out += c;
      }
    }
    if (eof()) return err("a string is never closed");
    ++p_;
    return out;
  }
  // A number: decimal or hex integer, or a float (1.5, -2.0e+03, inf, nan).
  Status number(Attr& a) {
    ws();
    size_t b = p_;
    if (peek() == '-' || peek() == '+') ++p_;
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      p_ += 2;
      size_t h = p_;
      while (std::isxdigit(static_cast<unsigned char>(peek()))) ++p_;
      if (p_ == h || p_ - h > 16) return err("a hex number has no digits or more than 16");
      a.kind = Attr::kInt;
      a.i = static_cast<int64_t>(std::strtoull(s_.substr(h, p_ - h).c_str(), nullptr, 16));
      if (s_[b] == '-') a.i = -a.i;
      a.s = s_.substr(b, p_ - b);
      return ok_status();
    }
    bool is_float = false;
    while (!eof() && (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '.' || peek() == 'e' ||
                      peek() == 'E' || ((peek() == '-' || peek() == '+') && (s_[p_ - 1] == 'e' || s_[p_ - 1] == 'E')))) {
      if (!std::isdigit(static_cast<unsigned char>(peek()))) is_float = true;
      ++p_;
    }
    std::string t = s_.substr(b, p_ - b);
    if (t.empty() || t == "-" || t == "+") return err("expected a number, found " + found());
    a.s = t;
    if (is_float) {
      a.kind = Attr::kFloat;
      a.f = std::strtod(t.c_str(), nullptr);
    } else {
      a.kind = Attr::kInt;
      errno = 0;
      a.i = std::strtoll(t.c_str(), nullptr, 10);
      if (errno == ERANGE) {
        // Unsigned 64-bit values print in full; keep the bits.
        a.i = static_cast<int64_t>(std::strtoull(t.c_str(), nullptr, 10));
      }
      a.f = static_cast<double>(a.i);
    }
    return ok_status();
  }

  // --- types ----------------------------------------------------------------
  // The raw text of a <...> group, nested brackets included.
  Expected<std::string> angle_text() {
    if (!accept('<')) return err("expected '<', found " + found());
    size_t b = p_;
    int depth = 1;
    while (!eof() && depth > 0) {
      char c = s_[p_];
      if (c == '"') {
        RETURN_IF_ERROR(string_lit().status());
        continue;
      }
      if (c == '<') ++depth;
      if (c == '>' && s_[p_ - 1] != '-') --depth;
      if (depth > kMaxDepth) return err("'<' nested too deeply");
      ++p_;
    }
    if (depth) return err("a '<' is never closed");
    return s_.substr(b, p_ - 1 - b);
  }
  Expected<Type> type() {
    ws();
    Type t;
    size_t b = p_;
    if (word_ahead("tensor")) {
      p_ += 6;
      ASSIGN_OR_RETURN(std::string inner, angle_text());
      t.text = s_.substr(b, p_ - b);
      t.is_tensor = true;
      // Drop an encoding (tensor<4xf32, #enc>).
      size_t comma = inner.find(',');
      if (comma != std::string::npos) inner = inner.substr(0, comma);
      if (inner.rfind("*x", 0) == 0) {
        t.ranked = false;
        t.element = inner.substr(2);
        return t;
      }
      size_t q = 0;
      while (q < inner.size()) {
        size_t x = q;
        while (x < inner.size() && (std::isdigit(static_cast<unsigned char>(inner[x])) || inner[x] == '?')) ++x;
        if (x < inner.size() && inner[x] == 'x' && x > q) {
          std::string d = inner.substr(q, x - q);
          if (d == "?") {
            t.dims.push_back(-1);
          } else {
            if (d.size() > 10) return err("a dimension of " + t.text + " is too large");
            t.dims.push_back(std::atoll(d.c_str()));
          }
          q = x + 1;
          if (t.dims.size() > 64) return err("a type has more than 64 dimensions");
          continue;
        }
        break;
      }
      t.element = inner.substr(q);
      if (t.element.empty()) return err("the tensor type " + t.text + " has no element type");
      return t;
    }
    // Scalars (f32), tuple<...>, !stablehlo.token, complex<f32>...
    if (peek() == '!') ++p_;
    ASSIGN_OR_RETURN(std::string name, ident());
    if (peek() == '<') {
      RETURN_IF_ERROR(angle_text().status());
    }
    t.text = s_.substr(b, p_ - b);
    t.element = name;
    return t;
  }
  // "(t, t) -> (t)" or "t, t" or "(t, t) -> t" or chlo's "t, t -> t".
  Status type_signature(Op& op) {
    ws();
    std::vector<Type> lhs;
    bool parenthesized = false;
    if (peek() == '(') {
      ++p_;
      parenthesized = true;
      if (!accept(')')) {
        for (;;) {
          ASSIGN_OR_RETURN(Type t, type());
          lhs.push_back(std::move(t));
          if (accept(')')) break;
          RETURN_IF_ERROR(expect(','));
        }
      }
    } else {
      for (;;) {
        ASSIGN_OR_RETURN(Type t, type());
        lhs.push_back(std::move(t));
        size_t save = p_;
        if (accept(',')) {
          ws();
          // A comma followed by anything but a type ends the list (an attribute dict follows in some forms).
          if (word_ahead("tensor") || std::isalpha(static_cast<unsigned char>(peek()))) continue;
          p_ = save;
        }
        break;
      }
    }
    if (accept("->")) {
      op.operand_types = std::move(lhs);
      ws();
      if (peek() == '(') {
        ++p_;
        if (!accept(')')) {
          for (;;) {
            ASSIGN_OR_RETURN(Type t, type());
            op.result_types.push_back(std::move(t));
            if (accept(')')) break;
            RETURN_IF_ERROR(expect(','));
          }
        }
      } else {
        ASSIGN_OR_RETURN(Type t, type());
        op.result_types.push_back(std::move(t));
      }
      return ok_status();
    }
    if (parenthesized && lhs.size() != 1) return err("expected '->' after the operand types");
    // The short form: every operand and the result share these types; the
    // legalizer reads what it needs from the results.
    op.operand_types = lhs;
    // select's "%p, %a, %b : tensor<..xi1>, tensor<..>": a one-result op
    // listing several types has its result's type last.
    if (op.results.size() == 1 && lhs.size() > 1) lhs.erase(lhs.begin(), lhs.end() - 1);
    op.result_types = std::move(lhs);
    op.attrs.push_back({"short_types", Attr{}});
    return ok_status();
  }

  // --- attributes -----------------------------------------------------------
  Status attr_value(Attr& a, int depth, bool typed, bool group = true) {
    if (depth > kMaxDepth) return err("attributes nested too deeply");
    ws();
    char c = peek();
    if (c == '[') {
      ++p_;
      a.kind = Attr::kList;
      if (!accept(']')) {
        for (;;) {
          Attr item;
          RETURN_IF_ERROR(attr_value(item, depth + 1, typed));
          a.items.push_back(std::move(item));
          if (accept(']')) break;
          RETURN_IF_ERROR(expect(','));
        }
      }
      // dot_general's "[0] x [1]" and convolution's "[b, 0, f]x[...]->[...]".
      while (group) {
        size_t save = p_;
        ws();
        bool cross = peek() == 'x' && !ident_char(peek(1));
        if (cross || (peek() == '-' && peek(1) == '>')) {
          p_ += cross ? 1 : 2;
          ws();
          if (peek() == '[') {
            Attr next;
            RETURN_IF_ERROR(attr_value(next, depth + 1, typed, false));
            if (a.s != "group") {
              Attr first = std::move(a);
              a = Attr{};
              a.kind = Attr::kList;
              a.s = "group";
              a.items.push_back(std::move(first));
            }
            a.items.push_back(std::move(next));
            continue;
          }
        }
        p_ = save;
        break;
      }
      return ok_status();
    }
    if (c == '{') return dict(a, depth + 1);
    if (c == '"') {
      a.kind = Attr::kString;
      ASSIGN_OR_RETURN(a.s, string_lit());
      return typed ? type_suffix(a) : ok_status();
    }
    if (c == '@') {
      a.kind = Attr::kSymbol;
      ASSIGN_OR_RETURN(a.s, symbol());
      return ok_status();
    }
    if (c == '#') {
      // #stablehlo.gather<k = v, ...>, #stablehlo<comparison_direction LT>
      ++p_;
      ASSIGN_OR_RETURN(std::string name, ident());
      a.s = name;
      if (peek() != '<') {
        a.kind = Attr::kIdent;
        return ok_status();
      }
      ++p_;
      a.kind = Attr::kDict;
      int n = 0;
      while (!accept('>')) {
        if (n++ && !accept(',')) return err("expected ',' or '>' in #" + name + "<...>, found " + found());
        ws();
        size_t save = p_;
        auto key = ident();
        if (key.ok() && accept('=')) {
          Attr v;
          RETURN_IF_ERROR(attr_value(v, depth + 1, true));
          a.fields.push_back({*key, std::move(v)});
          continue;
        }
        p_ = save;
        // Bare words: "comparison_direction LT" keeps the last one as the value.
        Attr v;
        RETURN_IF_ERROR(attr_value(v, depth + 1, true));
        a.items.push_back(std::move(v));
        while (!eof() && peek() != ',' && peek() != '>') {
          Attr more;
          RETURN_IF_ERROR(attr_value(more, depth + 1, true));
          a.items.push_back(std::move(more));
          ws();
        }
      }
      return ok_status();
    }
    if (c == '-' || c == '+' || std::isdigit(static_cast<unsigned char>(c))) {
      RETURN_IF_ERROR(number(a));
      return typed ? type_suffix(a) : ok_status();
    }
    if (word_ahead("dense") && peek(5) == '<') {
      p_ += 5;
      a.kind = Attr::kDense;
      ASSIGN_OR_RETURN(a.s, angle_text());
      // A constant's type is the op's, after its value: leave it there.
      return typed ? type_suffix(a) : ok_status();
    }
    if (word_ahead("array") && peek(5) == '<') {
      // array<i64: 1, 2>
      p_ += 5;
      ASSIGN_OR_RETURN(std::string inner, angle_text());
      a.kind = Attr::kList;
      size_t colon = inner.find(':');
      if (colon == std::string::npos) return ok_status();
      std::string body = inner.substr(colon + 1);
      size_t q = 0;
      while (q < body.size()) {
        while (q < body.size() && (body[q] == ' ' || body[q] == ',')) ++q;
        if (q >= body.size()) break;
        size_t e = q;
        while (e < body.size() && body[e] != ',') ++e;
        std::string tok = body.substr(q, e - q);
        while (!tok.empty() && tok.back() == ' ') tok.pop_back();
        Attr item;
        if (tok == "true" || tok == "false") {
          item.kind = Attr::kBool;
          item.b = tok == "true";
          item.i = item.b;
        } else {
          item.kind = Attr::kInt;
          item.i = std::strtoll(tok.c_str(), nullptr, 10);
        }
        a.items.push_back(item);
        q = e;
        if (a.items.size() > (1u << 24)) return err("an array<> attribute is too long");
      }
      return ok_status();
    }
    if (word_ahead("true") || word_ahead("false")) {
      a.kind = Attr::kBool;
      a.b = peek() == 't';
      a.i = a.b;
      p_ += a.b ? 4 : 5;
      return typed ? type_suffix(a) : ok_status();
    }
    if (word_ahead("tensor")) {
      a.kind = Attr::kType;
      ASSIGN_OR_RETURN(a.type, type());
      return ok_status();
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      a.kind = Attr::kIdent;
      ASSIGN_OR_RETURN(a.s, ident());
      if (peek() == '<') {
        // A type like complex<f32> or an enum with a payload; keep the text.
        ASSIGN_OR_RETURN(std::string inner, angle_text());
        a.s += "<" + inner + ">";
      }
      return ok_status();
    }
    return err("expected an attribute value, found " + found());
  }
  // "1 : i64", "dense<...> : tensor<2xi64>": the type after the value.
  Status type_suffix(Attr& a) {
    size_t save = p_;
    ws();
    if (peek() == ':' && peek(1) != ':') {
      ++p_;
      ws();
      if (std::isalpha(static_cast<unsigned char>(peek()))) {
        ASSIGN_OR_RETURN(a.type, type());
        return ok_status();
      }
    }
    p_ = save;
    return ok_status();
  }
  Status dict(Attr& a, int depth) {
    if (depth > kMaxDepth) return err("attributes nested too deeply");
    RETURN_IF_ERROR(expect('{'));
    a.kind = Attr::kDict;
    if (accept('}')) return ok_status();
    for (;;) {
      ws();
      std::string key;
      if (peek() == '"') {
        ASSIGN_OR_RETURN(key, string_lit());
      } else {
        ASSIGN_OR_RETURN(key, ident());
      }
      Attr v;
      if (accept('=')) {
        RETURN_IF_ERROR(attr_value(v, depth + 1, true));
      } else {
        v.kind = Attr::kBool;  // a unit attribute
        v.b = true;
        v.i = 1;
      }
      a.fields.push_back({key, std::move(v)});
      if (accept('}')) return ok_status();
      RETURN_IF_ERROR(expect(','));
    }
  }

  // --- functions, blocks, ops -----------------------------------------------
  Expected<Func> func() {
    Func f;
    f.line = line_col(p_).first;
    p_ += 9;  // func.func
    ws();
    if (word_ahead("public") || word_ahead("private") || word_ahead("nested")) {
      f.is_public = word_ahead("public");
      ASSIGN_OR_RETURN(std::string vis, ident());
    }
    ASSIGN_OR_RETURN(f.name, symbol());
    RETURN_IF_ERROR(expect('('));
    if (!accept(')')) {
      for (;;) {
        ASSIGN_OR_RETURN(std::string name, value_name());
        RETURN_IF_ERROR(expect(':'));
        ASSIGN_OR_RETURN(Type t, type());
        ws();
        if (peek() == '{') {
          Attr ignored;
          RETURN_IF_ERROR(dict(ignored, 1));
        }
        ws();
        if (word_ahead("loc")) RETURN_IF_ERROR(location());
        f.body.args.push_back({name, std::move(t)});
        if (accept(')')) break;
        RETURN_IF_ERROR(expect(','));
      }
    }
    if (accept("->")) {
      ws();
      bool paren = peek() == '(';
      if (paren) ++p_;
      if (!paren || !accept(')')) {
        for (;;) {
          ASSIGN_OR_RETURN(Type t, type());
          f.result_types.push_back(std::move(t));
          ws();
          if (paren && peek() == '{') {
            Attr ignored;
            RETURN_IF_ERROR(dict(ignored, 1));
          }
          if (!paren) break;
          if (accept(')')) break;
          RETURN_IF_ERROR(expect(','));
        }
      }
    }
    ws();
    if (word_ahead("attributes")) {
      p_ += 10;
      Attr ignored;
      RETURN_IF_ERROR(dict(ignored, 1));
    }
    ws();
    if (peek() != '{') return err("func.func @" + f.name + " has no body (a declaration); define it in the module");
    ++p_;
    RETURN_IF_ERROR(block_ops(f.body, 1));
    return f;
  }
  Status location() {
    // loc(...) trailers: skip the balanced parentheses.
    p_ += 3;
    if (!accept('(')) return err("expected '(' after loc");
    int depth = 1;
    while (!eof() && depth) {
      if (peek() == '"') {
        RETURN_IF_ERROR(string_lit().status());
        continue;
      }
      if (peek() == '(') ++depth;
      if (peek() == ')') --depth;
      ++p_;
    }
    if (depth) return err("a loc( is never closed");
    return ok_status();
  }
  // Ops until the closing '}' (the '{' is consumed). One block: a second
  // label (^bb1) is refused, since StableHLO regions have one block.
  Status block_ops(Block& b, int depth) {
    if (depth > kMaxDepth) return err("regions nested too deeply");
    ws();
    if (peek() == '^') {
      RETURN_IF_ERROR(block_label(b));
    }
    for (;;) {
      ws();
      if (eof()) return err("a region's '{' is never closed (the text may be truncated)");
      if (peek() == '}') {
        ++p_;
        return ok_status();
      }
      if (peek() == '^') return err("a region with more than one block is not supported yet");
      Op op;
      RETURN_IF_ERROR(operation(op, depth));
      b.ops.push_back(std::move(op));
    }
  }
  Status block_label(Block& b) {
    ++p_;
    RETURN_IF_ERROR(ident().status());
    if (accept('(')) {
      if (!accept(')')) {
        for (;;) {
          ASSIGN_OR_RETURN(std::string name, value_name());
          RETURN_IF_ERROR(expect(':'));
          ASSIGN_OR_RETURN(Type t, type());
          ws();
          if (word_ahead("loc")) RETURN_IF_ERROR(location());
          b.args.push_back({name, std::move(t)});
          if (accept(')')) break;
          RETURN_IF_ERROR(expect(','));
        }
      }
    }
    return expect(':');
  }

  Status results(Op& op) {
    ws();
    if (peek() != '%') return ok_status();
    for (;;) {
      ASSIGN_OR_RETURN(std::string name, value_name());
      int64_t n = 1;
      if (accept(':')) {
        Attr count;
        RETURN_IF_ERROR(number(count));
        if (count.kind != Attr::kInt || count.i < 1 || count.i > kMaxResults)
          return err("a result count must be between 1 and 65536");
        n = count.i;
      }
      if (n == 1 && !accept(',')) {
        op.results.push_back(name);
        break;
      }
      if (n == 1) {
        op.results.push_back(name);
        continue;
      }
      for (int64_t k = 0; k < n; ++k) op.results.push_back(name + "#" + std::to_string(k));
      if (!accept(',')) break;
    }
    return expect('=');
  }

  Status operation(Op& op, int depth) {
    ws();
    std::tie(op.line, op.col) = line_col(p_);
    RETURN_IF_ERROR(results(op));
    ws();
    if (eof()) return err("the text ends inside a function (it may be truncated)");
    if (peek() != '"' && !std::isalpha(static_cast<unsigned char>(peek())))
      return err("expected an op or the region's closing '}', found " + found());
    if (peek() == '"') {
      ASSIGN_OR_RETURN(op.name, string_lit());
      RETURN_IF_ERROR(generic_body(op, depth));
    } else {
      ASSIGN_OR_RETURN(op.name, ident());
      if (op.name == "call") op.name = "func.call";
      if (op.name == "return") op.name = "func.return";
      RETURN_IF_ERROR(pretty_body(op, depth));
    }
    ws();
    if (word_ahead("loc")) RETURN_IF_ERROR(location());
    return ok_status();
  }

  Status operand_list(Op& op, char close) {
    if (accept(close)) return ok_status();
    for (;;) {
      ASSIGN_OR_RETURN(std::string v, value_name());
      op.operands.push_back(v);
      if (accept(close)) return ok_status();
      RETURN_IF_ERROR(expect(','));
    }
  }
  Status merge_dict(Op& op, int depth) {
    Attr d;
    RETURN_IF_ERROR(dict(d, depth));
    for (auto& f : d.fields) op.attrs.emplace_back(std::move(f.key), std::move(f.value));
    return ok_status();
  }
  Status region(Op& op, int depth) {
    RETURN_IF_ERROR(expect('{'));
    Block b;
    RETURN_IF_ERROR(block_ops(b, depth + 1));
    op.regions.push_back(std::move(b));
    return ok_status();
  }

  // "name"(operands) <{props}> ({regions}) {attrs} : (types) -> types
  Status generic_body(Op& op, int depth) {
    RETURN_IF_ERROR(expect('('));
    RETURN_IF_ERROR(operand_list(op, ')'));
    ws();
    if (peek() == '<' && peek(1) == '{') {
      ++p_;
      RETURN_IF_ERROR(merge_dict(op, depth));
      RETURN_IF_ERROR(expect('>'));
    }
    ws();
    if (peek() == '(') {
      ++p_;
      for (;;) {
        RETURN_IF_ERROR(region(op, depth));
        if (accept(')')) break;
        RETURN_IF_ERROR(expect(','));
      }
    }
    ws();
    if (peek() == '{') RETURN_IF_ERROR(merge_dict(op, depth));
    RETURN_IF_ERROR(expect(':'));
    return type_signature(op);
  }

  // The pretty forms: operands, "key = value", bare keywords, "{attrs}",
  // "@callee(...)", slice "[a:b:c, ...]", then ": types", then the regions
  // some ops print after their types (while's cond/do, reduce's reducer).
  Status pretty_body(Op& op, int depth) {
    int keyword_count = 0;
    std::vector<std::string> inits;
    for (;;) {
      ws();
      char c = peek();
      if (eof()) return err(op.name + " is cut off (the text may be truncated)");
      if (c == ':' || c == '}') break;
      if (c == ',') {
        ++p_;
        continue;
      }
      if (c == '%') {
        ASSIGN_OR_RETURN(std::string v, value_name());
        op.operands.push_back(v);
        continue;
      }
      if (c == '@') {
        Attr callee;
        callee.kind = Attr::kSymbol;
        ASSIGN_OR_RETURN(callee.s, symbol());
        op.attrs.push_back({"callee", callee});
        continue;
      }
      if (c == '(') {
        // (%a, %b), while's (%iterArg = %x, ...), reduce's (%x init: %y).
        ++p_;
        if (accept(')')) continue;
        for (;;) {
          ws();
          if (peek() != '%') {
            // chlo.top_k(%x, k = 2)
            ASSIGN_OR_RETURN(std::string key, ident());
            RETURN_IF_ERROR(expect('='));
            Attr v;
            RETURN_IF_ERROR(attr_value(v, depth + 1, false));
            op.attrs.push_back({key, std::move(v)});
            if (accept(')')) break;
            RETURN_IF_ERROR(expect(','));
            continue;
          }
          ASSIGN_OR_RETURN(std::string v, value_name());
          if (accept('=')) {
            ASSIGN_OR_RETURN(std::string init, value_name());
            op.attrs.push_back({"iter_arg", Attr{Attr::kString, 0, 0, false, v, {}, {}, {}}});
            op.operands.push_back(init);
          } else if (accept("init")) {
            RETURN_IF_ERROR(expect(':'));
            ASSIGN_OR_RETURN(std::string init, value_name());
            op.operands.push_back(v);
            inits.push_back(init);
          } else {
            op.operands.push_back(v);
          }
          if (accept(')')) break;
          RETURN_IF_ERROR(expect(','));
        }
        continue;
      }
      if (c == '{') {
        // A region before the types (chlo.scan's "{ ^bb0(...): ... }"), or attributes.
        size_t save = p_;
        ++p_;
        ws();
        const bool is_region = peek() == '^';
        p_ = save;
        if (is_region) {
          RETURN_IF_ERROR(region(op, depth));
        } else {
          RETURN_IF_ERROR(merge_dict(op, depth));
        }
        continue;
      }
      if (c == '"') {
        // composite "name" %a ...
        Attr name;
        name.kind = Attr::kString;
        ASSIGN_OR_RETURN(name.s, string_lit());
        op.attrs.push_back({"name", name});
        continue;
      }
      if (c == '[') {
        RETURN_IF_ERROR(slice_ranges(op));
        continue;
      }
      if (word_ahead("dense") || c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
        Attr v;
        RETURN_IF_ERROR(attr_value(v, depth + 1, false));
        op.attrs.push_back({"value", std::move(v)});
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t save = p_;
        ASSIGN_OR_RETURN(std::string word, ident());
        if (accept('=')) {
          Attr v;
          RETURN_IF_ERROR(attr_value(v, depth + 1, false));
          op.attrs.push_back({word, std::move(v)});
          continue;
        }
        if (word == "applies") {
          // reduce ... applies stablehlo.add across dimensions = [..]
          Attr body;
          body.kind = Attr::kIdent;
          ASSIGN_OR_RETURN(body.s, ident());
          op.attrs.push_back({"applies", body});
          continue;
        }
        if (word == "across") continue;
        (void)save;
        Attr kw;
        kw.kind = Attr::kIdent;
        kw.s = word;
        op.attrs.push_back({"keyword:" + std::to_string(keyword_count++), kw});
        continue;
      }
      return err("unexpected " + found() + " in " + op.name);
    }
    for (auto& i : inits) op.operands.push_back(i);
    if (peek() == '}') {
      // A terminator with no operands and no types (return in a void function).
      return ok_status();
    }
    ++p_;  // ':'
    RETURN_IF_ERROR(type_signature(op));
    // Regions after the types.
    for (;;) {
      ws();
      if (word_ahead("cond") || word_ahead("do")) {
        RETURN_IF_ERROR(ident().status());
        RETURN_IF_ERROR(region(op, depth));
        continue;
      }
      if (word_ahead("reducer")) {
        // reducer(%a: t, %b: t) (%c: t, %d: t) { ops }: pairs per input.
        p_ += 7;
        std::vector<std::pair<std::string, Type>> lhs, rhs;
        while (accept('(')) {
          ASSIGN_OR_RETURN(std::string a, value_name());
          RETURN_IF_ERROR(expect(':'));
          ASSIGN_OR_RETURN(Type ta, type());
          RETURN_IF_ERROR(expect(','));
          ASSIGN_OR_RETURN(std::string b, value_name());
          RETURN_IF_ERROR(expect(':'));
          ASSIGN_OR_RETURN(Type tb, type());
          RETURN_IF_ERROR(expect(')'));
          lhs.push_back({a, ta});
          rhs.push_back({b, tb});
        }
        RETURN_IF_ERROR(expect('{'));
        Block b;
        for (auto& a : lhs) b.args.push_back(a);
        for (auto& a : rhs) b.args.push_back(a);
        RETURN_IF_ERROR(block_ops(b, depth + 1));
        op.regions.push_back(std::move(b));
        continue;
      }
      break;
    }
    // while's regions take the loop values under the iter_arg names.
    std::vector<std::string> iter;
    for (const auto& [k, v] : op.attrs)
      if (k == "iter_arg") iter.push_back(v.s);
    if (!iter.empty()) {
      if (iter.size() != op.result_types.size()) return err(op.name + " has " + std::to_string(iter.size()) +
                                                             " loop values but " + std::to_string(op.result_types.size()) + " types");
      for (Block& b : op.regions)
        for (size_t k = 0; k < iter.size(); ++k) b.args.push_back({iter[k], op.result_types[k]});
    }
    return ok_status();
  }
  // slice's [start:limit(:stride), ...]
  Status slice_ranges(Op& op) {
    ++p_;
    Attr ranges;
    ranges.kind = Attr::kList;
    if (!accept(']')) {
      for (;;) {
        Attr r;
        r.kind = Attr::kList;
        for (int k = 0; k < 3; ++k) {
          Attr n;
          RETURN_IF_ERROR(number(n));
          if (n.kind != Attr::kInt) return err("a slice bound must be an integer");
          r.items.push_back(n);
          if (!accept(':')) break;
        }
        if (r.items.size() < 2 && op.name == "stablehlo.slice") return err("a slice range needs start:limit");
        ranges.items.push_back(std::move(r));
        if (accept(']')) break;
        RETURN_IF_ERROR(expect(','));
      }
    }
    op.attrs.push_back({"slice_ranges", std::move(ranges)});
    return ok_status();
  }

  const std::string& s_;
  std::string what_;
  size_t p_ = 0;
  std::vector<size_t> line_starts_;
};

}  // namespace

Expected<Module> parse_module(const std::string& text, const std::string& what) {
  Parser p(text, what);
  return p.module();
}

}  // namespace tflc::mlir
