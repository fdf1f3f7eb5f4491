#!/usr/bin/env python3
"""Golden fixtures of the @ocular/tasks super-resolution networks.

Writes, into packages/tasks/test/fixtures/, one `sr_<name>.safetensors` per case (the model's
state dict in PyTorch order, then `io.input` and `io.output`) and `sr_goldens.json` (per case: the
Ocular builder and its options, the input and output shapes, the state-dict keys in order, the
parameter count and the output's value range).

The networks are PyTorch implementations written here from the papers and the architectures of
the public reference code, with the same module names so the state-dict keys match:

* ESPCN (Shi et al. 2016) as yjn870/ESPCN-pytorch `models.py` (`first_part`, `last_part`), RGB.
* FSRCNN (Dong et al. 2016) as yjn870/FSRCNN-pytorch `models.py` (`first_part`, `mid_part`,
  `last_part`; the deconvolution has padding 4 and output_padding scale - 1), RGB.
* IMDN and IMDN_RTC as Zheng222/IMDN `model/architecture.py` + `model/block.py` (IMDN's module
  count is a parameter here; the official class fixes six).
* RRDBNet as XPixelGroup/BasicSR `basicsr/archs/rrdbnet_arch.py` (ESRGAN / Real-ESRGAN), scales
  4, 2 and 1 (pixel-unshuffle input for 2 and 1).

Weights are seeded random values (PyTorch's default init is replaced so every tensor, PReLU
slopes and biases included, is non-trivial); inputs are seeded uniform 0-1 RGB. Nothing is
downloaded.

How to run (Debian bookworm: `apt-get install python3-torch`, torch 1.13.1):

    /usr/bin/python3 tooling/goldens/tasks_sr.py

The safetensors files are written by hand (8-byte little-endian header length, JSON header,
raw little-endian tensors), keys in state-dict order.
"""
import json
import os
import struct
import sys

import torch
from torch import nn
from torch.nn import functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'packages', 'tasks', 'test', 'fixtures')


def write_safetensors(path, tensors):
    """tensors: list of (key, torch.Tensor), written in order."""
    header = {}
    blobs = []
    offset = 0
    for key, t in tensors:
        t = t.detach().contiguous().cpu().float()
        raw = t.numpy().tobytes()
        header[key] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
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


# ---- ESPCN ---------------------------------------------------------------------------------------

class ESPCN(nn.Module):
    def __init__(self, scale, num_channels=3, feat=(64, 32)):
        super().__init__()
        self.first_part = nn.Sequential(
            nn.Conv2d(num_channels, feat[0], 5, padding=2), nn.Tanh(),
            nn.Conv2d(feat[0], feat[1], 3, padding=1), nn.Tanh())
        self.last_part = nn.Sequential(
            nn.Conv2d(feat[1], num_channels * scale ** 2, 3, padding=1), nn.PixelShuffle(scale))

    def forward(self, x):
        return self.last_part(self.first_part(x))


# ---- FSRCNN --------------------------------------------------------------------------------------

class FSRCNN(nn.Module):
    def __init__(self, scale, num_channels=3, d=56, s=12, m=4):
        super().__init__()
        self.first_part = nn.Sequential(nn.Conv2d(num_channels, d, 5, padding=2), nn.PReLU(d))
        mid = [nn.Conv2d(d, s, 1), nn.PReLU(s)]
        for _ in range(m):
            mid += [nn.Conv2d(s, s, 3, padding=1), nn.PReLU(s)]
        mid += [nn.Conv2d(s, d, 1), nn.PReLU(d)]
        self.mid_part = nn.Sequential(*mid)
        self.last_part = nn.ConvTranspose2d(d, num_channels, 9, stride=scale, padding=4,
                                            output_padding=scale - 1)

    def forward(self, x):
        return self.last_part(self.mid_part(self.first_part(x)))


# ---- IMDN ----------------------------------------------------------------------------------------

def conv(cin, cout, k, stride=1):
    return nn.Conv2d(cin, cout, k, stride, padding=(k - 1) // 2)


def stdv_channels(x):
    mean = x.mean(dim=(2, 3), keepdim=True)
    var = (x - mean).pow(2).sum(3, keepdim=True).sum(2, keepdim=True) / (x.size(2) * x.size(3))
    return var.pow(0.5)


class CCALayer(nn.Module):
    def __init__(self, channel, reduction=16):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.conv_du = nn.Sequential(
            nn.Conv2d(channel, channel // reduction, 1), nn.ReLU(),
            nn.Conv2d(channel // reduction, channel, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.conv_du(stdv_channels(x) + self.avg_pool(x))


class IMDModule(nn.Module):
    """With `cca` the IMDN block (c5 on all channels after CCA); without, IMDN_RTC's `_speed`."""

    def __init__(self, nf, cca=True, rate=0.25):
        super().__init__()
        self.dc = int(nf * rate)
        self.rc = nf - self.dc
        self.c1 = conv(nf, nf, 3)
        self.c2 = conv(self.rc, nf, 3)
        self.c3 = conv(self.rc, nf, 3)
        self.c4 = conv(self.rc, self.dc, 3)
        self.act = nn.LeakyReLU(0.05)
        self.c5 = conv(nf if cca else self.dc * 4, nf, 1)
        self.cca = CCALayer(self.dc * 4) if cca else None

    def forward(self, x):
        d1, r1 = torch.split(self.act(self.c1(x)), (self.dc, self.rc), dim=1)
        d2, r2 = torch.split(self.act(self.c2(r1)), (self.dc, self.rc), dim=1)
        d3, r3 = torch.split(self.act(self.c3(r2)), (self.dc, self.rc), dim=1)
        out = torch.cat([d1, d2, d3, self.c4(r3)], dim=1)
        if self.cca is not None:
            out = self.cca(out)
        return self.c5(out) + x


class IMDN(nn.Module):
    def __init__(self, upscale, in_nc=3, nf=64, num_modules=6, out_nc=3):
        super().__init__()
        self.n = num_modules
        self.fea_conv = conv(in_nc, nf, 3)
        for i in range(num_modules):
            setattr(self, f'IMDB{i + 1}', IMDModule(nf))
        self.c = nn.Sequential(nn.Conv2d(nf * num_modules, nf, 1), nn.LeakyReLU(0.05))
        self.LR_conv = conv(nf, nf, 3)
        self.upsampler = nn.Sequential(conv(nf, out_nc * upscale ** 2, 3), nn.PixelShuffle(upscale))

    def forward(self, x):
        fea = self.fea_conv(x)
        outs = []
        h = fea
        for i in range(self.n):
            h = getattr(self, f'IMDB{i + 1}')(h)
            outs.append(h)
        return self.upsampler(self.LR_conv(self.c(torch.cat(outs, dim=1))) + fea)


class Shortcut(nn.Module):
    def __init__(self, sub):
        super().__init__()
        self.sub = sub

    def forward(self, x):
        return x + self.sub(x)


class IMDN_RTC(nn.Module):
    def __init__(self, upscale, in_nc=3, nf=12, num_modules=5, out_nc=3):
        super().__init__()
        blocks = [IMDModule(nf, cca=False) for _ in range(num_modules)] + [conv(nf, nf, 1)]
        self.model = nn.Sequential(
            conv(in_nc, nf, 3), Shortcut(nn.Sequential(*blocks)),
            conv(nf, out_nc * upscale ** 2, 3), nn.PixelShuffle(upscale))

    def forward(self, x):
        return self.model(x)


# ---- RRDBNet -------------------------------------------------------------------------------------

class ResidualDenseBlock(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        for i in range(5):
            setattr(self, f'conv{i + 1}', nn.Conv2d(nf + i * gc, gc if i < 4 else nf, 3, 1, 1))
        self.lrelu = nn.LeakyReLU(0.2)

    def forward(self, x):
        feats = [x]
        for i in range(4):
            feats.append(self.lrelu(getattr(self, f'conv{i + 1}')(torch.cat(feats, 1))))
        return self.conv5(torch.cat(feats, 1)) * 0.2 + x


class RRDB(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        self.rdb1 = ResidualDenseBlock(nf, gc)
        self.rdb2 = ResidualDenseBlock(nf, gc)
        self.rdb3 = ResidualDenseBlock(nf, gc)

    def forward(self, x):
        return self.rdb3(self.rdb2(self.rdb1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    def __init__(self, scale, num_in_ch=3, num_out_ch=3, num_feat=64, num_block=23, num_grow_ch=32):
        super().__init__()
        self.scale = scale
        cin = num_in_ch * {4: 1, 2: 4, 1: 16}[scale]
        self.conv_first = nn.Conv2d(cin, num_feat, 3, 1, 1)
        self.body = nn.Sequential(*[RRDB(num_feat, num_grow_ch) for _ in range(num_block)])
        self.conv_body = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up1 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up2 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_hr = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_last = nn.Conv2d(num_feat, num_out_ch, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(0.2)

    def forward(self, x):
        feat = x if self.scale == 4 else F.pixel_unshuffle(x, 4 // self.scale)
        feat = self.conv_first(feat)
        feat = feat + self.conv_body(self.body(feat))
        feat = self.lrelu(self.conv_up1(F.interpolate(feat, scale_factor=2, mode='nearest')))
        feat = self.lrelu(self.conv_up2(F.interpolate(feat, scale_factor=2, mode='nearest')))
        return self.conv_last(self.lrelu(self.conv_hr(feat)))


# ---- cases ---------------------------------------------------------------------------------------

def randomize(model, seed):
    """Seeded values for every tensor: convs ±1.5/√fan_in, biases ±0.1, PReLU slopes 0.05–0.45."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for key, t in model.state_dict().items():
            if t.dim() == 4:
                fan_in = t.shape[1] * t.shape[2] * t.shape[3]
                if isinstance(model.get_submodule(key.rsplit('.', 1)[0]), nn.ConvTranspose2d):
                    fan_in = t.shape[0] * t.shape[2] * t.shape[3] / 4
                t.copy_((torch.rand(t.shape, generator=g) - 0.5) * (3 / fan_in ** 0.5))
            elif isinstance(model.get_submodule(key.rsplit('.', 1)[0]), nn.PReLU):
                t.copy_(0.05 + 0.4 * torch.rand(t.shape, generator=g))
            else:
                t.copy_((torch.rand(t.shape, generator=g) - 0.5) * 0.2)


# name: (torch constructor, Ocular builder, Ocular options, input [N, C, H, W])
CASES = {
    'espcn_x3': (lambda: ESPCN(3), 'espcn', {'scale': 3}, [1, 3, 10, 12]),
    'espcn_x2_tiny': (lambda: ESPCN(2, feat=(8, 4)), 'espcn', {'scale': 2, 'features': [8, 4]}, [2, 3, 8, 6]),
    'fsrcnn_x2': (lambda: FSRCNN(2), 'fsrcnn', {'scale': 2}, [1, 3, 9, 11]),
    'fsrcnn_x3_tiny': (lambda: FSRCNN(3, d=8, s=4, m=2), 'fsrcnn',
                       {'scale': 3, 'd': 8, 's': 4, 'm': 2}, [1, 3, 8, 7]),
    'fsrcnn_x4_tiny': (lambda: FSRCNN(4, d=8, s=4, m=1), 'fsrcnn',
                       {'scale': 4, 'd': 8, 's': 4, 'm': 1}, [1, 3, 6, 6]),
    'imdn_x4_tiny': (lambda: IMDN(4, nf=16, num_modules=2), 'imdn',
                     {'scale': 4, 'features': 16, 'numModules': 2}, [1, 3, 8, 9]),
    'imdn_x3_tiny': (lambda: IMDN(3, nf=16, num_modules=1), 'imdn',
                     {'scale': 3, 'features': 16, 'numModules': 1}, [1, 3, 7, 7]),
    'imdn_rtc_x2': (lambda: IMDN_RTC(2), 'imdnRtc', {'scale': 2}, [1, 3, 10, 8]),
    'rrdbnet_x4_tiny': (lambda: RRDBNet(4, num_feat=8, num_block=2, num_grow_ch=4), 'rrdbNet',
                        {'scale': 4, 'numFeat': 8, 'numBlock': 2, 'numGrowCh': 4}, [1, 3, 6, 5]),
    'rrdbnet_x2_tiny': (lambda: RRDBNet(2, num_feat=8, num_block=1, num_grow_ch=4), 'rrdbNet',
                        {'scale': 2, 'numFeat': 8, 'numBlock': 1, 'numGrowCh': 4}, [1, 3, 8, 6]),
    'rrdbnet_x1_tiny': (lambda: RRDBNet(1, num_feat=8, num_block=1, num_grow_ch=4), 'rrdbNet',
                        {'scale': 1, 'numFeat': 8, 'numBlock': 1, 'numGrowCh': 4}, [1, 3, 8, 12]),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    index = {}
    total = 0
    for i, (name, (make, builder, options, shape)) in enumerate(CASES.items()):
        torch.manual_seed(i)
        model = make().eval()
        randomize(model, 1000 + i)
        x = torch.rand(shape, generator=torch.Generator().manual_seed(2000 + i))
        with torch.no_grad():
            y = model(x)
        sd = list(model.state_dict().items())
        total += write_safetensors(os.path.join(OUT, f'sr_{name}.safetensors'),
                                   sd + [('io.input', x), ('io.output', y)])
        index[name] = {
            'builder': builder,
            'options': options,
            'input_shape': list(x.shape),
            'output_shape': list(y.shape),
            'state_dict_keys': [k for k, _ in sd],
            'param_count': sum(p.numel() for p in model.parameters()),
            'output_range': [float(y.min()), float(y.max())],
        }
    # Parameter counts of the full-size published configurations, for the builders' defaults.
    full = {
        'espcn_x2': ESPCN(2), 'espcn_x3': ESPCN(3), 'espcn_x4': ESPCN(4),
        'fsrcnn_x2': FSRCNN(2), 'fsrcnn_x3': FSRCNN(3), 'fsrcnn_x4': FSRCNN(4),
        'imdn_x2': IMDN(2), 'imdn_x3': IMDN(3), 'imdn_x4': IMDN(4), 'imdn_rtc_x2': IMDN_RTC(2),
        'esrgan_x4': RRDBNet(4), 'realesrgan_x4plus': RRDBNet(4), 'realesrgan_x2plus': RRDBNet(2),
    }
    counts = {k: {'param_count': sum(p.numel() for p in m.parameters()),
                  'state_dict_len': len(m.state_dict())} for k, m in full.items()}
    with open(os.path.join(OUT, 'sr_goldens.json'), 'w') as f:
        json.dump({'cases': index, 'full_size': counts}, f, indent=1)
        f.write('\n')
    print(f'wrote {len(CASES)} cases ({total} bytes) to {OUT}', file=sys.stderr)


if __name__ == '__main__':
    main()
