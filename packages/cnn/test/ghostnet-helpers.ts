/**
 * Test helpers shared by the GhostNet, RegNet and RepViT tests: the timm-layout checks of one
 * registered model, deterministic inputs and weights, and output comparison.
 */
import { createModel, getModelInfo, type Module, profileGraph, Tensor as T, type Tensor } from '@ocular/core';
import { expect, it } from 'vitest';
import { layout, moduleLayout } from './reference.js';

/** A deterministic input in [-2, 2). */
export function input(dims: number[]): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 7919) % 4001) / 1000 - 2;
  return new T('float32', data, dims);
}

/** Largest |a − b| over two tensors of the same shape. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.dims).toEqual(b.dims);
  const x = a.toFloat32();
  const y = b.toFloat32();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/**
 * Fills every float state entry with small deterministic pseudo-random values (variances in
 * [0.5, 1.5)), so batch norms do more than pass through and fusion tests can fail.
 */
export function randomizeState(module: Module, seed = 1): void {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const state = new Map<string, Tensor>();
  const entries = module.stateDict();
  const norms = new Set(
    [...entries.keys()]
      .filter((k) => k.endsWith('.running_var'))
      .map((k) => k.slice(0, -'running_var'.length)),
  );
  for (const [k, t] of entries) {
    if (t.dtype !== 'float32') continue;
    const n = t.size;
    const data = new Float32Array(n);
    const isVar = k.endsWith('running_var');
    const isScale = k.endsWith('.weight') && norms.has(k.slice(0, -'weight'.length));
    for (let i = 0; i < n; i++) {
      const r = next();
      data[i] = isVar ? 0.5 + r : isScale ? 0.75 + 0.5 * r : (r - 0.5) * 0.4;
    }
    state.set(k, new T('float32', data, [...t.dims]));
  }
  module.loadStateDict(state, { strict: false });
}

/** Registers the tests comparing registered model `name` with timm's layout file. */
export function layoutTests(name: string, classifierKeys: readonly string[]): void {
  const ref = layout(name);

  it('has the state-dict keys, shapes, kinds, dtypes, order and parameter count', async () => {
    const model = await createModel(`ocular/${name}`);
    expect(moduleLayout(model.module)).toEqual(ref.state_dict);
    expect(model.parameterCount()).toBe(ref.param_count);
  });

  it('lists the layout metadata without loading code', () => {
    const info = getModelInfo(`ocular/${name}`);
    expect(info.paramCount).toBe(ref.param_count);
    expect(info.defaultInputSize).toEqual(ref.default_input_size);
    expect(info.mean).toEqual(ref.mean);
    expect(info.std).toEqual(ref.std);
    expect(info.numClasses).toBe(ref.num_classes);
    expect(info.tag ?? info.variants[0]).toBe(ref.pretrained_cfg.tag);
    expect(info.firstConv).toBe(ref.pretrained_cfg.first_conv);
    const cls = ref.pretrained_cfg.classifier as string | string[];
    expect(info.classifier).toEqual(typeof cls === 'string' ? [cls] : cls);
    expect(info.featureInfo).toEqual(
      ref.feature_info.map((f) => ({ numChs: f.num_chs, reduction: f.reduction, module: f.module })),
    );
  });

  it('has the logits and feature shapes, and the MACs, at the default input', async () => {
    const model = await createModel(`ocular/${name}`);
    expect(model.featureInfo).toEqual(
      ref.feature_info.map((f) => ({ numChs: f.num_chs, reduction: f.reduction, module: f.module })),
    );
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual([ref.logits_shape_at_default_input]);
    expect(profileGraph(graph).macs).toBe(ref.macs);
  });

  it('has the features-only maps and keys of timm', async () => {
    const fo = ref.features_only as typeof ref.features_only & { state_dict_len: number };
    const model = await createModel(`ocular/${name}`, { featuresOnly: true });
    expect(model.featureInfo).toEqual(
      fo.channels.map((c, i) => ({ numChs: c, reduction: fo.reduction[i], module: fo.module[i] })),
    );
    const keys = [...model.module.stateDict().keys()];
    expect(keys.length).toBe(fo.state_dict_len);
    // The features model keeps timm's keys, in order, minus what follows the last map.
    const all = ref.state_dict.map(([k]) => k);
    expect(keys).toEqual(all.filter((k) => keys.includes(k)));
    expect(keys.some((k) => classifierKeys.some((c) => k.startsWith(c)))).toBe(false);
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
  });
}
