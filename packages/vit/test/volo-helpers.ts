/**
 * Test helpers of the VOLO and TNT tests: plugin registration, deterministic inputs and
 * weights, running a module on the reference backend, and the timm layout checks.
 */
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  getModelInfo,
  type Module,
  profileGraph,
  registry,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';
import { layout, moduleLayout } from './reference.js';

/** Registers the plugin once per test file. */
export function usePlugin(): void {
  beforeAll(() => {
    if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  });
}

/** A deterministic float32 tensor with values in [-scale, scale). */
export function input(dims: readonly number[], seed = 1, scale = 1): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((Math.sin((i + 1) * 12.9898 * seed) * 43758.5453) % 1) * scale;
  return new Tensor('float32', data, [...dims]);
}

/** Gives every float parameter of `module` deterministic non-trivial values (norm weights near 1). */
export function randomize(module: Module, scale = 0.2): void {
  let seed = 1;
  const values = new Map<string, Tensor>();
  for (const [k, t] of module.stateDict()) {
    if (t.dtype !== 'float32') continue;
    seed += 1;
    let v = input(t.dims, seed * 0.37, scale);
    if (/norm[^.]*\.weight$|conv\.[147]\.weight$/.test(k)) {
      const d = v.toFloat32().map((x) => 1 + x);
      v = new Tensor('float32', d, [...t.dims]);
    }
    if (/running_var$/.test(k))
      v = new Tensor(
        'float32',
        v.toFloat32().map((x) => 1 + Math.abs(x)),
        [...t.dims],
      );
    values.set(k, v);
  }
  module.loadStateDict(values, { strict: false });
}

/** Runs `module` (one input, one output) on the reference backend. */
export function runReference(module: Module<[SymbolicTensor], SymbolicTensor>, x: Tensor): Tensor {
  const graph = traceModule(module, [{ name: 'input', dtype: 'float32', shape: [...x.dims] }]);
  return interpret(graph, { input: x }).output!;
}

/** Largest |a − b| over two tensors of equal shape. */
export function maxAbsDiff(a: Tensor, b: Tensor | Float64Array | number[]): number {
  const x = a.toFloat32();
  const y = b instanceof Tensor ? b.toFloat32() : b;
  if (b instanceof Tensor) expect(a.dims).toEqual(b.dims);
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - (y[i] as number)));
  return m;
}

/**
 * Checks registered models against their timm layout files: state-dict keys, shapes, kinds,
 * dtypes and order, parameter count, listing metadata, logits shape and MACs at the default
 * input, and the features-only model.
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
      expect(info.defaultInputSize).toEqual(ref.default_input_size);
      expect(info.mean).toEqual(ref.mean);
      expect(info.std).toEqual(ref.std);
      expect(info.numClasses).toBe(ref.num_classes);
      expect(info.tag ?? info.variants[0]).toBe(ref.pretrained_cfg.tag);
      expect(info.firstConv).toBe(ref.pretrained_cfg.first_conv);
      const cls = ref.pretrained_cfg.classifier;
      expect(info.classifier).toEqual(Array.isArray(cls) ? cls : [cls]);
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

    it('has the features-only maps and state of timm', async () => {
      const fo = ref.features_only;
      const model = await createModel(`ocular/${name}`, { featuresOnly: true });
      expect(model.featureInfo).toEqual(
        fo.channels.map((c, i) => ({ numChs: c, reduction: fo.reduction[i], module: fo.module[i] })),
      );
      // timm's wrapper prunes the class blocks, final norm and heads; the rest stays, in order.
      const pruned = /^(head|aux_head|norm|post_network)\./;
      const want = ref.state_dict.filter(([k]) => !pruned.test(k));
      expect(want.length).toBe((fo as { state_dict_len?: number }).state_dict_len);
      expect(moduleLayout(model.module)).toEqual(want);
      const graph = model.trace({ batch: 1 });
      expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
    });
  });
}
