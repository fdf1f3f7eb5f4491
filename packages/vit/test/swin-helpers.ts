/**
 * Test helpers of the Swin, PVTv2 and Twins tests: plugin registration, a deterministic input
 * and max-abs-diff comparison.
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
