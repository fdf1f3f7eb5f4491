/**
 * Test helpers of the re-parameterisable families: deterministic non-trivial weights (batch-norm
 * statistics included, so folding them is exercised), inputs and a relative difference.
 */
import { type Module, Tensor } from '@ocular/core';

/** A small deterministic generator in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Overwrites every float tensor of `module`'s state: batch-norm variances in [0.5, 1.5), scales
 * in [0.5, 1.5), other tensors in [-0.2, 0.2) (conv weights scaled by fan-in so activations stay
 * of order one through deep stacks).
 */
export function randomizeState(module: Module, seed = 1): void {
  const rand = lcg(seed);
  for (const [key, t] of module.stateDict()) {
    if (t.dtype !== 'float32') continue;
    const data = t.data as Float32Array;
    const fanIn = t.dims.length === 4 ? t.dims[1]! * t.dims[2]! * t.dims[3]! : 1;
    for (let i = 0; i < data.length; i++) {
      const u = rand();
      if (key.endsWith('running_var')) data[i] = 0.5 + u;
      else if (t.dims.length === 1 && key.endsWith('.weight')) data[i] = 0.5 + u;
      else if (t.dims.length === 4) data[i] = (u - 0.5) * (2 / Math.sqrt(fanIn));
      else data[i] = (u - 0.5) * 0.4;
    }
  }
}

/** A deterministic input in [-2, 2). */
export function input(dims: number[]): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 7919) % 4001) / 1000 - 2;
  return new Tensor('float32', data, dims);
}

/** max |a − b| / max |b|. */
export function relativeDiff(a: Tensor, b: Tensor): number {
  const x = a.toFloat32();
  const y = b.toFloat32();
  if (x.length !== y.length) throw new Error(`sizes differ: ${x.length} vs ${y.length}`);
  let d = 0;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i]! - y[i]!));
    m = Math.max(m, Math.abs(y[i]!));
  }
  return d / m;
}
