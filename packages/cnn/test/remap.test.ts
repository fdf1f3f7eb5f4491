import { Tensor, type TensorSource } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { RESNET_CONFIGS, ResNet, resnetCheckpointFilter } from '../src/index.js';
import { type Layout, layout } from './reference.js';

/** A checkpoint with the layout's keys and shapes; each tensor is filled with its own index. */
function fakeCheckpoint(ref: Layout, keep: (key: string) => boolean = () => true): Map<string, Tensor> {
  return new Map(
    ref.state_dict
      .filter(([k]) => keep(k))
      .map(([k, shape, , dtype], i) => [
        k,
        dtype === 'int64'
          ? Tensor.scalar('int64', BigInt(i))
          : Tensor.from('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(i), shape),
      ]),
  );
}

function source(m: Map<string, Tensor>): TensorSource {
  return { keys: () => m.keys(), get: (k) => m.get(k) };
}

describe('the torchvision checkpoint filter', () => {
  const resnet50 = layout('resnet50');
  const timmKeys = resnet50.state_dict.map(([k]) => k);

  it('passes a classification checkpoint through unchanged', () => {
    const src = source(fakeCheckpoint(resnet50));
    expect(resnetCheckpointFilter(src)).toBe(src);
  });

  it('maps the segmentation backbone (backbone.*) onto timm resnet50 and leaves the heads out', () => {
    const fcn = layout('fcn_resnet50');
    const ckpt = fakeCheckpoint(fcn);
    const mapped = resnetCheckpointFilter(source(ckpt));
    expect([...mapped.keys()]).toEqual(timmKeys.filter((k) => !k.startsWith('fc.')));
    expect(mapped.get('layer2.0.downsample.0.weight')).toBe(
      ckpt.get('backbone.layer2.0.downsample.0.weight'),
    );
    expect(mapped.get('classifier.0.weight')).toBeUndefined();
    const model = new ResNet(RESNET_CONFIGS.resnet50);
    const report = model.loadStateDict(mapped, { strict: false });
    expect(report.missing).toEqual(['fc.weight', 'fc.bias']);
    expect([report.unexpected, report.mismatched]).toEqual([[], []]);
  });

  it('maps a detection backbone (backbone.body.*) saved with frozen batch norm', () => {
    const retina = layout('retinanet_resnet50_fpn');
    // FrozenBatchNorm2d checkpoints have no num_batches_tracked.
    const ckpt = fakeCheckpoint(retina, (k) => !k.endsWith('num_batches_tracked'));
    const mapped = resnetCheckpointFilter(source(ckpt));
    expect(new Set(mapped.keys())).toEqual(
      new Set(timmKeys.filter((k) => !k.startsWith('fc.') && !k.endsWith('num_batches_tracked'))),
    );
    expect(mapped.get('conv1.weight')).toBe(ckpt.get('backbone.body.conv1.weight'));
    const report = new ResNet(RESNET_CONFIGS.resnet50).loadStateDict(mapped, { strict: false });
    expect(report.missing).toEqual(['fc.weight', 'fc.bias']);
    expect(report.unexpected).toEqual([]);
    expect(report.defaulted.length).toBe(53);
  });

  it('strips a DataParallel prefix', () => {
    const t = Tensor.zeros('float32', [2]);
    const mapped = resnetCheckpointFilter(source(new Map([['module.fc.bias', t]])));
    expect([...mapped.keys()]).toEqual(['fc.bias']);
    expect(mapped.get('fc.bias')).toBe(t);
  });
});
