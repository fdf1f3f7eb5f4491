#!/usr/bin/env python3
"""Trains the Ocular super-resolution defaults of plan.json on the training photos of
photos.json and exports each to packages/models/assets/ocular-sr/<name>.safetensors (float32,
the state-dict keys of Ocular's builders, in PyTorch order).

    apt-get update                                   # once, for apt-get download
    nice -n 10 /usr/bin/python3 tooling/training/sr/train.py [name ...] [--iters N]

Names default to every model of plan.json, in order (a fine-tuned model after the one it starts
from). A model trains in stages: the plan entry, then each of its `then` continuations (same data,
a fresh cosine schedule from the previous stage's weights); `--stage K` runs only stage K from the
exported weights of stage K-1, which is how longer training was added where a model had not yet
reached its target. Pairs are random patches of the high-resolution images with their low-resolution
counterparts cut from the downscaled whole image (so patch borders see the same filter as the
image), under a random flip / transpose (and, where the plan says `permute`, a random order of the
colour channels). A re-initialised upsampling layer may start from its least-squares fit
(`"init": "lsq"`, lsq.py). Loss: L1 on RGB. Per-model times and final losses go to
training.json next to the weights.
"""
import argparse
import json
import math
import os
import platform
import random
import time

import torch
from torch import nn

from common import ASSETS, build, crop_to_multiple, downscale, load_json, read_safetensors, weights_path, write_safetensors  # noqa: E501
from photos import hr_images
from lsq import FITS
from subpixel import use_subpixel


class Patches:
    """Random aligned (low, high) resolution patch batches of one scale."""

    def __init__(self, images, scale, patch, seed, permute=False):
        self.scale, self.patch, self.permute = scale, patch, permute
        self.pairs = []
        for img in images.values():
            hr = crop_to_multiple(img, scale)
            self.pairs.append((downscale(hr, scale).float() / 255, hr.float() / 255))
        areas = [lr.shape[1] * lr.shape[2] for lr, _ in self.pairs]
        self.weights = [a / sum(areas) for a in areas]
        self.rng = random.Random(seed)

    def batch(self, n):
        s, p = self.scale, self.patch
        xs, ys = [], []
        for _ in range(n):
            lr, hr = self.rng.choices(self.pairs, self.weights)[0]
            y0 = self.rng.randrange(lr.shape[1] - p + 1)
            x0 = self.rng.randrange(lr.shape[2] - p + 1)
            x = lr[:, y0 : y0 + p, x0 : x0 + p]
            y = hr[:, s * y0 : s * (y0 + p), s * x0 : s * (x0 + p)]
            if self.rng.random() < 0.5:
                x, y = x.flip(2), y.flip(2)
            if self.rng.random() < 0.5:
                x, y = x.flip(1), y.flip(1)
            if self.rng.random() < 0.5:
                x, y = x.transpose(1, 2), y.transpose(1, 2)
            if self.permute:
                # Colour channels in random order: no hue is rarer than another, so saturated
                # colours absent from the photos are not mapped to the wrong hue.
                order = self.rng.sample(range(3), 3)
                x, y = x[order], y[order]
            xs.append(x)
            ys.append(y)
        return torch.stack(xs), torch.stack(ys)


def start_from(model, cfg):
    """Copies the parent's tensors of matching shape, except the re-initialised prefixes."""
    if 'from' not in cfg:
        return []
    parent = read_safetensors(weights_path(cfg['from']))
    own = model.state_dict()
    copied = {k: v for k, v in parent.items()
              if k in own and own[k].shape == v.shape and not any(k.startswith(p) for p in cfg.get('reinit', []))}
    model.load_state_dict(copied, strict=False)
    return sorted(copied)


def stages(cfg):
    """The plan entry's stages: the entry itself, then each of its `then` continuations."""
    first = {k: v for k, v in cfg.items() if k != 'then'}
    return [first] + [{**{k: v for k, v in first.items() if k not in ('from', 'reinit')}, **more}
                      for more in cfg.get('then', [])]


def run_stage(name, model, st, images, seed, iters_override=None):
    """One stage: Adam with a cosine decay to 1/100 of its learning rate; exports the weights."""
    torch.manual_seed(seed)
    iters = iters_override or st['iters']
    data = Patches(images, st['scale'], st['patch'], seed, st.get('permute', False))
    opt = torch.optim.Adam(model.parameters(), lr=st['lr'])
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda i: 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * i / iters)))
    loss_fn = nn.L1Loss()
    t0 = time.process_time()
    recent = []
    model.train()
    for i in range(1, iters + 1):
        x, y = data.batch(st['batch'])
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        recent = (recent + [float(loss)])[-100:]
        if i % 100 == 0 or i == iters:
            print(f'{name} {i}/{iters} L1 {sum(recent) / len(recent):.5f} '
                  f'{time.process_time() - t0:.0f}s', flush=True)
    model.eval()
    os.makedirs(ASSETS, exist_ok=True)
    size = write_safetensors(weights_path(name), list(model.state_dict().items()))
    return {'iters': iters, 'cpu_seconds': round(time.process_time() - t0, 1),
            'final_l1': round(sum(recent) / len(recent), 6), 'bytes': size,
            **{k: st[k] for k in ('batch', 'patch', 'lr')}, 'permute': st.get('permute', False),
            'init': st.get('init', 'default')}


def train(name, images, seed, only_stage=None, iters_override=None):
    """Runs a model's stages (or only stage `only_stage`, 1-based, continuing from the exported
    weights: the same computation as a full run, split). Returns the records of the stages run."""
    model, cfg = build(name)
    use_subpixel(model)
    plan = stages(cfg)
    todo = range(len(plan)) if only_stage is None else [only_stage - 1]
    records = []
    for k in todo:
        st = plan[k]
        if k == 0:
            copied = start_from(model, st)
            if st.get('init') == 'lsq':
                FITS[st['arch']](model, Patches(images, st['scale'], st['patch'], seed + 50, st.get('permute', False)))
        else:
            model.load_state_dict(read_safetensors(weights_path(name)), strict=True)
            copied = 'all (previous stage)'
        rec = run_stage(name, model, st, images, seed + 100 * k, iters_override)
        records.append({'stage': k + 1, 'from': st.get('from') if k == 0 else name,
                        'copied': copied, **rec})
    return records


def main():
    plan = load_json('plan.json')
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('names', nargs='*', default=list(plan['models']))
    ap.add_argument('--stage', type=int, help='run only this stage (1-based), continuing from the exported weights')
    ap.add_argument('--iters', type=int, help='override the plan (smoke runs)')
    args = ap.parse_args()
    images = hr_images('train')
    print(f'{len(images)} training images, '
          f'{sum(i.shape[1] * i.shape[2] for i in images.values()) / 1e6:.1f} Mpixel', flush=True)
    for name in args.names:
        records = train(name, images, plan['seed'] + list(plan['models']).index(name), args.stage, args.iters)
        # Re-read before writing: several models may train at once in separate processes.
        log_path = os.path.join(ASSETS, 'training.json')
        log = {}
        if os.path.exists(log_path):
            with open(log_path) as f:
                log = json.load(f)['models']
        cfg = plan['models'][name]
        kept = [r for r in log.get(name, {}).get('stages', []) if r['stage'] < records[0]['stage']]
        done = kept + records
        log[name] = {'arch': cfg['arch'], 'scale': cfg['scale'], 'stages': done,
                     'iters': sum(r['iters'] for r in done),
                     'cpu_seconds': round(sum(r['cpu_seconds'] for r in done), 1)}
        with open(log_path, 'w') as f:
            json.dump({'torch': torch.__version__, 'python': platform.python_version(), 'threads': 1,
                       'models': {n: log[n] for n in plan['models'] if n in log}}, f, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
