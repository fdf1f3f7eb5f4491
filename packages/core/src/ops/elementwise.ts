/**
 * Elementwise op schemas: arithmetic, comparisons, logic, Where and Cast. Binary and variadic
 * ops broadcast numpy-style; symbolic dims stay symbolic. Small constant inputs fold (see
 * math-fold.ts), so shape arithmetic on `Shape` outputs stays constant at trace time.
 * @module
 */
import { DTYPES, type DType, dtypeFromOnnx } from '../dtype.js';
import { AttributeError, DTypeError } from '../errors.js';
import type { OpSchema, TensorInfo } from '../ir/schema.js';
import { foldCast, foldElementwise } from './math-fold.js';
import { checkFlag, DATA_TYPES, SIGNED_TYPES } from './math-util.js';
import { broadcastShapes, FLOAT_TYPES, input, NUMERIC_TYPES, requireDType, sameDType } from './util.js';

const CATEGORY = 'elementwise';

/** A one-input op whose output has the input's dtype and shape. */
function unary(opType: string, since: number, allowed: readonly DType[], doc: string): OpSchema {
  return {
    opType,
    since,
    category: CATEGORY,
    minInputs: 1,
    maxInputs: 1,
    attrs: {},
    doc,
    infer(ctx) {
      const x = input(ctx, 0);
      requireDType(x.dtype, allowed, `${opType} input`);
      const out = { dtype: x.dtype, shape: x.shape };
      return [{ ...out, value: foldElementwise(opType, ctx.inputs, out) }];
    },
  };
}

/** Broadcast shape of every present input, after checking they share a dtype in `allowed`. */
function broadcastInputs(
  opType: string,
  inputs: readonly (TensorInfo | undefined)[],
  allowed: readonly DType[],
) {
  const present = inputs.map((t, i) => {
    if (!t) throw new DTypeError(`input ${i} is required`);
    return t;
  });
  const dtype = present[0]!.dtype;
  requireDType(dtype, allowed, `${opType} input`);
  present.forEach((t, i) => {
    if (t.dtype !== dtype)
      throw new DTypeError(`input ${i} has dtype ${t.dtype}, input 0 has ${dtype}; they must match`);
  });
  return { dtype, shape: broadcastShapes(...present.map((t) => t.shape)) };
}

/** A two-input broadcasting op whose output dtype is `out(inputDType)`. */
function binary(
  opType: string,
  since: number,
  allowed: readonly DType[],
  doc: string,
  out: (dtype: DType) => DType = (d) => d,
): OpSchema {
  return {
    opType,
    since,
    category: CATEGORY,
    minInputs: 2,
    maxInputs: 2,
    attrs: {},
    doc,
    infer(ctx) {
      const { dtype, shape } = broadcastInputs(opType, ctx.inputs, allowed);
      const info = { dtype: out(dtype), shape };
      return [{ ...info, value: foldElementwise(opType, ctx.inputs, info) }];
    },
  };
}

/** A variadic (1..∞ inputs) broadcasting op: Min, Max, Mean, Sum. */
function variadic(opType: string, since: number, allowed: readonly DType[], doc: string): OpSchema {
  return {
    opType,
    since,
    category: CATEGORY,
    minInputs: 1,
    maxInputs: Number.POSITIVE_INFINITY,
    attrs: {},
    doc,
    infer(ctx) {
      const info = broadcastInputs(opType, ctx.inputs, allowed);
      return [{ ...info, value: foldElementwise(opType, ctx.inputs, info) }];
    },
  };
}

const toBool = (): DType => 'bool';
const BOOL: readonly DType[] = ['bool'];
/** Every dtype Cast accepts on either side (all of Ocular's dtypes; ONNX adds string and complex). */
const CAST_TYPES: readonly DType[] = DTYPES;
const ROUND_MODES = ['up', 'down', 'nearest'];

/** Checks Cast/CastLike's `saturate` and `round_mode` attributes. */
function checkCastAttrs(attrs: Readonly<Record<string, unknown>>): void {
  checkFlag(attrs, 'saturate');
  const mode = attrs.round_mode;
  if (typeof mode !== 'string' || !ROUND_MODES.includes(mode)) {
    throw new AttributeError(
      `round_mode must be one of ${ROUND_MODES.join('/')}, got ${JSON.stringify(mode)}`,
    );
  }
}

const CAST: OpSchema = {
  opType: 'Cast',
  since: 25,
  category: CATEGORY,
  minInputs: 1,
  maxInputs: 1,
  attrs: {
    to: { type: 'int', required: true },
    saturate: { type: 'int', default: 1 },
    round_mode: { type: 'string', default: 'up' },
  },
  doc: 'Converts to the dtype `to` (an ONNX TensorProto.DataType number); float to int truncates toward zero; `saturate` and `round_mode` apply to the float8 targets',
  infer(ctx) {
    const x = input(ctx, 0);
    checkCastAttrs(ctx.attrs);
    const to = dtypeFromOnnx(ctx.attrs.to as number);
    requireDType(x.dtype, CAST_TYPES, 'Cast input');
    return [{ dtype: to, shape: x.shape, value: foldCast(x, to) }];
  },
};

const CAST_LIKE: OpSchema = {
  opType: 'CastLike',
  since: 25,
  category: CATEGORY,
  minInputs: 2,
  maxInputs: 2,
  attrs: {
    saturate: { type: 'int', default: 1 },
    round_mode: { type: 'string', default: 'up' },
  },
  doc: 'Cast to the dtype of the second input (whose values are not read)',
  infer(ctx) {
    const x = input(ctx, 0);
    const like = input(ctx, 1);
    checkCastAttrs(ctx.attrs);
    return [{ dtype: like.dtype, shape: x.shape, value: foldCast(x, like.dtype) }];
  },
};

const WHERE: OpSchema = {
  opType: 'Where',
  since: 16,
  category: CATEGORY,
  minInputs: 3,
  maxInputs: 3,
  attrs: {},
  doc: 'condition ? X : Y, broadcasting all three',
  infer(ctx) {
    const cond = input(ctx, 0);
    requireDType(cond.dtype, BOOL, 'Where condition');
    const dtype = sameDType(ctx, [1, 2]);
    requireDType(dtype, DATA_TYPES, 'Where X/Y');
    const out = { dtype, shape: broadcastShapes(cond.shape, input(ctx, 1).shape, input(ctx, 2).shape) };
    return [{ ...out, value: foldElementwise('Where', ctx.inputs, out) }];
  },
};

const POW: OpSchema = {
  opType: 'Pow',
  since: 15,
  category: CATEGORY,
  minInputs: 2,
  maxInputs: 2,
  attrs: {},
  doc: 'X ** Y with broadcasting; the exponent may have another numeric dtype, the output has the base dtype',
  infer(ctx) {
    const x = input(ctx, 0);
    const y = input(ctx, 1);
    requireDType(x.dtype, [...FLOAT_TYPES, 'int32', 'int64'], 'Pow base');
    requireDType(y.dtype, NUMERIC_TYPES, 'Pow exponent');
    return [{ dtype: x.dtype, shape: broadcastShapes(x.shape, y.shape) }];
  },
};

/** Elementwise ops. */
export const ELEMENTWISE_OPS: readonly OpSchema[] = [
  binary('Add', 14, NUMERIC_TYPES, 'A + B'),
  binary('Sub', 14, NUMERIC_TYPES, 'A - B'),
  binary('Mul', 14, NUMERIC_TYPES, 'A * B'),
  binary('Div', 14, NUMERIC_TYPES, 'A / B; integer division truncates toward zero'),
  POW,
  unary('Sqrt', 13, FLOAT_TYPES, 'sqrt(x)'),
  unary('Exp', 13, FLOAT_TYPES, 'exp(x)'),
  unary('Log', 13, FLOAT_TYPES, 'natural logarithm'),
  unary('Neg', 13, SIGNED_TYPES, '-x'),
  unary('Abs', 13, NUMERIC_TYPES, '|x|'),
  unary('Reciprocal', 13, FLOAT_TYPES, '1 / x'),
  unary('Floor', 13, FLOAT_TYPES, 'floor(x)'),
  unary('Ceil', 13, FLOAT_TYPES, 'ceil(x)'),
  unary('Round', 22, FLOAT_TYPES, 'round half to even'),
  unary('Sign', 13, NUMERIC_TYPES, '-1, 0 or 1'),
  unary('Erf', 13, NUMERIC_TYPES, 'Gauss error function'),
  variadic('Min', 13, NUMERIC_TYPES, 'elementwise minimum of all inputs (NaN propagates)'),
  variadic('Max', 13, NUMERIC_TYPES, 'elementwise maximum of all inputs (NaN propagates)'),
  variadic('Mean', 13, FLOAT_TYPES, 'elementwise mean of all inputs'),
  variadic('Sum', 13, FLOAT_TYPES, 'elementwise sum of all inputs'),
  binary('Equal', 19, DATA_TYPES, 'A == B', toBool),
  binary('Less', 13, NUMERIC_TYPES, 'A < B', toBool),
  binary('Greater', 13, NUMERIC_TYPES, 'A > B', toBool),
  binary('LessOrEqual', 16, NUMERIC_TYPES, 'A <= B', toBool),
  binary('GreaterOrEqual', 16, NUMERIC_TYPES, 'A >= B', toBool),
  binary('And', 7, BOOL, 'logical and'),
  binary('Or', 7, BOOL, 'logical or'),
  binary('Xor', 7, BOOL, 'logical xor'),
  unary('Not', 1, BOOL, 'logical not'),
  WHERE,
  CAST,
  CAST_LIKE,
];
