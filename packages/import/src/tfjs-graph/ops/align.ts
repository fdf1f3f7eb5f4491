/**
 * Layout agreement for elementwise ops: every input is brought to one stored layout so that
 * numpy broadcasting over stored axes means the same as over logical axes.
 * @module
 */
import { Tensor } from '@ocular/core';
import { constantOf, int64, type Operand, plain, shapeOf, type Value } from '../builder.js';
import type { ConvertContext } from '../context.js';
import { identityPerm, isIdentity, type Perm } from '../layout.js';

/** Operands of `values` in one common layout, and that layout (a permutation of the broadcast rank). */
export function aligned(ctx: ConvertContext, values: readonly Value[]): { ops: Operand[]; perm: Perm } {
  const { b } = ctx;
  const name = ctx.node.name;
  const rank = Math.max(0, ...values.map((v) => v.perm.length));
  // Follow the layout of a computed full-rank input: constants can be re-laid out for free.
  let target: Perm = identityPerm(rank);
  for (const v of values) {
    if (v.perm.length === rank && !constantOf(v.t) && !isIdentity(v.perm)) {
      target = v.perm;
      break;
    }
  }
  const ops = values.map((v) => {
    if (v.perm.length === rank) return b.as(v, target, name);
    const logical = b.logical(v, name);
    const dims = shapeOf(logical);
    // All-ones shapes (scalars, [1]) broadcast the same way in any layout.
    if (isIdentity(target) || dims.every((d) => d === 1)) return logical;
    const padded = [...new Array<number>(rank - dims.length).fill(1), ...dims];
    const c = constantOf(logical);
    const full: Operand = c
      ? new Tensor(c.dtype, c.data, padded as number[])
      : b.emit1('Unsqueeze', [logical, int64(identityPerm(rank - dims.length))], {}, name);
    return b.as(plain(full), target, name);
  });
  return { ops, perm: target };
}
