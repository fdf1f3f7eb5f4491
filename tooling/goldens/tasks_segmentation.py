#!/usr/bin/env python3
"""Golden fixtures of the @ocular/tasks segmentation networks and heads (and of the ResNet
`output_stride` option of @ocular/cnn they rely on).

Writes:

* packages/cnn/test/fixtures/resnet_output_stride.safetensors + .json: two tiny timm ResNets
  built with `output_stride` (8: the deep stem / average-pool shortcut / mixed-block
  `test_resnet` shape; 16: the ResNet-50 bottleneck shape with conv shortcuts), each with its
  weights (prefix `os8.` / `os16.`), and per model the stage outputs of one seeded input.
* packages/tasks/test/fixtures/seg_fcn_tiny.safetensors: torchvision's `FCN` (the class
  `fcn_resnet50` builds) on a torchvision `ResNet` of Bottlenecks made by torchvision's own
  `_make_layer` with `replace_stride_with_dilation=[False, True, True]` semantics at tiny widths
  (planes 4/8/8/16, blocks 1/1/2/2, 5 classes), with `aux_classifier`; outputs `out` and `aux`.
* packages/tasks/test/fixtures/seg_mnv3_tiny.safetensors: torchvision's `DeepLabV3` and `LRASPP`
  (the classes `deeplabv3_mobilenet_v3_large` / `lraspp_mobilenet_v3_large` build) on one
  `mobilenet_v3_large(width_mult=0.25, dilated=True).features`, the DeepLab head made of
  torchvision's `ASPP(in, [12, 24, 36], 8)` + 3×3 conv + BN + ReLU + 1×1 conv (torchvision's
  `DeepLabHead` with width 8 instead of 256), an `FCNHead` aux classifier on features 4, and
  `LRASPP(..., inter_channels=16)`; 4 classes. Keys: `backbone.*` (shared), `deeplab.classifier.*`,
  `deeplab.aux_classifier.*`, `lraspp.classifier.*`. The weights are stored as float16 and the
  PyTorch forward ran on exactly those values (rounded before the forward), to halve the size.
* packages/tasks/test/fixtures/seg_heads_tiny.safetensors: the generic heads on four seeded
  feature maps (strides 4/8/16/32 of a 32×64 input, channels 8/16/24/32), 6 classes, each
  upsampled to the input size (bilinear, align_corners=False):
  - `segformer.*`: a re-implementation of Hugging Face transformers' `SegformerDecodeHead`
    (per-level `linear_c.<i>.proj` Linear, upsample to the first map, concatenation in reverse
    level order, `linear_fuse` 1×1 conv without bias, `batch_norm`, ReLU, `classifier`);
  - `upernet.*`: a re-implementation of mmsegmentation's `UPerHead` (PPM `psp_modules.<i>` with
    pool scales 1/2/3/6 on the deepest map, `bottleneck` 3×3, `lateral_convs` 1×1 and `fpn_convs`
    3×3, top-down sum, `fpn_bottleneck` 3×3, `conv_seg`; every ConvModule is conv (no bias), BN,
    ReLU; align_corners False);
  - `fpn.*`: a re-implementation of detectron2's `SemSegFPNHead` (per level max(1, log2(stride/4))
    conv3×3-GN(groups)-ReLU blocks, each but at stride 4 followed by a 2× bilinear upsample;
    sum; 1×1 `predictor`), width 16, 4 groups, children `scale_heads.<i>.<j>.conv/norm`;
  - `aspp.*`: torchvision's `DeepLabHead` structure (ASPP rates 12/24/36, width 16) on the deepest map.

Every model starts from its own initialisation, then every float tensor is overwritten from a
seeded generator (batch-norm statistics included, so no norm is the identity). Nothing is downloaded.

How to run (Debian bookworm: `apt-get install python3-torch python3-torchvision`, torch 1.13.1,
torchvision 0.14.1; timm from the same commit as make_golden.py):

    git -C <pytorch-image-models clone> archive aa4b5850c1543fa488abf260f18390eda46cf85d timm \
        | tar -x -C /tmp/timm_src
    PYTHONPATH=/tmp/timm_src /usr/bin/python3 tooling/goldens/tasks_segmentation.py

The safetensors writer is the hand-written one of make_golden.py (keys in insertion order).
"""
import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
CNN_OUT = os.path.join(ROOT, 'packages', 'cnn', 'test', 'fixtures')
TASKS_OUT = os.path.join(ROOT, 'packages', 'tasks', 'test', 'fixtures')
TIMM_COMMIT = 'aa4b5850c1543fa488abf260f18390eda46cf85d'


def write_safetensors(path, tensors):
    """tensors: list of (key, torch.Tensor), written in order."""
    header = {}
    blobs = []
    offset = 0
    for key, t in tensors:
        t = t.detach().contiguous().cpu()
        dtype = {torch.float32: 'F32', torch.float16: 'F16', torch.int64: 'I64'}[t.dtype]
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


def randomize(model, seed, half=False):
    """Seeded non-trivial values for every float tensor, batch-norm statistics included
    (running_var and norm weights U[0.5, 1.5), conv weights U(-1, 1)/sqrt(fan_in), others
    U[-0.2, 0.2)); with `half`, rounded to float16 values."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for key, t in model.state_dict().items():
            if not t.is_floating_point():
                continue
            if key.endswith('running_var') or (t.dim() == 1 and key.endswith('.weight')):
                t.copy_(0.5 + torch.rand(t.shape, generator=g))
            elif t.dim() >= 2:
                fan_in = t[0].numel()
                t.copy_((torch.rand(t.shape, generator=g) - 0.5) * (2 / fan_in ** 0.5))
            else:
                t.copy_((torch.rand(t.shape, generator=g) - 0.5) * 0.4)
            if half:
                t.copy_(t.half().float())


def state(model, prefix='', half=False):
    return [(prefix + k, v.half() if half and v.is_floating_point() else v)
            for k, v in model.state_dict().items()]


def seeded(shape, seed):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


# ---- @ocular/cnn: timm ResNet output_stride ----------------------------------------------------

def resnet_output_stride():
    from timm.models.resnet import BasicBlock, Bottleneck, ResNet
    configs = {
        'os8': dict(block=[BasicBlock, BasicBlock, Bottleneck, BasicBlock], layers=[1, 1, 1, 2],
                    channels=[8, 8, 8, 16], stem_width=8, stem_type='deep', avg_down=True, output_stride=8),
        'os16': dict(block=Bottleneck, layers=[1, 1, 2, 2], channels=[4, 8, 8, 16], output_stride=16),
    }
    ocular = {
        'os8': {'arch': 'test_resnet', 'kwargs': {'layers': [1, 1, 1, 2], 'channels': [8, 8, 8, 16], 'stem_width': 8}},
        'os16': {'arch': 'resnet50', 'kwargs': {'layers': [1, 1, 2, 2], 'channels': [4, 8, 8, 16]}},
    }
    x = seeded((1, 3, 40, 56), 7)
    tensors = [('io.input', x)]
    side = {'source': f'timm (git {TIMM_COMMIT}), torch {torch.__version__}, CPU', 'script': 'tooling/goldens/tasks_segmentation.py',
            'input': {'shape': list(x.shape), 'generation': 'torch.randn(shape, generator=torch.Generator().manual_seed(7))'},
            'models': {}}
    for i, (name, cfg) in enumerate(configs.items()):
        torch.manual_seed(0)
        m = ResNet(num_classes=0, **cfg).eval()
        randomize(m, 100 + i)
        with torch.no_grad():
            feats = m.forward_intermediates(x, indices=[1, 2, 3, 4], intermediates_only=True)
        tensors += state(m, f'{name}.')
        tensors += [(f'io.{name}.stage{j + 1}', f) for j, f in enumerate(feats)]
        side['models'][name] = {
            'call': 'timm.models.resnet.ResNet(num_classes=0, **kwargs)',
            'kwargs': {k: (v if not isinstance(v, list) or not callable(v[0]) else [b.__name__ for b in v])
                       if not callable(v) else v.__name__ for k, v in cfg.items()},
            'ocular': ocular[name],
            'feature_info': [dict(num_chs=f['num_chs'], reduction=f['reduction'], module=f['module']) for f in m.feature_info],
            'stage_shapes': [list(f.shape) for f in feats],
        }
    size = write_safetensors(os.path.join(CNN_OUT, 'resnet_output_stride.safetensors'), tensors)
    side['file'] = {'path': 'packages/cnn/test/fixtures/resnet_output_stride.safetensors', 'bytes': size}
    with open(os.path.join(CNN_OUT, 'resnet_output_stride.json'), 'w') as f:
        json.dump(side, f, indent=1)
        f.write('\n')
    return size


# ---- torchvision FCN on a tiny dilated ResNet -----------------------------------------------------

def fcn_tiny():
    from torchvision.models._utils import IntermediateLayerGetter
    from torchvision.models.resnet import Bottleneck, ResNet
    from torchvision.models.segmentation.fcn import FCN, FCNHead
    torch.manual_seed(0)
    net = ResNet(Bottleneck, [1, 1, 1, 1], replace_stride_with_dilation=[False, True, True])
    # Rebuild the stages at tiny widths with torchvision's own _make_layer (stem stays 64 wide).
    net.inplanes, net.dilation = 64, 1
    net.layer1 = net._make_layer(Bottleneck, 4, 1)
    net.layer2 = net._make_layer(Bottleneck, 8, 1, stride=2, dilate=False)
    net.layer3 = net._make_layer(Bottleneck, 8, 2, stride=2, dilate=True)
    net.layer4 = net._make_layer(Bottleneck, 16, 2, stride=2, dilate=True)
    backbone = IntermediateLayerGetter(net, return_layers={'layer4': 'out', 'layer3': 'aux'})
    model = FCN(backbone, FCNHead(64, 5), FCNHead(32, 5)).eval()
    randomize(model, 11)
    x = seeded((1, 3, 40, 48), 12)
    with torch.no_grad():
        out = model(x)
    tensors = state(model) + [('io.input', x), ('io.out', out['out']), ('io.aux', out['aux'])]
    return write_safetensors(os.path.join(TASKS_OUT, 'seg_fcn_tiny.safetensors'), tensors)


# ---- torchvision DeepLabV3 and LR-ASPP on a tiny dilated MobileNetV3-Large ------------------------

def mnv3_tiny():
    import torchvision
    from torchvision.models._utils import IntermediateLayerGetter
    from torchvision.models.segmentation.deeplabv3 import ASPP, DeepLabV3
    from torchvision.models.segmentation.fcn import FCNHead
    from torchvision.models.segmentation.lraspp import LRASPP
    torch.manual_seed(0)
    features = torchvision.models.mobilenet_v3_large(width_mult=0.25, dilated=True).features
    randomize(features, 21, half=True)
    low, high = features[4].out_channels, features[16].out_channels
    nc = 4
    deeplab = DeepLabV3(
        IntermediateLayerGetter(features, return_layers={'16': 'out', '4': 'aux'}),
        nn.Sequential(ASPP(high, [12, 24, 36], 8), nn.Conv2d(8, 8, 3, padding=1, bias=False),
                      nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, nc, 1)),
        FCNHead(low, nc),
    ).eval()
    lraspp = LRASPP(IntermediateLayerGetter(features, return_layers={'4': 'low', '16': 'high'}),
                    low, high, nc, inter_channels=16).eval()
    randomize(deeplab.classifier, 22, half=True)
    randomize(deeplab.aux_classifier, 23, half=True)
    randomize(lraspp.classifier, 24, half=True)
    x = seeded((1, 3, 48, 64), 25)
    with torch.no_grad():
        d = deeplab(x)
        l = lraspp(x)
    tensors = (state(deeplab.backbone, 'backbone.', True) + state(deeplab.classifier, 'deeplab.classifier.', True)
               + state(deeplab.aux_classifier, 'deeplab.aux_classifier.', True)
               + state(lraspp.classifier, 'lraspp.classifier.', True)
               + [('io.input', x), ('io.deeplab.out', d['out']), ('io.deeplab.aux', d['aux']), ('io.lraspp.out', l['out'])])
    return write_safetensors(os.path.join(TASKS_OUT, 'seg_mnv3_tiny.safetensors'), tensors)


# ---- generic heads (re-implementations, documented above) -----------------------------------------

def conv_module(cin, cout, k):
    """mmseg's ConvModule(conv_cfg=None, norm_cfg=BN, act_cfg=ReLU): conv (no bias), bn, ReLU."""
    m = nn.Module()
    m.conv = nn.Conv2d(cin, cout, k, padding=k // 2, bias=False)
    m.bn = nn.BatchNorm2d(cout)
    m.forward = lambda x: F.relu(m.bn(m.conv(x)))
    return m


def resize(x, size):
    return F.interpolate(x, size=size, mode='bilinear', align_corners=False)


class SegformerHead(nn.Module):
    """transformers' SegformerDecodeHead (eval): MLP per level, upsample, reversed concat, fuse."""

    def __init__(self, in_channels, dim, num_classes):
        super().__init__()
        self.linear_c = nn.ModuleList()
        for c in in_channels:
            mlp = nn.Module()
            mlp.proj = nn.Linear(c, dim)
            self.linear_c.append(mlp)
        self.linear_fuse = nn.Conv2d(dim * len(in_channels), dim, 1, bias=False)
        self.batch_norm = nn.BatchNorm2d(dim)
        self.classifier = nn.Conv2d(dim, num_classes, 1)

    def forward(self, feats):
        size = feats[0].shape[2:]
        outs = []
        for x, mlp in zip(feats, self.linear_c):
            n, _, h, w = x.shape
            y = mlp.proj(x.flatten(2).transpose(1, 2))
            y = y.permute(0, 2, 1).reshape(n, -1, h, w)
            outs.append(resize(y, size))
        y = F.relu(self.batch_norm(self.linear_fuse(torch.cat(outs[::-1], dim=1))))
        return self.classifier(y)


class UPerHead(nn.Module):
    """mmseg's UPerHead (eval; align_corners False; dropout is the identity)."""

    def __init__(self, in_channels, channels, num_classes, pool_scales=(1, 2, 3, 6)):
        super().__init__()
        self.psp_modules = nn.ModuleList(
            nn.Sequential(nn.AdaptiveAvgPool2d(s), conv_module(in_channels[-1], channels, 1)) for s in pool_scales)
        self.bottleneck = conv_module(in_channels[-1] + len(pool_scales) * channels, channels, 3)
        self.lateral_convs = nn.ModuleList(conv_module(c, channels, 1) for c in in_channels[:-1])
        self.fpn_convs = nn.ModuleList(conv_module(channels, channels, 3) for _ in in_channels[:-1])
        self.fpn_bottleneck = conv_module(len(in_channels) * channels, channels, 3)
        self.conv_seg = nn.Conv2d(channels, num_classes, 1)

    def forward(self, inputs):
        x = inputs[-1]
        psp = [x] + [resize(m(x), x.shape[2:]) for m in self.psp_modules]
        laterals = [conv(inputs[i]) for i, conv in enumerate(self.lateral_convs)]
        laterals.append(self.bottleneck(torch.cat(psp, dim=1)))
        n = len(laterals)
        for i in range(n - 1, 0, -1):
            laterals[i - 1] = laterals[i - 1] + resize(laterals[i], laterals[i - 1].shape[2:])
        outs = [self.fpn_convs[i](laterals[i]) for i in range(n - 1)] + [laterals[-1]]
        for i in range(n - 1, 0, -1):
            outs[i] = resize(outs[i], outs[0].shape[2:])
        return self.conv_seg(self.fpn_bottleneck(torch.cat(outs, dim=1)))


class ConvGN(nn.Module):
    def __init__(self, cin, cout, groups):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.norm = nn.GroupNorm(groups, cout)

    def forward(self, x):
        return F.relu(self.norm(self.conv(x)))


class Up2(nn.Module):
    def forward(self, x):
        return F.interpolate(x, scale_factor=2, mode='bilinear', align_corners=False)


class SemSegFPNHead(nn.Module):
    """detectron2's SemSegFPNHead (eval), common stride 4, before its final ×4 upsample."""

    def __init__(self, in_channels, strides, dim, groups, num_classes):
        super().__init__()
        self.scale_heads = nn.ModuleList()
        for c, s in zip(in_channels, strides):
            n = max(1, int(math.log2(s) - math.log2(4)))
            ops = []
            for k in range(n):
                ops.append(ConvGN(c if k == 0 else dim, dim, groups))
                if s != 4:
                    ops.append(Up2())
            self.scale_heads.append(nn.Sequential(*ops))
        self.predictor = nn.Conv2d(dim, num_classes, 1)

    def forward(self, feats):
        y = sum(h(x) for h, x in zip(self.scale_heads, feats))
        return self.predictor(y)


def heads_tiny():
    from torchvision.models.segmentation.deeplabv3 import DeepLabHead, ASPP
    chans, strides, nc = [8, 16, 24, 32], [4, 8, 16, 32], 6
    h, w = 32, 64
    feats = [seeded((1, c, h // s, w // s), 40 + i) for i, (c, s) in enumerate(zip(chans, strides))]
    torch.manual_seed(0)
    heads = {
        'segformer': SegformerHead(chans, 16, nc),
        'upernet': UPerHead(chans, 16, nc),
        'fpn': SemSegFPNHead(chans, strides, 16, 4, nc),
        'aspp': nn.Sequential(ASPP(chans[-1], [12, 24, 36], 16), nn.Conv2d(16, 16, 3, padding=1, bias=False),
                              nn.BatchNorm2d(16), nn.ReLU(), nn.Conv2d(16, nc, 1)),
    }
    tensors = [(f'io.features.{i}', f) for i, f in enumerate(feats)]
    for i, (name, head) in enumerate(heads.items()):
        head.eval()
        randomize(head, 50 + i)
        with torch.no_grad():
            y = head(feats[-1]) if name == 'aspp' else head(feats)
            y = resize(y, (h, w))
        tensors += state(head, f'{name}.') + [(f'io.{name}', y)]
    return write_safetensors(os.path.join(TASKS_OUT, 'seg_heads_tiny.safetensors'), tensors)


def main():
    os.makedirs(CNN_OUT, exist_ok=True)
    os.makedirs(TASKS_OUT, exist_ok=True)
    for fn in (resnet_output_stride, fcn_tiny, mnv3_tiny, heads_tiny):
        print(fn.__name__, fn(), 'bytes')


if __name__ == '__main__':
    main()
