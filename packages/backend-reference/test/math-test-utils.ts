/**
 * Test helpers for the math kernels: trace one op (so the schema's shape inference runs at
 * trace time), interpret it, and compare values with a tolerance.
 */
import { type Attributes, type DType, OcularError, Tensor, Tracer } from '@ocular/core';
import { expect } from 'vitest';
import { interpret } from '../src/index.js';

/** One op input: a tensor fed as a graph input, a constant initializer, or omitted. */
export type In = Tensor | { readonly constant: Tensor } | undefined;

/** A constant (initializer) input, for shape-like operands such as axes, K or CumSum's axis. */
export function c(t: Tensor): { readonly constant: Tensor } {
  return { constant: t };
}

/** Traces `op` on `inputs` and runs it on the reference interpreter; returns every output. */
export function runOp(
  op: string,
  inputs: readonly In[],
  attrs: Attributes = {},
  numOutputs?: number,
): Tensor[] {
  const tracer = new Tracer(op);
  const feeds: Record<string, Tensor> = {};
  tracer.run(() => {
    const ins = inputs.map((x, i) => {
      if (!x) return undefined;
      if (!(x instanceof Tensor)) return x.constant;
      feeds[`x${i}`] = x;
      return tracer.input(`x${i}`, x.dtype, x.dims);
    });
    const outs = tracer.emit(op, ins, attrs, numOutputs ? { numOutputs } : {});
    outs.forEach((o, i) => {
      tracer.output(`y${i}`, o);
    });
  });
  const r = interpret(tracer.graph, feeds);
  return tracer.graph.outputs.map((o) => r[o.name]!);
}

/** The first output of {@link runOp}. */
export function run1(op: string, inputs: readonly In[], attrs: Attributes = {}): Tensor {
  return runOp(op, inputs, attrs)[0]!;
}

/** A float32 tensor (1-D unless dims are given). */
export function f32(values: readonly number[], dims?: readonly number[]): Tensor {
  return Tensor.from('float32', values, dims ?? [values.length]);
}

/** A tensor of `dtype` from numbers (bigints for 64-bit ints are made from them). */
export function t(dtype: DType, values: readonly (number | bigint)[], dims?: readonly number[]): Tensor {
  const v = dtype === 'int64' || dtype === 'uint64' ? values.map((x) => BigInt(x)) : values;
  return Tensor.from(dtype, v, dims ?? [values.length]);
}

/** An int64 tensor from numbers. */
export function i64(values: readonly number[], dims?: readonly number[]): Tensor {
  return t('int64', values, dims);
}

/** 0, 1, ..., n-1 (times `scale`, plus `offset`) as a tensor of `dims`. */
export function arange(dtype: DType, dims: readonly number[], scale = 1, offset = 0): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  return Tensor.from(
    dtype,
    Array.from({ length: n }, (_, i) => i * scale + offset),
    dims,
  );
}

/** Values as numbers (float16 decoded, bigints converted, bool as 0/1). */
export function vals(x: Tensor): number[] {
  return x.toNumbers();
}

/** Values as bigints (int64/uint64). */
export function bigs(x: Tensor): bigint[] {
  return Array.from(x.data as BigInt64Array);
}

/** Expects `actual` close to `expected` elementwise (NaN matches NaN), with dims when given. */
export function expectClose(
  actual: Tensor,
  expected: readonly number[],
  dims?: readonly number[],
  tol: { rtol?: number; atol?: number } = {},
): void {
  const rtol = tol.rtol ?? 1e-6;
  const atol = tol.atol ?? 1e-6;
  if (dims) expect(actual.dims).toEqual(dims);
  const a = vals(actual);
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(v, `element ${i}`).toBeNaN();
      return;
    }
    if (!Number.isFinite(e)) {
      expect(v, `element ${i}`).toBe(e);
      return;
    }
    expect(Math.abs(v - e), `element ${i}: got ${v}, expected ${e}`).toBeLessThanOrEqual(
      atol + rtol * Math.abs(e),
    );
  });
}

/** The typed error an op run threw (the interpreter and tracer wrap it; this unwraps the cause). */
export function opError(fn: () => unknown): OcularError {
  try {
    fn();
  } catch (e) {
    let err: unknown = e;
    while (err instanceof OcularError && (err as { cause?: unknown }).cause instanceof OcularError) {
      err = (err as { cause?: unknown }).cause;
    }
    if (err instanceof OcularError) return err;
    throw e;
  }
  throw new Error('expected the op to throw');
}
