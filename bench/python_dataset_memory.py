#!/usr/bin/python3
"""Peak RSS of int8 conversions whose representative_dataset is a Python
generator, for growing sample counts: streamed samples keep it flat. The same
samples held in one list first are shown for contrast.

  PYTHONPATH=build/python /usr/bin/python3 bench/python_dataset_memory.py [RUNS]

Each measurement runs in a fresh process (VmHWM is a high-water mark);
the table gives the median of RUNS runs (default 3)."""

import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# The peak is the process's VmHWM: ru_maxrss would keep the parent's peak
# across fork + exec (Linux keeps it through execve), VmHWM starts afresh.
CHILD = r'''
import sys
def vm_hwm_kb():
    with open("/proc/self/status") as f:
        return int([l for l in f if l.startswith("VmHWM:")][0].split()[1])
import numpy as np
sys.path.insert(0, sys.argv[4])
import model_gen
import tflite_converter as tflc
n, mode, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def sample(i):
    return [np.random.default_rng(i).uniform(-1, 1, (1, 4096)).astype(np.float32)]
c = tflc.TFLiteConverter.from_keras_model(path)
c.optimizations = [tflc.Optimize.DEFAULT]
before = vm_hwm_kb()
if mode == "generator":
    c.representative_dataset = lambda: (sample(i) for i in range(n))
else:
    held = [sample(i) for i in range(n)]
    c.representative_dataset = lambda: iter(held)
c.convert()
after = vm_hwm_kb()
print(before, after)
'''


def peak_rss_mb(n, mode, model_path):
    """Peak RSS (MB) of a fresh process converting model_path in int8 with n
    samples from a generator (mode "generator") or from a list ("list")."""
    tests = os.path.join(HERE, "..", "tests", "python")
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), mode, model_path, tests], check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[1]) / 1024


def write_model(path):
    sys.path.insert(0, os.path.join(HERE, "..", "tests", "python"))
    import model_gen
    model_gen.write(model_gen.mlp(n_in=4096, hidden=64, n_out=10), path)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "mlp.keras")
        write_model(path)
        print("| samples (1x4096 float32, 16 KB each) | generator: peak RSS MB | held in a list: peak RSS MB |")
        print("|---:|---:|---:|")
        for n in (100, 1000, 10000):
            row = []
            for mode in ("generator", "list"):
                peaks = [peak_rss_mb(n, mode, path) for _ in range(runs)]
                row.append("%.1f" % statistics.median(peaks))
            print("| %d | %s | %s |" % (n, row[0], row[1]))


if __name__ == "__main__":
    main()
