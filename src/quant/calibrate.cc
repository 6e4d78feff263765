// Calibration: runs the float model over the representative dataset on the
// ops' reference kernels (OpSchema::eval, the ones constant folding uses) and
// records each float tensor's min/max, inside IF/WHILE bodies too. Flex and
// custom ops run only in the runtime: they and every op computed from their
// outputs are skipped, and those tensors get no range at all (a range from
// some samples or some loop iterations only would be a wrong one).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <set>
#include <unordered_map>
#include <utility>

#include "ops/interpreter.h"
#include "ops/op_util.h"
#include "ops/registry.h"
#include "quant/stages.h"

namespace tflc {

namespace {

struct Feed {
  TensorId tensor;
  size_t array;                // index in the sample
  std::vector<int64_t> shape;  // of one sample as the input takes it
  bool from_f64;
};

bool dims_match(const std::vector<int64_t>& want, const std::vector<int64_t>& got, size_t want_from) {
  if (want.size() - want_from != got.size()) return false;
  for (size_t i = 0; i < got.size(); ++i)
    if (want[want_from + i] >= 0 && want[want_from + i] != got[i]) return false;
  return true;
}

// Pairs a sample's arrays with the inputs: by name when any array is named
// after an input, otherwise by position (arr_0, arr_1... or sorted file order).
Expected<std::vector<Feed>> map_inputs(const Graph& g, const std::vector<std::pair<std::string, TensorId>>& inputs,
                                       const std::vector<SampleArray>& sample, const SampleSource& src) {
  auto names_of = [&](size_t i) {
    std::vector<std::string> n = {inputs[i].first};
    std::string tn = g.t(inputs[i].second).name;
    n.push_back(tn);
    if (tn.size() > 2 && tn.compare(tn.size() - 2, 2, ":0") == 0) n.push_back(tn.substr(0, tn.size() - 2));
    return n;
  };
  auto find_key = [&](size_t i) -> int {
    for (const std::string& n : names_of(i))
      for (size_t k = 0; k < sample.size(); ++k)
        if (!sample[k].key.empty() && sample[k].key == n) return static_cast<int>(k);
    return -1;
  };
  bool any_named = false;
  for (size_t i = 0; i < inputs.size(); ++i) any_named |= find_key(i) >= 0;
  std::string input_list, key_list;
  for (const auto& in : inputs) input_list += (input_list.empty() ? "'" : ", '") + in.first + "'";
  for (size_t k = 0; k < sample.size(); ++k)
    key_list += (key_list.empty() ? "" : ", ") + (sample[k].key.empty() ? "#" + std::to_string(k) : "'" + sample[k].key + "'");

  std::vector<Feed> feeds;
  for (size_t i = 0; i < inputs.size(); ++i) {
    int k = any_named ? find_key(i) : static_cast<int>(i);
    if (any_named && k < 0)
      return invalid_input(src.subject() + " has no array for model input '" + inputs[i].first +
                           "' (arrays: " + key_list + "; inputs: " + input_list + ")");
    if (k >= static_cast<int>(sample.size()))
      return invalid_input("the model has " + std::to_string(inputs.size()) + " inputs (" + input_list + ") but " +
                           src.subject() + " has " + std::to_string(sample.size()) +
                           " arrays (" + key_list + "); name the arrays after the inputs or give one per input");
    const SampleArray& a = sample[static_cast<size_t>(k)];
    const Tensor& t = g.t(inputs[i].second);
    const std::string who = src.label(static_cast<size_t>(k), a) + " for input '" + inputs[i].first + "'";
    bool from_f64 = a.dtype == DType::kFloat64 && t.dtype == DType::kFloat32;
    if (a.dtype != t.dtype && !from_f64)
      return invalid_input(who + ": the array is " + dtype_name(a.dtype) + ", the input is " + dtype_name(t.dtype));
    Feed f{inputs[i].second, static_cast<size_t>(k), a.shape, from_f64};
    if (t.unknown_rank || dims_match(t.shape, a.shape, 0)) {
      // taken as is
    } else if (!t.shape.empty() && (t.shape[0] == 1 || t.shape[0] == -1) && dims_match(t.shape, a.shape, 1)) {
      f.shape.insert(f.shape.begin(), 1);  // samples without the batch dimension
    } else {
      return invalid_input(who + ": samples have shape " + shape_str(a.shape) + src.shape_note(static_cast<size_t>(k)) +
                           ", the input has shape " + shape_str(t.shape) + " (-1 = any size)");
    }
    int64_t n = 1;
    for (int64_t d : a.shape) n *= d;
    if (dtype_size(a.dtype) <= 0 || a.bytes.size() != static_cast<size_t>(n) * static_cast<size_t>(dtype_size(a.dtype)))
      return invalid_input(who + ": " + std::to_string(a.bytes.size()) + " bytes do not hold shape " +
                           shape_str(a.shape) + " of " + dtype_name(a.dtype));
    feeds.push_back(std::move(f));
  }
  return feeds;
}

struct Range {
  float lo = std::numeric_limits<float>::infinity();
  float hi = -std::numeric_limits<float>::infinity();
  bool seen = false;
};

void record(const Tensor& t, Range& r) {
  if (t.dtype != DType::kFloat32 || !t.data) return;
  const float* v = t.as<float>();
  size_t n = t.data->size() / sizeof(float);
  float lo = r.lo, hi = r.hi;
  bool seen = false;
  for (size_t i = 0; i < n; ++i) {
    float x = v[i];
    if (!std::isfinite(x)) continue;  // NaN/inf would make the range useless
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    seen = true;
  }
  r.lo = lo;
  r.hi = hi;
  r.seen |= seen;
}

// The ops skipped because they are CUSTOM or depend on one (each op once,
// over all samples, iterations and subgraphs).
struct Skipped {
  std::set<const Op*> ops;
  std::set<std::string> runtime_only;  // custom codes
  void add(const Op& op) {
    ops.insert(&op);
    if (runs_only_in_runtime(op)) runtime_only.insert(op.custom_code);
  }
};

// Ranges of the tensors inside called subgraphs, by subgraph: a body shared
// by several IF/WHILE ops accumulates every call, iteration and branch.
class BodyRanges : public SubgraphValueObserver {
 public:
  explicit BodyRanges(Skipped& skipped) : skipped_(skipped) {}
  void seen(const Graph& g, TensorId id, const Tensor& value) override {
    std::vector<Range>& r = ranges_[&g];
    if (r.size() < g.tensors.size()) r.resize(g.tensors.size());
    if (id >= 0 && static_cast<size_t>(id) < r.size()) record(value, r[static_cast<size_t>(id)]);
  }
  bool skips_custom_ops() const override { return true; }
  void skipped(const Graph&, const Op& op) override { skipped_.add(op); }
  void cut(const Graph&) override { cut_ = true; }
  // True once per body run that stopped at an output computed from a CUSTOM op.
  bool take_cut() { return std::exchange(cut_, false); }
  const std::vector<Range>* of(const Graph& g) const {
    auto it = ranges_.find(&g);
    return it == ranges_.end() ? nullptr : &it->second;
  }

 private:
  Skipped& skipped_;
  bool cut_ = false;
  std::unordered_map<const Graph*, std::vector<Range>> ranges_;
};

// `g` and every subgraph it calls, transitively.
void add_with_callees(const Graph* g, std::set<const Graph*>& out) {
  if (!out.insert(g).second) return;
  for (const auto& op : g->ops)
    for (const auto& c : op->callees) add_with_callees(c.get(), out);
}

// Stores the recorded ranges as tensor.quant->min/max; tensors in
// `no_range` (without a value in some sample) get none.
void apply_ranges(Graph& g, const std::vector<Range>& ranges, const std::vector<bool>& no_range = {}) {
  for (size_t i = 0; i < g.tensors.size() && i < ranges.size(); ++i) {
    Tensor& t = g.tensors[i];
    const Range& r = ranges[i];
    if (!r.seen || t.is_const() || t.dtype != DType::kFloat32) continue;
    if (i < no_range.size() && no_range[i]) continue;
    // A range recorded by FakeQuant (QAT) or given by --mean_values wins.
    if (t.quant && (!t.quant->min.empty() || !t.quant->scale.empty())) continue;
    auto q = std::make_shared<QuantParams>();
    q->min = {r.lo};
    q->max = {r.hi};
    t.quant = std::move(q);
  }
}

class Progress {
 public:
  Progress(bool on, int64_t total) : on_(on), total_(total) {}
  void update(int64_t done) {
    if (!on_ || total_ <= 0) return;
    if (done != total_ && done % std::max<int64_t>(1, total_ / 200) != 0) return;  // at most ~200 redraws
    constexpr int kWidth = 30;
    int filled = static_cast<int>(done * kWidth / total_);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(kWidth - filled), '.');
    std::fprintf(stderr, "\r[%s] %lld/%lld", bar.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total_));
    if (done == total_) std::fputc('\n', stderr);
    std::fflush(stderr);
    open_ = done != total_;
  }
  // Ends the line when an error stops the bar midway.
  ~Progress() {
    if (open_) std::fputc('\n', stderr);
  }

 private:
  bool on_;
  int64_t total_;
  bool open_ = false;  // a bar is on the line without its newline
};

// Runs one subgraph over every sample; ranges are indexed by tensor id.
// CUSTOM ops and the ops computed from their outputs (also an IF/WHILE whose
// body output is) are skipped: their outputs are marked in `no_range`, the
// subgraphs such an IF/WHILE calls are added to `dropped`.
Status run_samples(const Graph& g, const std::vector<std::pair<std::string, TensorId>>& inputs, SampleSource& src,
                   std::vector<Range>& ranges, std::vector<bool>& no_range, BodyRanges& bodies, Skipped& skipped,
                   std::set<const Graph*>& dropped, Progress& progress, int64_t& done) {
  Graph s = scratch_copy(g);
  std::vector<const Op*> originals;  // g's live ops, in the scratch copy's order
  for (const auto& op : g.ops)
    if (!op->dead) originals.push_back(op.get());
  std::vector<bool> inferred(s.ops.size(), false);  // an op skipped so far has not had its shapes inferred
  std::vector<bool> no_value(s.tensors.size());
  std::vector<TensorId> variables;
  for (size_t i = 0; i < s.tensors.size(); ++i)
    if (s.tensors[i].is_variable && !s.tensors[i].data && s.tensors[i].has_static_shape())
      variables.push_back(static_cast<TensorId>(i));
  RETURN_IF_ERROR(src.rewind());
  std::vector<SampleArray> sample;
  std::vector<float> cast;
  for (int64_t n = 0;; ++n) {
    ASSIGN_OR_RETURN(bool more, src.next(sample));
    if (!more) {
      if (n == 0) return invalid_input(src.subject() + " yielded no samples; calibration needs at least one");
      break;
    }
    // Mapped again for every sample: a generator may change what it yields.
    ASSIGN_OR_RETURN(std::vector<Feed> feeds, map_inputs(g, inputs, sample, src));
    bool reinfer = n == 0;  // shapes follow the first sample's; the kernels read output shapes
    for (const Feed& f : feeds) {
      Tensor& t = s.t(f.tensor);
      const SampleArray& a = sample[f.array];
      if (f.from_f64) {
        size_t count = a.bytes.size() / sizeof(double);
        cast.resize(count);
        for (size_t i = 0; i < count; ++i) {
          double d;
          std::memcpy(&d, a.bytes.data() + i * sizeof(double), sizeof(double));
          cast[i] = static_cast<float>(d);
        }
        t.data = make_buffer(std::string(reinterpret_cast<const char*>(cast.data()), count * sizeof(float)));
      } else {
        t.data = make_buffer(std::string(a.bytes));
      }
      if (t.shape != f.shape || t.unknown_rank) {
        t.shape = f.shape;
        t.unknown_rank = false;
        reinfer = true;
      }
      record(t, ranges[static_cast<size_t>(f.tensor)]);
    }
    // Variable tensors (RNN state) start from zeros on every sample.
    for (TensorId v : variables) {
      Tensor& t = s.t(v);
      t.data = make_buffer(std::string(static_cast<size_t>(t.num_elements() * dtype_size(t.dtype)), '\0'));
    }
    no_value.assign(s.tensors.size(), false);
    for (size_t k = 0; k < s.ops.size(); ++k) {
      Op& op = *s.ops[k];
      bool skip = runs_only_in_runtime(op);
      for (TensorId i : op.inputs) skip |= i >= 0 && no_value[static_cast<size_t>(i)];
      if (!skip) {
        bodies.take_cut();
        Status st = run_op(s, op, reinfer || !inferred[k], "calibrating");
        inferred[k] = true;
        if (!st.ok()) {
          if (!bodies.take_cut()) return st;
          skip = true;  // a body output depends on a CUSTOM op: its ranges are dropped
          for (const auto& c : op.callees) add_with_callees(c.get(), dropped);
        }
      }
      if (skip) {
        skipped.add(*originals[k]);
        for (TensorId o : op.outputs) {
          if (o < 0) continue;
          no_value[static_cast<size_t>(o)] = no_range[static_cast<size_t>(o)] = true;
          s.t(o).data.reset();
        }
        continue;
      }
      for (TensorId o : op.outputs) record(s.t(o), ranges[static_cast<size_t>(o)]);
    }
    progress.update(++done);
  }
  return ok_status();
}

}  // namespace

// An in-memory dataset read as samples: slices along axis 0.
class DatasetSource : public SampleSource {
 public:
  explicit DatasetSource(const Dataset& d) : d_(d) {}
  Status rewind() override {
    next_ = 0;
    return ok_status();
  }
  Expected<bool> next(std::vector<SampleArray>& sample) override {
    if (next_ >= d_.num_samples) return false;
    sample.resize(d_.arrays.size());
    for (size_t i = 0; i < d_.arrays.size(); ++i) {
      const NdArray& a = d_.arrays[i];
      SampleArray& s = sample[i];
      s.key = d_.keys[i];
      s.dtype = a.dtype;
      s.shape.assign(a.shape.begin() + 1, a.shape.end());
      size_t bytes = a.bytes.size() / static_cast<size_t>(d_.num_samples);
      s.bytes = std::string_view(a.bytes).substr(static_cast<size_t>(next_) * bytes, bytes);
    }
    ++next_;
    return true;
  }
  std::optional<int64_t> size() const override { return d_.num_samples; }
  std::string subject() const override { return "the representative dataset"; }
  std::string label(size_t i, const SampleArray& a) const override {
    return "representative dataset array '" + a.key + "'";
  }
  std::string shape_note(size_t i) const override { return " (array shape " + shape_str(d_.arrays[i].shape) + ")"; }

 private:
  const Dataset& d_;
  int64_t next_ = 0;
};

Status calibrate(Model& m, const Dataset& data, const CalibrateOptions& o) {
  if (data.num_samples <= 0) return invalid_input("the representative dataset holds zero samples");
  for (size_t i = 0; i < data.arrays.size(); ++i) {
    const NdArray& a = data.arrays[i];
    int64_t n = 1;
    for (int64_t d : a.shape) n *= d;
    if (a.shape.empty() || a.shape[0] != data.num_samples || i >= data.keys.size() ||
        static_cast<int64_t>(a.bytes.size()) != n * dtype_size(a.dtype))
      return internal_error("dataset array '" + (i < data.keys.size() ? data.keys[i] : "?") +
                            "' does not match its shape");
  }
  DatasetSource src(data);
  return calibrate(m, src, o);
}

Status calibrate(Model& m, SampleSource& src, const CalibrateOptions& o) {
  // One run per signature; a model without signatures runs subgraph 0.
  struct Run {
    int subgraph;
    std::vector<std::pair<std::string, TensorId>> inputs;
  };
  std::vector<Run> runs;
  for (const SignatureDef& sig : m.signatures) runs.push_back({sig.subgraph, sig.inputs});
  if (runs.empty() && !m.subgraphs.empty()) {
    Run r{0, {}};
    for (TensorId id : m.subgraphs[0].inputs) r.inputs.push_back({m.subgraphs[0].t(id).name, id});
    runs.push_back(std::move(r));
  }

  for (const Run& r : runs)
    if (r.subgraph < 0 || r.subgraph >= static_cast<int>(m.subgraphs.size()))
      return internal_error("signature names subgraph " + std::to_string(r.subgraph) + ", which does not exist");

  std::vector<std::vector<Range>> ranges(m.subgraphs.size());
  std::vector<std::vector<bool>> no_range(m.subgraphs.size());
  for (size_t i = 0; i < m.subgraphs.size(); ++i) {
    ranges[i].resize(m.subgraphs[i].tensors.size());
    no_range[i].resize(m.subgraphs[i].tensors.size());
  }
  Progress progress(o.show_progress && src.size().has_value(), src.size().value_or(0) * static_cast<int64_t>(runs.size()));
  int64_t done = 0;
  Skipped skipped;
  std::set<const Graph*> dropped;  // bodies that stopped at a CUSTOM op's value: no ranges at all
  BodyRanges bodies(skipped);      // IF/WHILE bodies run through run_subgraph, which reports here
  ScopedSubgraphObserver observe(&bodies);
  for (size_t r = 0; r < runs.size(); ++r) {
    size_t sg = static_cast<size_t>(runs[r].subgraph);
    RETURN_IF_ERROR(run_samples(m.subgraphs[sg], runs[r].inputs, src, ranges[sg], no_range[sg], bodies, skipped,
                                dropped, progress, done));
  }

  for (size_t sg = 0; sg < m.subgraphs.size(); ++sg) apply_ranges(m.subgraphs[sg], ranges[sg], no_range[sg]);
  ASSIGN_OR_RETURN(std::vector<Graph*> graphs, m.all_subgraphs());
  for (Graph* g : graphs)
    if (const std::vector<Range>* r = bodies.of(*g); r && !dropped.count(g)) apply_ranges(*g, *r);

  if (o.report) {
    // The float ops left without ranges: the skipped ones and every op of a
    // dropped body (CUSTOM ops themselves are named apart).
    std::set<const Op*> left = skipped.ops;
    for (const Graph* g : dropped)
      for (const auto& op : g->ops)
        if (!op->dead) left.insert(op.get());
    std::set<std::string> names;
    int64_t count = 0;
    for (const Graph* g : graphs)
      for (const auto& op : g->ops) {
        if (op->dead || runs_only_in_runtime(*op) || !left.count(op.get())) continue;
        bool touches_float = false;
        for (TensorId t : op->inputs) touches_float |= t >= 0 && g->t(t).dtype == DType::kFloat32;
        for (TensorId t : op->outputs) touches_float |= t >= 0 && g->t(t).dtype == DType::kFloat32;
        if (!touches_float) continue;
        ++count;
        names.insert(op_name(op->code));
      }
    for (const Graph* g : dropped)
      for (const auto& op : g->ops)
        if (!op->dead && runs_only_in_runtime(*op)) skipped.runtime_only.insert(op->custom_code);
    o.report->runtime_only_ops.assign(skipped.runtime_only.begin(), skipped.runtime_only.end());
    o.report->dependent_ops.assign(names.begin(), names.end());
    o.report->dependent_count = count;
  }
  return ok_status();
}

}  // namespace tflc
