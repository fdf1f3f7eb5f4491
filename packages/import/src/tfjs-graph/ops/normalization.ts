/**
 * Softmax family and inference-mode batch normalisation.
 * @module
 */
import { Tensor } from '@ocular/core';
import { attrFloat, attrString } from '../attrs.js';
import { constantOf, type Operand, plain } from '../builder.js';
import { type ConvertContext, type Converter, inputAt } from '../context.js';
import { aligned } from './align.js';

function softmax(opType: 'Softmax' | 'LogSoftmax'): Converter {
  return (ctx) => {
    const x = inputAt(ctx, 0);
    const axis = x.perm.indexOf(x.perm.length - 1);
    return [{ t: ctx.b.emit1(opType, [x.t], { axis }, ctx.node.name), perm: x.perm }];
  };
}

/**
 * FusedBatchNorm(V2/V3) in inference mode: `y = x · a + b` with `a = scale / sqrt(var + eps)` and
 * `b = offset - mean · a` along the channel axis (folded at import when the statistics are
 * constants, as they are in converted models).
 */
const fusedBatchNorm: Converter = (ctx: ConvertContext) => {
  const x = inputAt(ctx, 0);
  const eps = attrFloat(ctx.node, 'epsilon', 1e-4);
  const nchw = attrString(ctx.node, 'data_format', 'NHWC') === 'NCHW';
  const [scale, offset, mean, variance] = [1, 2, 3, 4].map((i) => inputAt(ctx, i));
  const consts = [scale, offset, mean, variance].map((v) => constantOf(v!.t));
  let a: Operand;
  let b: Operand;
  if (consts.every((c) => c !== undefined)) {
    const [s, o, m, v] = consts.map((c) => c!.toFloat32());
    const av = s!.map((sv, i) => sv / Math.sqrt(v![i]! + eps));
    a = new Tensor('float32', av, [av.length]);
    b = new Tensor(
      'float32',
      o!.map((ov, i) => ov - m![i]! * av[i]!),
      [av.length],
    );
  } else {
    const { b: g } = ctx;
    const n = ctx.node.name;
    const inv = g.emit1(
      'Reciprocal',
      [g.emit1('Sqrt', [g.emit1('Add', [variance!.t, Tensor.scalar('float32', eps)], {}, n)], {}, n)],
      {},
      n,
    );
    a = g.emit1('Mul', [scale!.t, inv], {}, n);
    b = g.emit1('Sub', [offset!.t, g.emit1('Mul', [mean!.t, a], {}, n)], {}, n);
  }
  if (nchw) {
    // Channel axis 1: [C] → [C, 1, 1] so it broadcasts there.
    const c = (a instanceof Tensor ? a.dims[0] : a.shape[0]) as number;
    const reshape = (t: Operand) =>
      t instanceof Tensor
        ? new Tensor(t.dtype, t.data, [c, 1, 1])
        : ctx.b.emit1('Reshape', [t, Tensor.from('int64', [BigInt(c), 1n, 1n])], {}, ctx.node.name);
    a = reshape(a);
    b = reshape(b);
  }
  const mul = aligned(ctx, [x, plain(a)]);
  const y = { t: ctx.b.emit1('Mul', mul.ops, {}, ctx.node.name), perm: mul.perm };
  const add = aligned(ctx, [y, plain(b)]);
  return [{ t: ctx.b.emit1('Add', add.ops, {}, ctx.node.name), perm: add.perm }];
};

/** ClipByValue(x, min, max) with scalar or broadcast bounds: max(min(x, hi), lo). */
const clipByValue: Converter = (ctx) => {
  const { ops, perm } = aligned(ctx, ctx.inputs.slice(0, 3));
  const hi = ctx.b.emit1('Min', [ops[0], ops[2]], {}, ctx.node.name);
  return [{ t: ctx.b.emit1('Max', [hi, ops[1]], {}, ctx.node.name), perm }];
};

/** Converters of the softmax and normalisation TF ops. */
export const NORMALIZATION_CONVERTERS: Readonly<Record<string, Converter>> = {
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
  FusedBatchNorm: fusedBatchNorm,
  FusedBatchNormV2: fusedBatchNorm,
  FusedBatchNormV3: fusedBatchNorm,
  ClipByValue: clipByValue,
};
