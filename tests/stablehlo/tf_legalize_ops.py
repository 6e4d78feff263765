#!/usr/bin/python3
# Our op choice vs TF's StableHLO -> TFLite legalization tests. Each case is
# our own minimal StableHLO equivalent (same shapes and attributes, written in
# the stablehlo dialect) of a function in TF's
#   tensorflow/compiler/mlir/lite/stablehlo/tests/tfl_legalize_hlo.mlir
#   at commit 6ee576304d65b94f7b645286fbd4df96a279f7fc
# named by its @function there; the expected ops are that function's CHECK
# lines' tfl ops, without tfl.pseudo_const / arith.constant / tfl.cast of
# constants (those are constant tensors in a .tflite file), compared as a
# multiset (independent ops may come in another order). A function whose
# CHECK lines keep the mhlo op (no TFL equivalent) must be refused. Where we
# differ on purpose or have a gap, the case states our own expected result
# and why ("DIFFERS"), so a change in either direction is seen.
#   usage: /usr/bin/python3 tests/stablehlo/tf_legalize_ops.py BUILD_DIR WORK_DIR
# Prints PASS/FAIL per case and "N passed, N failed"; exits 1 on a failure.
import os, re, subprocess, sys

build, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)


def fn(args, results, body):
    sig = ', '.join('%%arg%d: %s' % (k, a) for k, a in enumerate(args))
    return 'module {\n  func.func @main(%s) -> (%s) {\n%s  }\n}\n' % (sig, ', '.join(results), body)


ARGMAX_BODY = '''    %0 = stablehlo.constant dense<0xFF800000> : tensor<f32>
    %1 = stablehlo.constant dense<0> : tensor<i32>
    %2 = stablehlo.iota dim = 0 : tensor<32xi32>
    %3 = stablehlo.reshape %2 : (tensor<32xi32>) -> tensor<1x32x1xi32>
    %4:2 = stablehlo.reduce(%arg0 init: %0), (%3 init: %1) across dimensions = [1] : (tensor<1x32x1xf32>, tensor<1x32x1xi32>, tensor<f32>, tensor<i32>) -> (tensor<1x1xf32>, tensor<1x1xi32>)
     reducer(%a1: tensor<f32>, %a3: tensor<f32>) (%a2: tensor<i32>, %a4: tensor<i32>)  {
      %5 = stablehlo.compare  GT, %a1, %a3,  FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      %6 = stablehlo.compare  NE, %a1, %a1,  FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      %7 = stablehlo.or %5, %6 : tensor<i1>
      %8 = stablehlo.select %7, %a1, %a3 : tensor<i1>, tensor<f32>
      %9 = stablehlo.compare  EQ, %a1, %a3,  FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      %10 = stablehlo.compare  LT, %a2, %a4,  SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      %11 = stablehlo.and %9, %10 : tensor<i1>
      %12 = stablehlo.or %7, %11 : tensor<i1>
      %13 = stablehlo.select %12, %a2, %a4 : tensor<i1>, tensor<i32>
      stablehlo.return %8, %13 : tensor<f32>, tensor<i32>
    }
    return %4#0, %4#1 : tensor<1x1xf32>, tensor<1x1xi32>
'''

PYTORCH_ARGMAX_BODY = '''    %0 = stablehlo.constant dense<0> : tensor<i32>
    %1 = stablehlo.constant dense<-2147483648> : tensor<i32>
    %2 = stablehlo.iota dim = 0 : tensor<9xi32>
    %3 = stablehlo.reshape %2 : (tensor<9xi32>) -> tensor<1x9xi32>
    %4:2 = stablehlo.reduce(%arg0 init: %1), (%3 init: %0) across dimensions = [1] : (tensor<1x9xi32>, tensor<1x9xi32>, tensor<i32>, tensor<i32>) -> (tensor<1xi32>, tensor<1xi32>)
     reducer(%a1: tensor<i32>, %a3: tensor<i32>) (%a2: tensor<i32>, %a4: tensor<i32>)  {
      %6 = stablehlo.compare  GE, %a1, %a3,  SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      %7 = stablehlo.select %6, %a1, %a3 : tensor<i1>, tensor<i32>
      %8 = stablehlo.compare  EQ, %a1, %a3,  SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      %9 = stablehlo.minimum %a2, %a4 : tensor<i32>
      %10 = stablehlo.select %6, %a2, %a4 : tensor<i1>, tensor<i32>
      %11 = stablehlo.select %8, %9, %10 : tensor<i1>, tensor<i32>
      stablehlo.return %7, %11 : tensor<i32>, tensor<i32>
    }
    return %4#1 : tensor<1xi32>
'''

# (upstream function, module text, TF's ops or the op it leaves, and for a
# deviation: (our ops or our error substring, why))
CASES = [
    ('transpose_2d', fn(['tensor<2x3xf32>'], ['tensor<3x2xf32>'],
                        '    %0 = stablehlo.transpose %arg0, dims = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>\n'
                        '    return %0 : tensor<3x2xf32>\n'), ['TRANSPOSE']),
    ('transpose_3d', fn(['tensor<1x2x3xf32>'], ['tensor<3x2x1xf32>'],
                        '    %0 = stablehlo.transpose %arg0, dims = [2, 1, 0] : (tensor<1x2x3xf32>) -> tensor<3x2x1xf32>\n'
                        '    return %0 : tensor<3x2x1xf32>\n'), ['TRANSPOSE']),
    ('dot_general', fn(['tensor<3x2x6x5x1xf32>', 'tensor<3x2x4x6xf32>'], ['tensor<3x5x1x4xf32>'],
                       '    %0 = stablehlo.dot_general %arg0, %arg1, batching_dims = [0] x [0], contracting_dims = [1, 2] x [1, 3], '
                       'precision = [DEFAULT, DEFAULT] : (tensor<3x2x6x5x1xf32>, tensor<3x2x4x6xf32>) -> tensor<3x5x1x4xf32>\n'
                       '    return %0 : tensor<3x5x1x4xf32>\n'),
     ['TRANSPOSE', 'TRANSPOSE', 'RESHAPE', 'RESHAPE', 'BATCH_MATMUL', 'RESHAPE']),
    ('dot_general_repeated', fn(['tensor<1x1x1024xf32>', 'tensor<1024x1024xf32>'], ['tensor<1x1x1024xf32>'],
                                '    %0 = stablehlo.dot_general %arg0, %arg1, contracting_dims = [2] x [0], precision = [DEFAULT, DEFAULT] '
                                ': (tensor<1x1x1024xf32>, tensor<1024x1024xf32>) -> tensor<1x1x1024xf32>\n'
                                '    return %0 : tensor<1x1x1024xf32>\n'), ['RESHAPE', 'BATCH_MATMUL', 'RESHAPE']),
    ('argmax_with_reshaped_iota', fn(['tensor<1x32x1xf32>'], ['tensor<1x1xf32>', 'tensor<1x1xi32>'], ARGMAX_BODY),
     ['REDUCE_MAX', 'ARG_MAX'],
     (['ARG_MAX', 'REDUCE_MAX', 'NOT_EQUAL', 'REDUCE_ANY', 'CAST', 'ARG_MAX', 'SELECT_V2', 'SELECT_V2'],
      'the body propagates NaN (x != x), which ARG_MAX does not: a NaN row must give the NaN index')),
    ('pytorch_argmax', fn(['tensor<1x9xi32>'], ['tensor<1xi32>'], PYTORCH_ARGMAX_BODY), ['ARG_MAX'],
     ('not the argmax/argmin form', 'gap: only the JAX argmax body form is recognized')),
    ('reshape', fn(['tensor<2x3xf32>'], ['tensor<3x2xf32>'],
                   '    %0 = stablehlo.reshape %arg0 : (tensor<2x3xf32>) -> tensor<3x2xf32>\n'
                   '    return %0 : tensor<3x2xf32>\n'), ['RESHAPE']),
    ('logical_and', fn(['tensor<2xi1>', 'tensor<2xi1>'], ['tensor<2xi1>'],
                       '    %0 = stablehlo.and %arg0, %arg1 : tensor<2xi1>\n    return %0 : tensor<2xi1>\n'), ['LOGICAL_AND']),
    ('logical_or', fn(['tensor<2xi1>', 'tensor<2xi1>'], ['tensor<2xi1>'],
                      '    %0 = stablehlo.or %arg0, %arg1 : tensor<2xi1>\n    return %0 : tensor<2xi1>\n'), ['LOGICAL_OR']),
    # CHECK: mhlo.and / CHECK-NOT: tfl -- TFLite has no bitwise AND.
    ('bitwise_and', fn(['tensor<4xi32>', 'tensor<4xi32>'], ['tensor<4xi32>'],
                       '    %0 = stablehlo.and %arg0, %arg1 : tensor<4xi32>\n    return %0 : tensor<4xi32>\n'),
     'stablehlo.and',
     (['CAST', 'CAST', 'RESHAPE', 'RIGHT_SHIFT', 'CAST', 'FLOOR_MOD', 'RESHAPE', 'RIGHT_SHIFT', 'CAST', 'FLOOR_MOD', 'MUL', 'MUL',
       'SUM', 'CAST', 'RESHAPE', 'CAST'], 'an exact bit-by-bit lowering where TF leaves the op')),
    ('bitwise_or', fn(['tensor<4xi32>', 'tensor<4xi32>'], ['tensor<4xi32>'],
                      '    %0 = stablehlo.or %arg0, %arg1 : tensor<4xi32>\n    return %0 : tensor<4xi32>\n'),
     'stablehlo.or', (None, 'an exact bit-by-bit lowering where TF leaves the op')),
    ('conv2d_nhwc_ohwi_nhwc', fn(['tensor<1x256x256x3xf32>', 'tensor<2x1x1x3xf32>'], ['tensor<1x256x256x2xf32>'],
                                 '    %0 = stablehlo.convolution(%arg0, %arg1) dim_numbers = [b, 0, 1, f]x[o, 0, 1, i]->[b, 0, 1, f], '
                                 'window = {stride = [1, 1], pad = [[0, 0], [0, 0]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} '
                                 ': (tensor<1x256x256x3xf32>, tensor<2x1x1x3xf32>) -> tensor<1x256x256x2xf32>\n'
                                 '    return %0 : tensor<1x256x256x2xf32>\n'), ['CONV_2D']),
    ('conv2d_nhwc_ohwi_nhwc_no_padding', fn(['tensor<1x6x6x207xf32>', 'tensor<16x3x3x207xf32>'], ['tensor<1x4x4x16xf32>'],
                                            '    %0 = stablehlo.convolution(%arg0, %arg1) dim_numbers = [b, 0, 1, f]x[o, 0, 1, i]->[b, 0, 1, f], '
                                            'window = {stride = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} '
                                            ': (tensor<1x6x6x207xf32>, tensor<16x3x3x207xf32>) -> tensor<1x4x4x16xf32>\n'
                                            '    return %0 : tensor<1x4x4x16xf32>\n'), ['CONV_2D']),
    ('transpose_conv2d_same_padding', fn(['tensor<1x256x256x2xf32>', 'tensor<2x4x4x2xf32>'], ['tensor<1x512x512x2xf32>'],
                                         '    %0 = stablehlo.convolution(%arg0, %arg1) dim_numbers = [b, 0, 1, f]x[o, 0, 1, i]->[b, 0, 1, f], '
                                         'window = {pad = [[2, 2], [2, 2]], lhs_dilate = [2, 2]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} '
                                         ': (tensor<1x256x256x2xf32>, tensor<2x4x4x2xf32>) -> tensor<1x512x512x2xf32>\n'
                                         '    return %0 : tensor<1x512x512x2xf32>\n'), ['REVERSE_V2', 'TRANSPOSE_CONV']),
]



def rw(x, init, body_op, shape_in, shape_out, pad=None):
    attrs = 'window_dimensions = array<i64: 1, 3, 3, 1>, window_strides = array<i64: 1, 2, 2, 1>'
    if pad:
        attrs = 'padding = dense<%s> : tensor<4x2xi64>, ' % pad + attrs
    return ('"stablehlo.reduce_window"(%s, %s) <{%s}> ({\n'
            '    ^bb0(%%a: tensor<f32>, %%b: tensor<f32>):\n'
            '      %%r = stablehlo.%s %%a, %%b : tensor<f32>\n'
            '      stablehlo.return %%r : tensor<f32>\n'
            '    }) : (%s, tensor<f32>) -> %s' % (x, init, attrs, body_op, shape_in, shape_out))


POOLS = [
    ('avgpool_valid', fn(['tensor<4x16x16x8xf32>'], ['tensor<4x7x7x8xf32>'],
                         '    %0 = stablehlo.constant dense<0.0> : tensor<f32>\n'
                         '    %1 = stablehlo.constant dense<9.0> : tensor<4x7x7x8xf32>\n'
                         '    %2 = ' + rw('%arg0', '%0', 'add', 'tensor<4x16x16x8xf32>', 'tensor<4x7x7x8xf32>') + '\n'
                         '    %3 = stablehlo.divide %2, %1 : tensor<4x7x7x8xf32>\n'
                         '    return %3 : tensor<4x7x7x8xf32>\n'), ['AVERAGE_POOL_2D']),
    ('avgpool_valid_rw', fn(['tensor<4x16x16x8xf32>'], ['tensor<4x7x7x8xf32>'],
                            '    %0 = stablehlo.constant dense<1.0> : tensor<4x16x16x8xf32>\n'
                            '    %1 = stablehlo.constant dense<0.0> : tensor<f32>\n'
                            '    %2 = ' + rw('%arg0', '%1', 'add', 'tensor<4x16x16x8xf32>', 'tensor<4x7x7x8xf32>') + '\n'
                            '    %3 = ' + rw('%0', '%1', 'add', 'tensor<4x16x16x8xf32>', 'tensor<4x7x7x8xf32>') + '\n'
                            '    %4 = stablehlo.divide %2, %3 : tensor<4x7x7x8xf32>\n'
                            '    return %4 : tensor<4x7x7x8xf32>\n'), ['AVERAGE_POOL_2D']),
    ('avgpool_same', fn(['tensor<4x16x16x8xf32>'], ['tensor<4x8x8x8xf32>'],
                        '    %0 = stablehlo.constant dense<1.0> : tensor<4x16x16x8xf32>\n'
                        '    %1 = stablehlo.constant dense<0.0> : tensor<f32>\n'
                        '    %2 = ' + rw('%arg0', '%1', 'add', 'tensor<4x16x16x8xf32>', 'tensor<4x8x8x8xf32>',
                                         '[[0, 0], [0, 1], [0, 1], [0, 0]]') + '\n'
                        '    %3 = ' + rw('%0', '%1', 'add', 'tensor<4x16x16x8xf32>', 'tensor<4x8x8x8xf32>',
                                         '[[0, 0], [0, 1], [0, 1], [0, 0]]') + '\n'
                        '    %4 = stablehlo.divide %2, %3 : tensor<4x8x8x8xf32>\n'
                        '    return %4 : tensor<4x8x8x8xf32>\n'), ['AVERAGE_POOL_2D']),
    ('maxpool_same', fn(['tensor<4x16x16x8xf32>'], ['tensor<4x8x8x8xf32>'],
                        '    %0 = stablehlo.constant dense<0xFF800000> : tensor<f32>\n'
                        '    %1 = ' + rw('%arg0', '%0', 'maximum', 'tensor<4x16x16x8xf32>', 'tensor<4x8x8x8xf32>',
                                         '[[0, 0], [0, 1], [0, 1], [0, 0]]') + '\n'
                        '    return %1 : tensor<4x8x8x8xf32>\n'), ['MAX_POOL_2D']),
    ('maxpool_explicit', fn(['tensor<1x112x112x64xf32>'], ['tensor<1x56x56x64xf32>'],
                            '    %0 = stablehlo.constant dense<0xFF800000> : tensor<f32>\n'
                            '    %1 = ' + rw('%arg0', '%0', 'maximum', 'tensor<1x112x112x64xf32>', 'tensor<1x56x56x64xf32>',
                                             '[[0, 0], [1, 1], [1, 1], [0, 0]]') + '\n'
                            '    return %1 : tensor<1x56x56x64xf32>\n'), ['PADV2', 'MAX_POOL_2D']),
    ('maxpool_valid', fn(['tensor<4x16x16x8xf32>'], ['tensor<4x7x7x8xf32>'],
                         '    %0 = stablehlo.constant dense<0xFF800000> : tensor<f32>\n'
                         '    %1 = ' + rw('%arg0', '%0', 'maximum', 'tensor<4x16x16x8xf32>', 'tensor<4x7x7x8xf32>') + '\n'
                         '    return %1 : tensor<4x7x7x8xf32>\n'), ['MAX_POOL_2D']),
]
CASES += POOLS

def ops_of(tflite):
    text = subprocess.run([os.path.join(build, 'tflite_analyze'), tflite], capture_output=True, text=True).stdout
    main = text.split('\nSubgraph#')[1].split('\nTensors of')[0]
    return re.findall(r'^  Op#\d+ (\w+)\(', main, re.M)


def run(name, text):
    src = os.path.join(work, name + '.mlir')
    out = os.path.join(work, name + '.tflite')
    with open(src, 'w') as f:
        f.write(text)
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run([os.path.join(build, 'tflite_convert'), '--stablehlo_file=' + src, '--output_file=' + out],
                       capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(out):
        return None, r.stderr.strip()
    return ops_of(out), None


def meets(want, ops, err):
    if want is None:  # any model
        return ops is not None
    if isinstance(want, str):
        return ops is None and want in err
    return ops is not None and sorted(ops) == sorted(want)


passed = failed = same = 0
for name, text, tf, *ours in CASES:
    ops, err = run(name, text)
    got = ops if ops is not None else 'refused: ' + err
    if not ours:
        ok = meets(tf, ops, err)
        same += ok
        print('%s %s: %s%s' % ('PASS' if ok else 'FAIL', name, got, '' if ok else ' (TF: %s)' % (tf,)))
    else:
        want, why = ours[0]
        ok = meets(want, ops, err)
        print('%s %s: DIFFERS from TF (%s): %s; TF: %s' % ('PASS' if ok else 'FAIL', name, why, got, tf))
    passed, failed = passed + ok, failed + (not ok)
print('%d of %d cases choose TF\'s ops; %d are stated deviations' % (same, len(CASES), sum(1 for c in CASES if len(c) > 3)))
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
