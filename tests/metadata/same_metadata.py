"""Compares two metadata JSONs (tflite_metadata show) for meaning: the
second may add min_parser_version, and may hold an empty table where the
first has a union type with no table.
  python3 same_metadata.py before.json after.json"""
import json
import sys


def norm(x):
    if isinstance(x, dict):
        out = {k: norm(v) for k, v in x.items() if k != "min_parser_version"}
        for k in list(out):
            if k.endswith("_type") and k[:-5] not in out:
                out[k[:-5]] = {}
        return out
    if isinstance(x, list):
        return [norm(v) for v in x]
    return x


a, b = (json.load(open(p)) for p in sys.argv[1:3])
if norm(a) != norm(b):
    print("metadata differs:", json.dumps(norm(a))[:300], "vs", json.dumps(norm(b))[:300])
    sys.exit(1)
