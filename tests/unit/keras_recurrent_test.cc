// Keras sequence layers (SimpleRNN, GRU, LSTM, Bidirectional, Embedding,
// TimeDistributed): tiny layers built here are lowered on a constant input,
// so the unroll folds to a constant, which is checked against a plain loop
// written from the Keras formulas. A non-constant input checks the graph
// (dynamic batch, shapes).
#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <random>

#include "frontends/keras/layer_registry.h"
#include "ops/op_util.h"

namespace tflc {
namespace {

using json = nlohmann::json;
using Vec = std::vector<float>;

Vec random_floats(size_t n, uint32_t seed, float scale = 0.5f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-scale, scale);
  Vec v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

KerasArray arr(std::vector<int64_t> shape, const Vec& v) {
  KerasArray a;
  a.name = "w";
  a.dtype = DType::kFloat32;
  a.shape = std::move(shape);
  a.bytes = to_bytes(v);
  return a;
}

// Lowers one layer call; returns the output tensors.
std::vector<TensorId> lower(Graph& g, const std::string& cls, const json& cfg, const std::vector<KerasArray>& w,
                            std::vector<TensorId> ins, Status* st = nullptr) {
  KerasLowerFn fn = find_keras_layer(cls);
  EXPECT_NE(fn, nullptr) << cls;
  KerasLayerContext ctx(g, "layer", cls, cfg, w, std::move(ins), 1 << 24);
  auto r = fn(ctx);
  if (st) *st = r.ok() ? ok_status() : r.status();
  if (!r.ok()) {
    if (!st) ADD_FAILURE() << r.status().message();
    return {};
  }
  return *r;
}

Vec values(const Graph& g, TensorId id) {
  const Tensor& t = g.t(id);
  EXPECT_TRUE(t.is_const()) << t.name;
  if (!t.is_const()) return {};
  return Vec(t.as<float>(), t.as<float>() + t.num_elements());
}

void expect_near(const Vec& got, const Vec& want, float tol = 1e-5f) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "at " << i;
}

float sigm(float x) { return 1.f / (1.f + std::exp(-x)); }
float hsig(float x) { return std::min(1.f, std::max(0.f, 0.2f * x + 0.5f)); }
float hsig3(float x) { return std::min(6.f, std::max(0.f, x + 3.f)) / 6.f; }  // Keras 3

// x[B][T][I] · k[I][N] + b -> per (b, t) rows of N.
Vec affine(const Vec& x, int rows, int in, const Vec& k, int n, const Vec* b) {
  Vec y(static_cast<size_t>(rows) * n, 0.f);
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < n; ++j) {
      float s = b ? (*b)[j] : 0.f;
      for (int i = 0; i < in; ++i) s += x[r * in + i] * k[i * n + j];
      y[r * n + j] = s;
    }
  return y;
}

struct Dims {
  int B = 2, T = 4, I = 3, U = 5;
};

// Reference Keras cells over x [B,T,I]; returns all step outputs [B,T,U] in
// processing order, and the last h (and c).
struct Ref {
  Vec seq, h, c;
};

Ref ref_rnn(const std::string& cls, const Dims& d, const Vec& x, const Vec& k, const Vec& r, const Vec& b,
            bool reset_after, bool backwards, bool hard, bool keras3 = false) {
  const int G = cls == "LSTM" ? 4 : cls == "GRU" ? 3 : 1, U = d.U;
  auto ract = [&](float v) { return hard ? (keras3 ? hsig3(v) : hsig(v)) : sigm(v); };
  Ref out;
  out.seq.assign(static_cast<size_t>(d.B) * d.T * U, 0.f);
  out.h.assign(static_cast<size_t>(d.B) * U, 0.f);
  out.c.assign(static_cast<size_t>(d.B) * U, 0.f);
  for (int bi = 0; bi < d.B; ++bi) {
    Vec h(U, 0.f), c(U, 0.f);
    for (int s = 0; s < d.T; ++s) {
      int t = backwards ? d.T - 1 - s : s;
      Vec xt(x.begin() + (bi * d.T + t) * d.I, x.begin() + (bi * d.T + t + 1) * d.I);
      Vec bin(b.begin(), b.begin() + G * U);
      Vec xp = affine(xt, 1, d.I, k, G * U, &bin);
      Vec hn(U);
      if (cls == "SimpleRNN") {
        Vec hp = affine(h, 1, U, r, U, nullptr);
        for (int j = 0; j < U; ++j) hn[j] = std::tanh(xp[j] + hp[j]);
      } else if (cls == "LSTM") {
        Vec hp = affine(h, 1, U, r, 4 * U, nullptr);
        for (int j = 0; j < U; ++j) {
          float i = ract(xp[j] + hp[j]), f = ract(xp[U + j] + hp[U + j]);
          float g = std::tanh(xp[2 * U + j] + hp[2 * U + j]), o = ract(xp[3 * U + j] + hp[3 * U + j]);
          c[j] = f * c[j] + i * g;
          hn[j] = o * std::tanh(c[j]);
        }
      } else if (reset_after) {
        Vec rb(b.begin() + 3 * U, b.end());
        Vec hp = affine(h, 1, U, r, 3 * U, &rb);
        for (int j = 0; j < U; ++j) {
          float z = ract(xp[j] + hp[j]), rr = ract(xp[U + j] + hp[U + j]);
          float hh = std::tanh(xp[2 * U + j] + rr * hp[2 * U + j]);
          hn[j] = z * h[j] + (1 - z) * hh;
        }
      } else {
        Vec hp = affine(h, 1, U, r, 3 * U, nullptr);
        Vec rh(U);
        Vec z(U);
        for (int j = 0; j < U; ++j) {
          z[j] = ract(xp[j] + hp[j]);
          rh[j] = ract(xp[U + j] + hp[U + j]) * h[j];
        }
        // (r ⊙ h) · U_h: the last U columns of the recurrent kernel.
        for (int j = 0; j < U; ++j) {
          float s2 = 0;
          for (int i = 0; i < U; ++i) s2 += rh[i] * r[i * 3 * U + 2 * U + j];
          float hh = std::tanh(xp[2 * U + j] + s2);
          hn[j] = z[j] * h[j] + (1 - z[j]) * hh;
        }
      }
      h = hn;
      std::copy(h.begin(), h.end(), out.seq.begin() + (bi * d.T + s) * U);
    }
    std::copy(h.begin(), h.end(), out.h.begin() + bi * U);
    std::copy(c.begin(), c.end(), out.c.begin() + bi * U);
  }
  return out;
}

struct Case {
  std::string cls;
  bool reset_after = false, backwards = false, hard = false, seq = false, state = false, keras3 = false;
};

void run_case(const Case& cs) {
  SCOPED_TRACE(cs.cls + (cs.reset_after ? " reset_after" : "") + (cs.backwards ? " backwards" : "") +
               (cs.hard ? " hard_sigmoid" : "") + (cs.seq ? " seq" : "") + (cs.state ? " state" : ""));
  Dims d;
  const int G = cs.cls == "LSTM" ? 4 : cs.cls == "GRU" ? 3 : 1, U = d.U;
  Vec x = random_floats(static_cast<size_t>(d.B) * d.T * d.I, 1, 1.0f);
  Vec k = random_floats(static_cast<size_t>(d.I) * G * U, 2);
  Vec r = random_floats(static_cast<size_t>(U) * G * U, 3);
  int nb = cs.cls == "GRU" && cs.reset_after ? 2 : 1;
  Vec b = random_floats(static_cast<size_t>(nb) * G * U, 4);
  json cfg = {{"units", U},
              {"activation", "tanh"},
              {"recurrent_activation", cs.hard ? "hard_sigmoid" : "sigmoid"},
              {"return_sequences", cs.seq},
              {"return_state", cs.state},
              {"go_backwards", cs.backwards},
              {"use_bias", true}};
  if (cs.cls == "GRU") cfg["reset_after"] = cs.reset_after;
  if (cs.keras3) cfg["seed"] = nullptr;  // only Keras 3 configs carry it
  std::vector<int64_t> bshape = nb == 2 ? std::vector<int64_t>{2, G * U} : std::vector<int64_t>{G * U};
  std::vector<KerasArray> w = {arr({d.I, G * U}, k), arr({U, G * U}, r), arr(bshape, b)};
  Graph g;
  TensorId xin = g.add_const("x", DType::kFloat32, {d.B, d.T, d.I}, to_bytes(x));
  auto outs = lower(g, cs.cls, cfg, w, {xin});
  ASSERT_FALSE(outs.empty());
  Ref want = ref_rnn(cs.cls, d, x, k, r, b, cs.reset_after, cs.backwards, cs.hard, cs.keras3);
  expect_near(values(g, outs[0]), cs.seq ? want.seq : want.h);
  if (cs.state) {
    ASSERT_EQ(outs.size(), cs.cls == "LSTM" ? 3u : 2u);
    expect_near(values(g, outs[1]), want.h);
    if (cs.cls == "LSTM") expect_near(values(g, outs[2]), want.c);
  }
}

TEST(KerasRecurrent, SimpleRnn) {
  run_case({"SimpleRNN"});
  run_case({"SimpleRNN", false, true, false, true, true});
}

TEST(KerasRecurrent, Lstm) {
  run_case({"LSTM"});
  run_case({"LSTM", false, false, true, true, true});
  run_case({"LSTM", false, true, false, true, false});
}

TEST(KerasRecurrent, Gru) {
  run_case({"GRU", true});
  run_case({"GRU", false});
  run_case({"GRU", true, true, true, true, true});
  run_case({"GRU", false, false, true, true, false});
}

TEST(KerasRecurrent, Keras3HardSigmoid) {
  run_case({"LSTM", false, false, true, true, false, true});
  run_case({"GRU", true, false, true, false, false, true});
}

// initial_state=[h0, c0] passed with the call: the unroll starts from them.
TEST(KerasRecurrent, InitialState) {
  Dims d;
  d.T = 1;
  const int U = d.U;
  Vec x = random_floats(static_cast<size_t>(d.B) * d.I, 20, 1.0f), k = random_floats(static_cast<size_t>(d.I) * 4 * U, 21),
      r = random_floats(static_cast<size_t>(U) * 4 * U, 22), b = random_floats(4 * U, 23),
      h0 = random_floats(static_cast<size_t>(d.B) * U, 24), c0 = random_floats(static_cast<size_t>(d.B) * U, 25);
  Graph g;
  TensorId xin = g.add_const("x", DType::kFloat32, {d.B, 1, d.I}, to_bytes(x));
  TensorId hin = g.add_const("h0", DType::kFloat32, {d.B, U}, to_bytes(h0));
  TensorId cin = g.add_const("c0", DType::kFloat32, {d.B, U}, to_bytes(c0));
  json cfg = {{"units", U}, {"recurrent_activation", "sigmoid"}, {"return_state", true}};
  auto outs = lower(g, "LSTM", cfg, {arr({d.I, 4 * U}, k), arr({U, 4 * U}, r), arr({4 * U}, b)}, {xin, hin, cin});
  ASSERT_EQ(outs.size(), 3u);
  Vec wh(h0.size()), wc(c0.size());
  for (int bi = 0; bi < d.B; ++bi) {
    Vec xt(x.begin() + bi * d.I, x.begin() + (bi + 1) * d.I), ht(h0.begin() + bi * U, h0.begin() + (bi + 1) * U);
    Vec z = affine(xt, 1, d.I, k, 4 * U, &b), zr = affine(ht, 1, U, r, 4 * U, nullptr);
    for (int j = 0; j < U; ++j) {
      float c = sigm(z[U + j] + zr[U + j]) * c0[bi * U + j] + sigm(z[j] + zr[j]) * std::tanh(z[2 * U + j] + zr[2 * U + j]);
      wc[bi * U + j] = c;
      wh[bi * U + j] = sigm(z[3 * U + j] + zr[3 * U + j]) * std::tanh(c);
    }
  }
  expect_near(values(g, outs[0]), wh);
  expect_near(values(g, outs[2]), wc);
}

TEST(KerasRecurrent, Keras1PerGateLstm) {
  Dims d;
  const int U = d.U;
  Vec x = random_floats(static_cast<size_t>(d.B) * d.T * d.I, 5, 1.0f);
  Vec k = random_floats(static_cast<size_t>(d.I) * 4 * U, 6);
  Vec r = random_floats(static_cast<size_t>(U) * 4 * U, 7);
  Vec b = random_floats(4 * U, 8);
  // Keras 1 stores W_g, U_g, b_g for g in i, c, f, o.
  std::vector<KerasArray> w;
  for (int block : {0, 2, 1, 3}) {
    Vec wg(static_cast<size_t>(d.I) * U), ug(static_cast<size_t>(U) * U), bg(U);
    for (int i = 0; i < d.I; ++i)
      for (int j = 0; j < U; ++j) wg[i * U + j] = k[i * 4 * U + block * U + j];
    for (int i = 0; i < U; ++i)
      for (int j = 0; j < U; ++j) ug[i * U + j] = r[i * 4 * U + block * U + j];
    for (int j = 0; j < U; ++j) bg[j] = b[block * U + j];
    w.push_back(arr({d.I, U}, wg));
    w.push_back(arr({U, U}, ug));
    w.push_back(arr({U}, bg));
  }
  json cfg = {{"output_dim", U}, {"activation", "tanh"}, {"inner_activation", "hard_sigmoid"}, {"return_sequences", false}};
  Graph g;
  TensorId xin = g.add_const("x", DType::kFloat32, {d.B, d.T, d.I}, to_bytes(x));
  auto outs = lower(g, "LSTM", cfg, w, {xin});
  ASSERT_EQ(outs.size(), 1u);
  expect_near(values(g, outs[0]), ref_rnn("LSTM", d, x, k, r, b, false, false, true).h);
}

TEST(KerasRecurrent, BidirectionalMergeModes) {
  Dims d;
  const int U = d.U;
  Vec x = random_floats(static_cast<size_t>(d.B) * d.T * d.I, 9, 1.0f);
  Vec kf = random_floats(static_cast<size_t>(d.I) * 4 * U, 10), rf = random_floats(static_cast<size_t>(U) * 4 * U, 11),
      bf = random_floats(4 * U, 12);
  Vec kb = random_floats(static_cast<size_t>(d.I) * 4 * U, 13), rb = random_floats(static_cast<size_t>(U) * 4 * U, 14),
      bb = random_floats(4 * U, 15);
  std::vector<KerasArray> w = {arr({d.I, 4 * U}, kf), arr({U, 4 * U}, rf), arr({4 * U}, bf),
                               arr({d.I, 4 * U}, kb), arr({U, 4 * U}, rb), arr({4 * U}, bb)};
  Ref f = ref_rnn("LSTM", d, x, kf, rf, bf, false, false, false);
  Ref bk = ref_rnn("LSTM", d, x, kb, rb, bb, false, true, false);
  for (bool seq : {false, true}) {
    // The backward sequence is flipped back to input order.
    Vec bseq = bk.seq;
    for (int bi = 0; bi < d.B; ++bi)
      for (int t = 0; t < d.T; ++t)
        std::copy(bk.seq.begin() + (bi * d.T + d.T - 1 - t) * U, bk.seq.begin() + (bi * d.T + d.T - t) * U,
                  bseq.begin() + (bi * d.T + t) * U);
    const Vec& yf = seq ? f.seq : f.h;
    const Vec& yb = seq ? bseq : bk.h;
    for (std::string mode : {"concat", "sum", "mul", "ave", "none"}) {
      SCOPED_TRACE(mode + (seq ? " seq" : ""));
      json inner = {{"class_name", "LSTM"},
                    {"config", {{"units", U}, {"recurrent_activation", "sigmoid"}, {"return_sequences", seq}}}};
      json cfg = {{"layer", inner}, {"merge_mode", mode == "none" ? json(nullptr) : json(mode)}};
      Graph g;
      TensorId xin = g.add_const("x", DType::kFloat32, {d.B, d.T, d.I}, to_bytes(x));
      auto outs = lower(g, "Bidirectional", cfg, w, {xin});
      ASSERT_FALSE(outs.empty());
      size_t rows = yf.size() / U;
      Vec want(yf.size());
      if (mode == "concat") want.resize(2 * yf.size());
      for (size_t i = 0; i < yf.size(); ++i) {
        if (mode == "sum") want[i] = yf[i] + yb[i];
        if (mode == "mul") want[i] = yf[i] * yb[i];
        if (mode == "ave") want[i] = (yf[i] + yb[i]) * 0.5f;
      }
      if (mode == "concat")
        for (size_t rr = 0; rr < rows; ++rr)
          for (int j = 0; j < U; ++j) {
            want[rr * 2 * U + j] = yf[rr * U + j];
            want[rr * 2 * U + U + j] = yb[rr * U + j];
          }
      if (mode == "none") {
        ASSERT_EQ(outs.size(), 2u);
        expect_near(values(g, outs[0]), yf);
        expect_near(values(g, outs[1]), yb);
      } else {
        ASSERT_EQ(outs.size(), 1u);
        expect_near(values(g, outs[0]), want);
      }
    }
  }
}

TEST(KerasRecurrent, DynamicBatchGraph) {
  Graph g;
  Tensor t;
  t.name = "x";
  t.shape = {-1, 6, 3};
  TensorId xin = g.add_tensor(std::move(t));
  json cfg = {{"units", 4}, {"return_sequences", true}, {"reset_after", true}};
  std::vector<KerasArray> w = {arr({3, 12}, random_floats(36, 1)), arr({4, 12}, random_floats(48, 2)),
                               arr({2, 12}, random_floats(24, 3))};
  auto outs = lower(g, "GRU", cfg, w, {xin});
  ASSERT_EQ(outs.size(), 1u);
  EXPECT_EQ(g.t(outs[0]).shape, (Shape{-1, 6, 4}));
  EXPECT_FALSE(g.t(outs[0]).is_const());
}

TEST(KerasRecurrent, Refusals) {
  Graph g;
  Tensor t;
  t.name = "x";
  t.shape = {1, -1, 3};
  TensorId xin = g.add_tensor(std::move(t));
  std::vector<KerasArray> w = {arr({3, 4}, random_floats(12, 1)), arr({4, 4}, random_floats(16, 2)),
                               arr({4}, random_floats(4, 3))};
  Status st;
  // An unknown length loops (tests/keras/make_rnn_loop_models.py runs those
  // in LiteRT.js); an empty sequence is refused.
  auto outs = lower(g, "SimpleRNN", json{{"units", 4}}, w, {xin}, &st);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(outs.size(), 1u);
  EXPECT_EQ(g.t(outs[0]).shape, (Shape{1, 4}));
  EXPECT_TRUE(std::any_of(g.ops.begin(), g.ops.end(), [](const auto& op) { return op->code == OpCode::WHILE; }));
  Tensor e;
  e.name = "empty";
  e.shape = {1, 0, 3};
  TensorId empty = g.add_tensor(std::move(e));
  lower(g, "SimpleRNN", json{{"units", 4}}, w, {empty}, &st);
  EXPECT_EQ(st.kind(), ErrorKind::kUnsupported) << st.message();
  lower(g, "SimpleRNN", json{{"units", 4}, {"stateful", true}}, w, {xin}, &st);
  EXPECT_EQ(st.kind(), ErrorKind::kUnsupported) << st.message();
  lower(g, "TimeDistributed", json{{"layer", {{"class_name", "Conv2D"}, {"config", json::object()}}}}, w, {xin}, &st);
  EXPECT_EQ(st.kind(), ErrorKind::kUnsupported) << st.message();
}

TEST(KerasEmbedding, GathersFloatIds) {
  Graph g;
  Vec table = random_floats(4 * 3, 1);
  TensorId ids = g.add_const("ids", DType::kFloat32, {2, 2}, to_bytes(Vec{0, 3, 2.0f, 1}));
  auto outs = lower(g, "Embedding", json{{"input_dim", 4}, {"output_dim", 3}}, {arr({4, 3}, table)}, {ids});
  ASSERT_EQ(outs.size(), 1u);
  EXPECT_EQ(g.t(outs[0]).shape, (Shape{2, 2, 3}));
  Vec want;
  for (int id : {0, 3, 2, 1}) want.insert(want.end(), table.begin() + id * 3, table.begin() + id * 3 + 3);
  expect_near(values(g, outs[0]), want, 0);
}

TEST(KerasEmbedding, MaskZeroMasksZeroIds) {
  // The mask goes to the layers that read it (tests/keras/make_rnn_loop_models.py
  // runs Embedding(mask_zero) -> LSTM/GRU in LiteRT.js); here: ids != 0.
  Graph g;
  TensorId ids = g.add_const("ids", DType::kInt32, {1, 3}, to_bytes(std::vector<int32_t>{0, 1, 2}));
  json cfg{{"mask_zero", true}};
  std::vector<KerasArray> w = {arr({4, 3}, random_floats(12, 1))};
  KerasLayerContext ctx(g, "emb", "Embedding", cfg, w, {ids}, 1 << 24);
  auto r = find_keras_layer("Embedding")(ctx);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_NE(ctx.output_mask(), kNoTensor);
  const Tensor& m = g.t(ctx.output_mask());
  ASSERT_TRUE(m.is_const());
  EXPECT_EQ(m.dtype, DType::kBool);
  EXPECT_EQ(std::vector<uint8_t>(m.as<uint8_t>(), m.as<uint8_t>() + 3), (std::vector<uint8_t>{0, 1, 1}));
}

TEST(KerasTimeDistributed, DenseOnLastAxis) {
  Graph g;
  Vec x = random_floats(2 * 3 * 4, 1), k = random_floats(4 * 5, 2), b = random_floats(5, 3);
  TensorId xin = g.add_const("x", DType::kFloat32, {2, 3, 4}, to_bytes(x));
  json cfg = {{"layer", {{"class_name", "Dense"}, {"config", {{"units", 5}, {"activation", "linear"}}}}}};
  auto outs = lower(g, "TimeDistributed", cfg, {arr({4, 5}, k), arr({5}, b)}, {xin});
  ASSERT_EQ(outs.size(), 1u);
  expect_near(values(g, outs[0]), affine(x, 6, 4, k, 5, &b));
}

}  // namespace
}  // namespace tflc
