/**
 * Test helpers for the spatial kernels: deterministic inputs shared with the numpy script that
 * produced `spatial-expected.ts`, and closeness checks (running a node: `one-node.ts`).
 */
import { type DType, Tensor } from '@ocular/core';
import { expect } from 'vitest';
import { vals } from './one-node.js';
import { EXPECTED } from './spatial-expected.js';

/**
 * Deterministic test data: element i is `(((i*37 + seed*11) mod 23) - 11) / 8`, multiples of
 * 1/8 in [-1.375, 1.375], exact in every float dtype; `map` transforms each value as the
 * numpy script does. The numpy script uses the same formula.
 */
export function seq(
  dtype: DType,
  dims: readonly number[],
  seed: number,
  map: (v: number) => number = (v) => v,
): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  return Tensor.from(
    dtype,
    Array.from({ length: n }, (_, i) => map((((i * 37 + seed * 11) % 23) - 11) / 8)),
    dims,
  );
}

/** A tensor of explicit values. */
export function tensor(dtype: DType, values: readonly number[], dims: readonly number[]): Tensor {
  return Tensor.from(dtype, dtype === 'int64' ? values.map((v) => BigInt(v)) : values, dims);
}

/** Asserts dims and values of `t` against explicit numbers within `|a-e| <= atol + rtol*|e|`. */
export function expectValues(
  t: Tensor,
  dims: readonly number[],
  expected: readonly number[],
  tol: { rtol?: number; atol?: number } = {},
): void {
  const { rtol = 1e-6, atol = 1e-6 } = tol;
  expect(t.dims).toEqual(dims);
  const got = vals(t);
  expect(got.length).toBe(expected.length);
  const bad = got
    .map((v, i) => ({ i, v, e: expected[i]! }))
    .filter(({ v, e }) => !(Math.abs(v - e) <= atol + rtol * Math.abs(e)));
  expect(bad.slice(0, 5), `${bad.length} of ${got.length} values differ`).toEqual([]);
}

/** Asserts `t` against a numpy-computed entry of `spatial-expected.ts`. */
export function expectCase(t: Tensor, name: string, tol?: { rtol?: number; atol?: number }): void {
  const e = EXPECTED[name];
  if (!e) throw new Error(`no expected values named '${name}'`);
  expectValues(t, e.dims, e.values, tol);
}
