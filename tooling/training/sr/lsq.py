"""Least-squares start of a re-initialised upsampling layer (`"init": "lsq"` in plan.json).

When a ×3 or ×4 network starts from the ×2 one, everything but the last (upsampling) layer is
copied; that layer is linear in its weights given the features before it, so its best values for
the L2 loss on a few batches follow in closed form (ridge regression on the normal equations).
Gradient training then starts near the best linear read-out of the copied features instead of
from noise, which short CPU training otherwise spends most of its time recovering from.

* ESPCN: `last_part.0` (3×3 convolution to 3·s² channels, then pixel shuffle).
* FSRCNN: `last_part` (9×9 transposed convolution, stride s), fitted phase by phase in the
  sub-pixel form of subpixel.py (each weight of the transposed convolution is exactly one tap of
  one phase, and all phases share the bias).
"""
import torch
from torch.nn import functional as F

from subpixel import phase_taps


@torch.no_grad()
def _normal_equations(features_of, data, batches, batch, kernel):
    """AᵀA and AᵀT (float64) of unfolded `kernel`×`kernel` feature windows plus a constant column,
    against the pixel-unshuffled high-resolution targets."""
    gram = rhs = None
    for _ in range(batches):
        x, y = data.batch(batch)
        feats = features_of(x)
        a = F.unfold(feats, kernel, padding=kernel // 2)  # [N, C·k·k, h·w]
        a = a.permute(0, 2, 1).reshape(-1, a.shape[1])
        a = torch.cat([a, torch.ones(a.shape[0], 1, dtype=a.dtype)], dim=1)
        t = F.pixel_unshuffle(y, data.scale)
        t = t.permute(0, 2, 3, 1).reshape(-1, t.shape[1])
        # float32 products of one batch (fast), summed over batches in float64.
        g, r = (a.T @ a).double(), (a.T @ t).double()
        gram, rhs = (g, r) if gram is None else (gram + g, rhs + r)
    return gram, rhs


def _solve(gram, rhs, ridge=1e-4):
    lam = ridge * float(gram.diagonal().mean())
    return torch.linalg.solve(gram + lam * torch.eye(gram.shape[0], dtype=gram.dtype), rhs)


@torch.no_grad()
def fit_espcn(model, data, batches=8, batch=16):
    conv = model.last_part[0]
    gram, rhs = _normal_equations(model.first_part, data, batches, batch, conv.kernel_size[0])
    w = _solve(gram, rhs)  # [C·k·k + 1, 3·s²]
    conv.weight.copy_(w[:-1].T.reshape(conv.weight.shape).float())
    conv.bias.copy_(w[-1].float())


@torch.no_grad()
def fit_fsrcnn(model, data, batches=3, batch=16):
    deconv = model.last_part
    taps, r = phase_taps(deconv)  # taps[a][j]: kernel index of phase a at offset j - r, or -1
    size = 2 * r + 1
    s = deconv.stride[0]
    cin, cout, k, _ = deconv.weight.shape
    gram, rhs = _normal_equations(lambda x: model.mid_part(model.first_part(x)), data, batches, batch, size)
    one = cin * size * size  # the constant column
    # Every weight W[ch, c, u, v] is one tap of exactly one phase (a, b), so the joint system of
    # one output channel is block-diagonal in the weights, coupled only through the shared bias.
    n = cin * k * k + 1
    for c in range(cout):
        g = torch.zeros(n, n, dtype=torch.float64)
        h = torch.zeros(n, dtype=torch.float64)
        for a in range(s):
            for b in range(s):
                pos = [(i, j) for i in range(size) for j in range(size) if taps[a][i] >= 0 and taps[b][j] >= 0]
                src = torch.tensor([ch * size * size + i * size + j for ch in range(cin) for i, j in pos])
                dst = torch.tensor([ch * k * k + taps[a][i] * k + taps[b][j] for ch in range(cin) for i, j in pos])
                col = c * s * s + a * s + b
                g[dst[:, None], dst[None, :]] = gram[src[:, None], src[None, :]]
                g[dst, -1] = gram[src, one]
                g[-1, dst] = gram[one, src]
                g[-1, -1] += gram[one, one]
                h[dst] = rhs[src, col]
                h[-1] += rhs[one, col]
        w = _solve(g, h[:, None])[:, 0]
        deconv.weight[:, c] = w[:-1].reshape(cin, k, k).float()
        deconv.bias[c] = float(w[-1])


FITS = {'espcn': fit_espcn, 'fsrcnn': fit_fsrcnn}
