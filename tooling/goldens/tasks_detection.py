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
* det_ssdlite.safetensors: torchvision's `SSD` built as `ssdlite320_mobilenet_v3_large` builds
  it (reduced-tail MobileNetV3 Large, `SSDLiteFeatureExtractorMobileNet`, `SSDLiteHead`,
  `DefaultBoxGenerator([[2, 3]] * 6, min_ratio=0.2, max_ratio=0.95)`, BatchNorm eps 1e-3) but tiny:
  backbone width 0.1, extra blocks width 0.125, 11 classes, 96x96 input.
* det_retinanet.safetensors / det_fcos.safetensors: torchvision's `RetinaNet` / `FCOS` with the
  builders' anchors and heads on a tiny ResNet body (torchvision BasicBlocks, 64-channel 7x7
  stem, stage widths 8/16/24/32, one block each) with an FPN of width 16 on layer2..4 plus
  `LastLevelP6P7(16, 16)`, 5 classes, 64x64 input; the FCOS head towers use GroupNorm with 8
  groups (torchvision's 32 need at least 32 channels).

For the detectors the sidecar records the thresholds; the io tensors are `image` (the [0, 1]
image given to torchvision), `input` (the tensor after torchvision's transform: normalised, and
at the model size so not resized), the head outputs (`cls_logits`, `bbox_regression`,
`bbox_ctrness`), `anchors` and the eval-mode detections (`boxes`, `scores`, `labels`).

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


def detector(name, model, size, seed, thresholds, extra):
    randomize(model, seed)
    model.eval()
    g = torch.Generator().manual_seed(seed + 1)
    image = torch.rand(3, size, size, generator=g)
    captured = {}
    model.head.register_forward_hook(lambda _m, _i, out: captured.update(out))
    orig_anchor_forward = model.anchor_generator.forward

    def anchor_forward(image_list, feature_maps):
        captured['input'] = image_list.tensors
        anchors = orig_anchor_forward(image_list, feature_maps)
        captured['anchors'] = anchors[0]
        return anchors

    model.anchor_generator.forward = anchor_forward
    with torch.no_grad():
        det = model([image])[0]
    io = {'image': image[None], 'input': captured['input']}
    for k in ('cls_logits', 'bbox_regression', 'bbox_ctrness'):
        if k in captured:
            io[k] = captured[k]
    io['anchors'] = captured['anchors']
    io['boxes'] = det['boxes']
    io['scores'] = det['scores']
    io['labels'] = det['labels']
    assert list(io['input'].shape) == [1, 3, size, size], 'the transform must not resize'
    save(name, model, io, {'thresholds': thresholds, 'seed': seed, 'num_detections': len(det['scores']), **extra})


def ssdlite():
    from functools import partial

    from torch import nn
    from torchvision.models.detection.anchor_utils import DefaultBoxGenerator
    from torchvision.models.detection.ssd import SSD
    from torchvision.models.detection.ssdlite import SSDLiteFeatureExtractorMobileNet, SSDLiteHead
    from torchvision.models.detection import _utils as det_utils

    torch.manual_seed(21)
    norm_layer = partial(nn.BatchNorm2d, eps=0.001, momentum=0.03)
    mobilenet = torchvision.models.mobilenet_v3_large(
        weights=None, width_mult=0.1, reduced_tail=True, norm_layer=norm_layer).features
    stage_indices = [0] + [i for i, b in enumerate(mobilenet) if getattr(b, '_is_cn', False)] + [len(mobilenet) - 1]
    backbone = SSDLiteFeatureExtractorMobileNet(mobilenet, stage_indices[-2], norm_layer, width_mult=0.125)
    size = 96
    anchor_generator = DefaultBoxGenerator([[2, 3] for _ in range(6)], min_ratio=0.2, max_ratio=0.95)
    out_channels = det_utils.retrieve_out_channels(backbone, (size, size))
    thresholds = {'score_thresh': 0.1, 'nms_thresh': 0.55, 'detections_per_img': 40, 'topk_candidates': 20}
    model = SSD(backbone, anchor_generator, (size, size), 11,
                head=SSDLiteHead(out_channels, anchor_generator.num_anchors_per_location(), 11, norm_layer),
                image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5], **thresholds)
    detector('det_ssdlite', model, size, 21, thresholds, {
        'build': 'SSD(SSDLiteFeatureExtractorMobileNet(mobilenet_v3_large(width_mult=0.1, reduced_tail=True)'
                 '.features, c4, width_mult=0.125), DefaultBoxGenerator, (96, 96), 11, head=SSDLiteHead(...))',
        'backbone_width_mult': 0.1, 'extra_width_mult': 0.125, 'num_classes': 11, 'size': size,
    })


class TinyResNetBody(torch.nn.Module):
    """torchvision ResNet's module names (conv1, bn1, layer1..4 of BasicBlocks) at tiny widths."""

    def __init__(self, widths):
        super().__init__()
        from torch import nn
        from torchvision.models.resnet import BasicBlock
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        inplanes = 64
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            down = nn.Sequential(nn.Conv2d(inplanes, w, 1, stride, bias=False), nn.BatchNorm2d(w))
            setattr(self, f'layer{i + 1}', nn.Sequential(BasicBlock(inplanes, w, stride, down)))
            inplanes = w


def dense_detector(kind):
    from torchvision.models.detection.backbone_utils import BackboneWithFPN
    from torchvision.ops.feature_pyramid_network import LastLevelP6P7

    seed = 31 if kind == 'retinanet' else 41
    torch.manual_seed(seed)
    widths = [8, 16, 24, 32]
    body = TinyResNetBody(widths)
    fpn = 16
    backbone = BackboneWithFPN(body, {'layer2': '0', 'layer3': '1', 'layer4': '2'}, widths[1:], fpn,
                               extra_blocks=LastLevelP6P7(fpn, fpn))
    size = 64
    common = dict(min_size=size, max_size=size)
    if kind == 'retinanet':
        from torchvision.models.detection.retinanet import RetinaNet, _default_anchorgen
        thresholds = {'score_thresh': 0.3, 'nms_thresh': 0.5, 'detections_per_img': 40, 'topk_candidates': 50}
        model = RetinaNet(backbone, 5, anchor_generator=_default_anchorgen(), **common, **thresholds)
    else:
        from torchvision.models.detection.anchor_utils import AnchorGenerator
        from torchvision.models.detection.fcos import FCOS
        thresholds = {'score_thresh': 0.2, 'nms_thresh': 0.6, 'detections_per_img': 40, 'topk_candidates': 50}
        anchor_sizes = ((8,), (16,), (32,), (64,), (128,))
        anchor_generator = AnchorGenerator(anchor_sizes, ((1.0,),) * len(anchor_sizes))
        # The builder's GroupNorm(32, C) needs C >= 32 and more than one value per group on the
        # 1x1 P7 map of a 64x64 input; the tiny head uses 8 groups (the TS side's numGroups).
        from functools import partial

        from torch import nn
        from torchvision.models.detection.fcos import FCOSClassificationHead, FCOSHead, FCOSRegressionHead
        gn = partial(nn.GroupNorm, 8)
        head = FCOSHead(32, 1, 5)
        head.classification_head = FCOSClassificationHead(fpn, 1, 5, 4, norm_layer=gn)
        head.regression_head = FCOSRegressionHead(fpn, 1, 4, norm_layer=gn)
        model = FCOS(backbone, 5, anchor_generator=anchor_generator, head=head, **common, **thresholds)
    detector(f'det_{kind}', model, size, seed, thresholds, {
        'build': f'{type(model).__name__}(BackboneWithFPN(TinyResNetBody([8, 16, 24, 32]), layer2..4, '
                 '[16, 24, 32], 32, LastLevelP6P7(16, 16)), 5, min_size=64, max_size=64)'
                 + (' with GroupNorm(8, 16) in the FCOS head towers' if kind == 'fcos' else ''),
        'body_widths': widths, 'fpn_width': fpn, 'num_classes': 5, 'size': size,
    })


def main():
    os.makedirs(OUT, exist_ok=True)
    mobilenet('det_mobilenet_v3_large', 'mobilenet_v3_large',
              {'width_mult': 0.1, 'reduced_tail': True, 'dilated': True, 'num_classes': 10},
              48, [1, 4, 7, 13, 16], 11)
    mobilenet('det_mobilenet_v3_small', 'mobilenet_v3_small',
              {'width_mult': 0.1, 'num_classes': 10}, 32, [0, 3, 8, 12], 12)
    ssdlite()
    dense_detector('retinanet')
    dense_detector('fcos')


if __name__ == '__main__':
    main()
