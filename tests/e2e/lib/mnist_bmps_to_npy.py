#!/usr/bin/python3
"""Turns a folder of MNIST .bmp images (TinyMaix's tools/quant_img_mnist) into a
representative dataset for tflite_convert: an .npz with one float32 array of
shape [N, 28, 28, 1], pixels scaled to 0..1 as TinyMaix's h5_to_tflite.py does
with norm_type "0to1" (img / 255.0).

usage: mnist_bmps_to_npy.py BMP_DIR OUT.npz [--key=NAME] [--limit=N]

The array is stored as arr_0 (model input 0) unless --key names the input.
When every file name starts with its digit label ("7_123.bmp"), the labels
go to OUT_labels.npy (int32, same order). Files are ordered by the number in
their name, then by name.
BMP parsing is our own (no PIL): uncompressed 8-bit paletted (grey palette)
and 24/32-bit images.
"""
import os
import re
import struct
import sys

import numpy as np


def read_bmp(path):
    """Returns a uint8 array [H, W] (grey) or [H, W, 3] (RGB), as PIL would."""
    with open(path, "rb") as f:
        b = f.read()
    if len(b) < 54 or b[:2] != b"BM":
        raise ValueError(f"{path}: not a BMP file")
    data_off = struct.unpack_from("<I", b, 10)[0]
    dib = struct.unpack_from("<I", b, 14)[0]
    if dib < 40:
        raise ValueError(f"{path}: old OS/2 BMP header not supported")
    width, height = struct.unpack_from("<ii", b, 18)
    bpp = struct.unpack_from("<H", b, 28)[0]
    compression = struct.unpack_from("<I", b, 30)[0]
    colors = struct.unpack_from("<I", b, 46)[0]
    if compression not in (0, 3) or (compression == 3 and bpp != 32):
        raise ValueError(f"{path}: compressed BMP (type {compression}) not supported")
    if width <= 0 or height == 0 or bpp not in (8, 24, 32):
        raise ValueError(f"{path}: {width}x{height} at {bpp} bits per pixel not supported")
    top_down = height < 0
    h = abs(height)
    stride = (bpp * width + 31) // 32 * 4
    if data_off + stride * h > len(b):
        raise ValueError(f"{path}: truncated pixel data")
    rows = np.frombuffer(b, np.uint8, stride * h, data_off).reshape(h, stride)
    if not top_down:
        rows = rows[::-1]
    if bpp == 8:
        n = colors or 256
        pal_off = 14 + dib
        if pal_off + 4 * n > data_off:
            raise ValueError(f"{path}: palette runs into the pixel data")
        pal = np.frombuffer(b, np.uint8, 4 * n, pal_off).reshape(n, 4)[:, :3]  # B, G, R
        idx = rows[:, :width]
        if idx.max() >= n:
            raise ValueError(f"{path}: pixel index beyond the palette")
        if np.all(pal[:, 0] == pal[:, 1]) and np.all(pal[:, 1] == pal[:, 2]):
            return pal[idx, 0]  # grey palette: PIL opens it as mode "L"
        return pal[idx][:, :, ::-1]
    px = bpp // 8
    img = rows[:, : width * px].reshape(h, width, px)[:, :, :3]
    return img[:, :, ::-1]  # BGR -> RGB


def order_key(name):
    m = re.search(r"\d+", name)
    return (int(m.group()) if m else -1, name)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    if len(args) != 2:
        print("usage: mnist_bmps_to_npy.py BMP_DIR OUT.npz [--key=NAME] [--limit=N]", file=sys.stderr)
        return 2
    src, out = args
    names = sorted((n for n in os.listdir(src) if n.lower().endswith(".bmp")), key=order_key)
    if "limit" in opts:
        names = names[: int(opts["limit"])]
    if not names:
        print(f"error: no .bmp files in {src}", file=sys.stderr)
        return 1
    imgs = []
    for n in names:
        img = read_bmp(os.path.join(src, n)).astype(np.float32)
        if img.ndim == 2:
            img = img[:, :, None]
        imgs.append(img / 255.0)
    shapes = {i.shape for i in imgs}
    if len(shapes) != 1:
        print(f"error: images differ in size: {sorted(shapes)}", file=sys.stderr)
        return 1
    arr = np.stack(imgs).astype(np.float32)
    key = opts.get("key", "arr_0")
    np.savez(out, **{key: arr})
    labels = [re.match(r"(\d)[_-]", n) for n in names]
    if all(labels):
        lab_path = re.sub(r"\.npz$", "", out) + "_labels.npy"
        np.save(lab_path, np.array([int(m.group(1)) for m in labels], np.int32))
        print(f"labels -> {lab_path}")
    print(f"{out}: {key} {list(arr.shape)} float32, range [{arr.min():.3f}, {arr.max():.3f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
