/**
 * Elementwise TF ops: arithmetic, comparisons, logic, activations and casts. They work in any
 * stored layout, so outputs keep the layout their inputs agreed on.
 * @module
 */
import { type DType, dtypeToOnnx, isFloat, Tensor } from '@ocular/core';
import { attrDType, attrFloat, attrString } from '../attrs.js';
import type { GraphBuilder, Operand, Value } from '../builder.js';
import { shapeOf } from '../builder.js';
import { type ConvertContext, type Converter, inputAt } from '../context.js';
import { aligned } from './align.js';

function dtypeOf(t: Operand): DType {
  return t.dtype;
}

/** A converter applying `fn` to the aligned operands of every input. */
function lifted(
  fn: (b: GraphBuilder, ops: Operand[], name: string, ctx: ConvertContext) => Operand,
): Converter {
  return (ctx) => {
    const { ops, perm } = aligned(ctx, ctx.inputs);
    return [{ t: fn(ctx.b, ops, ctx.node.name, ctx), perm }];
  };
}

/** One ONNX op over all inputs. */
function direct(
  opType: string,
  attrs: (ctx: ConvertContext) => Record<string, number> = () => ({}),
): Converter {
  return lifted((b, ops, name, ctx) => b.emit1(opType, ops, attrs(ctx), name));
}

/** A unary converter `x → fn(x)` (inputs beyond the first are ignored by TF for these ops). */
function unary(fn: (b: GraphBuilder, x: Operand, name: string, ctx: ConvertContext) => Operand): Converter {
  return (ctx) => {
    const x = inputAt(ctx, 0);
    return [{ t: fn(ctx.b, x.t, ctx.node.name, ctx), perm: x.perm }];
  };
}

function scalar(dtype: DType, v: number): Tensor {
  return Tensor.scalar(dtype, v);
}

/** Cast to `to` unless already of that dtype. */
export function castTo(b: GraphBuilder, x: Operand, to: DType, name: string): Operand {
  return x.dtype === to ? x : b.emit1('Cast', [x], { to: dtypeToOnnx(to) }, name);
}

/** floor(a / b) for floats, and exactly for integers (through float64, exact below 2^53). */
function floorDiv(b: GraphBuilder, x: Operand, y: Operand, name: string): Operand {
  const dt = dtypeOf(x);
  if (isFloat(dt)) return b.emit1('Floor', [b.emit1('Div', [x, y], {}, name)], {}, name);
  const q = b.emit1('Div', [castTo(b, x, 'float64', name), castTo(b, y, 'float64', name)], {}, name);
  return castTo(b, b.emit1('Floor', [q], {}, name), dt, name);
}

/** a - floor(a / b) · b: the remainder with the divisor's sign, as TF's FloorMod. */
function floorMod(b: GraphBuilder, x: Operand, y: Operand, name: string): Operand {
  return b.emit1('Sub', [x, b.emit1('Mul', [floorDiv(b, x, y, name), y], {}, name)], {}, name);
}

/** TF Div: true division for floats; TF.js floors integer quotients, and the oracle is TF.js. */
function div(b: GraphBuilder, x: Operand, y: Operand, name: string): Operand {
  return isFloat(dtypeOf(x)) ? b.emit1('Div', [x, y], {}, name) : floorDiv(b, x, y, name);
}

/** Clip between scalar bounds of x's dtype. */
export function clip(
  b: GraphBuilder,
  x: Operand,
  lo: number | undefined,
  hi: number | undefined,
  name: string,
): Operand {
  const dt = dtypeOf(x);
  return b.emit1(
    'Clip',
    [x, lo === undefined ? undefined : scalar(dt, lo), hi === undefined ? undefined : scalar(dt, hi)],
    {},
    name,
  );
}

/** Activation functions by TF.js fused-activation name (`fused_ops[1]` lower-cased) and op name. */
export function activation(
  b: GraphBuilder,
  kind: string,
  x: Operand,
  name: string,
  extra: { alpha?: Operand; leakyAlpha?: number },
): Operand | undefined {
  switch (kind.toLowerCase()) {
    case 'linear':
    case 'identity':
      return x;
    case 'relu':
      return b.emit1('Relu', [x], {}, name);
    case 'relu6':
      return clip(b, x, 0, 6, name);
    case 'elu':
      return b.emit1('Elu', [x], { alpha: 1 }, name);
    case 'selu':
      return b.emit1('Selu', [x], {}, name);
    case 'sigmoid':
      return b.emit1('Sigmoid', [x], {}, name);
    case 'tanh':
      return b.emit1('Tanh', [x], {}, name);
    case 'leakyrelu':
      return b.emit1('LeakyRelu', [x], { alpha: extra.leakyAlpha ?? 0.2 }, name);
    case 'swish':
    case '_mklswish':
      return b.emit1('Mul', [x, b.emit1('Sigmoid', [x], {}, name)], {}, name);
    case 'prelu':
      if (!extra.alpha) return undefined;
      return b.emit1('PRelu', [x, extra.alpha], {}, name);
    default:
      return undefined;
  }
}

/** PRelu: alpha aligned with x's layout. */
const prelu: Converter = (ctx) => {
  const { ops, perm } = aligned(ctx, ctx.inputs.slice(0, 2));
  return [{ t: ctx.b.emit1('PRelu', [ops[0], ops[1]], {}, ctx.node.name), perm }];
};

const cast: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const to = attrDType(ctx.node, 'DstT');
  return [{ t: castTo(ctx.b, x.t, to, ctx.node.name), perm: x.perm }];
};

function unaryOp(opType: string): Converter {
  return unary((b, x, name) => b.emit1(opType, [x], {}, name));
}

const passThrough: Converter = (ctx) => [inputAt(ctx, 0)];

/** Converters of the elementwise TF ops. */
export const ELEMENTWISE_CONVERTERS: Readonly<Record<string, Converter>> = {
  Add: direct('Add'),
  AddV2: direct('Add'),
  AddN: (ctx) => (ctx.inputs.length === 1 ? [inputAt(ctx, 0)] : direct('Sum')(ctx)),
  BiasAdd: biasAdd,
  Sub: direct('Sub'),
  Mul: direct('Mul'),
  RealDiv: direct('Div'),
  Div: lifted((b, [x, y], name) => div(b, x!, y!, name)),
  DivNoNan: lifted((b, [x, y], name) => {
    const q = div(b, x!, y!, name);
    const zero = scalar(y!.dtype, 0);
    return b.emit1(
      'Where',
      [b.emit1('Equal', [y!, zero], {}, name), b.emit1('Mul', [q, zero], {}, name), q],
      {},
      name,
    );
  }),
  FloorDiv: lifted((b, [x, y], name) => floorDiv(b, x!, y!, name)),
  FloorMod: lifted((b, [x, y], name) => floorMod(b, x!, y!, name)),
  Maximum: direct('Max'),
  Minimum: direct('Min'),
  Pow: direct('Pow'),
  SquaredDifference: lifted((b, [x, y], name) => {
    const d = b.emit1('Sub', [x!, y!], {}, name);
    return b.emit1('Mul', [d, d], {}, name);
  }),
  Equal: direct('Equal'),
  NotEqual: lifted((b, ops, name) => b.emit1('Not', [b.emit1('Equal', ops, {}, name)], {}, name)),
  Greater: direct('Greater'),
  GreaterEqual: direct('GreaterOrEqual'),
  Less: direct('Less'),
  LessEqual: direct('LessOrEqual'),
  LogicalAnd: direct('And'),
  LogicalOr: direct('Or'),
  LogicalNot: unaryOp('Not'),
  Select: lifted((b, ops, name) => b.emit1('Where', ops, {}, name)),
  SelectV2: lifted((b, ops, name) => b.emit1('Where', ops, {}, name)),
  Relu: unaryOp('Relu'),
  Relu6: unary((b, x, name) => clip(b, x, 0, 6, name)),
  LeakyRelu: unary((b, x, name, ctx) =>
    b.emit1('LeakyRelu', [x], { alpha: attrFloat(ctx.node, 'alpha', 0.2) }, name),
  ),
  Elu: unary((b, x, name) => b.emit1('Elu', [x], { alpha: 1 }, name)),
  Selu: unaryOp('Selu'),
  Prelu: prelu,
  Sigmoid: unaryOp('Sigmoid'),
  Tanh: unaryOp('Tanh'),
  Softplus: unaryOp('Softplus'),
  Exp: unaryOp('Exp'),
  Log: unaryOp('Log'),
  Sqrt: unaryOp('Sqrt'),
  Rsqrt: unary((b, x, name) => b.emit1('Reciprocal', [b.emit1('Sqrt', [x], {}, name)], {}, name)),
  Square: unary((b, x, name) => b.emit1('Mul', [x, x], {}, name)),
  Neg: unaryOp('Neg'),
  Abs: unaryOp('Abs'),
  Floor: unaryOp('Floor'),
  Ceil: unaryOp('Ceil'),
  Round: unaryOp('Round'),
  Sign: unaryOp('Sign'),
  Reciprocal: unaryOp('Reciprocal'),
  Inv: unaryOp('Reciprocal'),
  Erf: unaryOp('Erf'),
  Cast: cast,
  Identity: passThrough,
  StopGradient: passThrough,
  Snapshot: passThrough,
  PreventGradient: passThrough,
};

/** BiasAdd: the bias runs along the channel axis (last for NHWC, 1 for NCHW). */
function biasAdd(ctx: ConvertContext): Value[] {
  const x = inputAt(ctx, 0);
  const bias = inputAt(ctx, 1);
  const rank = x.perm.length;
  if (attrString(ctx.node, 'data_format', 'NHWC') !== 'NCHW' || rank < 2) return direct('Add')(ctx);
  // NCHW: bias [C] applies to axis 1; reshape it to [C, 1, ..., 1] so broadcasting reaches axis 1.
  const c = shapeOf(bias.t)[0] as number;
  const shaped = ctx.b.emit1(
    'Reshape',
    [ctx.b.logical(bias, ctx.node.name), Tensor.from('int64', [BigInt(c), ...new Array(rank - 2).fill(1n)])],
    {},
    ctx.node.name,
  );
  return direct('Add')({ ...ctx, inputs: [x, { t: shaped, perm: [...Array(rank - 1).keys()] }] });
}
