// The StableHLO importer: functions, values and regions. Ops get their
// meaning from their records (ops.cc); this file walks blocks, inlines
// calls, builds body graphs for regions (values a region reads from the
// enclosing scope are cloned when constant, else passed as extra operands,
// since TFLite subgraphs cannot capture), and checks every lowered value
// against the type the text declares, so a lowering bug is an error, not
// a wrong number.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

#include "frontends/graphdef/import.h"
#include "frontends/stablehlo/hlo_context.h"
#include "frontends/stablehlo/stablehlo.h"
#include "ops/op_util.h"
#include "ops/registry.h"
#include "support/budget.h"
#include "support/file.h"
#include "support/half.h"

namespace tflc {

DType hlo_dtype(const std::string& e) {
  static const std::map<std::string, DType> kTypes = {
      {"f32", DType::kFloat32}, {"f16", DType::kFloat16}, {"bf16", DType::kBFloat16}, {"f64", DType::kFloat64},
      {"i1", DType::kBool},     {"i8", DType::kInt8},     {"i16", DType::kInt16},     {"i32", DType::kInt32},
      {"i64", DType::kInt64},   {"ui8", DType::kUInt8},   {"ui16", DType::kUInt16},   {"ui32", DType::kUInt32},
      {"ui64", DType::kUInt64}, {"i4", DType::kInt4}};
  auto it = kTypes.find(e);
  return it == kTypes.end() || it->second == DType::kInt4 ? DType::kInvalid : it->second;
}

namespace {

// One element of a list-form literal, written into `out` as `dt`.
Status put_element(const mlir::Attr& v, DType dt, std::string& out, const std::string& where) {
  auto put = [&](auto x) { out.append(reinterpret_cast<const char*>(&x), sizeof(x)); };
  double d = v.kind == mlir::Attr::kFloat ? v.f : static_cast<double>(v.i);
  bool is_hex = v.kind == mlir::Attr::kInt && v.s.find("0x") != std::string::npos;
  switch (dt) {
    case DType::kFloat32:
      if (is_hex) {
        put(static_cast<uint32_t>(v.i));
      } else {
        put(static_cast<float>(d));
      }
      return ok_status();
    case DType::kFloat64:
      if (is_hex) {
        put(static_cast<uint64_t>(v.i));
      } else {
        put(d);
      }
      return ok_status();
    case DType::kFloat16:
      put(is_hex ? static_cast<uint16_t>(v.i) : float_to_half(static_cast<float>(d)));
      return ok_status();
    case DType::kBFloat16: {
      float f = static_cast<float>(d);
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      put(is_hex ? static_cast<uint16_t>(v.i) : static_cast<uint16_t>(bits >> 16));
      return ok_status();
    }
    case DType::kBool:
      put(static_cast<uint8_t>(v.kind == mlir::Attr::kBool ? v.b : v.i != 0));
      return ok_status();
    case DType::kInt8: put(static_cast<int8_t>(v.i)); return ok_status();
    case DType::kUInt8: put(static_cast<uint8_t>(v.i)); return ok_status();
    case DType::kInt16: put(static_cast<int16_t>(v.i)); return ok_status();
    case DType::kUInt16: put(static_cast<uint16_t>(v.i)); return ok_status();
    case DType::kInt32: put(static_cast<int32_t>(v.i)); return ok_status();
    case DType::kUInt32: put(static_cast<uint32_t>(v.i)); return ok_status();
    case DType::kInt64: put(static_cast<int64_t>(v.i)); return ok_status();
    case DType::kUInt64: put(static_cast<uint64_t>(v.i)); return ok_status();
    default: return unsupported("not supported yet: " + where + ": a constant of type " + dtype_name(dt));
  }
}

// Parses the inside of dense<...>'s list form into elements.
class DenseList {
 public:
  DenseList(const std::string& s) : s_(s) {}
  Status parse(std::vector<mlir::Attr>& out, const std::string& where) {
    while (p_ < s_.size()) {
      char c = s_[p_];
      if (c == '[' || c == ']' || c == ',' || std::isspace(static_cast<unsigned char>(c))) {
        ++p_;
        continue;
      }
      if (c == '(') return unsupported("not supported yet: " + where + ": complex constants");
      mlir::Attr a;
      if (s_.compare(p_, 4, "true") == 0 || s_.compare(p_, 5, "false") == 0) {
        a.kind = mlir::Attr::kBool;
        a.b = s_[p_] == 't';
        a.i = a.b;
        p_ += a.b ? 4 : 5;
      } else {
        size_t b = p_;
        if (s_[p_] == '-' || s_[p_] == '+') ++p_;
        bool hex = s_.compare(p_, 2, "0x") == 0;
        if (hex) p_ += 2;
        bool is_float = false;
        while (p_ < s_.size() && (std::isxdigit(static_cast<unsigned char>(s_[p_])) || (!hex && (s_[p_] == '.' || s_[p_] == 'e' || s_[p_] == 'E' ||
                                                                             ((s_[p_] == '-' || s_[p_] == '+') && (s_[p_ - 1] == 'e' || s_[p_ - 1] == 'E')))))) {
          if (!hex && !std::isdigit(static_cast<unsigned char>(s_[p_]))) is_float = true;
          ++p_;
        }
        std::string t = s_.substr(b, p_ - b);
        if (t.empty() || t == "-" || t == "+") return invalid_input(where + ": a dense literal has an unreadable element");
        if (hex) {
          a.kind = mlir::Attr::kInt;
          a.s = t;
          a.i = static_cast<int64_t>(std::strtoull(t.c_str() + (t[0] == '-' ? 3 : 2), nullptr, 16));
        } else if (is_float) {
          a.kind = mlir::Attr::kFloat;
          a.f = std::strtod(t.c_str(), nullptr);
        } else {
          a.kind = mlir::Attr::kInt;
          errno = 0;
          a.i = std::strtoll(t.c_str(), nullptr, 10);
          if (errno == ERANGE) a.i = static_cast<int64_t>(std::strtoull(t.c_str(), nullptr, 10));
        }
      }
      out.push_back(std::move(a));
      if (out.size() > (1u << 28)) return invalid_input(where + ": a dense literal is too long");
    }
    return ok_status();
  }

 private:
  const std::string& s_;
  size_t p_ = 0;
};

}  // namespace

Expected<std::string> dense_bytes(const mlir::Attr& a, const mlir::Type& t, const std::string& where) {
  if (!t.is_tensor || !t.ranked) return invalid_input(where + ": a constant needs a ranked tensor type, not " + t.text);
  DType dt = hlo_dtype(t.element);
  if (dt == DType::kInvalid) return unsupported("not supported yet: " + where + ": constants of element type " + t.element);
  int64_t n = 1;
  for (int64_t d : t.dims) {
    if (d < 0) return invalid_input(where + ": a constant's type " + t.text + " has a dynamic dimension");
    if (d > 0 && n > (int64_t{1} << 40) / d) return invalid_input(where + ": a constant of type " + t.text + " is too large");
    n *= d;
  }
  const int64_t esize = dtype_size(dt);
  RETURN_IF_ERROR(check_memory_budget(where + ": a constant of type " + t.text, static_cast<uint64_t>(n * esize)));
  const std::string& s = a.s;
  std::string out;
  size_t q = s.find_first_not_of(" \n\t");
  if (q != std::string::npos && s[q] == '"') {
    // "0x...": the raw little-endian bytes, or one element for a splat.
    size_t e = s.find('"', q + 1);
    if (e == std::string::npos || s.compare(q + 1, 2, "0x") != 0)
      return invalid_input(where + ": a dense string literal must be hex (\"0x...\")");
    const size_t hex_len = e - q - 3;
    if (hex_len % 2) return invalid_input(where + ": a hex literal has an odd number of digits");
    const int64_t bytes = static_cast<int64_t>(hex_len / 2);
    if (bytes != n * esize && bytes != esize)
      return invalid_input(where + ": the hex literal holds " + std::to_string(bytes) + " bytes but " + t.text +
                           " needs " + std::to_string(n * esize));
    static const auto kHex = [] {
      std::array<int8_t, 256> t{};
      t.fill(-1);
      for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<int8_t>(c);
      for (int c = 0; c < 6; ++c) t['a' + c] = t['A' + c] = static_cast<int8_t>(10 + c);
      return t;
    }();
    std::string raw(static_cast<size_t>(bytes), '\0');
    const unsigned char* h = reinterpret_cast<const unsigned char*>(s.data() + q + 3);
    int bad = 0;
    for (int64_t k = 0; k < bytes; ++k) {
      const int hi = kHex[h[2 * k]], lo = kHex[h[2 * k + 1]];
      bad |= hi | lo;  // any -1 sets the sign bit
      raw[k] = static_cast<char>(hi * 16 + lo);
    }
    if (bad < 0) return invalid_input(where + ": a hex literal has a non-hex digit");
    if (bytes == n * esize) return raw;
    out.reserve(static_cast<size_t>(n * esize));
    for (int64_t k = 0; k < n; ++k) out += raw;
    return out;
  }
  std::vector<mlir::Attr> elems;
  DenseList list(s);
  RETURN_IF_ERROR(list.parse(elems, where));
  if (static_cast<int64_t>(elems.size()) != n && elems.size() != 1)
    return invalid_input(where + ": the literal has " + std::to_string(elems.size()) + " elements but " + t.text +
                         " holds " + std::to_string(n));
  std::string one;
  if (elems.size() == 1 && n != 1) {
    RETURN_IF_ERROR(put_element(elems[0], dt, one, where));
    for (int64_t k = 0; k < n; ++k) out += one;
    return out;
  }
  for (const auto& e : elems) RETURN_IF_ERROR(put_element(e, dt, out, where));
  return out;
}

// --- HloContext helpers ------------------------------------------------------

static Expected<std::vector<int64_t>> attr_ints(const mlir::Attr& a, const std::string& where) {
  std::vector<int64_t> v;
  if (a.kind == mlir::Attr::kList) {
    for (const auto& item : a.items) {
      if (item.kind == mlir::Attr::kList) {
        ASSIGN_OR_RETURN(auto inner, attr_ints(item, where));
        v.insert(v.end(), inner.begin(), inner.end());
      } else if (item.kind == mlir::Attr::kInt || item.kind == mlir::Attr::kBool) {
        v.push_back(item.i);
      } else {
        return invalid_input(where + ": expected a list of integers");
      }
    }
    return v;
  }
  if (a.kind == mlir::Attr::kInt) return std::vector<int64_t>{a.i};
  if (a.kind == mlir::Attr::kDense) {
    mlir::Type t = a.type;
    if (!t.is_tensor) return invalid_input(where + ": a dense attribute without a tensor type");
    ASSIGN_OR_RETURN(std::string bytes, dense_bytes(a, t, where));
    DType dt = hlo_dtype(t.element);
    if (dt == DType::kInt64) {
      v.resize(bytes.size() / 8);
      std::memcpy(v.data(), bytes.data(), v.size() * 8);
    } else if (dt == DType::kInt32) {
      std::vector<int32_t> w(bytes.size() / 4);
      std::memcpy(w.data(), bytes.data(), w.size() * 4);
      v.assign(w.begin(), w.end());
    } else if (dt == DType::kBool) {
      for (char c : bytes) v.push_back(c != 0);
    } else {
      return invalid_input(where + ": expected integers, found a dense " + t.element + " literal");
    }
    return v;
  }
  return invalid_input(where + ": expected a list of integers");
}

Expected<std::vector<int64_t>> HloContext::ints(const std::string& key) const {
  const mlir::Attr* a = op_.attr(key);
  if (!a) return bad("has no '" + key + "' attribute");
  return attr_ints(*a, source() + ": '" + key + "'");
}

std::vector<int64_t> HloContext::ints_or(const std::string& key, std::vector<int64_t> fallback) const {
  if (!op_.attr(key)) return fallback;
  auto v = ints(key);
  return v.ok() ? *v : fallback;
}

Expected<int64_t> HloContext::int_attr(const std::string& key) const {
  ASSIGN_OR_RETURN(auto v, ints(key));
  if (v.size() != 1) return bad("'" + key + "' must be one integer");
  return v[0];
}

Status HloContext::expect_operands(int n) const {
  if (num_in() != n) return bad("takes " + std::to_string(n) + " operands, found " + std::to_string(num_in()));
  return ok_status();
}

TensorId HloContext::const_i64(const std::vector<int64_t>& v, const std::string& suffix) {
  return constant(DType::kInt64, {static_cast<int64_t>(v.size())}, to_bytes(v), suffix);
}

TensorId HloContext::scalar(DType dt, double v, const std::string& suffix) {
  std::string bytes;
  mlir::Attr a;
  if (dtype_is_float(dt)) {
    a.kind = mlir::Attr::kFloat;
    a.f = v;
  } else {
    a.kind = mlir::Attr::kInt;
    a.i = static_cast<int64_t>(v);
  }
  Status s = put_element(a, dt, bytes, source());
  TFLC_CHECK(s.ok());
  return constant(dt, {}, bytes, suffix);
}

Expected<TensorId> HloContext::reshape(TensorId x, const std::vector<int64_t>& shape) {
  if (graph().t(x).shape == shape && !graph().t(x).unknown_rank) return x;
  std::vector<int32_t> s(shape.begin(), shape.end());
  return emit1(OpCode::RESHAPE, {x, const_i32(s, "shape")});
}

Expected<TensorId> HloContext::transpose(TensorId x, const std::vector<int64_t>& perm) {
  bool identity = true;
  for (size_t k = 0; k < perm.size(); ++k) identity = identity && perm[k] == static_cast<int64_t>(k);
  if (identity) return x;
  std::vector<int32_t> p(perm.begin(), perm.end());
  return emit1(OpCode::TRANSPOSE, {x, const_i32(p, "perm")});
}

Expected<TensorId> HloContext::bitcast(TensorId x, DType to) {
  if (graph().t(x).dtype == to) return x;
  Tensor t;
  t.name = scope() + "/BITCAST_" + std::to_string(graph().ops.size());
  t.dtype = to;
  TensorId out = graph().add_tensor(std::move(t));
  Op& op = graph().add_op(OpCode::BITCAST, {x}, {out}, tflite::BitcastOptionsT{}, scope());
  RETURN_IF_ERROR(infer_op(graph(), op).with_context(source()));
  RETURN_IF_ERROR(try_fold(graph(), op, fold_budget()));
  if (graph().t(out).is_const()) op.dead = true;
  return out;
}

// --- the importer ------------------------------------------------------------

namespace {

using Env = std::unordered_map<std::string, TensorId>;
constexpr int kMaxCallDepth = 64;
constexpr size_t kMaxRefusals = 40;

// Names a block reads but does not define (nested regions included).
void free_values(const mlir::Block& b, std::set<std::string>& defined, std::vector<std::string>& out,
                 std::set<std::string>& seen) {
  std::set<std::string> local = defined;
  for (const auto& [name, t] : b.args) local.insert(name);
  for (const auto& op : b.ops) {
    for (const auto& v : op.operands) {
      std::string base = v;
      if (!local.count(v) && !seen.count(v)) {
        seen.insert(v);
        out.push_back(v);
      }
      (void)base;
    }
    for (const auto& r : op.regions) free_values(r, local, out, seen);
    for (const auto& r : op.results) local.insert(r);
  }
}

class Importer {
 public:
  Importer(const mlir::Module& m, const StablehloImportOptions& o, std::string file)
      : m_(m), o_(o), file_(std::move(file)) {}

  Expected<Model> run() {
    const mlir::Func* entry = m_.find(o_.entry_function);
    if (!entry) {
      std::string names;
      for (const auto& f : m_.funcs) names += (names.empty() ? "@" : ", @") + f.name;
      return invalid_input(file_ + ": there is no function @" + o_.entry_function + " (the module has " + names +
                           "); name the entry with --entry_function");
    }
    Model model;
    model.source_format = "stablehlo";
    model.api_version = 2;
    Graph g;
    g.name = "main";
    Env env;
    int argn = 0;
    for (const auto& [name, type] : entry->body.args) {
      ASSIGN_OR_RETURN(Tensor t, tensor_of(type, "argument " + name + " of @" + entry->name));
      t.name = "args_" + std::to_string(argn++);
      TensorId id = g.add_tensor(std::move(t));
      g.inputs.push_back(id);
      env[name] = id;
    }
    std::vector<TensorId> returned;
    RETURN_IF_ERROR(lower_block(entry->body, g, env, &returned, 0, /*entry=*/true));
    if (o_.check_outputs) {
      if (checked_.empty() && refusals_.empty()) return invalid_input(file_ + ": @" + entry->name + " has no check.expect_*_const");
      returned = checked_;
    }
    if (!refusals_.empty()) {
      std::string list;
      const std::string lead = "not supported yet: ";
      for (const auto& r : refusals_)
        list += (list.empty() ? "" : "; ") + (r.rfind(lead, 0) == 0 ? r.substr(lead.size()) : r);
      if (refusals_.size() == 1) return unsupported(refusals_[0]);
      return unsupported("not supported yet: " + std::to_string(refusals_.size()) + " StableHLO ops: " + list);
    }
    SignatureDef sig;
    sig.key = o_.signature_name;
    for (size_t k = 0; k < g.inputs.size(); ++k) sig.inputs.push_back({g.t(g.inputs[k]).name, g.inputs[k]});
    for (size_t k = 0; k < returned.size(); ++k) {
      TensorId r = returned[k];
      // An output must be its own tensor (an input or a constant returned
      // as it is gets an identity-free copy by RESHAPE to its own shape).
      if (std::find(g.inputs.begin(), g.inputs.end(), r) != g.inputs.end() || g.t(r).is_const() ||
          std::find(g.outputs.begin(), g.outputs.end(), r) != g.outputs.end()) {
        IrBuilder b(g, "output_" + std::to_string(k), o_.fold_budget);
        const Tensor& t = g.t(r);
        std::vector<int32_t> s(t.shape.begin(), t.shape.end());
        if (t.is_const()) {
          // Keep constants as they are: TFLite outputs may be constant tensors.
        } else {
          ASSIGN_OR_RETURN(r, b.emit1(OpCode::RESHAPE, {r, b.const_i32(s, "shape")}));
        }
      }
      g.t(r).name = "output_" + std::to_string(k);
      g.outputs.push_back(r);
      sig.outputs.push_back({g.t(r).name, r});
    }
    model.subgraphs.push_back(std::move(g));
    model.signatures.push_back(std::move(sig));
    return model;
  }

 private:
  Expected<Tensor> tensor_of(const mlir::Type& type, const std::string& what) {
    if (!type.is_tensor) return unsupported("not supported yet: " + file_ + ": " + what + " has type " + type.text + " (only tensors)");
    Tensor t;
    t.dtype = hlo_dtype(type.element);
    if (t.dtype == DType::kInvalid)
      return unsupported("not supported yet: " + file_ + ": " + what + " has element type " + type.element +
                         ", which TFLite has no tensors of");
    if (!type.ranked) {
      t.unknown_rank = true;
      return t;
    }
    for (int64_t d : type.dims)
      if (d > INT32_MAX) return invalid_input(file_ + ": " + what + " has a dimension over 2^31-1");
    t.shape = type.dims;
    return t;
  }

  // A placeholder for the results of an op that could not be lowered, so
  // the rest of the function is still checked and every refusal listed.
  Status placeholder(const mlir::Op& op, Graph& g, Env& env) {
    for (size_t k = 0; k < op.results.size(); ++k) {
      Tensor t;
      if (k < op.result_types.size()) {
        auto tt = tensor_of(op.result_types[k], "a result");
        if (tt.ok()) t = *tt;
      }
      t.name = "unlowered";
      env[op.results[k]] = g.add_tensor(std::move(t));
    }
    return ok_status();
  }

  Status refuse(const std::string& message, const mlir::Op& op, Graph& g, Env& env) {
    if (refusals_.size() < kMaxRefusals) refusals_.push_back(message);
    refused_ = &op;
    refusal_ = message;
    return placeholder(op, g, env);
  }

  Status lower_block(const mlir::Block& b, Graph& g, Env& env, std::vector<TensorId>* returned, int depth,
                     bool entry) {
    for (const mlir::Op& op : b.ops) {
      const std::string where = file_ + ":" + std::to_string(op.line) + ":" + std::to_string(op.col);
      if (op.name == "func.return" || op.name == "stablehlo.return") {
        returned->clear();
        for (const auto& v : op.operands) {
          ASSIGN_OR_RETURN(TensorId id, lookup(env, v, where));
          returned->push_back(id);
        }
        return ok_status();
      }
      if (op.name.rfind("check.", 0) == 0) {
        // Interpreter-test assertions: their value is an output, or dropped.
        if (entry && o_.check_outputs) {
          if (op.operands.empty()) return invalid_input(where + ": " + op.name + " checks no value");
          ASSIGN_OR_RETURN(TensorId id, lookup(env, op.operands[0], where));
          checked_.push_back(id);
        }
        continue;
      }
      if (entry && o_.check_outputs && o_.constants_as_inputs &&
          (op.name == "stablehlo.constant" || op.name == "arith.constant") && op.results.size() == 1 &&
          op.result_types.size() == 1) {
        auto t = tensor_of(op.result_types[0], "the value of " + op.name + " at " + where);
        if (!t.ok()) {
          RETURN_IF_ERROR(refuse(t.status().message(), op, g, env));
          continue;
        }
        t->name = op.results[0].substr(1);
        TensorId id = g.add_tensor(std::move(*t));
        g.inputs.push_back(id);
        env[op.results[0]] = id;
        continue;
      }
      if (op.name == "stablehlo.custom_call") {
        const mlir::Attr* target = op.attr("callee");
        if (!target) target = op.attr("call_target_name");
        if (target && target->s.rfind("check.", 0) == 0 && op.results.empty()) continue;  // test assertions
      }
      if (op.name == "func.call") {
        const mlir::Attr* callee = op.attr("callee");
        if (!callee) return invalid_input(where + ": func.call names no callee");
        if (entry && o_.testdata_inputs && (callee->s == "inputs" || callee->s == "expected")) {
          if (callee->s == "expected") continue;
          for (size_t k = 0; k < op.results.size(); ++k) {
            if (k >= op.result_types.size()) return invalid_input(where + ": call @inputs has untyped results");
            ASSIGN_OR_RETURN(Tensor t, tensor_of(op.result_types[k], "input " + std::to_string(k)));
            t.name = "args_" + std::to_string(g.inputs.size());
            TensorId id = g.add_tensor(std::move(t));
            g.inputs.push_back(id);
            env[op.results[k]] = id;
          }
          continue;
        }
        RETURN_IF_ERROR(inline_call(op, callee->s, g, env, depth, where));
        continue;
      }
      if (op.name == "stablehlo.composite") {
        const mlir::Attr* decomposition = op.attr("decomposition");
        if (!decomposition || decomposition->kind != mlir::Attr::kSymbol)
          return invalid_input(where + ": stablehlo.composite names no decomposition function");
        RETURN_IF_ERROR(inline_call(op, decomposition->s, g, env, depth, where));
        continue;
      }
      RETURN_IF_ERROR(lower_op(op, g, env, depth, where));
    }
    if (returned && b.ops.empty()) return ok_status();
    return ok_status();
  }

  Expected<TensorId> lookup(const Env& env, const std::string& v, const std::string& where) {
    auto it = env.find(v);
    if (it == env.end()) return invalid_input(where + ": the value " + v + " is used but never defined");
    return it->second;
  }

  Status inline_call(const mlir::Op& op, const std::string& name, Graph& g, Env& env, int depth,
                     const std::string& where) {
    const mlir::Func* f = m_.find(name);
    if (!f) return invalid_input(where + ": call of @" + name + ", which the module does not define");
    if (depth >= kMaxCallDepth) return invalid_input(where + ": calls nest more than 64 deep (a recursive call?)");
    if (f->body.args.size() != op.operands.size())
      return invalid_input(where + ": @" + name + " takes " + std::to_string(f->body.args.size()) + " arguments, the call passes " +
                           std::to_string(op.operands.size()));
    Env inner;
    for (size_t k = 0; k < op.operands.size(); ++k) {
      ASSIGN_OR_RETURN(TensorId id, lookup(env, op.operands[k], where));
      inner[f->body.args[k].first] = id;
    }
    std::vector<TensorId> returned;
    RETURN_IF_ERROR(lower_block(f->body, g, inner, &returned, depth + 1, false));
    if (returned.size() != op.results.size())
      return invalid_input(where + ": @" + name + " returns " + std::to_string(returned.size()) + " values, the call takes " +
                           std::to_string(op.results.size()));
    for (size_t k = 0; k < returned.size(); ++k) env[op.results[k]] = returned[k];
    return ok_status();
  }

  // lower_untraced, and the op's outcome into the trace (--analyze).
  Status lower_op(const mlir::Op& op, Graph& g, Env& env, int depth, const std::string& where) {
    const size_t ops_before = g.ops.size();
    refused_ = unchecked_ = nullptr;  // a called function's ops are lowered once per call
    Status s = lower_untraced(op, g, env, depth, where);
    if (!o_.trace) return s;
    NodeTrace t;
    t.node = (op.results.empty() ? "" : op.results[0] + " ") + "at " + std::to_string(op.line) + ":" + std::to_string(op.col);
    t.op = op.name;
    if (!s.ok()) {
      t.mapping = NodeMapping::kUnsupported;
      t.detail = s.message();
    } else if (refused_ == &op) {
      t.mapping = NodeMapping::kUnsupported;
      t.detail = refusal_;
    } else if (unchecked_ == &op) {
      t.mapping = NodeMapping::kUnchecked;
      t.detail = "has a lowering, not tried: an operand comes from an op that is not lowered";
    } else {
      for (size_t k = ops_before; k < g.ops.size(); ++k)
        if (!g.ops[k]->dead)
          t.builtins.push_back(g.ops[k]->code == OpCode::CUSTOM ? g.ops[k]->custom_code : op_name(g.ops[k]->code));
      if (t.builtins.empty()) t.detail = op.operands.empty() ? "a constant tensor" : "folded or forwarded";
    }
    o_.trace->nodes.push_back(std::move(t));
    return s;
  }

  Status lower_untraced(const mlir::Op& op, Graph& g, Env& env, int depth, const std::string& where) {
    if (op.result_types.size() != op.results.size())
      return invalid_input(where + ": " + op.name + " has " + std::to_string(op.results.size()) + " results but its type lists " +
                           std::to_string(op.result_types.size()) + "; fix the op's type");
    std::vector<TensorId> ins;
    for (const auto& v : op.operands) {
      ASSIGN_OR_RETURN(TensorId id, lookup(env, v, where));
      ins.push_back(id);
    }
    // An op without a lowering is listed even after an unlowered operand.
    const HloLowering* rec = find_hlo_lowering(op.name);
    if (!rec) return refuse("not supported yet: " + op.name + " at " + where, op, g, env);
    for (TensorId id : ins)
      if (g.t(id).name == "unlowered") {  // already reported
        unchecked_ = &op;
        return placeholder(op, g, env);
      }
    for (size_t k = 0; k < op.result_types.size(); ++k) {
      auto t = tensor_of(op.result_types[k], op.name + "'s result");
      if (!t.ok()) return refuse(t.status().message(), op, g, env);
    }
    std::string short_name = op.name.substr(op.name.find('.') + 1);
    std::string scope = short_name + "_" + std::to_string(op.line);
    std::vector<std::string> captured;  // filled when a region asks
    bool captures_known = false;
    auto compute_captures = [&]() {
      if (captures_known) return;
      captures_known = true;
      std::vector<std::string> names;
      std::set<std::string> defined, seen;
      for (const auto& r : op.regions) free_values(r, defined, names, seen);
      for (const auto& n : names) {
        auto it = env.find(n);
        if (it == env.end() || g.t(it->second).is_const()) continue;  // constants are cloned
        captured.push_back(n);
      }
    };
    HloContext ctx(
        g, scope, op, ins, file_, o_.fold_budget,
        [&](const RegionRequest& r) -> Expected<std::shared_ptr<Graph>> {
          compute_captures();
          return lower_region(op, r, captured, g, env, depth);
        },
        [&]() {
          compute_captures();
          std::vector<TensorId> ids;
          for (const auto& n : captured) ids.push_back(env.at(n));
          return ids;
        });
    ctx.set_lookup([&](const std::string& n) {
      auto it = env.find(n);
      return it == env.end() ? kNoTensor : it->second;
    });
    auto outs = (*rec)(ctx);
    if (!outs.ok()) {
      if (outs.status().kind() == ErrorKind::kUnsupported) return refuse(outs.status().message(), op, g, env);
      return outs.status();
    }
    if (outs->size() != op.results.size())
      return internal_error(where + ": " + op.name + " was lowered to " + std::to_string(outs->size()) + " values for " +
                            std::to_string(op.results.size()) + " results");
    for (size_t k = 0; k < outs->size(); ++k) {
      const Tensor& t = g.t((*outs)[k]);
      const mlir::Type& want = op.result_types[k];
      const DType wd = hlo_dtype(want.element);
      bool same = t.dtype == wd && (!want.ranked || t.unknown_rank || t.shape.size() == want.dims.size());
      for (size_t d = 0; same && want.ranked && !t.unknown_rank && d < want.dims.size(); ++d)
        same = want.dims[d] < 0 || t.shape[d] < 0 || want.dims[d] == t.shape[d];
      if (!same)
        return invalid_input(where + ": " + op.name + "'s operands give a " + dtype_name(t.dtype) + " " + shape_str(t.shape) +
                             " result but the text declares " + want.text + "; fix the type or the operands");
      env[op.results[k]] = (*outs)[k];
    }
    return ok_status();
  }

  Expected<std::shared_ptr<Graph>> lower_region(const mlir::Op& op, const RegionRequest& r,
                                                const std::vector<std::string>& captured, Graph& outer,
                                                const Env& outer_env, int depth) {
    const std::string where = file_ + ":" + std::to_string(op.line) + ":" + std::to_string(op.col);
    if (r.region < 0 || r.region >= static_cast<int>(op.regions.size()))
      return invalid_input(where + ": " + op.name + " needs region " + std::to_string(r.region) + ", it has " +
                           std::to_string(op.regions.size()));
    const mlir::Block& b = op.regions[r.region];
    if (b.args.size() != r.args.size())
      return invalid_input(where + ": region " + std::to_string(r.region) + " of " + op.name + " takes " +
                           std::to_string(b.args.size()) + " arguments, expected " + std::to_string(r.args.size()));
    auto g = std::make_shared<Graph>();
    g->role = SubgraphRole::kBody;
    g->name = op.name.substr(op.name.find('.') + 1) + "_" + std::to_string(op.line) + "_region" + std::to_string(r.region);
    Env env;
    for (size_t k = 0; k < b.args.size(); ++k) {
      Tensor t = r.args[k];
      t.data = nullptr;
      t.name = g->name + "/arg" + std::to_string(k);
      TensorId id = g->add_tensor(std::move(t));
      g->inputs.push_back(id);
      env[b.args[k].first] = id;
    }
    std::vector<TensorId> captured_ids;
    for (const auto& n : captured) {
      Tensor t = outer.t(outer_env.at(n));
      t.data = nullptr;
      t.name = g->name + "/captured_" + n.substr(1);
      TensorId id = g->add_tensor(std::move(t));
      g->inputs.push_back(id);
      captured_ids.push_back(id);
      env[n] = id;
    }
    // Constants of the enclosing scope the region reads are cloned.
    std::vector<std::string> names;
    std::set<std::string> defined, seen;
    free_values(b, defined, names, seen);
    for (const auto& n : names) {
      if (env.count(n)) continue;
      auto it = outer_env.find(n);
      if (it == outer_env.end()) continue;  // reported when used
      const Tensor& src = outer.t(it->second);
      if (!src.is_const()) continue;
      Tensor t = src;
      env[n] = g->add_tensor(std::move(t));
    }
    std::vector<TensorId> returned;
    RETURN_IF_ERROR(lower_block(b, *g, env, &returned, depth + 1, false));
    if (returned.empty() && !b.ops.empty()) return invalid_input(where + ": a region of " + op.name + " has no stablehlo.return");
    if (r.pass_captured) returned.insert(returned.end(), captured_ids.begin(), captured_ids.end());
    g->outputs = returned;
    return g;
  }

  const mlir::Module& m_;
  const StablehloImportOptions& o_;
  std::string file_;
  std::vector<std::string> refusals_;
  // For the trace: the op last refused (and why), or left unlowered because
  // an operand is.
  const mlir::Op* refused_ = nullptr;
  std::string refusal_;
  const mlir::Op* unchecked_ = nullptr;
  std::vector<TensorId> checked_;  // check_outputs: the checked values
};

}  // namespace

Expected<Model> import_stablehlo(const StablehloImportOptions& o) {
  std::string text = o.content;
  std::string what = o.path.empty() ? "the StableHLO text" : o.path;
  if (text.empty()) {
    ASSIGN_OR_RETURN(text, read_file_bytes(o.path, "StableHLO file"));
  }
  ASSIGN_OR_RETURN(mlir::Module m, mlir::parse_module(text, what));
  Importer imp(m, o, what);
  return imp.run();
}

// --- testdata ------------------------------------------------------------------

static Expected<std::vector<HloConstant>> constant_results(const mlir::Module& m, const std::string& name,
                                                           const std::string& what) {
  const mlir::Func* f = m.find(name);
  if (!f) return invalid_input(what + ": no @" + name + " function (not a StableHLO testdata file)");
  std::map<std::string, HloConstant> values;
  std::vector<HloConstant> out;
  for (const auto& op : f->body.ops) {
    const std::string where = what + ":" + std::to_string(op.line);
    if (op.name == "stablehlo.constant") {
      const mlir::Attr* v = op.attr("value");
      if (!v || op.results.size() != 1 || op.result_types.size() != 1) return invalid_input(where + ": a malformed constant");
      HloConstant c;
      c.dtype = hlo_dtype(op.result_types[0].element);
      if (c.dtype == DType::kInvalid) return unsupported("not supported yet: " + where + ": element type " + op.result_types[0].element);
      c.shape = op.result_types[0].dims;
      ASSIGN_OR_RETURN(c.bytes, dense_bytes(*v, op.result_types[0], where));
      values[op.results[0]] = std::move(c);
    } else if (op.name == "func.return") {
      for (const auto& r : op.operands) {
        auto it = values.find(r);
        if (it == values.end()) return unsupported("not supported yet: " + where + ": @" + name + " returns a value that is not a constant");
        out.push_back(it->second);
      }
    } else {
      return unsupported("not supported yet: " + where + ": @" + name + " computes its values (" + op.name + ")");
    }
  }
  return out;
}

Expected<HloTestdata> read_stablehlo_testdata(const std::string& text, const std::string& what) {
  ASSIGN_OR_RETURN(mlir::Module m, mlir::parse_module(text, what));
  HloTestdata t;
  ASSIGN_OR_RETURN(t.inputs, constant_results(m, "inputs", what));
  ASSIGN_OR_RETURN(t.expected, constant_results(m, "expected", what));
  const mlir::Func* main = m.find("main");
  if (!main) return invalid_input(what + ": no @main");
  for (const auto& op : main->body.ops) {
    if (op.name != "stablehlo.custom_call") continue;
    const mlir::Attr* target = op.attr("callee");
    if (!target) target = op.attr("call_target_name");
    if (!target || target->s.rfind("check.", 0) != 0) continue;
    t.check = target->s.substr(6);
    if (const mlir::Attr* tol = op.attr("tolerance")) t.tolerance = tol->kind == mlir::Attr::kFloat ? tol->f : static_cast<double>(tol->i);
    if (const mlir::Attr* ulp = op.attr("max_ulp_difference")) t.max_ulp = ulp->i;
  }
  if (t.check.empty()) return invalid_input(what + ": @main has no check.* call");
  return t;
}

static Status decode_constant(const mlir::Attr& value, const mlir::Type& type, const std::string& where, HloConstant& c) {
  c.dtype = hlo_dtype(type.element);
  if (c.dtype == DType::kInvalid) return unsupported("not supported yet: " + where + ": element type " + type.element);
  c.shape = type.dims;
  ASSIGN_OR_RETURN(c.bytes, dense_bytes(value, type, where));
  return ok_status();
}

Expected<std::vector<HloInterpretTest>> read_stablehlo_interpret_tests(const std::string& text, const std::string& what) {
  ASSIGN_OR_RETURN(mlir::Module m, mlir::parse_module(text, what));
  std::vector<HloInterpretTest> tests;
  for (const auto& f : m.funcs) {
    if (!f.body.args.empty()) continue;  // a helper the tests call
    HloInterpretTest t;
    t.func = f.name;
    auto note = [&](const Status& s) {
      if (!s.ok() && t.unreadable.empty()) t.unreadable = s.message();
    };
    for (const auto& op : f.body.ops) {
      const std::string where = what + ":" + std::to_string(op.line) + ":" + std::to_string(op.col);
      if ((op.name == "stablehlo.constant" || op.name == "arith.constant") && op.results.size() == 1 &&
          op.result_types.size() == 1) {
        const mlir::Attr* v = op.attr("value");
        if (!v) return invalid_input(where + ": a constant without a value");
        HloConstant c;
        note(decode_constant(*v, op.result_types[0], op.name + " at " + where, c));
        t.constant_names.push_back(op.results[0]);
        t.constants.push_back(std::move(c));
        continue;
      }
      if (op.name.rfind("check.", 0) != 0) continue;
      HloCheck c;
      c.kind = op.name.substr(6);
      if (c.kind != "expect_eq_const" && c.kind != "expect_almost_eq_const") {
        note(unsupported("not supported yet: " + where + ": " + op.name + " (only expect_eq_const and expect_almost_eq_const)"));
        continue;
      }
      c.kind.resize(c.kind.size() - 6);  // drop "_const"
      const mlir::Attr* v = op.attr("value");
      if (op.operands.size() != 1 || !v || op.operand_types.size() != 1)
        return invalid_input(where + ": " + op.name + " needs one value and a dense<...> : type");
      c.value = op.operands[0];
      if (const mlir::Attr* tol = op.attr("tolerance"))
        c.tolerance = tol->kind == mlir::Attr::kFloat ? tol->f : static_cast<double>(tol->i);
      note(decode_constant(*v, op.operand_types[0], op.name + " at " + where, c.expected));
      t.checks.push_back(std::move(c));
    }
    if (!t.checks.empty()) tests.push_back(std::move(t));
  }
  return tests;
}

}  // namespace tflc
