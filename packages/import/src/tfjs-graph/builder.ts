/**
 * The graph being built from a GraphDef: wraps a {@link Tracer}, folds ops whose inputs are all
 * constants into host tensors, and converts values between stored layouts (one Transpose per
 * value and layout, a Reshape when only size-1 axes move, a host transpose for constants).
 * @module
 */
import { type Attributes, type Dim, type OpInput, SymbolicTensor, Tensor, type Tracer } from '@ocular/core';
import { ImportError } from '../errors.js';
import {
  identityPerm,
  isIdentity,
  isMemoryOrderPreserving,
  type Perm,
  permBetween,
  permuteDims,
  samePerm,
  transposeTensor,
} from './layout.js';

/** A graph value or a host constant. */
export type Operand = SymbolicTensor | Tensor;

/** A converted TF tensor: its operand, stored as `Transpose(logical, perm)`. */
export interface Value {
  readonly t: Operand;
  readonly perm: Perm;
}

/** A value stored in its logical layout. */
export function plain(t: Operand): Value {
  return { t, perm: identityPerm(shapeOf(t).length) };
}

/** Dims of an operand (symbolic dims stay strings). */
export function shapeOf(t: Operand): readonly Dim[] {
  return t instanceof Tensor ? t.dims : t.shape;
}

/** The constant behind an operand, if known at import time. */
export function constantOf(t: Operand): Tensor | undefined {
  return t instanceof Tensor ? t : t.value;
}

/** Logical dims of a value. */
export function logicalShape(v: Value): Dim[] {
  const stored = shapeOf(v.t);
  const out = new Array<Dim>(stored.length);
  v.perm.forEach((a, k) => {
    out[a] = stored[k]!;
  });
  return out;
}

/** An int64 1-D tensor (ONNX shape, axes, pads and sizes inputs). */
export function int64(values: readonly number[]): Tensor<'int64'> {
  return Tensor.from(
    'int64',
    values.map((v) => BigInt(v)),
  );
}

/** Builds the Ocular graph; see the module doc. */
export class GraphBuilder {
  /** Number of Transpose nodes this builder emitted to change a value's layout. */
  transposes = 0;
  private readonly converted = new WeakMap<Value, Map<string, Operand>>();

  constructor(readonly tracer: Tracer) {}

  /**
   * Emits one op named after `name`. When every input is a host constant and shape inference
   * computed every output, the node is dropped and the outputs come back as host tensors.
   */
  emit(
    opType: string,
    inputs: readonly OpInput[],
    attrs: Attributes,
    name: string,
    numOutputs?: number,
  ): Operand[] {
    const outs = this.tracer.emit(opType, inputs, attrs, { name: `${name}/${opType}`, numOutputs });
    const allConst = inputs.every(
      (i) => i === undefined || i === null || i instanceof Tensor || i.value !== undefined,
    );
    if (allConst && outs.every((o) => o.value !== undefined)) {
      const g = this.tracer.graph;
      const node = g.nodes.pop();
      for (const o of node?.outputs ?? []) g.valueInfo.delete(o);
      return outs.map((o) => o.value!);
    }
    return outs;
  }

  /** {@link emit} for single-output ops. */
  emit1(opType: string, inputs: readonly OpInput[], attrs: Attributes, name: string): Operand {
    return this.emit(opType, inputs, attrs, name)[0]!;
  }

  /** The operand of `v` stored with permutation `to` (cached per value and layout). */
  as(v: Value, to: Perm, name: string): Operand {
    if (samePerm(v.perm, to)) return v.t;
    if (v.perm.length !== to.length) {
      throw new ImportError(`${name}: cannot lay out a rank-${v.perm.length} value as rank ${to.length}`);
    }
    const key = to.join(',');
    let cache = this.converted.get(v);
    const hit = cache?.get(key);
    if (hit) return hit;
    const perm = permBetween(v.perm, to);
    const dims = shapeOf(v.t);
    let out: Operand;
    if (v.t instanceof Tensor) out = transposeTensor(v.t, perm);
    else if (v.t.value) out = transposeTensor(v.t.value, perm);
    else if (dims.every((d) => typeof d === 'number') && isMemoryOrderPreserving(dims, perm)) {
      out = this.emit1('Reshape', [v.t, int64(permuteDims(dims as number[], perm))], {}, name);
    } else {
      out = this.emit1('Transpose', [v.t], { perm }, name);
      this.transposes++;
    }
    if (!cache) {
      cache = new Map();
      this.converted.set(v, cache);
    }
    cache.set(key, out);
    return out;
  }

  /** The operand of `v` in its logical (TF) layout. */
  logical(v: Value, name: string): Operand {
    return isIdentity(v.perm) ? v.t : this.as(v, identityPerm(v.perm.length), name);
  }

  /** A graph value for an operand (host constants become initializers). */
  symbolic(t: Operand): SymbolicTensor {
    return t instanceof SymbolicTensor ? t : this.tracer.valueOf(t)!;
  }
}
