import { Tensor, type TensorSource } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import {
  CONVNEXT_CONFIGS,
  ConvNeXt,
  convnextCheckpointFilter,
  torchvisionConvNeXtKey,
} from '../src/index.js';
import { layout } from './reference.js';

type Entry = [string, number[]];

/**
 * torchvision's `convnext_tiny` state dict as its source defines it: `features` = [stem
 * Conv2dNormActivation(conv, LayerNorm2d), stage, downsample(LayerNorm2d, conv k2), stage, ...],
 * each CNBlock = `layer_scale` [C, 1, 1] then `block` = (dw conv 7×7, Permute, LayerNorm,
 * Linear 4C, GELU, Linear C, Permute); `classifier` = (LayerNorm2d, Flatten, Linear).
 */
function torchvisionConvNeXt(dims: number[], depths: number[], numClasses = 1000): Entry[] {
  const out: Entry[] = [
    ['features.0.0.weight', [dims[0]!, 3, 4, 4]],
    ['features.0.0.bias', [dims[0]!]],
    ['features.0.1.weight', [dims[0]!]],
    ['features.0.1.bias', [dims[0]!]],
  ];
  let f = 1;
  dims.forEach((c, s) => {
    for (let b = 0; b < depths[s]!; b++) {
      const p = `features.${f}.${b}`;
      out.push(
        [`${p}.layer_scale`, [c, 1, 1]],
        [`${p}.block.0.weight`, [c, 1, 7, 7]],
        [`${p}.block.0.bias`, [c]],
        [`${p}.block.2.weight`, [c]],
        [`${p}.block.2.bias`, [c]],
        [`${p}.block.3.weight`, [4 * c, c]],
        [`${p}.block.3.bias`, [4 * c]],
        [`${p}.block.5.weight`, [c, 4 * c]],
        [`${p}.block.5.bias`, [c]],
      );
    }
    f++;
    const next = dims[s + 1];
    if (next !== undefined) {
      out.push(
        [`features.${f}.0.weight`, [c]],
        [`features.${f}.0.bias`, [c]],
        [`features.${f}.1.weight`, [next, c, 2, 2]],
        [`features.${f}.1.bias`, [next]],
      );
      f++;
    }
  });
  const last = dims[dims.length - 1]!;
  out.push(
    ['classifier.0.weight', [last]],
    ['classifier.0.bias', [last]],
    ['classifier.2.weight', [numClasses, last]],
    ['classifier.2.bias', [numClasses]],
  );
  return out;
}

/** A checkpoint whose tensors are each filled with their own index. */
function checkpoint(entries: Entry[], prefix = ''): Map<string, Tensor> {
  return new Map(
    entries.map(([k, shape], i) => [
      prefix + k,
      Tensor.from('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(i), shape),
    ]),
  );
}

const source = (m: Map<string, Tensor>): TensorSource => ({
  keys: () => m.keys(),
  get: (k) => m.get(k),
  info: (k) => {
    const t = m.get(k);
    return t && { dtype: t.dtype, shape: t.dims };
  },
});

describe('the torchvision ConvNeXt checkpoint filter', () => {
  const tv = torchvisionConvNeXt([96, 192, 384, 768], [3, 3, 9, 3]);
  const timm = layout('convnext_tiny').state_dict;

  it('maps every torchvision convnext_tiny key onto a timm key of the same size', () => {
    // torchvision's published parameter count equals timm's.
    expect(tv.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0)).toBe(28_589_128);
    const mapped = convnextCheckpointFilter(source(checkpoint(tv)));
    expect(new Set(mapped.keys())).toEqual(new Set(timm.map(([k]) => k)));
    for (const [k, shape] of timm) expect(mapped.info!(k)?.shape, k).toEqual(shape);
  });

  it('names the stem, stages, downsampling, blocks and head as timm', () => {
    expect(torchvisionConvNeXtKey('features.0.1.bias')).toBe('stem.1.bias');
    expect(torchvisionConvNeXtKey('features.1.2.layer_scale')).toBe('stages.0.blocks.2.gamma');
    expect(torchvisionConvNeXtKey('features.5.8.block.0.weight')).toBe('stages.2.blocks.8.conv_dw.weight');
    expect(torchvisionConvNeXtKey('features.7.0.block.2.bias')).toBe('stages.3.blocks.0.norm.bias');
    expect(torchvisionConvNeXtKey('features.3.1.block.3.weight')).toBe('stages.1.blocks.1.mlp.fc1.weight');
    expect(torchvisionConvNeXtKey('features.3.1.block.5.bias')).toBe('stages.1.blocks.1.mlp.fc2.bias');
    expect(torchvisionConvNeXtKey('features.2.1.weight')).toBe('stages.1.downsample.1.weight');
    expect(torchvisionConvNeXtKey('features.6.0.bias')).toBe('stages.3.downsample.0.bias');
    expect(torchvisionConvNeXtKey('classifier.0.weight')).toBe('head.norm.weight');
    expect(torchvisionConvNeXtKey('classifier.2.bias')).toBe('head.fc.bias');
    expect(torchvisionConvNeXtKey('stem.0.weight')).toBeUndefined();
    expect(torchvisionConvNeXtKey('features.1.0.block.4.weight')).toBeUndefined();
  });

  it('loads strictly into timm convnext_tiny, layer scale reshaped to gamma', () => {
    const ckpt = checkpoint(tv, 'module.');
    const mapped = convnextCheckpointFilter(source(ckpt));
    const model = new ConvNeXt(CONVNEXT_CONFIGS.convnext_tiny);
    const report = model.loadStateDict(mapped, { strict: true });
    expect(report.loaded.length).toBe(timm.length);
    const gamma = model.stateDict().get('stages.2.blocks.4.gamma')!;
    const src = ckpt.get('module.features.5.4.layer_scale')!;
    expect(gamma.dims).toEqual([384]);
    expect([...gamma.toFloat32()]).toEqual([...src.toFloat32()]);
    expect([...model.stateDict().get('head.fc.weight')!.toFloat32()]).toEqual([
      ...ckpt.get('module.classifier.2.weight')!.toFloat32(),
    ]);
  });

  it('passes timm checkpoints through unchanged', () => {
    const src = source(checkpoint(timm.map(([k, s]) => [k, s] as Entry)));
    expect(convnextCheckpointFilter(src)).toBe(src);
  });
});
