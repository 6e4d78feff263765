#!/usr/bin/python3
# A frozen GraphDef (text) ending in TFLite_Detection_PostProcess, the SSD
# post-processing custom op, as the Object Detection API's
# export_tflite_ssd_graph.py writes it: box encodings and class predictions
# are the inputs, the anchors a constant. The reference outputs follow
# LiteRT's kernel (tflite/kernels/detection_postprocess.cc): center-size
# decoding, then fast multi-class NMS (use_regular_nms false). Scores are
# distinct and IoUs stay away from the threshold, so ties and rounding at
# the threshold cannot decide the result.
#   usage: /usr/bin/python3 tests/custom_ops/make_detection.py OUT_DIR
# Writes OUT_DIR/model.pbtxt and OUT_DIR/case.json.
import json, os, sys
import numpy as np

N, C = 24, 3           # anchors; classes without background
MAX_DET, PER_DET = 6, 1
SCORE_T, IOU_T = 0.3, 0.5
SCALE = (10.0, 10.0, 5.0, 5.0)  # y, x, h, w

rng = np.random.default_rng(5)
anchors = np.zeros((N, 4), np.float32)  # ycenter, xcenter, h, w on a 6x4 grid
for i in range(N):
    anchors[i] = [(i // 4 + 0.5) / 6, (i % 4 + 0.5) / 4, 0.3, 0.4]
boxes = (rng.standard_normal((1, N, 4)) * 0.5).astype(np.float32)
scores = np.zeros((1, N, C + 1), np.float32)
scores[0] = rng.permutation(np.linspace(0.01, 0.99, N * (C + 1))).reshape(N, C + 1).astype(np.float32)


def decode(b, a):
    yc = b[0] / SCALE[0] * a[2] + a[0]
    xc = b[1] / SCALE[1] * a[3] + a[1]
    hh = 0.5 * np.exp(b[2] / SCALE[2]) * a[2]
    hw = 0.5 * np.exp(b[3] / SCALE[3]) * a[3]
    return np.array([yc - hh, xc - hw, yc + hh, xc + hw], np.float64)


def iou(p, q):
    ap = (p[2] - p[0]) * (p[3] - p[1])
    aq = (q[2] - q[0]) * (q[3] - q[1])
    if ap <= 0 or aq <= 0:
        return 0.0
    ih = max(min(p[2], q[2]) - max(p[0], q[0]), 0.0)
    iw = max(min(p[3], q[3]) - max(p[1], q[1]), 0.0)
    inter = ih * iw
    return inter / (ap + aq - inter)


dec = [decode(boxes[0, i].astype(np.float64), anchors[i].astype(np.float64)) for i in range(N)]
cls = scores[0, :, 1:].astype(np.float64)  # the first column is the background
best = cls.argmax(axis=1)
best_score = cls.max(axis=1)
if np.min(np.abs(best_score - SCORE_T)) < 1e-4:
    sys.exit('make_detection.py: a score is within 1e-4 of the score threshold; change the seed')
order = [i for i in np.argsort(-best_score, kind='stable') if best_score[i] >= SCORE_T]
selected, active = [], set(order)
margin = 1.0
for i in order:
    if len(selected) >= MAX_DET:
        break
    if i not in active:
        continue
    selected.append(i)
    for j in order:
        if j in active and j != i:
            v = iou(dec[i], dec[j])
            margin = min(margin, abs(v - IOU_T))
            if v > IOU_T:
                active.discard(j)
    active.discard(i)
if margin < 1e-3:
    sys.exit('make_detection.py: an IoU is within 1e-3 of the threshold; change the seed')

k = len(selected)
out_boxes = np.zeros((1, MAX_DET, 4)); out_cls = np.zeros((1, MAX_DET)); out_sc = np.zeros((1, MAX_DET))
for r, i in enumerate(selected):
    out_boxes[0, r] = dec[i]
    out_cls[0, r] = best[i]
    out_sc[0, r] = best_score[i]


def shape_text(shape):
    return 'shape { ' + ' '.join('dim { size: %d }' % d for d in shape) + ' }'


def floats(a):
    return ' '.join('float_val: %r' % float(v) for v in a.ravel())


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
nodes = [
    'node { name: "raw_outputs/box_encodings" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
    'attr { key: "shape" value { %s } } }' % shape_text(boxes.shape),
    'node { name: "raw_outputs/class_predictions" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
    'attr { key: "shape" value { %s } } }' % shape_text(scores.shape),
    'node { name: "anchors" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { '
    'tensor { dtype: DT_FLOAT tensor_shape { dim { size: %d } dim { size: 4 } } %s } } } }' % (N, floats(anchors)),
]
attrs = {'max_detections': 'i: %d' % MAX_DET, 'max_classes_per_detection': 'i: %d' % PER_DET,
         'detections_per_class': 'i: 100', 'num_classes': 'i: %d' % C, 'use_regular_nms': 'b: false',
         'nms_score_threshold': 'f: %r' % SCORE_T, 'nms_iou_threshold': 'f: %r' % IOU_T,
         'y_scale': 'f: %r' % SCALE[0], 'x_scale': 'f: %r' % SCALE[1], 'h_scale': 'f: %r' % SCALE[2],
         'w_scale': 'f: %r' % SCALE[3], '_output_quantized': 'b: true',
         '_support_output_type_float_in_quantized_op': 'b: true'}
nodes.append('node { name: "TFLite_Detection_PostProcess" op: "TFLite_Detection_PostProcess" '
             'input: "raw_outputs/box_encodings" input: "raw_outputs/class_predictions" input: "anchors" ' +
             ' '.join('attr { key: "%s" value { %s } }' % kv for kv in attrs.items()) + ' }')
with open(os.path.join(out, 'model.pbtxt'), 'w') as f:
    f.write('\n'.join(nodes) + '\n')
case = {
    'inputs': [{'shape': list(boxes.shape), 'data': [float(v) for v in boxes.ravel()]},
               {'shape': list(scores.shape), 'data': [float(v) for v in scores.ravel()]}],
    'num_detections': k,
    'outputs': [{'shape': [1, MAX_DET, 4], 'data': [float(v) for v in out_boxes.ravel()]},
                {'shape': [1, MAX_DET], 'data': [float(v) for v in out_cls.ravel()]},
                {'shape': [1, MAX_DET], 'data': [float(v) for v in out_sc.ravel()]},
                {'shape': [1], 'data': [float(k)]}],
}
with open(os.path.join(out, 'case.json'), 'w') as f:
    json.dump(case, f)
print('make_detection.py: %d anchors, %d detections, IoU margin %.3g' % (N, k, margin))
