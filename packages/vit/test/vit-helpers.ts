/**
 * Test helpers of the vision_transformer family: plugin registration, a deterministic input and
 * max-abs-diff.
 */
import { registry, Tensor } from '@ocular/core';
import { beforeAll, expect } from 'vitest';
import { plugin } from '../src/index.js';

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

/** Overwrites every float tensor of `m`'s state with deterministic values in ±0.3. */
export function randomizeState(m: { stateDict(): Map<string, Tensor> }, seed: number): void {
  let k = seed;
  for (const [, t] of m.stateDict()) {
    if (t.dtype !== 'float32') continue;
    const d = t.data as Float32Array;
    for (let i = 0; i < d.length; i++) d[i] = 0.3 * Math.sin(++k * 0.7311 + seed);
  }
}
