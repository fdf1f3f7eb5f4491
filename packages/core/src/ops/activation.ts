/**
 * Activation op schemas: elementwise nonlinearities (same dtype and shape out as in) and the
 * softmax family along one axis.
 * @module
 */
import type { DType } from '../dtype.js';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import type { OpSchema } from '../ir/schema.js';
import { checkUnidirectional, SIGNED_TYPES } from './math-util.js';
import { FLOAT_TYPES, input, NUMERIC_TYPES, normalizeAxis, requireDType } from './util.js';

/** Schema of a unary op whose output has the input's dtype and shape. */
function unary(
  opType: string,
  since: number,
  attrs: OpSchema['attrs'] = {},
  doc?: string,
  allowed: readonly DType[] = FLOAT_TYPES,
  check?: (attrs: Readonly<Record<string, unknown>>) => void,
): OpSchema {
  return {
    opType,
    since,
    category: 'activation',
    minInputs: 1,
    maxInputs: 1,
    attrs,
    doc,
    infer(ctx) {
      const x = input(ctx, 0);
      requireDType(x.dtype, allowed, `${opType} input`);
      check?.(ctx.attrs);
      return [{ dtype: x.dtype, shape: x.shape }];
    },
  };
}

/** Softmax, LogSoftmax, Hardmax (opset 13): one `axis`, default -1, checked against the rank. */
function alongAxis(opType: string, doc: string): OpSchema {
  return {
    opType,
    since: 13,
    category: 'activation',
    minInputs: 1,
    maxInputs: 1,
    attrs: { axis: { type: 'int', default: -1 } },
    doc,
    infer(ctx) {
      const x = input(ctx, 0);
      requireDType(x.dtype, FLOAT_TYPES, `${opType} input`);
      normalizeAxis(ctx.attrs.axis as number, x.shape.length);
      return [{ dtype: x.dtype, shape: x.shape }];
    },
  };
}

const CLIP: OpSchema = {
  opType: 'Clip',
  since: 13,
  category: 'activation',
  minInputs: 1,
  maxInputs: 3,
  attrs: {},
  doc: 'min(max(x, min), max); min and max are optional one-element inputs of the same dtype',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, NUMERIC_TYPES, 'Clip input');
    for (const [i, name] of [
      [1, 'min'],
      [2, 'max'],
    ] as const) {
      const b = ctx.inputs[i];
      if (!b) continue;
      if (b.dtype !== x.dtype)
        throw new DTypeError(`Clip ${name} has dtype ${b.dtype}, input has ${x.dtype}`);
      // ONNX asks for a scalar; a one-element 1-D tensor is accepted as onnxruntime does.
      const d0 = b.shape[0];
      if (b.shape.length > 1 || (b.shape.length === 1 && d0 !== 1 && typeof d0 !== 'string')) {
        throw new ShapeError(`Clip ${name} must be a scalar, got shape [${b.shape.join(', ')}]`);
      }
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

const PRELU: OpSchema = {
  opType: 'PRelu',
  since: 16,
  category: 'activation',
  minInputs: 2,
  maxInputs: 2,
  attrs: {},
  doc: 'x < 0 ? slope * x : x; slope broadcasts unidirectionally to x',
  infer(ctx) {
    const x = input(ctx, 0);
    const slope = input(ctx, 1);
    requireDType(x.dtype, [...FLOAT_TYPES, 'int32', 'int64', 'uint32', 'uint64'], 'PRelu input');
    if (slope.dtype !== x.dtype)
      throw new DTypeError(`PRelu slope has dtype ${slope.dtype}, input has ${x.dtype}`);
    checkUnidirectional(x.shape, slope.shape, 'PRelu slope');
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

const GELU_MODES = ['none', 'tanh'];

/** Activation ops. */
export const ACTIVATION_OPS: readonly OpSchema[] = [
  unary('Relu', 14, {}, 'max(x, 0)', SIGNED_TYPES),
  unary('LeakyRelu', 16, { alpha: { type: 'float', default: 0.01 } }, 'x < 0 ? alpha * x : x'),
  unary('Sigmoid', 13, {}, '1 / (1 + exp(-x))'),
  unary(
    'HardSigmoid',
    22,
    { alpha: { type: 'float', default: 0.2 }, beta: { type: 'float', default: 0.5 } },
    'max(0, min(1, alpha * x + beta))',
  ),
  unary('HardSwish', 22, {}, 'x * max(0, min(1, x / 6 + 0.5))'),
  unary('Tanh', 13, {}, 'tanh(x)'),
  unary('Softplus', 22, {}, 'log(exp(x) + 1)'),
  unary(
    'Gelu',
    20,
    { approximate: { type: 'string', default: 'none' } },
    "x * Φ(x); approximate = 'tanh' uses the tanh formula",
    FLOAT_TYPES,
    (attrs) => {
      if (!GELU_MODES.includes(attrs.approximate as string)) {
        throw new AttributeError(
          `approximate must be 'none' or 'tanh', got ${JSON.stringify(attrs.approximate)}`,
        );
      }
    },
  ),
  unary('Elu', 22, { alpha: { type: 'float', default: 1 } }, 'x < 0 ? alpha * (exp(x) - 1) : x'),
  unary(
    'Selu',
    22,
    {
      // ONNX's float32 defaults 1.67326319217681884765625 and 1.05070102214813232421875, exactly.
      alpha: { type: 'float', default: 1.6732631921768188 },
      gamma: { type: 'float', default: 1.0507010221481323 },
    },
    'gamma * (x <= 0 ? alpha * (exp(x) - 1) : x)',
  ),
  unary('Mish', 22, {}, 'x * tanh(softplus(x))'),
  CLIP,
  PRELU,
  alongAxis('Softmax', 'exp(x) / sum(exp(x)) along axis'),
  alongAxis('LogSoftmax', 'log of Softmax along axis'),
  alongAxis('Hardmax', '1 at the first maximum along axis, 0 elsewhere'),
];
