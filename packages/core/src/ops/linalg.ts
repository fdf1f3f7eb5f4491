/**
 * Linear-algebra op schemas: MatMul, Gemm, Einsum, CumSum, TopK and Trilu.
 * @module
 */
import type { DType } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import { type Dim, formatShape } from '../ir/graph.js';
import type { OpSchema } from '../ir/schema.js';
import { parseEinsum } from './einsum.js';
import {
  checkFlag,
  checkUnidirectional,
  DATA_TYPES,
  dimsCompatible,
  WIDE_NUMERIC_TYPES,
} from './math-util.js';
import {
  broadcastShapes,
  constInts,
  input,
  NUMERIC_TYPES,
  normalizeAxis,
  requireDType,
  sameDType,
} from './util.js';

const CATEGORY = 'linalg';
const INDEX_TYPES: readonly DType[] = ['int32', 'int64'];
/** Einsum-12 accepts every numeric dtype but bfloat16. */
const EINSUM_TYPES: readonly DType[] = NUMERIC_TYPES.filter((d) => d !== 'bfloat16');

/** Output shape of numpy `matmul` on shapes `a` and `b` (1-D operands promoted then squeezed). */
export function matmulShape(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  if (a.length === 0 || b.length === 0)
    throw new ShapeError('MatMul operands must have rank >= 1, got a scalar');
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const k1 = a2[a2.length - 1]!;
  const k2 = b2[b2.length - 2]!;
  if (!dimsCompatible(k1, k2)) {
    throw new ShapeError(
      `inner dims differ: A ${formatShape(a)} has ${k1} columns, B ${formatShape(b)} has ${k2} rows`,
    );
  }
  let batch: Dim[];
  try {
    batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  } catch {
    throw new ShapeError(`batch dims of A ${formatShape(a)} and B ${formatShape(b)} do not broadcast`);
  }
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}

const MATMUL: OpSchema = {
  opType: 'MatMul',
  since: 13,
  category: CATEGORY,
  minInputs: 2,
  maxInputs: 2,
  attrs: {},
  doc: 'numpy matmul: batched matrix product with broadcast batch dims; 1-D operands are vectors',
  infer(ctx) {
    const dtype = sameDType(ctx, [0, 1]);
    requireDType(dtype, WIDE_NUMERIC_TYPES, 'MatMul input');
    return [{ dtype, shape: matmulShape(input(ctx, 0).shape, input(ctx, 1).shape) }];
  },
};

const GEMM: OpSchema = {
  opType: 'Gemm',
  since: 13,
  category: CATEGORY,
  minInputs: 2,
  maxInputs: 3,
  attrs: {
    alpha: { type: 'float', default: 1 },
    beta: { type: 'float', default: 1 },
    transA: { type: 'int', default: 0 },
    transB: { type: 'int', default: 0 },
  },
  doc: "alpha * A' B' + beta * C with A' = transA ? Aᵀ : A; C broadcasts to [M, N]",
  infer(ctx) {
    const dtype = sameDType(ctx, [0, 1, 2]);
    requireDType(dtype, WIDE_NUMERIC_TYPES, 'Gemm input');
    const a = input(ctx, 0);
    const b = input(ctx, 1);
    if (a.shape.length !== 2) throw new ShapeError(`A must be 2-D, got ${formatShape(a.shape)}`);
    if (b.shape.length !== 2) throw new ShapeError(`B must be 2-D, got ${formatShape(b.shape)}`);
    const ta = checkFlag(ctx.attrs, 'transA');
    const tb = checkFlag(ctx.attrs, 'transB');
    const [m, ka] = ta ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const [kb, n] = tb ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
    if (!dimsCompatible(ka, kb)) {
      throw new ShapeError(
        `inner dims differ: A${ta ? 'ᵀ' : ''} ${formatShape(a.shape)} has ${ka} columns, B${tb ? 'ᵀ' : ''} ${formatShape(b.shape)} has ${kb} rows`,
      );
    }
    const c = ctx.inputs[2];
    if (c) checkUnidirectional([m, n], c.shape, 'C');
    return [{ dtype, shape: [m, n] }];
  },
};

const EINSUM: OpSchema = {
  opType: 'Einsum',
  since: 12,
  category: CATEGORY,
  minInputs: 1,
  maxInputs: Number.POSITIVE_INFINITY,
  attrs: { equation: { type: 'string', required: true } },
  doc: "Einstein summation ('bhqd,bhkd->bhqk'); supports ellipsis, repeated labels (diagonals) and implicit output",
  infer(ctx) {
    const dtype = sameDType(
      ctx,
      ctx.inputs.map((_, i) => i),
    );
    requireDType(dtype, EINSUM_TYPES, 'Einsum input');
    const shapes = ctx.inputs.map((t, i) => {
      if (!t) throw new ShapeError(`input ${i} is required`);
      return t.shape;
    });
    const spec = parseEinsum(ctx.attrs.equation as string, shapes);
    return [{ dtype, shape: spec.output.map((id) => spec.sizes[id]!) }];
  },
};

/** The single integer of a scalar (or one-element) int input, as CumSum's axis and Trilu's k are. */
function scalarInput(dtype: DType, shape: readonly Dim[], what: string): void {
  requireDType(dtype, INDEX_TYPES, what);
  if (shape.length > 1 || (shape.length === 1 && shape[0] !== 1 && typeof shape[0] === 'number')) {
    throw new ShapeError(`${what} must be a scalar, got shape ${formatShape(shape)}`);
  }
}

const CUMSUM: OpSchema = {
  opType: 'CumSum',
  since: 14,
  category: CATEGORY,
  minInputs: 2,
  maxInputs: 2,
  attrs: { exclusive: { type: 'int', default: 0 }, reverse: { type: 'int', default: 0 } },
  doc: 'cumulative sum along the axis given by the scalar second input; exclusive and reverse variants',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, WIDE_NUMERIC_TYPES, 'CumSum input');
    const axis = input(ctx, 1);
    scalarInput(axis.dtype, axis.shape, 'CumSum axis');
    checkFlag(ctx.attrs, 'exclusive');
    checkFlag(ctx.attrs, 'reverse');
    if (axis.value) normalizeAxis(axis.value.toNumbers()[0]!, x.shape.length);
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

const TOPK: OpSchema = {
  opType: 'TopK',
  since: 24,
  category: CATEGORY,
  minInputs: 2,
  maxInputs: 2,
  minOutputs: 2,
  maxOutputs: 2,
  attrs: {
    axis: { type: 'int', default: -1 },
    largest: { type: 'int', default: 1 },
    sorted: { type: 'int', default: 1 },
  },
  doc: 'the k largest (or smallest) values along axis and their int64 indices; ties keep the lower index first',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, NUMERIC_TYPES, 'TopK input');
    const kInfo = input(ctx, 1);
    if (kInfo.dtype !== 'int64') throw new DTypeError(`K must be int64, got ${kInfo.dtype}`);
    checkFlag(ctx.attrs, 'largest');
    checkFlag(ctx.attrs, 'sorted');
    const axis = normalizeAxis(ctx.attrs.axis as number, x.shape.length);
    const ks = constInts(ctx, 1, 'K');
    if (ks.length !== 1) throw new ShapeError(`K must hold one value, got ${ks.length}`);
    const k = ks[0]!;
    const n = x.shape[axis]!;
    if (k < 0) throw new ShapeError(`K must be >= 0, got ${k}`);
    if (typeof n === 'number' && k > n)
      throw new ShapeError(`K = ${k} exceeds the size ${n} of axis ${axis}`);
    const shape = x.shape.map((d, i) => (i === axis ? k : d));
    return [
      { dtype: x.dtype, shape },
      { dtype: 'int64', shape },
    ];
  },
};

const TRILU: OpSchema = {
  opType: 'Trilu',
  since: 14,
  category: CATEGORY,
  minInputs: 1,
  maxInputs: 2,
  attrs: { upper: { type: 'int', default: 1 } },
  doc: 'keeps the upper (or lower) triangle of the last two dims, shifted by the optional diagonal offset k',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, DATA_TYPES, 'Trilu input');
    if (x.shape.length < 2)
      throw new ShapeError(`Trilu input must have rank >= 2, got ${formatShape(x.shape)}`);
    checkFlag(ctx.attrs, 'upper');
    const k = ctx.inputs[1];
    if (k) {
      if (k.dtype !== 'int64') throw new DTypeError(`k must be int64, got ${k.dtype}`);
      if (k.shape.length > 1 || (k.shape.length === 1 && k.shape[0] !== 1)) {
        throw new ShapeError(`k must be a scalar, got shape ${formatShape(k.shape)}`);
      }
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

/** Linear-algebra ops. */
export const LINALG_OPS: readonly OpSchema[] = [MATMUL, GEMM, EINSUM, CUMSUM, TOPK, TRILU];
