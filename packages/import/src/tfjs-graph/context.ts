/**
 * What one op converter sees: the TF node, its converted inputs and the graph builder.
 * @module
 */
import type { Tensor } from '@ocular/core';
import { ImportError } from '../errors.js';
import { constantOf, type GraphBuilder, type Value } from './builder.js';
import type { TfNodeDef } from './types.js';

/** Arguments of a {@link Converter}. */
export interface ConvertContext {
  /** The TF node being converted. */
  readonly node: TfNodeDef;
  /** The graph under construction. */
  readonly b: GraphBuilder;
  /** Converted data inputs (control inputs dropped), in the node's order. */
  readonly inputs: readonly Value[];
}

/**
 * Converts one TF node to Ocular ops. Returns one {@link Value} per TF output the node has (the
 * outputs its consumers may reference as `name:k`).
 */
export type Converter = (ctx: ConvertContext) => Value[];

/** An {@link ImportError} prefixed with the node's name and op. */
export function nodeError(ctx: ConvertContext, message: string): ImportError {
  return new ImportError(`node '${ctx.node.name}' (${ctx.node.op}): ${message}`, {
    details: { node: ctx.node.name, op: ctx.node.op },
  });
}

/** Input `i`, or an error naming the node when it is missing. */
export function inputAt(ctx: ConvertContext, i: number): Value {
  const v = ctx.inputs[i];
  if (!v) throw nodeError(ctx, `input ${i} is missing (the node has ${ctx.inputs.length})`);
  return v;
}

/** Input `i` as a host constant in its logical layout; an error when it is computed at run time. */
export function constInput(ctx: ConvertContext, i: number, what: string): Tensor {
  const v = inputAt(ctx, i);
  const c = constantOf(v.t);
  if (!c) throw nodeError(ctx, `${what} (input ${i}) must be a constant known at import time`);
  return c.dims.length === v.perm.length
    ? (ctx.b.logical({ t: c, perm: v.perm }, ctx.node.name) as Tensor)
    : c;
}

/** Input `i` as constant integers. */
export function constInts(ctx: ConvertContext, i: number, what: string): number[] {
  return constInput(ctx, i, what).toNumbers();
}

/** Normalises a possibly negative TF axis for `rank`. */
export function axisOf(ctx: ConvertContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank)
    throw nodeError(ctx, `axis ${axis} is out of range for rank ${rank}`);
  return a;
}
