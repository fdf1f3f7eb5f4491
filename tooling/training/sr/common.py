"""Shared by the super-resolution training scripts: paths, the networks, the degradation and the
Y-channel PSNR.

The networks are imported from tooling/goldens/tasks_sr.py, the PyTorch definitions whose
state-dict keys and outputs the Ocular builders (packages/tasks/src/sr) are tested against, so a
state dict trained here loads into Ocular with `strict: true`.

Conventions (the same as Ocular's SR networks and @ocular/image):

* images are RGB, `[3, H, W]` uint8 tensors; networks take `[N, 3, h, w]` float32 in 0-1 and
  return RGB in 0-1, decoded to 8 bits by clamping and rounding half up;
* the low-resolution input is the high-resolution image (cropped to a multiple of the scale)
  downscaled with antialiased bicubic (PyTorch `antialias=True`, as MATLAB's `imresize`),
  computed in float64 and rounded half up to uint8;
* the bicubic baseline is the centre-aligned bicubic upscale (a = -0.75, `align_corners=False`)
  of that same input, rounded the same way;
* PSNR is measured on ITU-R BT.601 luma (`16 + 65.481 R + 128.553 G + 24.966 B`, RGB in 0-1)
  with `scale` pixels shaved from every border.
"""
import json
import math
import os
import sys

import torch
from torch.nn import functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))
ASSETS = os.path.join(ROOT, 'packages', 'models', 'assets', 'ocular-sr')
SAMPLES = os.path.join(ROOT, 'apps', 'cli', 'samples')
CACHE = os.environ.get('OCULAR_SR_CACHE', os.path.join(os.path.expanduser('~'), '.cache', 'ocular-sr'))

sys.path.insert(0, os.path.join(ROOT, 'tooling', 'goldens'))
from tasks_sr import ESPCN, FSRCNN, IMDN, IMDN_RTC, write_safetensors  # noqa: E402

# One core: the training machines are shared, and single-threaded runs are reproducible.
torch.set_num_threads(1)

ARCHS = {
    'espcn': lambda scale: ESPCN(scale),
    'fsrcnn': lambda scale: FSRCNN(scale),
    'imdn_rtc': lambda scale: IMDN_RTC(scale),
    'imdn': lambda scale: IMDN(scale),
}


def load_json(name):
    with open(os.path.join(HERE, name)) as f:
        return json.load(f)


def build(name):
    """The untrained network of a plan entry (plan.json)."""
    cfg = load_json('plan.json')['models'][name]
    return ARCHS[cfg['arch']](cfg['scale']), cfg


def round_u8(x):
    """float (0-255 scale) -> uint8, rounded half up and clamped (as @ocular/image's `toByte`)."""
    return torch.floor(x + 0.5).clamp(0, 255).to(torch.uint8)


def crop_to_multiple(hr, scale):
    h, w = hr.shape[-2:]
    return hr[..., : h - h % scale, : w - w % scale]


def resize_u8(img, height, width, antialias):
    """Bicubic resize of a uint8 `[3, H, W]` image in float64, rounded to uint8."""
    x = img[None].to(torch.float64)
    y = F.interpolate(x, size=(height, width), mode='bicubic', align_corners=False, antialias=antialias)
    return round_u8(y)[0]


def downscale(hr, scale):
    """The low-resolution input of a high-resolution image already cropped to a multiple of `scale`."""
    h, w = hr.shape[-2:]
    return resize_u8(hr, h // scale, w // scale, antialias=True)


def bicubic_up(lr, scale):
    h, w = lr.shape[-2:]
    return resize_u8(lr, h * scale, w * scale, antialias=False)


def luma(img):
    """BT.601 Y (16-235) of a uint8 `[3, H, W]` image, float64."""
    x = img.to(torch.float64) / 255
    return 16 + 65.481 * x[0] + 128.553 * x[1] + 24.966 * x[2]


def psnr_y(test, ref, shave):
    a = luma(test)[shave:-shave, shave:-shave]
    b = luma(ref)[shave:-shave, shave:-shave]
    mse = float(((a - b) ** 2).mean())
    return math.inf if mse == 0 else 10 * math.log10(255 * 255 / mse)


@torch.no_grad()
def upscale_u8(model, lr):
    """Runs a network on a uint8 image and decodes as Ocular does (clamp to 0-1, x255, round)."""
    x = lr[None].to(torch.float32) / 255
    y = model(x)[0]
    return torch.floor(y.clamp(0, 1) * 255 + 0.5).to(torch.uint8)


def read_image(path):
    """A JPEG/PNG as a uint8 `[3, H, W]` tensor (EXIF orientation applied, alpha dropped)."""
    import numpy as np
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im).convert('RGB')
        arr = np.asarray(im, dtype=np.uint8).copy()
    return torch.from_numpy(arr).permute(2, 0, 1).contiguous()


def shrink_long_side(img, long_side):
    """Antialiased bicubic downscale so the longer side is `long_side` (no-op when already smaller)."""
    h, w = img.shape[-2:]
    if max(h, w) <= long_side:
        return img
    k = long_side / max(h, w)
    return resize_u8(img, round(h * k), round(w * k), antialias=True)


def read_safetensors(path):
    """{key: tensor} of a float32 safetensors file (the format `write_safetensors` writes)."""
    import struct

    import numpy as np

    with open(path, 'rb') as f:
        (n,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for key, spec in header.items():
        if key == '__metadata__':
            continue
        if spec['dtype'] != 'F32':
            raise ValueError(f'{path}: {key} is {spec["dtype"]}, expected F32')
        a, b = spec['data_offsets']
        out[key] = torch.from_numpy(np.frombuffer(data[a:b], dtype='<f4').copy()).reshape(spec['shape'])
    return out


def weights_path(name):
    return os.path.join(ASSETS, f'{name}.safetensors')
