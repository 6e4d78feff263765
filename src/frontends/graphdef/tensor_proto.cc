#include "frontends/graphdef/tensor_proto.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "frontends/graphdef/tf_op_registry.h"
#include "support/budget.h"
#include "tensorflow/core/framework/types.pb.h"

namespace tflc {
namespace {

// Fills n elements of T from a repeated field, repeating the last value.
template <typename T, typename Field>
Status fill_from(const Field& vals, int64_t n, std::string* out, const char* field) {
  if (static_cast<int64_t>(vals.size()) > n) return invalid_input(std::string("tensor has more ") + field + " values than its shape holds");
  if (n > 0 && vals.empty()) {
    out->assign(static_cast<size_t>(n) * sizeof(T), '\0');
    return ok_status();
  }
  out->resize(static_cast<size_t>(n) * sizeof(T));
  T* dst = reinterpret_cast<T*>(out->data());
  int64_t last = static_cast<int64_t>(vals.size()) - 1;
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<T>(vals[static_cast<int>(std::min(i, last))]);
  return ok_status();
}

uint16_t half_bits(int32_t v) { return static_cast<uint16_t>(v & 0xffff); }

// A .tflite FlatBuffer holds at most 2 GB, so a constant that would expand
// past that (a splat: one value repeated over a declared shape) can never be
// written: it is refused before any allocation, whatever the machine has.
constexpr int64_t kMaxConstantBytes = int64_t{2} << 30;

std::string shape_text(const std::vector<int64_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

Status too_big(DType t, const std::vector<int64_t>& shape, int64_t bytes, int values) {
  return invalid_input(dtype_name(t) + " constant of shape " + shape_text(shape) + " declares " + std::to_string(bytes) +
                       " bytes from " + std::to_string(values) + " stored value" + (values == 1 ? "" : "s") +
                       ", more than the 2 GB a .tflite file can hold; the graph is damaged, or re-export it with "
                       "that tensor as an input or a smaller shape");
}

int stored_values(const tensorflow::TensorProto& p) {
  return p.float_val_size() + p.double_val_size() + p.int_val_size() + p.int64_val_size() + p.uint32_val_size() +
         p.uint64_val_size() + p.bool_val_size() + p.half_val_size() + p.string_val_size();
}

}  // namespace

Expected<std::vector<int64_t>> shape_from_proto(const tensorflow::TensorShapeProto& shape, bool* unknown_rank) {
  if (unknown_rank) *unknown_rank = shape.unknown_rank();
  std::vector<int64_t> dims;
  for (const auto& d : shape.dim()) {
    if (d.size() < -1) return invalid_input("shape has a negative dimension " + std::to_string(d.size()));
    dims.push_back(d.size());
  }
  return dims;
}

Expected<ConstValue> const_from_tensor_proto(tensorflow::TensorProto& proto) {
  ConstValue v;
  v.dtype = dtype_from_tf(proto.dtype());
  if (v.dtype == DType::kInvalid || v.dtype == DType::kResource || v.dtype == DType::kVariant)
    return unsupported("not supported yet: constant of type " + tensorflow::DataType_Name(proto.dtype()));
  bool unknown_rank = false;
  ASSIGN_OR_RETURN(v.shape, shape_from_proto(proto.tensor_shape(), &unknown_rank));
  if (unknown_rank) return invalid_input("constant has an unknown rank");
  int64_t n = 1;
  for (int64_t d : v.shape) {
    if (d < 0) return invalid_input("constant has an unknown dimension");
    if (d > 0 && n > std::numeric_limits<int64_t>::max() / d) return invalid_input("constant is too large");
    n *= d;
  }
  if (v.dtype == DType::kString) {
    // TFLite's string buffer: count, offsets, then bytes.
    int64_t count = proto.string_val_size();
    if (n > kMaxConstantBytes / 4) return too_big(v.dtype, v.shape, n > INT64_MAX / 4 ? INT64_MAX : 4 * n, count);
    if (count != n && !(count == 1 && n >= 1))
      return invalid_input("string constant has " + std::to_string(count) + " values for " + std::to_string(n) + " elements");
    uint64_t text = 0;
    for (int64_t i = 0; i < count; ++i) text += proto.string_val(static_cast<int>(i)).size();
    // n <= 2^29 and a proto holds < 2^31 bytes: no overflow below.
    if (4 * n + static_cast<int64_t>(count == 1 ? text * n : text) > kMaxConstantBytes)
      return too_big(v.dtype, v.shape, 4 * n + static_cast<int64_t>(count == 1 ? text * n : text), static_cast<int>(count));
    RETURN_IF_ERROR(check_memory_budget("string constant of shape " + shape_text(v.shape),
                                        static_cast<uint64_t>(4 * n) + (count == 1 ? text * n : text)));
    std::vector<std::string> strs;
    for (int64_t i = 0; i < n; ++i) strs.push_back(proto.string_val(std::min<int64_t>(i, count - 1)));
    int64_t header = 4 * (n + 2);
    std::string out(header, '\0');
    auto put = [&](int64_t at, int64_t val) {
      int32_t x = static_cast<int32_t>(val);
      std::memcpy(out.data() + at, &x, 4);
    };
    put(0, n);
    int64_t off = header;
    for (int64_t i = 0; i < n; ++i) {
      put(4 * (i + 1), off);
      off += strs[i].size();
    }
    put(4 * (n + 1), off);
    for (auto& s : strs) out += s;
    v.bytes = std::move(out);
    return v;
  }
  int esize = dtype_size(v.dtype);
  if (esize == 0) return unsupported("not supported yet: constant of type " + dtype_name(v.dtype));
  if (n > kMaxConstantBytes / esize)
    return too_big(v.dtype, v.shape, n > INT64_MAX / esize ? INT64_MAX : n * esize, stored_values(proto));
  if (!proto.tensor_content().empty()) {
    if (static_cast<int64_t>(proto.tensor_content().size()) != n * esize)
      return invalid_input("constant has " + std::to_string(proto.tensor_content().size()) + " content bytes, expected " +
                           std::to_string(n * esize));
    v.bytes = std::move(*proto.mutable_tensor_content());
    return v;
  }
  // Values repeated over the declared shape (a splat) are expanded here.
  RETURN_IF_ERROR(check_memory_budget(dtype_name(v.dtype) + " constant of shape " + shape_text(v.shape),
                                      static_cast<uint64_t>(n * esize)));
  Status st;
  switch (v.dtype) {
    case DType::kFloat32: st = fill_from<float>(proto.float_val(), n, &v.bytes, "float_val"); break;
    case DType::kFloat64: st = fill_from<double>(proto.double_val(), n, &v.bytes, "double_val"); break;
    case DType::kInt32: st = fill_from<int32_t>(proto.int_val(), n, &v.bytes, "int_val"); break;
    case DType::kInt16: st = fill_from<int16_t>(proto.int_val(), n, &v.bytes, "int_val"); break;
    case DType::kInt8: st = fill_from<int8_t>(proto.int_val(), n, &v.bytes, "int_val"); break;
    case DType::kUInt8: st = fill_from<uint8_t>(proto.int_val(), n, &v.bytes, "int_val"); break;
    case DType::kUInt16: st = fill_from<uint16_t>(proto.int_val(), n, &v.bytes, "int_val"); break;
    case DType::kInt64: st = fill_from<int64_t>(proto.int64_val(), n, &v.bytes, "int64_val"); break;
    case DType::kUInt32: st = fill_from<uint32_t>(proto.uint32_val(), n, &v.bytes, "uint32_val"); break;
    case DType::kUInt64: st = fill_from<uint64_t>(proto.uint64_val(), n, &v.bytes, "uint64_val"); break;
    case DType::kBool: st = fill_from<uint8_t>(proto.bool_val(), n, &v.bytes, "bool_val"); break;
    case DType::kFloat16:
    case DType::kBFloat16: {
      std::vector<uint16_t> bits;
      for (int32_t h : proto.half_val()) bits.push_back(half_bits(h));
      st = fill_from<uint16_t>(bits, n, &v.bytes, "half_val");
      break;
    }
    default: return unsupported("not supported yet: constant of type " + dtype_name(v.dtype));
  }
  if (!st.ok()) return st;
  return v;
}

}  // namespace tflc
