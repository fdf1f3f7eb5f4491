/**
 * Test helpers shared by the ConvNeXt and InceptionNeXt tests: the layout checks every family
 * runs against timm's reference layouts, and a deterministic input.
 */
import { createModel, getModelInfo, profileGraph, registry, Tensor } from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';
import { layout, moduleLayout } from './reference.js';

/** Registers the plugin once per test file. */
export function usePlugin(): void {
  beforeAll(() => {
    if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  });
}

/** A deterministic input in [-2, 2). */
export function input(dims: number[]): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 7919) % 4001) / 1000 - 2;
  return new Tensor('float32', data, dims);
}

/** Largest |a − b| over two tensors of equal shape. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.dims).toEqual(b.dims);
  const x = a.toFloat32();
  const y = b.toFloat32();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/**
 * Checks registered models against their timm layout files: state-dict keys, shapes, kinds,
 * dtypes and order, parameter count, listing metadata, logits shape and MACs at the default
 * input, and the features-only model (keys without `head.`, channels, strides, output shapes).
 */
export function describeLayouts(models: readonly string[]): void {
  describe.each(models)('%s against the timm layout', (name) => {
    const ref = layout(name);

    it('has the state-dict keys, shapes, kinds, dtypes and order', async () => {
      const model = await createModel(`ocular/${name}`);
      expect(moduleLayout(model.module)).toEqual(ref.state_dict);
      expect(model.parameterCount()).toBe(ref.param_count);
    });

    it('lists the layout metadata without loading code', () => {
      const info = getModelInfo(`ocular/${name}`);
      expect(info.paramCount).toBe(ref.param_count);
      expect(info.macs).toBe(ref.macs);
      expect(info.defaultInputSize).toEqual(ref.default_input_size);
      expect(info.mean).toEqual(ref.mean);
      expect(info.std).toEqual(ref.std);
      expect(info.numClasses).toBe(ref.num_classes);
      expect(info.tag ?? info.variants[0]).toBe(ref.pretrained_cfg.tag);
      expect(info.firstConv).toBe(ref.pretrained_cfg.first_conv);
      expect(info.classifier).toEqual([ref.pretrained_cfg.classifier]);
      expect(info.featureInfo).toEqual(
        ref.feature_info.map((f) => ({ numChs: f.num_chs, reduction: f.reduction, module: f.module })),
      );
    });

    it('has the logits shape and the MACs at the default input', async () => {
      const model = await createModel(`ocular/${name}`);
      const graph = model.trace({ batch: 1 });
      expect(graph.outputs.map((o) => o.shape)).toEqual([ref.logits_shape_at_default_input]);
      expect(profileGraph(graph).macs).toBe(ref.macs);
    });

    it('has the features-only maps of timm', async () => {
      const fo = ref.features_only;
      const model = await createModel(`ocular/${name}`, { featuresOnly: true });
      expect(model.featureInfo).toEqual(
        fo.channels.map((c, i) => ({ numChs: c, reduction: fo.reduction[i], module: fo.module[i] })),
      );
      // timm's features model holds the backbone's keys and none of the head's.
      expect(moduleLayout(model.module)).toEqual(ref.state_dict.filter(([k]) => !k.startsWith('head.')));
      const graph = model.trace({ batch: 1 });
      expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
    });
  });
}
