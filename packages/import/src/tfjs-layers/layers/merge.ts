/**
 * Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate.
 * @module
 */
import { type SymbolicTensor, Tensor } from '@ocular/core';
import type { LayerContext, LayerConverter } from '../context.js';
import { storedAxis } from '../layout.js';

function checkRanks(ctx: LayerContext, xs: SymbolicTensor[]): void {
  if (xs.length < 2 && ctx.className !== 'Add' && ctx.className !== 'Concatenate')
    ctx.fail('needs at least two inputs');
  const r = xs[0]!.rank;
  if (xs.some((x) => x.rank !== r))
    ctx.fail(`inputs of different ranks (${xs.map((x) => x.rank).join(', ')}) are not supported`);
}

/** A left fold of a binary op over the inputs. */
function fold(op: string): LayerConverter {
  return (ctx, xs) => {
    checkRanks(ctx, xs);
    let y = xs[0]!;
    for (const x of xs.slice(1)) y = ctx.op(op, [y, x]);
    return [y];
  };
}

/** Add (any number of inputs). */
export const add = fold('Add');
/** Multiply. */
export const multiply = fold('Mul');
/** Maximum. */
export const maximum = fold('Max');
/** Minimum. */
export const minimum = fold('Min');

/** Subtract: exactly two inputs. */
export const subtract: LayerConverter = (ctx, xs) => {
  if (xs.length !== 2) ctx.fail(`needs exactly two inputs, got ${xs.length}`);
  checkRanks(ctx, xs);
  return [ctx.op('Sub', [xs[0]!, xs[1]!])];
};

/** Average: the sum times 1/n. */
export const average: LayerConverter = (ctx, xs) => {
  const [sum] = add(ctx, xs);
  return [ctx.op('Mul', [sum!, Tensor.from(sum!.dtype, [1 / xs.length], [])])];
};

/** Concatenate along `axis` (default -1: the channel axis, stored axis 1 for rank-4 values). */
export const concatenate: LayerConverter = (ctx, xs) => {
  checkRanks(ctx, xs);
  return [ctx.op('Concat', xs, { axis: storedAxis(ctx.get('axis', -1), xs[0]!.rank) })];
};
