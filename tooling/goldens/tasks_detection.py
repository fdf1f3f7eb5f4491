#!/usr/bin/env python3
"""Golden fixtures for @ocular/tasks' torchvision-compatible backbones and detectors.

Writes, into packages/tasks/test/fixtures/ (each a safetensors file plus a JSON sidecar saying
how it was built):

* det_mobilenet_v3_large.safetensors: torchvision `mobilenet_v3_large(width_mult=0.1,
  reduced_tail=True, dilated=True, num_classes=10)` with seeded random weights (batch-norm
  statistics included), a seeded 1x3x48x48 input, its logits and the outputs of `features`
  indices 1, 4, 7, 13 and 16.
* det_mobilenet_v3_small.safetensors: the same for `mobilenet_v3_small(width_mult=0.1)`,
  input 1x3x32x32, features 0, 3, 8, 12.

Weights are stored under the model's own state-dict keys; the input and reference outputs under
`io.*`. Nothing is downloaded: every builder is called with weights=None.

How to run (Debian bookworm: `apt-get install python3-torch python3-torchvision`, torch 1.13.1,
torchvision 0.14.1):

    /usr/bin/python3 tooling/goldens/tasks_detection.py

The safetensors writer is the hand-written one of make_golden.py (8-byte little-endian header
length, JSON header, raw little-endian tensors), so no extra package is needed.
"""
import json
import os
import struct

import torch
import torchvision

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'packages', 'tasks', 'test', 'fixtures')


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
                t.copy_((torch.rand(t.shape, generator=g) - 0.5) * (2 * 3 ** 0.5 / fan_in ** 0.5))
            else:
                t.copy_((torch.rand(t.shape, generator=g) - 0.5) * 0.4)


def save(name, model, io, sidecar):
    tensors = list(model.state_dict().items()) + [(f'io.{k}', v) for k, v in io.items()]
    size = write_safetensors(os.path.join(OUT, f'{name}.safetensors'), tensors)
    sidecar = {
        'torch': torch.__version__,
        'torchvision': torchvision.__version__,
        'param_count': sum(p.numel() for p in model.parameters()),
        'io_shapes': {k: list(v.shape) for k, v in io.items()},
        **sidecar,
    }
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(sidecar, f, indent=2)
        f.write('\n')
    print(f'{name}: {size} bytes')


def mobilenet(name, builder, kwargs, size, indices, seed):
    torch.manual_seed(seed)
    model = getattr(torchvision.models, builder)(weights=None, **kwargs).eval()
    randomize(model, seed)
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.rand(1, 3, size, size, generator=g) * 2 - 1
    io = {'input': x}
    with torch.no_grad():
        io['logits'] = model(x)
        y = x
        for i, layer in enumerate(model.features):
            y = layer(y)
            if i in indices:
                io[f'features.{i}'] = y
    save(name, model, io, {
        'build': f'torchvision.models.{builder}(weights=None, **kwargs)',
        'kwargs': kwargs,
        'feature_indices': indices,
        'seed': seed,
    })


def main():
    os.makedirs(OUT, exist_ok=True)
    mobilenet('det_mobilenet_v3_large', 'mobilenet_v3_large',
              {'width_mult': 0.1, 'reduced_tail': True, 'dilated': True, 'num_classes': 10},
              48, [1, 4, 7, 13, 16], 11)
    mobilenet('det_mobilenet_v3_small', 'mobilenet_v3_small',
              {'width_mult': 0.1, 'num_classes': 10}, 32, [0, 3, 8, 12], 12)


if __name__ == '__main__':
    main()
