#!/usr/bin/python3
# Turns each model saved by make_models.cjs (model.json + layers.json +
# weights.bin) into
#   model.h5     Keras 2 save_model(h5) layout: root attrs model_config,
#                keras_version, backend; model_weights/<layer> with
#                weight_names and one dataset per weight;
#   model.keras  Keras 3 zip: metadata.json, config.json (module/class_name/
#                config/registered_name, __keras_tensor__ inbound nodes) and
#                model.weights.h5 with layers/<key>/[cell|layer|...]/vars/<i>.
# Debian's /usr/bin/python3 + h5py + numpy only.
#   usage: /usr/bin/python3 tests/keras/tfjs/write_keras.py DIR
import copy, io, json, os, re, sys, zipfile
import h5py
import numpy as np

KERAS2 = '2.13.1'
KERAS3 = '3.9.2'
RNN = ('LSTM', 'GRU', 'SimpleRNN')
MODELS = ('Sequential', 'Model', 'Functional')


def snake(name):
    # keras.src.utils.naming.to_snake_case
    s = re.sub(r'[^A-Za-z0-9_]+', '', name)
    s = re.sub(r'(.)([A-Z][a-z]+)', r'\1_\2', s)
    return re.sub(r'([a-z])([A-Z])', r'\1_\2', s).lower()


def load(d):
    topo = json.load(open(os.path.join(d, 'model.json')))
    layers = json.load(open(os.path.join(d, 'layers.json')))
    blob = open(os.path.join(d, 'weights.bin'), 'rb').read()
    off = 0
    for l in layers:
        for w in l['weights']:
            n = int(np.prod(w['shape'])) if w['shape'] else 1
            if off + 4 * n > len(blob):
                raise ValueError('%s: weights.bin is shorter than layers.json says' % d)
            w['data'] = np.frombuffer(blob, np.float32, n, off).reshape(w['shape'])
            off += 4 * n
    return topo, layers


# ------------------------------------------------------------ Keras 2 ----

def write_h5(path, topo, layers):
    cfg = {k: v for k, v in topo.items() if k in ('class_name', 'config')}
    if cfg['class_name'] == 'Model':  # Keras >= 2.4 writes Functional
        cfg['class_name'] = 'Functional'
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = KERAS2
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = json.dumps(cfg)
        mw = f.create_group('model_weights')
        mw.attrs['layer_names'] = np.array([l['layer'].encode() for l in layers])
        mw.attrs['backend'] = 'tensorflow'
        mw.attrs['keras_version'] = KERAS2
        for l in layers:
            g = mw.create_group(l['layer'])
            # tfjs names weights "<layer>/<path>"; Keras adds ":0".
            names = [w['name'] + ':0' for w in l['weights']]
            g.attrs['weight_names'] = np.array([n.encode() for n in names], dtype='S' if names else 'S1')
            for n, w in zip(names, l['weights']):
                g.create_dataset(n, data=w['data'])


# ------------------------------------------------------------ Keras 3 ----

def dtype_policy(name='float32'):
    return {'module': 'keras', 'class_name': 'DTypePolicy', 'config': {'name': name}, 'registered_name': None}


def layer3(class_name, config):
    """One tfjs (Keras 2 style) layer config in Keras 3 form: {module, class_name, config, registered_name}."""
    c = copy.deepcopy(config)
    c.pop('batch_input_shape', None)
    c.pop('input_length', None)
    if class_name in MODELS:
        return model3(class_name, c)
    c['dtype'] = dtype_policy(c.get('dtype', 'float32') if isinstance(c.get('dtype'), str) else 'float32')
    if class_name == 'LeakyReLU':
        c['negative_slope'] = c.pop('alpha', 0.3)
    if class_name == 'ThresholdedReLU':  # gone in Keras 3: ReLU(threshold)
        class_name = 'ReLU'
        c = {'name': c['name'], 'trainable': True, 'dtype': c['dtype'], 'max_value': None,
             'negative_slope': 0.0, 'threshold': c.pop('theta', 1.0)}
    if class_name in RNN and class_name == 'GRU':
        c.setdefault('reset_after', False)
    if class_name in ('Bidirectional', 'TimeDistributed'):
        inner = c['layer']
        if class_name == 'Bidirectional':
            fwd = dict(inner['config'], name='forward_' + inner['config']['name'])
            bwd = dict(inner['config'], name='backward_' + inner['config']['name'],
                       go_backwards=not inner['config'].get('go_backwards', False))
            c['layer'] = layer3(inner['class_name'], fwd)
            c['backward_layer'] = layer3(inner['class_name'], bwd)
        else:
            c['layer'] = layer3(inner['class_name'], inner['config'])
    return {'module': 'keras.layers', 'class_name': class_name, 'config': c, 'registered_name': None}


def ktensor(ref):
    return {'class_name': '__keras_tensor__', 'config': {'keras_history': [ref[0], ref[1], ref[2]]}}


def model3(class_name, cfg):
    layers = []
    if class_name == 'Sequential':
        first = cfg['layers'][0]['config']
        layers.append({'module': 'keras.layers', 'class_name': 'InputLayer', 'registered_name': None,
                       'config': {'batch_shape': first['batch_input_shape'], 'dtype': first.get('dtype', 'float32'),
                                  'sparse': False, 'name': cfg['name'] + '_input'}})
        layers += [layer3(l['class_name'], l['config']) for l in cfg['layers']]
        body = {'name': cfg['name'], 'trainable': True, 'dtype': dtype_policy(), 'layers': layers}
        return {'module': 'keras.src.models.sequential', 'class_name': 'Sequential', 'config': body,
                'registered_name': 'Sequential'}
    for l in cfg['layers']:
        if l['class_name'] == 'InputLayer':
            c = l['config']
            e = {'module': 'keras.layers', 'class_name': 'InputLayer', 'registered_name': None,
                 'config': {'batch_shape': c['batch_input_shape'], 'dtype': c.get('dtype', 'float32'),
                            'sparse': False, 'name': c['name']}}
        else:
            e = layer3(l['class_name'], l['config'])
        e['name'] = l['name']
        nodes = []
        for node in l.get('inbound_nodes', []):
            refs = [ktensor(r) for r in node]
            nodes.append({'args': [refs[0]] if len(refs) == 1 else [refs], 'kwargs': {}})
        e['inbound_nodes'] = nodes
        layers.append(e)
    body = {'name': cfg['name'], 'trainable': True, 'layers': layers,
            'input_layers': cfg['input_layers'], 'output_layers': cfg['output_layers']}
    return {'module': 'keras.src.models.functional', 'class_name': 'Functional', 'config': body,
            'registered_name': 'Functional'}


def put_vars(group, name, arrays):
    v = group.create_group('vars')
    v.attrs['name'] = name
    for i, a in enumerate(arrays):
        v.create_dataset(str(i), data=a)


def write_layer3(container, key, cfg3, weights):
    """Keras 3 saving_lib layout of one layer: own vars, sub-objects (cell, layer,
    forward_layer/backward_layer, nested layers) as groups of their own."""
    cls, c = cfg3['class_name'], cfg3['config']
    g = container.create_group(key)
    arrays = [w['data'] for w in weights]
    if cls in RNN:
        put_vars(g, c['name'], [])
        put_vars(g.create_group('cell'), snake(cls) + '_cell', arrays)
    elif cls == 'Bidirectional':
        put_vars(g, c['name'], [])
        half = len(arrays) // 2
        for sub, part, lc in (('forward_layer', arrays[:half], c['layer']),
                              ('backward_layer', arrays[half:], c['backward_layer'])):
            write_layer3(g, sub, lc, [{'data': a} for a in part])
    elif cls == 'TimeDistributed':
        put_vars(g, c['name'], [])
        write_layer3(g, 'layer', c['layer'], weights)
    elif cls in MODELS:
        put_vars(g, c['name'], [])
        write_layers3(g.create_group('layers'), c['layers'], weights, by_layer_prefix=True)
    else:
        put_vars(g, c['name'], arrays)


def write_layers3(container, layer_cfgs, weights, by_layer_prefix=False):
    """weights: {layer name: [weights]} or, inside a nested model, the flat
    list of the nested model's weights named '<inner layer>/<w>'."""
    used = {}
    for l in layer_cfgs:
        cls = l['class_name']
        if cls == 'InputLayer' and by_layer_prefix:
            continue  # Sequential.layers leaves out its InputLayer
        key = snake(cls)
        if key in used:
            used[key] += 1
            key += '_%d' % used[key]
        else:
            used[key] = 0
        name = l['config']['name']
        if by_layer_prefix:
            ws = [w for w in weights if w['name'].split('/')[0] == name]
        else:
            ws = weights.get(name, [])
        write_layer3(container, key, l, ws)


def write_keras(path, topo, layers):
    cfg = model3(topo['class_name'], topo['config'])
    weights = {l['layer']: l['weights'] for l in layers}
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as f:
        write_layers3(f.create_group('layers'), cfg['config']['layers'], weights)
        f.create_group('vars')
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr('metadata.json', json.dumps({'keras_version': KERAS3, 'date_saved': '2026-01-01@00:00:00'}))
        z.writestr('config.json', json.dumps(cfg))
        z.writestr('model.weights.h5', buf.getvalue())


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: write_keras.py DIR')
    root = sys.argv[1]
    n = 0
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.exists(os.path.join(d, 'model.json')):
            continue
        topo, layers = load(d)
        write_h5(os.path.join(d, 'model.h5'), topo, layers)
        write_keras(os.path.join(d, 'model.keras'), topo, layers)
        n += 1
    print('wrote %d models (.h5 and .keras) in %s' % (n, root))


if __name__ == '__main__':
    main()
