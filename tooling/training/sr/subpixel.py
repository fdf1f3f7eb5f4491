"""FSRCNN's strided transposed convolution computed as a convolution on the low-resolution grid
followed by a pixel shuffle, for training speed only.

PyTorch's CPU `conv_transpose2d` (and its backward) is about ten times slower here than a plain
convolution of the same arithmetic. Output phase (a, b) of a stride-s transposed convolution
with kernel k and padding p is a correlation of the input with the taps
`W[a + p - s·m, b + p - s·n]` at offsets (m, n); stacking the s² phases as channels and pixel
shuffling gives exactly the transposed convolution (checked by `check`). The parameters stay those
of the `nn.ConvTranspose2d`, so state-dict keys and exported weights are unchanged.
"""
import torch
from torch import nn
from torch.nn import functional as F


def phase_taps(deconv):
    """(taps, r): `taps[a][j]` is the kernel index that output phase `a` applies to the input at
    offset `j - r` (-1 where none); the same table serves both axes."""
    k, s, p = deconv.kernel_size[0], deconv.stride[0], deconv.padding[0]
    # Offsets m with a tap for some phase a: 0 <= a + p - s*m < k.
    ms = [m for m in range(-k, k + 1) if any(0 <= a + p - s * m < k for a in range(s))]
    r = max(abs(m) for m in ms)
    taps = [[t if 0 <= (t := a + p - s * m) < k else -1 for m in range(-r, r + 1)] for a in range(s)]
    return taps, r


def _phase_weight(deconv):
    w = deconv.weight  # [in, out, k, k]
    cin, cout, k, _ = w.shape
    taps, r = phase_taps(deconv)
    size = 2 * r + 1
    idx = torch.tensor(taps, dtype=torch.long)
    wp = F.pad(w, (0, 1, 0, 1))  # index k (past the end) reads zero
    idx = torch.where(idx < 0, torch.full_like(idx, k), idx)
    # v[cin, cout, a, m, b, n] = W[cin, cout, idx[a, m], idx[b, n]]
    v = wp[:, :, idx[:, :, None, None], idx[None, None, :, :]]
    v = v.permute(1, 2, 4, 0, 3, 5).reshape(cout * deconv.stride[0] ** 2, cin, size, size)
    return v, r


def subpixel_forward(deconv, x):
    v, r = _phase_weight(deconv)
    s = deconv.stride[0]
    y = F.conv2d(x, v, padding=r)
    return F.pixel_shuffle(y, s) + deconv.bias.view(1, -1, 1, 1)


def use_subpixel(model):
    """Makes every stride > 1 `nn.ConvTranspose2d` of `model` compute as `subpixel_forward`."""
    for mod in model.modules():
        if isinstance(mod, nn.ConvTranspose2d) and mod.stride[0] > 1:
            check(mod)
            mod.forward = lambda x, m=mod: subpixel_forward(m, x)
    return model


def check(deconv):
    x = torch.rand(1, deconv.in_channels, 7, 6, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        want = nn.ConvTranspose2d.forward(deconv, x)
        got = subpixel_forward(deconv, x)
    if want.shape != got.shape or float((want - got).abs().max()) > 1e-5 * max(1.0, float(want.abs().max())):
        raise AssertionError(f'sub-pixel deconvolution differs: {tuple(want.shape)} vs {tuple(got.shape)}')
