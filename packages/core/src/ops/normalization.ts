/**
 * Normalization op schemas: BatchNormalization, LayerNormalization, GroupNormalization,
 * InstanceNormalization and LpNormalization.
 * @module
 */
import { type DType, dtypeFromOnnx } from '../dtype.js';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { type Dim, formatShape } from '../ir/graph.js';
import type { OpSchema, TensorInfo } from '../ir/schema.js';
import { checkFlag, checkUnidirectional, dimsCompatible } from './math-util.js';
import { FLOAT_TYPES, input, normalizeAxis, requireDType } from './util.js';

const CATEGORY = 'normalization';

/** Throws unless `t` is 1-D of length `c` (a per-channel parameter). */
function checkPerChannel(t: TensorInfo, c: Dim, what: string): void {
  if (t.shape.length !== 1 || !dimsCompatible(t.shape[0]!, c)) {
    throw new ShapeError(
      `${what} must have shape [${c}] (one value per channel), got ${formatShape(t.shape)}`,
    );
  }
}

/** Throws unless `t` has dtype `dtype`. */
function checkSameDType(t: TensorInfo, dtype: DType, what: string, of: string): void {
  if (t.dtype !== dtype)
    throw new DTypeError(`${what} has dtype ${t.dtype}, ${of} has ${dtype}; they must match`);
}

const BATCH_NORMALIZATION: OpSchema = {
  opType: 'BatchNormalization',
  since: 15,
  category: CATEGORY,
  minInputs: 5,
  maxInputs: 5,
  minOutputs: 1,
  maxOutputs: 3,
  attrs: {
    epsilon: { type: 'float', default: 1e-5 },
    momentum: { type: 'float', default: 0.9 },
    training_mode: { type: 'int', default: 0 },
  },
  doc: 'scale * (x - mean) / sqrt(var + epsilon) + B per channel (axis 1); training_mode uses batch statistics',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, FLOAT_TYPES, 'BatchNormalization X');
    const training = checkFlag(ctx.attrs, 'training_mode');
    if (x.shape.length < 1) throw new ShapeError('BatchNormalization X must have rank >= 1 (N x C x D1 ...)');
    // A 1-D input of size N has one channel, as ONNX allows.
    const c = x.shape.length >= 2 ? x.shape[1]! : 1;
    const scale = input(ctx, 1);
    const mean = input(ctx, 3);
    requireDType(scale.dtype, FLOAT_TYPES, 'BatchNormalization scale');
    requireDType(mean.dtype, FLOAT_TYPES, 'BatchNormalization input_mean');
    checkSameDType(input(ctx, 2), scale.dtype, 'B', 'scale');
    checkSameDType(input(ctx, 4), mean.dtype, 'input_var', 'input_mean');
    ['scale', 'B', 'input_mean', 'input_var'].forEach((name, i) => {
      checkPerChannel(input(ctx, i + 1), c, name);
    });
    if (!training && ctx.numOutputs > 1) {
      throw new AttributeError('running_mean and running_var outputs exist only with training_mode = 1');
    }
    const out: TensorInfo[] = [{ dtype: x.dtype, shape: x.shape }];
    for (let i = 1; i < ctx.numOutputs; i++) out.push({ dtype: mean.dtype, shape: [c] });
    return out;
  },
};

/** LayerNormalization's and GroupNormalization's stash types (ONNX allows float/bfloat16 for U). */
const LAYER_STASH: readonly DType[] = ['float32', 'bfloat16'];

const LAYER_NORMALIZATION: OpSchema = {
  opType: 'LayerNormalization',
  since: 17,
  category: CATEGORY,
  minInputs: 2,
  maxInputs: 3,
  minOutputs: 1,
  maxOutputs: 3,
  attrs: {
    axis: { type: 'int', default: -1 },
    epsilon: { type: 'float', default: 1e-5 },
    stash_type: { type: 'int', default: 1 },
  },
  doc: 'normalises over axes [axis, rank) then applies Scale and B; optional Mean and InvStdDev outputs',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, FLOAT_TYPES, 'LayerNormalization X');
    const rank = x.shape.length;
    const axis = normalizeAxis(ctx.attrs.axis as number, rank);
    const stash = dtypeFromOnnx(ctx.attrs.stash_type as number);
    requireDType(stash, LAYER_STASH, 'LayerNormalization stash_type');
    const scale = input(ctx, 1);
    checkSameDType(scale, x.dtype, 'Scale', 'X');
    checkUnidirectional(x.shape, scale.shape, 'Scale');
    const b = ctx.inputs[2];
    if (b) {
      checkSameDType(b, x.dtype, 'B', 'X');
      checkUnidirectional(x.shape, b.shape, 'B');
    }
    const statShape = x.shape.map((d, i) => (i < axis ? d : 1));
    const out: TensorInfo[] = [{ dtype: x.dtype, shape: x.shape }];
    for (let i = 1; i < ctx.numOutputs; i++) out.push({ dtype: stash, shape: statShape });
    return out;
  },
};

const GROUP_NORMALIZATION: OpSchema = {
  opType: 'GroupNormalization',
  since: 21,
  category: CATEGORY,
  minInputs: 3,
  maxInputs: 3,
  attrs: {
    epsilon: { type: 'float', default: 1e-5 },
    num_groups: { type: 'int', required: true },
    stash_type: { type: 'int', default: 1 },
  },
  doc:
    'normalises each group of C / num_groups channels per instance, then applies per-channel scale and bias ' +
    '(opset 21). Per-group scale and bias of length num_groups (opset 18) are also accepted.',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, FLOAT_TYPES, 'GroupNormalization X');
    const stash = dtypeFromOnnx(ctx.attrs.stash_type as number);
    requireDType(stash, FLOAT_TYPES, 'GroupNormalization stash_type');
    if (x.shape.length < 2)
      throw new ShapeError(`GroupNormalization X must be N x C x ..., got ${formatShape(x.shape)}`);
    const c = x.shape[1]!;
    const g = ctx.attrs.num_groups as number;
    if (!Number.isInteger(g) || g < 1)
      throw new AttributeError(`num_groups must be a positive integer, got ${g}`);
    if (typeof c === 'number' && c % g !== 0) {
      throw new ShapeError(`${c} channels cannot be split into num_groups = ${g} equal groups`);
    }
    for (const [i, name] of [
      [1, 'scale'],
      [2, 'bias'],
    ] as const) {
      const t = input(ctx, i);
      checkSameDType(t, x.dtype, name, 'X');
      const n = t.shape[0];
      const ok = t.shape.length === 1 && (dimsCompatible(n!, c) || n === g);
      if (!ok) {
        throw new ShapeError(
          `${name} must have shape [${c}] (per channel) or [${g}] (per group, opset 18), got ${formatShape(t.shape)}`,
        );
      }
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

const INSTANCE_NORMALIZATION: OpSchema = {
  opType: 'InstanceNormalization',
  since: 22,
  category: CATEGORY,
  minInputs: 3,
  maxInputs: 3,
  attrs: { epsilon: { type: 'float', default: 1e-5 } },
  doc: 'normalises each channel of each instance over its spatial dims, then applies scale and B',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, FLOAT_TYPES, 'InstanceNormalization input');
    if (x.shape.length < 3) {
      throw new ShapeError(
        `InstanceNormalization input must be N x C x D1 ... (rank >= 3), got ${formatShape(x.shape)}`,
      );
    }
    const c = x.shape[1]!;
    for (const [i, name] of [
      [1, 'scale'],
      [2, 'B'],
    ] as const) {
      const t = input(ctx, i);
      checkSameDType(t, x.dtype, name, 'input');
      checkPerChannel(t, c, name);
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

const LP_NORMALIZATION: OpSchema = {
  opType: 'LpNormalization',
  since: 22,
  category: CATEGORY,
  minInputs: 1,
  maxInputs: 1,
  attrs: { axis: { type: 'int', default: -1 }, p: { type: 'int', default: 2 } },
  doc: 'x / ||x||_p along axis (p = 1 or 2); a zero norm gives 0',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, FLOAT_TYPES, 'LpNormalization input');
    normalizeAxis(ctx.attrs.axis as number, x.shape.length);
    const p = ctx.attrs.p;
    if (p !== 1 && p !== 2) throw new AttributeError(`p must be 1 or 2, got ${String(p)}`);
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

/** Normalization ops. */
export const NORMALIZATION_OPS: readonly OpSchema[] = [
  BATCH_NORMALIZATION,
  LAYER_NORMALIZATION,
  GROUP_NORMALIZATION,
  INSTANCE_NORMALIZATION,
  LP_NORMALIZATION,
];
