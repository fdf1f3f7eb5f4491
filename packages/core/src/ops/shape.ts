/**
 * Shape (layout) op schemas: ops that move, copy or describe elements without arithmetic.
 * They accept every dtype, storage types included. Shape-like inputs (Reshape's shape,
 * Unsqueeze's axes, Expand's shape, Tile's repeats, Split's split) must be constants at trace
 * time; symbolic dims flow through where the rule allows.
 * @module
 */
import { type DType, isFloat } from '../dtype.js';
import { AttributeError, DTypeError, NotImplementedError, ShapeError } from '../errors.js';
import { type Dim, formatShape } from '../ir/graph.js';
import type { InferContext, OpSchema, TensorInfo } from '../ir/schema.js';
import { Tensor } from '../tensor.js';
import { cancelSymbols, dimFactors, dimFromFactors, dimSum, dimTimes } from './dims.js';
import { FOLD_LIMIT, foldView, int64Tensor, isFoldableInt, isStaticShape } from './fold.js';
import {
  broadcastShapes,
  checkAllocation,
  constInts,
  dimProduct,
  FLOAT_TYPES,
  input,
  normalizeAxis,
  requireDType,
  staticDim,
} from './util.js';

/** Types ONNX allows for Range. */
const RANGE_TYPES: readonly DType[] = [
  'float32',
  'float64',
  'float16',
  'bfloat16',
  'int16',
  'int32',
  'int64',
];

/** Input `i` must be a 1-D int64 tensor (a shape, axes or repeats operand). */
function int64Vector(ctx: InferContext, i: number, what: string): number[] {
  const t = input(ctx, i);
  requireDType(t.dtype, ['int64'], what);
  if (t.shape.length !== 1) throw new ShapeError(`${what} must be 1-D, got shape ${formatShape(t.shape)}`);
  return constInts(ctx, i, what);
}

/** Normalises a list of axes against `rank`; throws on duplicates. */
function normalizeAxes(axes: readonly number[], rank: number, what: string): number[] {
  const out = axes.map((a) => normalizeAxis(a, rank, what));
  if (new Set(out).size !== out.length)
    throw new AttributeError(`${what} [${axes.join(', ')}] has duplicates`);
  return out;
}

/** Shape of a view of `x` with a new shape; carries the value along when known. */
function view(x: TensorInfo, shape: Dim[]): TensorInfo[] {
  return [{ dtype: x.dtype, shape, value: foldView(x.value, shape) }];
}

/** Human-readable element count of a shape. */
function countOf(shape: readonly Dim[]): string {
  return String(dimProduct(shape));
}

/** ONNX Reshape: 0 copies the input dim (unless allowzero), -1 is inferred; symbolic dims cancel. */
function reshapeShape(inShape: readonly Dim[], target: readonly number[], allowzero: boolean): Dim[] {
  const fail = (why?: string): never => {
    throw new ShapeError(
      `cannot reshape ${formatShape(inShape)} (${countOf(inShape)} elements) into ${formatShape(target)}${why ? `: ${why}` : ''}`,
    );
  };
  const out: Dim[] = [];
  let inferAt = -1;
  target.forEach((s, i) => {
    if (s === -1) {
      if (inferAt >= 0) fail('at most one dim may be -1');
      inferAt = i;
      out.push(-1);
    } else if (s === 0 && !allowzero) {
      if (i >= inShape.length) fail(`dim ${i} is 0 (copy) but the input has rank ${inShape.length}`);
      out.push(inShape[i]!);
    } else if (s < 0 || !Number.isInteger(s)) {
      fail(`invalid dim ${s}`);
    } else {
      out.push(s);
    }
  });
  if (allowzero && inferAt >= 0 && target.includes(0)) fail('with allowzero=1, 0 and -1 cannot both appear');
  const inF = dimFactors(inShape);
  const known = dimFactors(out.filter((_, i) => i !== inferAt));
  const unmatched = cancelSymbols(inF.syms, known.syms);
  if (inferAt >= 0) {
    if (unmatched.length) fail(`symbolic dims ${unmatched.join(', ')} do not come from the input`);
    if (known.n === 0) fail('-1 cannot be inferred when another dim is 0');
    if (inF.n % known.n !== 0) fail();
    out[inferAt] = dimFromFactors(inF.n / known.n, inF.syms);
    return out;
  }
  if (inF.syms.length) fail(`symbolic dims ${inF.syms.join(', ')} must be kept with 0 or -1`);
  if (!unmatched.length && inF.n !== known.n) fail();
  return out;
}

const Reshape: OpSchema = {
  opType: 'Reshape',
  since: 14,
  category: 'shape',
  minInputs: 2,
  maxInputs: 2,
  attrs: { allowzero: { type: 'int', default: 0 } },
  doc: 'Reshapes to the shape input: 0 copies the input dim (unless allowzero), -1 is inferred.',
  infer(ctx) {
    const x = input(ctx, 0);
    const target = int64Vector(ctx, 1, 'shape');
    return view(x, reshapeShape(x.shape, target, ctx.attrs.allowzero === 1));
  },
};

const Transpose: OpSchema = {
  opType: 'Transpose',
  since: 13,
  category: 'shape',
  minInputs: 1,
  maxInputs: 1,
  attrs: { perm: { type: 'ints' } },
  doc: 'Permutes the axes (reverses them when perm is not set).',
  infer(ctx) {
    const x = input(ctx, 0);
    const rank = x.shape.length;
    const perm = (ctx.attrs.perm as readonly number[] | undefined) ?? [...Array(rank).keys()].reverse();
    if (perm.length !== rank) {
      throw new AttributeError(
        `perm [${perm.join(', ')}] has ${perm.length} entries, input has rank ${rank}`,
      );
    }
    const axes = perm.map((p) => normalizeAxis(p, rank, 'perm entry'));
    if (new Set(axes).size !== rank)
      throw new AttributeError(`perm [${perm.join(', ')}] is not a permutation`);
    return [{ dtype: x.dtype, shape: axes.map((a) => x.shape[a]!) }];
  },
};

const Flatten: OpSchema = {
  opType: 'Flatten',
  since: 13,
  category: 'shape',
  minInputs: 1,
  maxInputs: 1,
  attrs: { axis: { type: 'int', default: 1 } },
  doc: 'Flattens to 2-D: dims before axis, and dims from axis on.',
  infer(ctx) {
    const x = input(ctx, 0);
    const rank = x.shape.length;
    const axis = ctx.attrs.axis as number;
    const a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a > rank) throw new AttributeError(`axis ${axis} is out of range for rank ${rank}`);
    return view(x, [dimProduct(x.shape.slice(0, a)), dimProduct(x.shape.slice(a))]);
  },
};

const Squeeze: OpSchema = {
  opType: 'Squeeze',
  since: 13,
  category: 'shape',
  minInputs: 1,
  maxInputs: 2,
  attrs: {},
  doc: 'Removes size-1 axes (the given ones, or every one when axes is omitted).',
  infer(ctx) {
    const x = input(ctx, 0);
    const rank = x.shape.length;
    const given = ctx.inputs[1] ? int64Vector(ctx, 1, 'axes') : undefined;
    let drop: number[];
    if (given) {
      drop = normalizeAxes(given, rank, 'axes');
      for (const a of drop) {
        const d = x.shape[a]!;
        // A symbolic dim may be squeezed: it must be 1 at run time.
        if (typeof d === 'number' && d !== 1) throw new ShapeError(`cannot squeeze axis ${a} of size ${d}`);
      }
    } else {
      const sym = x.shape.find((d) => typeof d !== 'number');
      if (sym !== undefined) {
        throw new ShapeError(
          `Squeeze without axes needs a static shape to know which dims are 1, got ${formatShape(x.shape)}`,
        );
      }
      drop = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    }
    return view(
      x,
      x.shape.filter((_, i) => !drop.includes(i)),
    );
  },
};

const Unsqueeze: OpSchema = {
  opType: 'Unsqueeze',
  since: 13,
  category: 'shape',
  minInputs: 2,
  maxInputs: 2,
  attrs: {},
  doc: 'Inserts size-1 axes at the given output positions.',
  infer(ctx) {
    const x = input(ctx, 0);
    const axes = int64Vector(ctx, 1, 'axes');
    const outRank = x.shape.length + axes.length;
    const at = normalizeAxes(axes, outRank, 'axes');
    const out: Dim[] = [];
    let j = 0;
    for (let i = 0; i < outRank; i++) out.push(at.includes(i) ? 1 : x.shape[j++]!);
    return view(x, out);
  },
};

const Concat: OpSchema = {
  opType: 'Concat',
  since: 13,
  category: 'shape',
  minInputs: 1,
  maxInputs: Number.POSITIVE_INFINITY,
  attrs: { axis: { type: 'int', required: true } },
  doc: 'Joins tensors of one dtype along an axis.',
  infer(ctx) {
    const xs = ctx.inputs.map((_, i) => input(ctx, i));
    const first = xs[0]!;
    const rank = first.shape.length;
    if (rank === 0) throw new ShapeError('cannot concatenate scalars');
    const axis = normalizeAxis(ctx.attrs.axis as number, rank);
    const out = [...first.shape];
    xs.forEach((x, i) => {
      if (x.dtype !== first.dtype)
        throw new DTypeError(`input ${i} has dtype ${x.dtype}, input 0 has ${first.dtype}`);
      if (x.shape.length !== rank) {
        throw new ShapeError(`input ${i} has rank ${x.shape.length}, input 0 has rank ${rank}`);
      }
      x.shape.forEach((d, k) => {
        if (k === axis || d === out[k]) return;
        if (typeof d === 'number' && typeof out[k] === 'number') {
          throw new ShapeError(
            `input ${i} has shape ${formatShape(x.shape)}, which differs from ${formatShape(first.shape)} outside axis ${axis}`,
          );
        }
        // A symbol against a number: the number wins (the symbol must equal it at run time).
        if (typeof d === 'number') out[k] = d;
      });
    });
    out[axis] = dimSum(xs.map((x) => x.shape[axis]!));
    return [{ dtype: first.dtype, shape: out, value: foldConcat(xs, out) }];
  },
};

/** Folds the Concat of small known 1-D integer tensors (shape arithmetic). */
function foldConcat(xs: readonly TensorInfo[], shape: readonly Dim[]): Tensor | undefined {
  if (shape.length !== 1 || !xs.every((x) => x.value && isFoldableInt(x.dtype))) return undefined;
  if ((shape[0] as number) > FOLD_LIMIT) return undefined;
  const vals = xs.flatMap((x) => Array.from(x.value!.data as ArrayLike<number | bigint>));
  return Tensor.from(xs[0]!.dtype, vals, [vals.length]);
}

const Split: OpSchema = {
  opType: 'Split',
  since: 18,
  category: 'shape',
  minInputs: 1,
  maxInputs: 2,
  minOutputs: 1,
  maxOutputs: Number.POSITIVE_INFINITY,
  attrs: { axis: { type: 'int', default: 0 }, num_outputs: { type: 'int' } },
  doc: 'Splits along an axis into the given sizes, or into num_outputs parts (the last one may be smaller).',
  infer(ctx) {
    const x = input(ctx, 0);
    const rank = x.shape.length;
    const axis = normalizeAxis(ctx.attrs.axis as number, rank);
    const numAttr = ctx.attrs.num_outputs as number | undefined;
    // An empty split tensor means "not given", as onnxruntime reads it.
    const split = ctx.inputs[1] ? int64Vector(ctx, 1, 'split') : undefined;
    const given = split?.length ? split : undefined;
    const dim = x.shape[axis]!;
    let sizes: Dim[];
    if (given) {
      if (numAttr !== undefined)
        throw new AttributeError('set either the split input or num_outputs, not both');
      if (given.some((s) => s < 0)) throw new ShapeError(`split [${given.join(', ')}] has a negative size`);
      const total = given.reduce((a, b) => a + b, 0);
      if (typeof dim === 'number' && total !== dim) {
        throw new ShapeError(
          `split [${given.join(', ')}] sums to ${total}, but axis ${axis} has size ${dim}`,
        );
      }
      sizes = given;
    } else {
      const n = numAttr ?? ctx.numOutputs;
      if (!Number.isInteger(n) || n < 1) throw new AttributeError(`num_outputs must be >= 1, got ${n}`);
      const d = staticDim(dim, `Split axis ${axis} without a split input`);
      // ONNX: equal parts of ceil(d / n), the last one takes what is left.
      const part = d % n === 0 ? d / n : Math.floor(d / n) + 1;
      const last = d - part * (n - 1);
      if (last < 0) throw new ShapeError(`cannot split size ${d} into ${n} parts of ${part}`);
      sizes = [...Array<number>(n - 1).fill(part), last];
    }
    if (ctx.numOutputs > 1 && ctx.numOutputs !== sizes.length) {
      throw new ShapeError(
        `the node has ${ctx.numOutputs} outputs, but the split makes ${sizes.length} parts`,
      );
    }
    return sizes.map((s) => {
      const shape = [...x.shape];
      shape[axis] = s;
      return { dtype: x.dtype, shape };
    });
  },
};

const Expand: OpSchema = {
  opType: 'Expand',
  since: 13,
  category: 'shape',
  minInputs: 2,
  maxInputs: 2,
  attrs: {},
  doc: 'Broadcasts the input to a shape (numpy rules, in both directions).',
  infer(ctx) {
    const x = input(ctx, 0);
    const shape = int64Vector(ctx, 1, 'shape');
    if (shape.some((d) => d < 0)) throw new ShapeError(`shape [${shape.join(', ')}] has a negative dim`);
    let out: Dim[];
    try {
      out = broadcastShapes(x.shape, shape);
    } catch {
      throw new ShapeError(`cannot expand ${formatShape(x.shape)} to ${formatShape(shape)}`);
    }
    return [{ dtype: x.dtype, shape: out }];
  },
};

const Tile: OpSchema = {
  opType: 'Tile',
  since: 13,
  category: 'shape',
  minInputs: 2,
  maxInputs: 2,
  attrs: {},
  doc: 'Repeats the input along each axis.',
  infer(ctx) {
    const x = input(ctx, 0);
    const reps = int64Vector(ctx, 1, 'repeats');
    if (reps.length !== x.shape.length) {
      throw new ShapeError(`repeats has ${reps.length} entries, input has rank ${x.shape.length}`);
    }
    if (reps.some((r) => r < 0)) throw new ShapeError(`repeats [${reps.join(', ')}] has a negative entry`);
    return [{ dtype: x.dtype, shape: x.shape.map((d, i) => dimTimes(d, reps[i]!)) }];
  },
};

/** Reads and checks a blocksize attribute and a rank-4 input. */
function blockOp(ctx: InferContext): { x: TensorInfo; b: number } {
  const x = input(ctx, 0);
  if (x.shape.length !== 4) throw new ShapeError(`input must be 4-D (NCHW), got ${formatShape(x.shape)}`);
  const b = ctx.attrs.blocksize as number;
  if (!(b >= 1)) throw new AttributeError(`blocksize must be >= 1, got ${b}`);
  return { x, b };
}

const DepthToSpace: OpSchema = {
  opType: 'DepthToSpace',
  since: 13,
  category: 'shape',
  minInputs: 1,
  maxInputs: 1,
  attrs: { blocksize: { type: 'int', required: true }, mode: { type: 'string', default: 'DCR' } },
  doc: 'Moves channel blocks into spatial blocks (DCR: depth-column-row order, CRD: column-row-depth).',
  infer(ctx) {
    const { x, b } = blockOp(ctx);
    const mode = ctx.attrs.mode;
    if (mode !== 'DCR' && mode !== 'CRD')
      throw new AttributeError(`mode must be DCR or CRD, got '${String(mode)}'`);
    const [n, c, h, w] = x.shape as [Dim, Dim, Dim, Dim];
    const ch = staticDim(c, 'DepthToSpace channels');
    if (ch % (b * b) !== 0) throw new ShapeError(`channels ${ch} are not divisible by blocksize² = ${b * b}`);
    return [{ dtype: x.dtype, shape: [n, ch / (b * b), dimTimes(h, b), dimTimes(w, b)] }];
  },
};

const SpaceToDepth: OpSchema = {
  opType: 'SpaceToDepth',
  since: 13,
  category: 'shape',
  minInputs: 1,
  maxInputs: 1,
  attrs: { blocksize: { type: 'int', required: true } },
  doc: 'Moves spatial blocks into channels.',
  infer(ctx) {
    const { x, b } = blockOp(ctx);
    const [n, c, h, w] = x.shape as [Dim, Dim, Dim, Dim];
    const hs = staticDim(h, 'SpaceToDepth height');
    const ws = staticDim(w, 'SpaceToDepth width');
    if (hs % b || ws % b) throw new ShapeError(`spatial size ${hs}x${ws} is not divisible by blocksize ${b}`);
    return [{ dtype: x.dtype, shape: [n, dimTimes(c, b * b), hs / b, ws / b] }];
  },
};

const Identity: OpSchema = {
  opType: 'Identity',
  since: 13,
  category: 'shape',
  minInputs: 1,
  maxInputs: 1,
  attrs: {},
  doc: 'Returns its input.',
  infer(ctx) {
    const x = input(ctx, 0);
    return [{ dtype: x.dtype, shape: x.shape, value: x.value }];
  },
};

const Dropout: OpSchema = {
  opType: 'Dropout',
  since: 13,
  category: 'shape',
  minInputs: 1,
  maxInputs: 3,
  minOutputs: 1,
  maxOutputs: 2,
  attrs: {
    seed: { type: 'int' },
    // Dropout-10 took the ratio as an attribute; kept so older graphs load. Inference ignores it.
    ratio: { type: 'float' },
  },
  doc: 'Identity at inference (optional all-true mask); training mode is not supported.',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, FLOAT_TYPES, 'Dropout data');
    const ratio = ctx.inputs[1];
    if (ratio) {
      if (!isFloat(ratio.dtype)) throw new DTypeError(`ratio must be a float tensor, got ${ratio.dtype}`);
      if (ratio.shape.length !== 0)
        throw new ShapeError(`ratio must be a scalar, got ${formatShape(ratio.shape)}`);
    }
    const training = ctx.inputs[2];
    if (training) {
      requireDType(training.dtype, ['bool'], 'training_mode');
      const [on] = constInts(ctx, 2, 'training_mode');
      // With ratio 0 training-mode Dropout keeps every element, so it is the identity too.
      const r = ratio ? constInts(ctx, 1, 'ratio')[0] : 0.5;
      if (on && r !== 0) {
        throw new NotImplementedError(
          'Dropout with training_mode=true is not supported: its output depends on a random generator',
        );
      }
    }
    const out: TensorInfo[] = [{ dtype: x.dtype, shape: x.shape, value: x.value }];
    if (ctx.numOutputs > 1) out.push({ dtype: 'bool', shape: x.shape });
    return out;
  },
};

const Shape: OpSchema = {
  opType: 'Shape',
  since: 15,
  category: 'shape',
  minInputs: 1,
  maxInputs: 1,
  attrs: { start: { type: 'int', default: 0 }, end: { type: 'int' } },
  doc: 'The input shape as a 1-D int64 tensor (dims start..end); folded when those dims are static.',
  infer(ctx) {
    const x = input(ctx, 0);
    const rank = x.shape.length;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
    const start = clamp(ctx.attrs.start as number);
    const end = clamp((ctx.attrs.end as number | undefined) ?? rank);
    const dims = x.shape.slice(start, Math.max(start, end));
    const value = isStaticShape(dims) ? int64Tensor(dims) : undefined;
    return [{ dtype: 'int64', shape: [dims.length], value }];
  },
};

const Size: OpSchema = {
  opType: 'Size',
  since: 13,
  category: 'shape',
  minInputs: 1,
  maxInputs: 1,
  attrs: {},
  doc: 'Number of elements as an int64 scalar; folded when the shape is static.',
  infer(ctx) {
    const x = input(ctx, 0);
    const n = dimProduct(x.shape);
    return [{ dtype: 'int64', shape: [], value: typeof n === 'number' ? int64Tensor([n], []) : undefined }];
  },
};

const CONSTANT_ATTRS = [
  'value',
  'value_float',
  'value_floats',
  'value_int',
  'value_ints',
  'value_string',
  'value_strings',
];

const Constant: OpSchema = {
  opType: 'Constant',
  since: 13,
  category: 'shape',
  minInputs: 0,
  maxInputs: 0,
  attrs: {
    value: { type: 'tensor' },
    value_float: { type: 'float' },
    value_floats: { type: 'floats' },
    value_int: { type: 'int' },
    value_ints: { type: 'ints' },
    value_string: { type: 'string' },
    value_strings: { type: 'strings' },
  },
  doc: 'A constant tensor from exactly one of value, value_float(s), value_int(s).',
  infer(ctx) {
    const set = CONSTANT_ATTRS.filter((k) => ctx.attrs[k] !== undefined);
    if (set.length !== 1) {
      throw new AttributeError(`exactly one of ${CONSTANT_ATTRS.join(', ')} must be set, got ${set.length}`);
    }
    const t = constantValue(set[0]!, ctx.attrs[set[0]!]);
    return [{ dtype: t.dtype, shape: t.dims, value: t }];
  },
};

/** The tensor a Constant attribute describes. */
function constantValue(name: string, v: unknown): Tensor {
  switch (name) {
    case 'value':
      return v as Tensor;
    case 'value_float':
      return Tensor.scalar('float32', v as number);
    case 'value_floats':
      return Tensor.from('float32', v as number[]);
    case 'value_int':
      return Tensor.scalar('int64', BigInt(v as number));
    case 'value_ints':
      return Tensor.from(
        'int64',
        (v as number[]).map((x) => BigInt(x)),
      );
    default:
      throw new NotImplementedError(`Constant ${name}: string tensors are not supported`);
  }
}

const ConstantOfShape: OpSchema = {
  opType: 'ConstantOfShape',
  since: 9,
  category: 'shape',
  minInputs: 1,
  maxInputs: 1,
  attrs: { value: { type: 'tensor' } },
  doc: 'A tensor of the given shape filled with value (a one-element tensor; default float32 0).',
  infer(ctx) {
    const shape = int64Vector(ctx, 0, 'shape');
    if (shape.some((d) => d < 0)) throw new ShapeError(`shape [${shape.join(', ')}] has a negative dim`);
    const fill = constantOfShapeFill(ctx.attrs.value as Tensor | undefined);
    const count = shape.reduce((a, b) => a * b, 1);
    checkAllocation(count, fill.dtype, 'ConstantOfShape output');
    let value: Tensor | undefined;
    if (count <= FOLD_LIMIT) {
      const data = fill.data.constructor as new (n: number) => typeof fill.data;
      const out = new data(count);
      for (let i = 0; i < count; i++) (out as { [i: number]: number | bigint })[i] = fill.data[0]!;
      value = new Tensor(fill.dtype, out, shape);
    }
    return [{ dtype: fill.dtype, shape, value }];
  },
};

/** The fill tensor of ConstantOfShape (checked to hold one element). */
function constantOfShapeFill(value: Tensor | undefined): Tensor {
  const v = value ?? Tensor.scalar('float32', 0);
  if (v.size !== 1)
    throw new AttributeError(`value must hold exactly one element, got shape [${v.dims.join(', ')}]`);
  return v;
}

const Range: OpSchema = {
  opType: 'Range',
  since: 11,
  category: 'shape',
  minInputs: 3,
  maxInputs: 3,
  attrs: {},
  doc: 'start, start+delta, ... up to (not including) limit; the three scalars must be constants at trace time.',
  infer(ctx) {
    const [s, l, d] = [0, 1, 2].map((i) => input(ctx, i)) as [TensorInfo, TensorInfo, TensorInfo];
    requireDType(s.dtype, RANGE_TYPES, 'Range start');
    for (const [t, what] of [
      [s, 'start'],
      [l, 'limit'],
      [d, 'delta'],
    ] as const) {
      if (t.dtype !== s.dtype) throw new DTypeError(`${what} has dtype ${t.dtype}, start has ${s.dtype}`);
      if (t.shape.length !== 0) throw new ShapeError(`${what} must be a scalar, got ${formatShape(t.shape)}`);
    }
    const n = rangeLength(ctx);
    checkAllocation(n, s.dtype, 'Range output');
    return [{ dtype: s.dtype, shape: [n] }];
  },
};

/** Element count of a Range: max(ceil((limit - start) / delta), 0), exact for int64. */
function rangeLength(ctx: InferContext): number {
  const vals = [0, 1, 2].map((i) => {
    constInts(ctx, i, ['start', 'limit', 'delta'][i]!);
    return ctx.inputs[i]!.value!.data[0]!;
  });
  if (typeof vals[0] === 'bigint') {
    const [s, l, d] = vals as bigint[];
    if (d === 0n) throw new ShapeError('Range delta must be non-zero');
    const span = l! - s!;
    // Ceiling division with bigints (which truncate toward zero).
    let q = span / d!;
    if (q * d! !== span && span > 0n === d! > 0n) q += 1n;
    return Number(q > 0n ? q : 0n);
  }
  const [s, l, d] = [0, 1, 2].map((i) => ctx.inputs[i]!.value!.toNumbers()[0]!) as [number, number, number];
  if (d === 0 || Number.isNaN(d)) throw new ShapeError(`Range delta must be non-zero, got ${d}`);
  const n = Math.ceil((l - s) / d);
  if (Number.isNaN(n)) throw new ShapeError(`Range from ${s} to ${l} by ${d} is not defined`);
  return Math.max(n, 0);
}

/** Shape ops. */
export const SHAPE_OPS: readonly OpSchema[] = [
  Reshape,
  Transpose,
  Flatten,
  Squeeze,
  Unsqueeze,
  Concat,
  Split,
  Expand,
  Tile,
  DepthToSpace,
  SpaceToDepth,
  Identity,
  Dropout,
  Shape,
  Size,
  Constant,
  ConstantOfShape,
  Range,
];
