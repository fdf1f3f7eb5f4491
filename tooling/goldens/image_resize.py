#!/usr/bin/env python3
"""Golden fixtures for @ocular/image's `resize`, computed by PyTorch's F.interpolate.

Writes packages/image/test/fixtures/resize_goldens.json: a few seeded small images (float32
values in 0-1 and uint8 values in 0-255; 1, 3 and 4 channels) and, for each case, the output of

    torch.nn.functional.interpolate(x, size=(H, W), mode=mode, align_corners=False (linear and
                                    cubic modes only), antialias=antialias)

for every mode Ocular implements (nearest, nearest-exact, bilinear, bicubic, area, and
bilinear/bicubic with antialias=True) at up-, down-, integer, non-integer and mixed scales.

* float cases: the input is float32 and so is PyTorch's computation and output.
* uint8 cases: PyTorch 1.13 has no uint8 kernels for most modes, so the uint8 input is converted
  to float64, interpolated, then rounded half up (floor(x + 0.5)) and clamped to 0-255 — the
  rounding convention of @ocular/image. `ties` lists the (flat HWC) indices whose float64
  value lies within 1e-6 of a .5 tie, where float rounding may legitimately go either way.

Arrays are stored as base64 of their little-endian bytes (float32 or uint8), images interleaved
(HWC), so the file stays small (well under 1 MB).

How to run (Debian: apt-get install python3-torch; torch 1.13.1, CPU only, nothing downloaded):

    /usr/bin/python3 tooling/goldens/image_resize.py
"""
import base64
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'packages', 'image', 'test', 'fixtures', 'resize_goldens.json')

# (name, mode, antialias)
METHODS = [
    ('nearest', 'nearest', False),
    ('nearest-exact', 'nearest-exact', False),
    ('bilinear', 'bilinear', False),
    ('bicubic', 'bicubic', False),
    ('area', 'area', False),
    ('bilinear', 'bilinear', True),
    ('bicubic', 'bicubic', True),
]

# Input images: (name, height, width, channels, dtype)
INPUTS = [
    ('rgb_f32', 9, 11, 3, 'float32'),
    ('rgb_u8', 9, 11, 3, 'uint8'),
    ('grey_f32', 8, 6, 1, 'float32'),
    ('rgba_u8', 7, 10, 4, 'uint8'),
]

# Output sizes (height, width) per input, relative to the input size: 2x up, non-integer up,
# 1/2 down, non-integer down (strong), mixed (one axis up, one down), same size.
def sizes(h, w):
    return [
        (2 * h, 2 * w),
        (int(h * 2.3) + 1, int(w * 1.7)),
        (h // 2, w // 2),
        (max(1, h // 3), max(1, (w * 2) // 7)),
        (h + 4, max(1, w - 4)),
        (h, w),
    ]


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode('ascii')


def main():
    rng = np.random.default_rng(20240611)
    images = []
    cases = []
    for name, h, w, c, dtype in INPUTS:
        if dtype == 'uint8':
            hwc = rng.integers(0, 256, size=(h, w, c), dtype=np.uint8)
            # A hard edge makes bicubic overshoot, so clamping is exercised.
            hwc[:, : w // 2, 0] = 0
            hwc[:, w // 2 :, 0] = 255
        else:
            hwc = rng.random(size=(h, w, c), dtype=np.float32)
        images.append(dict(name=name, height=h, width=w, channels=c, dtype=dtype, data=b64(hwc)))
        for oh, ow in sizes(h, w):
            for method, mode, aa in METHODS:
                if dtype == 'uint8':
                    x = torch.from_numpy(hwc.astype(np.float64)).permute(2, 0, 1)[None]
                else:
                    x = torch.from_numpy(hwc).permute(2, 0, 1)[None]
                kwargs = dict(size=(oh, ow), mode=mode)
                if mode in ('bilinear', 'bicubic'):
                    kwargs['align_corners'] = False
                    kwargs['antialias'] = aa
                y = F.interpolate(x, **kwargs)[0].permute(1, 2, 0).numpy()
                case = dict(input=name, method=method, antialias=aa, height=oh, width=ow)
                if dtype == 'uint8':
                    # Where the float64 value is within 1e-6 of a .5 tie, float rounding in
                    # any implementation may fall either way: list those flat indices.
                    frac = y - np.floor(y)
                    near = np.abs(frac - 0.5) < 1e-6
                    case['ties'] = [int(i) for i in np.flatnonzero(near.reshape(-1))]
                    y = np.clip(np.floor(y + 0.5), 0, 255).astype(np.uint8)
                else:
                    y = y.astype(np.float32)
                case['data'] = b64(y)
                cases.append(case)
    doc = dict(
        generator='tooling/goldens/image_resize.py',
        torch=torch.__version__,
        note='F.interpolate(align_corners=False); uint8 = round-half-up(clamp) of the float64 result',
        images=images,
        cases=cases,
    )
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(doc, f, indent=0)
        f.write('\n')
    print(f'wrote {len(cases)} cases to {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
