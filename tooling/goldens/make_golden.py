#!/usr/bin/env python3
"""Golden fixtures for @ocular/cnn families that the shared reference data lacks.

Writes, into packages/cnn/test/fixtures/:

* replknet_tiny.safetensors + replknet_tiny.json: a tiny RepLKNet (the 31B kernel sizes
  31/29/27/13 with small kernel 5, one block pair per stage, widths 8/16/24/32, 10 classes),
  built by the authors' reference implementation, with seeded random weights (batch-norm
  statistics included), a seeded input, float32 and float64 logits, the four stage outputs, and
  the logits after the reference implementation's own `structural_reparam()`.
* replknet_counts.json: parameter counts and state-dict key/shape lists' sha256 of the full-size
  RepLKNet-31B / 31L, as the reference implementation builds them.
* byobnet_counts.json: the same facts for timm's repvgg_a0/a1/a2/b0 and mobileone_s0..s4.

Nothing here downloads weights; every model starts from its own initialisation plus the seeded
overwrites below.

How to run (Debian bookworm: `apt-get install python3-torch python3-torchvision`, torch 1.13.1):

    git -C <pytorch-image-models clone> archive aa4b5850c1543fa488abf260f18390eda46cf85d timm \
        | tar -x -C /tmp/timm_src
    git -C <RepLKNet-pytorch clone> show b76808ac2c763eaed6af9d286c6163c9345b4d5f:replknet.py \
        > /tmp/replknet_src/replknet.py
    PYTHONPATH=/tmp/timm_src:/tmp/replknet_src /usr/bin/python3 tooling/goldens/make_golden.py

Neither timm nor the RepLKNet source is part of this repository; they are imported from
PYTHONPATH only. The safetensors file is written by hand (the format is an 8-byte little-endian
header length, a JSON header, then the raw little-endian tensors) so no extra package is needed;
keys keep the model's state-dict order.
"""
import hashlib
import json
import os
import struct
import sys
import time

import torch

REPLKNET_COMMIT = 'b76808ac2c763eaed6af9d286c6163c9345b4d5f'
TIMM_COMMIT = 'aa4b5850c1543fa488abf260f18390eda46cf85d'
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'packages', 'cnn', 'test', 'fixtures')

TINY = dict(
    large_kernel_sizes=[31, 29, 27, 13],
    layers=[1, 1, 1, 1],
    channels=[8, 16, 24, 32],
    small_kernel=5,
)


def write_safetensors(path, tensors):
    """tensors: list of (key, torch.Tensor), written in order."""
    header = {}
    blobs = []
    offset = 0
    for key, t in tensors:
        t = t.detach().contiguous().cpu()
        dtype = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64'}[t.dtype]
        raw = t.numpy().tobytes()
        header[key] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(',', ':')).encode()
    head += b' ' * ((8 - len(head) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    return 8 + len(head) + offset


def layout_digest(model):
    lines = [f'{k} {list(v.shape)}' for k, v in model.state_dict().items()]
    return {
        'param_count': sum(p.numel() for p in model.parameters()),
        'state_dict_len': len(lines),
        'state_dict_sha256': hashlib.sha256('\n'.join(lines).encode()).hexdigest(),
    }


def randomize(model, seed):
    """Seeded non-trivial values for every float tensor, batch-norm statistics included."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for key, t in model.state_dict().items():
            if not t.is_floating_point():
                continue
            if key.endswith('running_var') or (t.dim() == 1 and key.endswith('.weight')):
                t.copy_(0.5 + torch.rand(t.shape, generator=g))
            elif t.dim() == 4:
                fan_in = t.shape[1] * t.shape[2] * t.shape[3]
                t.copy_((torch.rand(t.shape, generator=g) - 0.5) * (2 / fan_in ** 0.5))
            else:
                t.copy_((torch.rand(t.shape, generator=g) - 0.5) * 0.4)


def stage_outputs(model, x):
    """The reference forward_features, keeping each stage's output (its `out_indices` path)."""
    x = model.stem[0](x)
    for layer in model.stem[1:]:
        x = layer(x)
    outs = []
    for i in range(model.num_stages):
        x = model.stages[i](x)
        outs.append(x)
        if i < model.num_stages - 1:
            x = model.transitions[i](x)
    return x, outs


def replknet_golden(replknet):
    torch.manual_seed(0)
    model = replknet.RepLKNet(num_classes=10, drop_path_rate=0.0, use_sync_bn=False, **TINY).eval()
    randomize(model, 2024)
    x = torch.randn((2, 3, 64, 64), generator=torch.Generator().manual_seed(123))
    with torch.no_grad():
        logits = model(x)
        feats, stages = stage_outputs(model, x)
        m64 = replknet.RepLKNet(num_classes=10, drop_path_rate=0.0, use_sync_bn=False, **TINY).double().eval()
        m64.load_state_dict({k: v.double() if v.is_floating_point() else v for k, v in model.state_dict().items()})
        logits64 = m64(x.double())
        feats64, _ = stage_outputs(m64, x.double())
        weights = list(model.state_dict().items())
        model.structural_reparam()
        logits_reparam = model(x)
    io = [
        ('io.input', x),
        ('io.logits', logits),
        ('io.forward_features', feats),
        ('io.logits_f64', logits64),
        ('io.forward_features_f64', feats64),
        ('io.logits_reparam', logits_reparam),
    ] + [(f'io.features.{i}', s) for i, s in enumerate(stages)]
    path = os.path.join(OUT, 'replknet_tiny.safetensors')
    size = write_safetensors(path, weights + io)
    diff = (logits.double() - logits64).abs().max().item()
    sidecar = {
        'name': 'replknet_tiny',
        'source': (
            f'DingXiaoH/RepLKNet-pytorch replknet.py (git {REPLKNET_COMMIT}), timm {TIMM_COMMIT} for DropPath, '
            f'torch {torch.__version__} (Debian python3-torch 1.13.1+dfsg), CPU'
        ),
        'script': 'tooling/goldens/make_golden.py',
        'build': {
            'call': 'replknet.RepLKNet(num_classes=10, drop_path_rate=0.0, use_sync_bn=False, **kwargs).eval()',
            'kwargs': TINY,
            'ocular': {'arch': 'replknet_31b', 'kwargs': {'layers': TINY['layers'], 'channels': TINY['channels']}},
        },
        'weights': 'torch.manual_seed(0) init, then every float tensor overwritten from torch.Generator seed 2024 '
                   '(running_var and norm weights U[0.5, 1.5), conv weights U(-1, 1)/sqrt(fan_in), others U[-0.2, 0.2))',
        'state_dict_keys': [k for k, _ in weights],
        'input': {'key': 'io.input', 'shape': list(x.shape),
                  'generation': 'torch.randn(shape, generator=torch.Generator().manual_seed(123))'},
        'outputs': {
            'logits': list(logits.shape),
            'forward_features': list(feats.shape),
            'features': [list(s.shape) for s in stages],
            'logits_reparam': 'logits after the reference structural_reparam() (small kernel folded into lkb_reparam)',
        },
        'float32_vs_float64_max_abs': diff,
        'suggested_tolerance': {'atol': max(diff * 10, 1e-5)},
        'file': {'path': 'packages/cnn/test/fixtures/replknet_tiny.safetensors', 'bytes': size},
    }
    with open(os.path.join(OUT, 'replknet_tiny.json'), 'w') as f:
        json.dump(sidecar, f, indent=1)
        f.write('\n')


def replknet_counts(replknet):
    out = {'source': f'DingXiaoH/RepLKNet-pytorch replknet.py (git {REPLKNET_COMMIT})'}
    for name, channels in (('replknet_31b', [128, 256, 512, 1024]), ('replknet_31l', [192, 384, 768, 1536])):
        m = replknet.RepLKNet(large_kernel_sizes=[31, 29, 27, 13], layers=[2, 2, 18, 2], channels=channels,
                              drop_path_rate=0.0, small_kernel=5, num_classes=1000, use_sync_bn=False)
        out[name] = layout_digest(m)
        m.structural_reparam()
        out[name]['reparameterized'] = layout_digest(m)
    with open(os.path.join(OUT, 'replknet_counts.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


def byobnet_counts():
    import timm
    out = {'source': f'timm {timm.__version__} (git {TIMM_COMMIT})'}
    for name in ['repvgg_a0', 'repvgg_a1', 'repvgg_a2', 'repvgg_b0',
                 'mobileone_s0', 'mobileone_s1', 'mobileone_s2', 'mobileone_s3', 'mobileone_s4']:
        out[name] = layout_digest(timm.create_model(name))
    with open(os.path.join(OUT, 'byobnet_counts.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    t = time.time()
    import replknet  # the authors' file, from PYTHONPATH
    replknet.print = lambda *a, **k: None  # it prints every block's drop path
    replknet_golden(replknet)
    replknet_counts(replknet)
    byobnet_counts()
    print(f'wrote {OUT} in {time.time() - t:.1f}s', file=sys.stderr)


if __name__ == '__main__':
    main()
