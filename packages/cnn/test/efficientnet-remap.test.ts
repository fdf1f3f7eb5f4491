import { Tensor, type TensorSource } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { EFFICIENTNET_CONFIGS, EfficientNet, efficientnetCheckpointFilter } from '../src/index.js';
import { layout } from './reference.js';

const BN = ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'];
const conv = (p: string) => [`${p}.weight`];
const bn = (p: string) => BN.map((s) => `${p}.${s}`);
const se = (p: string) => [`${p}.fc1.weight`, `${p}.fc1.bias`, `${p}.fc2.weight`, `${p}.fc2.bias`];
const convBn = (p: string) => [...conv(`${p}.0`), ...bn(`${p}.1`)];

/**
 * torchvision's `mobilenet_v2()` state-dict keys, written from torchvision's module structure:
 * `features.0` stem, `features.1` (expand ratio 1: `conv.0` dw conv-bn, `conv.1` pw conv,
 * `conv.2` bn), `features.2..17` (`conv.0` expand, `conv.1` dw, `conv.2` pw conv, `conv.3` bn),
 * `features.18` last conv-bn, `classifier.1` Linear.
 */
function torchvisionMobileNetV2Keys(): string[] {
  const keys = convBn('features.0');
  keys.push(...convBn('features.1.conv.0'), ...conv('features.1.conv.1'), ...bn('features.1.conv.2'));
  for (let i = 2; i <= 17; i++) {
    const p = `features.${i}.conv`;
    keys.push(...convBn(`${p}.0`), ...convBn(`${p}.1`), ...conv(`${p}.2`), ...bn(`${p}.3`));
  }
  keys.push(...convBn('features.18'), 'classifier.1.weight', 'classifier.1.bias');
  return keys;
}

/**
 * torchvision's `efficientnet_b0()` keys: `features.0` stem, `features.S.J.block` for stages
 * 1..7 with depths 1, 2, 2, 3, 3, 4, 1 (stage 1, expand ratio 1: dw, SE, project; the others:
 * expand, dw, SE, project), `features.8` head conv-bn, `classifier.1` Linear.
 */
function torchvisionEfficientNetB0Keys(): string[] {
  const keys = convBn('features.0');
  [1, 2, 2, 3, 3, 4, 1].forEach((depth, s) => {
    for (let j = 0; j < depth; j++) {
      const p = `features.${s + 1}.${j}.block`;
      if (s === 0) keys.push(...convBn(`${p}.0`), ...se(`${p}.1`), ...convBn(`${p}.2`));
      else keys.push(...convBn(`${p}.0`), ...convBn(`${p}.1`), ...se(`${p}.2`), ...convBn(`${p}.3`));
    }
  });
  keys.push(...convBn('features.8'), 'classifier.1.weight', 'classifier.1.bias');
  return keys;
}

/** A checkpoint of one-element tensors, each holding its key's index. */
function source(keys: readonly string[]): TensorSource & { map: Map<string, Tensor> } {
  const map = new Map(keys.map((k, i) => [k, Tensor.from('float32', [i], [1])]));
  return { map, keys: () => map.keys(), get: (k) => map.get(k) };
}

const timmKeys = (model: string) => layout(model).state_dict.map(([k]) => k);

describe('the torchvision checkpoint filter of the EfficientNet family', () => {
  it('maps every torchvision MobileNetV2 key onto timm mobilenetv2_100', () => {
    const tv = torchvisionMobileNetV2Keys();
    const src = source(tv);
    const mapped = efficientnetCheckpointFilter(src, EFFICIENTNET_CONFIGS.mobilenetv2_100);
    expect(new Set(mapped.keys())).toEqual(new Set(timmKeys('mobilenetv2_100')));
    expect([...mapped.keys()].length).toBe(tv.length);
    const same = (timm: string, torchvision: string) =>
      expect(mapped.get(timm)).toBe(src.map.get(torchvision));
    same('conv_stem.weight', 'features.0.0.weight');
    same('blocks.0.0.conv_pw.weight', 'features.1.conv.1.weight');
    same('blocks.0.0.bn2.running_var', 'features.1.conv.2.running_var');
    same('blocks.1.0.conv_dw.weight', 'features.2.conv.1.0.weight');
    same('blocks.3.3.bn3.bias', 'features.10.conv.3.bias');
    same('blocks.6.0.conv_pwl.weight', 'features.17.conv.2.weight');
    same('conv_head.weight', 'features.18.0.weight');
    same('bn2.weight', 'features.18.1.weight');
    same('classifier.bias', 'classifier.1.bias');
  });

  it('maps every torchvision EfficientNet-B0 key onto timm efficientnet_b0', () => {
    const tv = torchvisionEfficientNetB0Keys();
    const src = source(tv);
    const mapped = efficientnetCheckpointFilter(src, EFFICIENTNET_CONFIGS.efficientnet_b0);
    expect(new Set(mapped.keys())).toEqual(new Set(timmKeys('efficientnet_b0')));
    expect([...mapped.keys()].length).toBe(tv.length);
    const same = (timm: string, torchvision: string) =>
      expect(mapped.get(timm)).toBe(src.map.get(torchvision));
    same('blocks.0.0.conv_dw.weight', 'features.1.0.block.0.0.weight');
    same('blocks.0.0.se.conv_reduce.bias', 'features.1.0.block.1.fc1.bias');
    same('blocks.0.0.bn2.weight', 'features.1.0.block.2.1.weight');
    same('blocks.5.3.conv_pw.weight', 'features.6.3.block.0.0.weight');
    same('blocks.5.3.se.conv_expand.weight', 'features.6.3.block.2.fc2.weight');
    same('blocks.5.3.bn3.running_mean', 'features.6.3.block.3.1.running_mean');
    same('conv_head.weight', 'features.8.0.weight');
    same('classifier.weight', 'classifier.1.weight');
  });

  it('maps the MobileNetV3-Large backbone of torchvision segmentation models and leaves the heads out', () => {
    for (const name of ['lraspp_mobilenet_v3_large', 'deeplabv3_mobilenet_v3_large']) {
      const ref = layout(name);
      const src = source(ref.state_dict.map(([k]) => k));
      const mapped = efficientnetCheckpointFilter(src, EFFICIENTNET_CONFIGS.mobilenetv3_large_100);
      const backbone = ref.state_dict.filter(([k]) => k.startsWith('backbone.'));
      expect([...mapped.keys()].length).toBe(backbone.length);
      expect(new Set(mapped.keys())).toEqual(
        new Set(timmKeys('mobilenetv3_large_100').filter((k) => !/^(conv_head|classifier)\./.test(k))),
      );
      expect(mapped.get('blocks.2.0.se.conv_reduce.weight')).toBe(
        src.map.get('backbone.4.block.2.fc1.weight'),
      );
      expect(mapped.get('blocks.6.0.conv.weight')).toBe(src.map.get('backbone.16.0.weight'));
      // Shapes agree too: load the segmentation layout's shapes into the timm model.
      const shaped = new Map(
        backbone.map(([k, shape, , dtype]) => [
          k,
          dtype === 'int64' ? Tensor.scalar('int64', 0n) : Tensor.zeros('float32', shape),
        ]),
      );
      const report = new EfficientNet(EFFICIENTNET_CONFIGS.mobilenetv3_large_100).loadStateDict(
        efficientnetCheckpointFilter(
          { keys: () => shaped.keys(), get: (k) => shaped.get(k) },
          EFFICIENTNET_CONFIGS.mobilenetv3_large_100,
        ),
        { strict: false },
      );
      expect(report.missing).toEqual([
        'conv_head.weight',
        'conv_head.bias',
        'classifier.weight',
        'classifier.bias',
      ]);
      expect([report.unexpected, report.mismatched]).toEqual([[], []]);
    }
  });

  it("turns torchvision MobileNetV3's classifier.0 Linear into timm's 1×1 head conv", () => {
    const backbone = layout('lraspp_mobilenet_v3_large')
      .state_dict.map(([k]) => k)
      .filter((k) => k.startsWith('backbone.'))
      .map((k) => k.replace(/^backbone\./, 'features.'));
    const keys = [
      ...backbone,
      'classifier.0.weight',
      'classifier.0.bias',
      'classifier.3.weight',
      'classifier.3.bias',
    ];
    const map = new Map<string, Tensor>(keys.map((k) => [k, Tensor.from('float32', [1], [1])]));
    const head = Tensor.from('float32', [1, 2, 3, 4, 5, 6], [3, 2]);
    map.set('classifier.0.weight', head);
    const mapped = efficientnetCheckpointFilter(
      {
        keys: () => map.keys(),
        get: (k) => map.get(k),
        info: (k) => (map.has(k) ? { dtype: 'float32', shape: map.get(k)!.dims } : undefined),
      },
      EFFICIENTNET_CONFIGS.mobilenetv3_large_100,
    );
    expect(new Set(mapped.keys())).toEqual(new Set(timmKeys('mobilenetv3_large_100')));
    const w = mapped.get('conv_head.weight') as Tensor;
    expect(w.dims).toEqual([3, 2, 1, 1]);
    expect([...w.toFloat32()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(mapped.info!('conv_head.weight')!.shape).toEqual([3, 2, 1, 1]);
    expect(mapped.get('classifier.weight')).toBe(map.get('classifier.3.weight'));
  });

  it('passes timm checkpoints through, less a DataParallel prefix', () => {
    const keys = timmKeys('test_efficientnet');
    expect([
      ...efficientnetCheckpointFilter(source(keys), EFFICIENTNET_CONFIGS.test_efficientnet).keys(),
    ]).toEqual(keys);
    const wrapped = source(keys.map((k) => `module.${k}`));
    const mapped = efficientnetCheckpointFilter(wrapped, EFFICIENTNET_CONFIGS.test_efficientnet);
    expect([...mapped.keys()]).toEqual(keys);
    expect(mapped.get('bn2.bias')).toBe(wrapped.map.get('module.bn2.bias'));
  });
});
