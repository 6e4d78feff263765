#include "ops/erf.h"

#include <string>

namespace tflc {

Expected<TensorId> emit_erf(IrBuilder& b, TensorId in) {
  static const float kAlpha[] = {-2.72614225801306e-10f, 2.77068142495902e-08f, -2.10102402082508e-06f,
                                 -5.69250639462346e-05f, -7.34990630326855e-04f, -2.95459980854025e-03f,
                                 -1.60960333262415e-02f};  // x^13 ... x^1
  static const float kBeta[] = {-1.45660718464996e-05f, -2.13374055278905e-04f, -1.68282697438203e-03f,
                                -7.37332916720468e-03f, -1.42647390514189e-02f};  // x^8 ... x^0
  int k = 0;
  auto c = [&](float v) { return b.const_f32_scalar(v, "erf_c" + std::to_string(k++)); };
  ASSIGN_OR_RETURN(TensorId lo, b.emit1(OpCode::MINIMUM, {in, c(4.f)}));
  ASSIGN_OR_RETURN(TensorId x, b.emit1(OpCode::MAXIMUM, {lo, c(-4.f)}));
  ASSIGN_OR_RETURN(TensorId x2, b.emit1(OpCode::MUL, {x, x}));
  // Horner steps p = x2 * p + coef, as Eigen's pmadd chain.
  auto horner = [&](const float* coef, int n) -> Expected<TensorId> {
    ASSIGN_OR_RETURN(TensorId p, b.emit1(OpCode::MUL, {x2, c(coef[0])}));
    ASSIGN_OR_RETURN(p, b.emit1(OpCode::ADD, {p, c(coef[1])}));
    for (int i = 2; i < n; ++i) {
      ASSIGN_OR_RETURN(p, b.emit1(OpCode::MUL, {x2, p}));
      ASSIGN_OR_RETURN(p, b.emit1(OpCode::ADD, {p, c(coef[i])}));
    }
    return p;
  };
  ASSIGN_OR_RETURN(TensorId p, horner(kAlpha, 7));
  ASSIGN_OR_RETURN(p, b.emit1(OpCode::MUL, {x, p}));
  ASSIGN_OR_RETURN(TensorId q, horner(kBeta, 5));
  return b.emit1(OpCode::DIV, {p, q});
}

}  // namespace tflc
