// The end-to-end check: a small network using conv, batch norm, attention, layer norm and
// resize is traced from modules, exported to ONNX, run by onnxruntime (an independent engine) and
// compared with the reference backend on the same weights and input.
import {
  Attention,
  ConvNormAct,
  F,
  graphToOnnx,
  LayerNorm,
  Module,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { interpret } from '../src/index.js';

class TinyHybrid extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly stem = this.registerModule(
    'stem',
    new ConvNormAct(3, 16, { kernelSize: 3, stride: 2, actLayer: 'gelu' }),
  );
  readonly norm = this.registerModule('norm', new LayerNorm(16, { eps: 1e-6 }));
  readonly attn = this.registerModule('attn', new Attention(16, { numHeads: 2, qkvBias: true }));

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = this.stem.call(x); // [B, 16, 8, 8]
    const tokens = F.permute(F.reshape(y, [0, 16, 64]), [0, 2, 1]); // [B, 64, 16]
    const mixed = F.add(tokens, this.attn.call(this.norm.call(tokens)));
    const back = F.reshape(F.permute(mixed, [0, 2, 1]), [0, 16, 8, 8]);
    return F.interpolate(back, { scaleFactor: 2, mode: 'bilinear', alignCorners: false });
  }
}

/** Deterministic values in [-1, 1). */
function seeded(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

describe('exported network: onnxruntime vs reference backend', () => {
  it('agrees to 1e-4 on conv + batch norm + attention + layer norm + resize', async () => {
    const model = new TinyHybrid();
    // Batch-norm statistics and norm affine parameters default to identity; perturb every float
    // tensor so each one changes the output.
    const perturbed = new Map<string, Tensor>();
    let seed = 1;
    for (const [key, t] of model.stateDict()) {
      if (t.dtype !== 'float32') continue;
      const noise = seeded(t.size, seed++);
      const base = t.toNumbers();
      const values = key.endsWith('running_var')
        ? noise.map((v) => 0.75 + 0.5 * v)
        : base.map((v, i) => v + 0.1 * noise[i]!);
      perturbed.set(key, Tensor.from('float32', values, t.dims));
    }
    model.loadStateDict(perturbed, { strict: false });

    const graph = traceModule(model, [{ name: 'image', dtype: 'float32', shape: ['batch', 3, 16, 16] }], {
      outputNames: ['features'],
    });
    const ops = new Set(graph.nodes.map((n) => n.opType));
    for (const op of ['Conv', 'BatchNormalization', 'LayerNormalization', 'Softmax', 'MatMul', 'Resize']) {
      expect(ops, `graph should contain ${op}`).toContain(op);
    }

    const x = Tensor.from('float32', seeded(2 * 3 * 16 * 16, 99), [2, 3, 16, 16]);
    const ref = interpret(graph, { image: x }).features!;
    expect(ref.dims).toEqual([2, 16, 16, 16]);

    const session = await ort.InferenceSession.create(graphToOnnx(graph, { dynamicBatch: true }));
    const out = await session.run({
      image: new ort.Tensor('float32', x.data as Float32Array, [2, 3, 16, 16]),
    });
    const got = out.features!;
    expect(got.dims).toEqual([2, 16, 16, 16]);
    const a = ref.data as Float32Array;
    const b = got.data as Float32Array;
    let maxAbs = 0;
    for (let i = 0; i < a.length; i++) maxAbs = Math.max(maxAbs, Math.abs(a[i]! - b[i]!));
    expect(maxAbs).toBeLessThanOrEqual(1e-4);
    // The comparison must be meaningful: outputs are not all zero or constant.
    const spread = Math.max(...a) - Math.min(...a);
    expect(spread).toBeGreaterThan(0.1);
    await session.release();
  });
});
