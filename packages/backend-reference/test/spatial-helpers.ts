/**
 * Test helpers for the spatial kernels: run one node on the reference interpreter, deterministic
 * inputs shared with the numpy script that produced `spatial-expected.ts`, and closeness checks.
 */
import { type Attributes, createGraph, type DType, OcularError, Tensor } from '@ocular/core';
import { expect } from 'vitest';
import { interpret } from '../src/index.js';
import { EXPECTED } from './spatial-expected.js';

/** Runs a one-node graph whose inputs are initializers; `undefined` inputs are omitted (''). */
export function runOp(
  op: string,
  inputs: readonly (Tensor | undefined)[],
  attrs: Attributes = {},
  numOutputs = 1,
): Tensor[] {
  const g = createGraph(op);
  const names = inputs.map((t, i) => {
    if (!t) return '';
    g.initializers.set(`in${i}`, t);
    return `in${i}`;
  });
  const outs = Array.from({ length: numOutputs }, (_, i) => `out${i}`);
  g.nodes.push({ name: op, opType: op, inputs: names, outputs: outs, attrs });
  g.outputs = outs.map((name) => ({ name, dtype: 'float32', shape: [] }));
  const r = interpret(g, {});
  return outs.map((n) => r[n]!);
}

/** The first output of {@link runOp}. */
export function run1(op: string, inputs: readonly (Tensor | undefined)[], attrs: Attributes = {}): Tensor {
  return runOp(op, inputs, attrs)[0]!;
}

/** The typed error a failing op run threw (the interpreter wraps it as the cause). */
export function opError(fn: () => unknown): OcularError {
  try {
    fn();
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof OcularError) return cause;
    if (e instanceof OcularError) return e;
    throw e;
  }
  throw new Error('expected the op to throw');
}

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

/** An int64 tensor from numbers. */
export function i64(values: readonly number[], dims?: readonly number[]): Tensor {
  return tensor('int64', values, dims ?? [values.length]);
}

/** Values of a tensor as numbers (bigints converted, float16 decoded). */
export function vals(t: Tensor): number[] {
  return t.toNumbers();
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
