/**
 * Test helpers that run one node on the reference interpreter (inputs as initializers, so
 * shape-like inputs are constants), catch the typed error of a failing run, and build and read
 * small tensors. Used by the layout and spatial kernel tests.
 */
import { type Attributes, createGraph, type DType, OcularError, Tensor } from '@ocular/core';
import { interpret } from '../src/index.js';

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

/** 0, 1, ..., n-1 as a tensor of `dims`. */
export function arange(dtype: DType, dims: readonly number[]): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  return Tensor.from(
    dtype,
    Array.from({ length: n }, (_, i) => i),
    dims,
  );
}

/** An int64 tensor from numbers. */
export function i64(values: readonly number[], dims?: readonly number[]): Tensor {
  return Tensor.from(
    'int64',
    values.map((v) => BigInt(v)),
    dims ?? [values.length],
  );
}

/** Values of a tensor as numbers (bigints converted, float16 decoded). */
export function vals(t: Tensor): number[] {
  return t.toNumbers();
}
