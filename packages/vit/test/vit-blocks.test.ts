// AttentionPoolLatent (timm's 'map' head) against a numpy float64 re-implementation of timm's
// forward (latent query → q, kv → softmax attention → proj → x + mlp(norm(x)) → token 0), on
// weights and inputs from the same closed-form fill() on both sides.
import { interpret } from '@ocular/backend-reference';
import { Tensor, traceModule } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { AttentionPoolLatent, RmsNorm } from '../src/index.js';

/** offset + scale · sin(0.731·i + 1.37·seed), rounded to float32. */
function fill(dims: number[], seed: number, scale = 0.5, offset = 0): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  return Tensor.from(
    'float32',
    Array.from({ length: n }, (_, i) => offset + Math.sin(i * 0.731 + seed * 1.37) * scale),
    dims,
  );
}

const EXPECTED = [
  -4.2911534, -6.1331677, -5.2818386, -1.6323704, 3.1437579, 6.6144778, 7.1185975, 4.7702984, 2.6955657,
  0.47228075, -2.5370282, -4.2283873, -3.3096375, -0.23631275, 3.0574248, 4.4608915,
];

describe('AttentionPoolLatent', () => {
  it('pools [2, 5, 8] tokens to [2, 8] as timm does', () => {
    const m = new AttentionPoolLatent(8, { numHeads: 2, mlpRatio: 2 });
    const report = m.loadStateDict(
      {
        latent: fill([1, 1, 8], 0),
        'q.weight': fill([8, 8], 1),
        'q.bias': fill([8], 2),
        'kv.weight': fill([16, 8], 3),
        'kv.bias': fill([16], 4),
        'proj.weight': fill([8, 8], 5),
        'proj.bias': fill([8], 6),
        'norm.weight': fill([8], 7, 0.5, 1),
        'norm.bias': fill([8], 8),
        'mlp.fc1.weight': fill([16, 8], 9),
        'mlp.fc1.bias': fill([16], 10),
        'mlp.fc2.weight': fill([8, 16], 11),
        'mlp.fc2.bias': fill([8], 12),
      },
      { strict: true },
    );
    expect(report.missing).toEqual([]);
    const g = traceModule(m, [{ name: 'x', dtype: 'float32', shape: ['batch', 5, 8] }]);
    const y = interpret(g, { x: fill([2, 5, 8], 13, 1) }).output!;
    expect(y.dims).toEqual([2, 8]);
    const got = y.toFloat32();
    for (let i = 0; i < EXPECTED.length; i++)
      expect(Math.abs(got[i]! - EXPECTED[i]!), `element ${i}`).toBeLessThan(2e-5);
  });
});

describe('RmsNorm', () => {
  it('divides by the root mean square over the last dim (eps 1e-6) and scales by the weight', () => {
    const m = new RmsNorm(2);
    m.loadStateDict({ weight: Tensor.from('float32', [1, 2], [2]) }, { strict: true });
    const g = traceModule(m, [{ name: 'x', dtype: 'float32', shape: [1, 2, 2] }]);
    const y = interpret(g, { x: Tensor.from('float32', [3, 4, 0.001, 0], [1, 2, 2]) }).output!.toFloat32();
    // [3, 4]: rms √12.5; [0.001, 0]: rms √(5e-7), where the epsilon (1e-6, not 1e-5) matters.
    const r = Math.sqrt(12.5 + 1e-6);
    const s = Math.sqrt(5e-7 + 1e-6);
    const expected = [3 / r, 8 / r, 0.001 / s, 0];
    for (let i = 0; i < 4; i++) expect(y[i]).toBeCloseTo(expected[i]!, 5);
  });
});
