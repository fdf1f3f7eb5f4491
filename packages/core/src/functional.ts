/**
 * The functional API (`F`): typed, PyTorch-flavoured wrappers that emit IR nodes into the active
 * trace. Shape-like arguments are plain number arrays, turned into int64 constants so shape
 * inference can read them. Numbers given where a tensor is expected become scalars of the other
 * operand's dtype (`F.mul(x, 0.5)`).
 *
 * Where PyTorch and ONNX disagree the function says which it follows; by default it is
 * PyTorch's meaning (e.g. {@link hardSigmoid} is `relu6(x + 3) / 6`, {@link flatten} takes
 * `startDim`/`endDim`, {@link pad} takes PyTorch's last-dimension-first pad list).
 * @module
 */
import { type DType, dtypeToOnnx } from './dtype.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import type { AttrValue, Dim } from './ir/graph.js';
import { findOpSchema } from './ir/schema.js';
import { emit, emit1, SymbolicTensor } from './ir/trace.js';
import { Tensor } from './tensor.js';

/** A traced value or a host constant (parameter, buffer, literal tensor). */
export type TensorLike = SymbolicTensor | Tensor;
/** A tensor or a JS number (made a scalar of the other operand's dtype). */
export type Operand = TensorLike | number;

type Attrs = Record<string, AttrValue>;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

// ---- helpers ------------------------------------------------------------------------------------

/** Shape of a traced value or host tensor. */
export function shapeOf(x: TensorLike): readonly Dim[] {
  return x instanceof SymbolicTensor ? x.shape : x.dims;
}

/** dtype of a traced value or host tensor. */
export function dtypeOf(x: TensorLike): DType {
  return x.dtype;
}

/** Rank of a traced value or host tensor. */
export function rankOf(x: TensorLike): number {
  return shapeOf(x).length;
}

/** A 1-D int64 tensor (shape-like op input). ±Infinity map to the int64 extremes (Slice ends). */
export function int64s(values: readonly number[]): Tensor<'int64'> {
  const v = values.map((n) =>
    n === Number.POSITIVE_INFINITY ? INT64_MAX : n === Number.NEGATIVE_INFINITY ? INT64_MIN : n,
  );
  return Tensor.from('int64', v, [v.length]);
}

/** A rank-0 int64 tensor. */
function int64Scalar(v: number): Tensor<'int64'> {
  return Tensor.scalar('int64', v);
}

function scalarLike(v: number, like: TensorLike): Tensor {
  return Tensor.scalar(like.dtype, v);
}

function operands(a: Operand, b: Operand, op: string): [TensorLike, TensorLike] {
  if (typeof a === 'number' && typeof b === 'number') {
    throw new InvalidArgumentError(`${op}: at least one operand must be a tensor`);
  }
  const x = typeof a === 'number' ? scalarLike(a, b as TensorLike) : a;
  const y = typeof b === 'number' ? scalarLike(b, a as TensorLike) : b;
  return [x, y];
}

function ntuple(v: number | readonly number[], n: number, what: string): number[] {
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  if (v.length === 1) return new Array<number>(n).fill(v[0]!);
  if (v.length !== n) throw new InvalidArgumentError(`${what} must have ${n} values, got [${v.join(', ')}]`);
  return [...v];
}

function staticDims(dims: readonly Dim[], what: string): number[] {
  return dims.map((d, i) => {
    if (typeof d !== 'number') throw new ShapeError(`${what}: dim ${i} must be static, got '${d}'`);
    return d;
  });
}

/** ONNX `pads` ([begin..., end...]) from a PyTorch-style symmetric padding or explicit ONNX pads. */
function onnxPads(padding: number | readonly number[], n: number): number[] {
  if (typeof padding === 'number') return new Array<number>(2 * n).fill(padding);
  if (padding.length === 2 * n && n > 1) return [...padding];
  const p = ntuple(padding, n, 'padding');
  return [...p, ...p];
}

function bool(v: boolean | undefined, dflt: boolean): number {
  return (v ?? dflt) ? 1 : 0;
}

/** Ones / zeros of a static length, for optional affine parameters. */
function filled(n: Dim, value: number, like: TensorLike, what: string): Tensor {
  if (typeof n !== 'number') throw new ShapeError(`${what}: channel dim must be static, got '${n}'`);
  return Tensor.from(like.dtype, new Array<number>(n).fill(value), [n]);
}

// ---- convolution and linear ---------------------------------------------------------------------

/** Options of {@link conv} / {@link conv2d}. */
export interface ConvOptions {
  readonly stride?: number | readonly number[];
  /**
   * A number or one per spatial dim (symmetric, PyTorch style), `2n` numbers in ONNX order
   * ([begin..., end...]), `'valid'` (no padding) or `'same'` (TensorFlow "SAME": output =
   * ceil(input / stride), any odd padding at the end, i.e. ONNX `SAME_UPPER`).
   */
  readonly padding?: number | readonly number[] | 'same' | 'valid';
  readonly dilation?: number | readonly number[];
  readonly groups?: number;
}

/** N-d convolution (`Conv`); the number of spatial dims comes from the weight. */
export function conv(
  x: TensorLike,
  weight: TensorLike,
  bias?: TensorLike | null,
  options: ConvOptions = {},
): SymbolicTensor {
  const kernel = staticDims(shapeOf(weight).slice(2), 'conv weight');
  const n = kernel.length;
  const attrs: Attrs = {
    kernel_shape: kernel,
    strides: ntuple(options.stride ?? 1, n, 'stride'),
    dilations: ntuple(options.dilation ?? 1, n, 'dilation'),
    group: options.groups ?? 1,
  };
  const padding = options.padding ?? 0;
  if (padding === 'same') attrs.auto_pad = 'SAME_UPPER';
  else if (padding === 'valid') attrs.pads = new Array<number>(2 * n).fill(0);
  else attrs.pads = onnxPads(padding, n);
  return emit1('Conv', [x, weight, bias ?? undefined], attrs);
}

/** 1-D convolution over `[N, C, L]`. */
export function conv1d(
  x: TensorLike,
  weight: TensorLike,
  bias?: TensorLike | null,
  options?: ConvOptions,
): SymbolicTensor {
  return conv(x, weight, bias, options);
}

/** 2-D convolution over `[N, C, H, W]` (grouped, depthwise, dilated, asymmetric kernels). */
export function conv2d(
  x: TensorLike,
  weight: TensorLike,
  bias?: TensorLike | null,
  options?: ConvOptions,
): SymbolicTensor {
  return conv(x, weight, bias, options);
}

/** Options of {@link convTranspose}. */
export interface ConvTransposeOptions {
  readonly stride?: number | readonly number[];
  /** Symmetric padding per spatial dim, as PyTorch's `padding`. */
  readonly padding?: number | readonly number[];
  readonly outputPadding?: number | readonly number[];
  readonly dilation?: number | readonly number[];
  readonly groups?: number;
}

/** Transposed convolution (`ConvTranspose`); weight is `[C_in, C_out / groups, k...]` as in PyTorch. */
export function convTranspose(
  x: TensorLike,
  weight: TensorLike,
  bias?: TensorLike | null,
  options: ConvTransposeOptions = {},
): SymbolicTensor {
  const kernel = staticDims(shapeOf(weight).slice(2), 'convTranspose weight');
  const n = kernel.length;
  return emit1('ConvTranspose', [x, weight, bias ?? undefined], {
    kernel_shape: kernel,
    strides: ntuple(options.stride ?? 1, n, 'stride'),
    dilations: ntuple(options.dilation ?? 1, n, 'dilation'),
    pads: onnxPads(options.padding ?? 0, n),
    output_padding: ntuple(options.outputPadding ?? 0, n, 'outputPadding'),
    group: options.groups ?? 1,
  });
}

/** {@link convTranspose} for `[N, C, H, W]`. */
export const convTranspose2d = convTranspose;

/**
 * `x @ weightᵀ + bias` with a PyTorch `[out, in]` weight: `Gemm(transB=1)` for 2-D inputs,
 * otherwise `MatMul` with a `Transpose` of the weight (so the initializer keeps its state-dict
 * name and layout) followed by `Add`.
 */
export function linear(x: TensorLike, weight: TensorLike, bias?: TensorLike | null): SymbolicTensor {
  if (rankOf(x) === 2) return emit1('Gemm', [x, weight, bias ?? undefined], { transB: 1 });
  const wt = emit1('Transpose', [weight], { perm: [1, 0] });
  const y = emit1('MatMul', [x, wt]);
  return bias ? emit1('Add', [y, bias]) : y;
}

/** Matrix product with numpy broadcasting (`MatMul`). */
export function matmul(a: TensorLike, b: TensorLike): SymbolicTensor {
  return emit1('MatMul', [a, b]);
}

/** Options of {@link gemm}. */
export interface GemmOptions {
  readonly alpha?: number;
  readonly beta?: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
}

/** `alpha·op(A)·op(B) + beta·C` on 2-D inputs (`Gemm`). */
export function gemm(
  a: TensorLike,
  b: TensorLike,
  c?: TensorLike | null,
  options: GemmOptions = {},
): SymbolicTensor {
  const attrs: Attrs = { transA: bool(options.transA, false), transB: bool(options.transB, false) };
  if (options.alpha !== undefined) attrs.alpha = options.alpha;
  if (options.beta !== undefined) attrs.beta = options.beta;
  return emit1('Gemm', [a, b, c ?? undefined], attrs);
}

/** Einstein summation (`Einsum`). */
export function einsum(equation: string, ...xs: TensorLike[]): SymbolicTensor {
  return emit1('Einsum', xs, { equation });
}

// ---- elementwise arithmetic ---------------------------------------------------------------------

function binary(op: string) {
  return (a: Operand, b: Operand): SymbolicTensor => emit1(op, operands(a, b, op));
}

/** `a + b` with broadcasting. */
export const add = binary('Add');
/** `a - b` with broadcasting. */
export const sub = binary('Sub');
/** `a * b` with broadcasting. */
export const mul = binary('Mul');
/** `a / b` with broadcasting (integer division truncates, as ONNX). */
export const div = binary('Div');
/** `a ** b` with broadcasting. */
export const pow = binary('Pow');
/** `a == b` → bool. */
export const equal = binary('Equal');
/** `a < b` → bool. */
export const less = binary('Less');
/** `a > b` → bool. */
export const greater = binary('Greater');

function unary(op: string) {
  return (x: TensorLike): SymbolicTensor => emit1(op, [x]);
}

/** √x. */
export const sqrt = unary('Sqrt');
/** eˣ. */
export const exp = unary('Exp');
/** ln x. */
export const log = unary('Log');
/** −x. */
export const neg = unary('Neg');
/** |x|. */
export const abs = unary('Abs');
/** Gauss error function. */
export const erf = unary('Erf');
/** Copy (`Identity`). */
export const identity = unary('Identity');

/** `cond ? x : y` with broadcasting. */
export function where(cond: TensorLike, x: Operand, y: Operand): SymbolicTensor {
  const [a, b] = operands(x, y, 'Where');
  return emit1('Where', [cond, a, b]);
}

/** Converts to `dtype` (`Cast`). */
export function cast(x: TensorLike, dtype: DType): SymbolicTensor {
  return emit1('Cast', [x], { to: dtypeToOnnx(dtype) });
}

/** A constant node holding `value`. */
export function constant(value: Tensor): SymbolicTensor {
  return emit1('Constant', [], { value });
}

/** The shape of `x` as a 1-D int64 value (`Shape`). */
export function shape(x: TensorLike): SymbolicTensor {
  return emit1('Shape', [x]);
}

// ---- activations --------------------------------------------------------------------------------

/** max(x, 0). */
export const relu = unary('Relu');
/** 1 / (1 + e⁻ˣ). */
export const sigmoid = unary('Sigmoid');
/** tanh x. */
export const tanh = unary('Tanh');
/** ln(1 + eˣ) (PyTorch's default beta 1). */
export const softplus = unary('Softplus');
/** x · hardSigmoid(x) with PyTorch's constants (`HardSwish`). */
export const hardSwish = unary('HardSwish');

/** Clamps to [min, max] (`Clip`); an omitted bound is unbounded. */
export function clip(x: TensorLike, min?: number, max?: number): SymbolicTensor {
  return emit1('Clip', [
    x,
    min === undefined ? undefined : scalarLike(min, x),
    max === undefined ? undefined : scalarLike(max, x),
  ]);
}

/** min(max(x, 0), 6) as `Clip(0, 6)`. */
export function relu6(x: TensorLike): SymbolicTensor {
  return clip(x, 0, 6);
}

/** `max(0, min(1, alpha·x + beta))`; defaults are PyTorch's (`relu6(x + 3) / 6`), not ONNX's 0.2. */
export function hardSigmoid(x: TensorLike, alpha = 1 / 6, beta = 0.5): SymbolicTensor {
  return emit1('HardSigmoid', [x], { alpha, beta });
}

/** GELU, exact (`'none'`, erf form) or `'tanh'` approximation (`Gelu`). */
export function gelu(x: TensorLike, approximate: 'none' | 'tanh' = 'none'): SymbolicTensor {
  return emit1('Gelu', [x], { approximate });
}

/** x · sigmoid(x) (SiLU / swish), as `Mul(x, Sigmoid(x))`. */
export function silu(x: TensorLike): SymbolicTensor {
  return emit1('Mul', [x, sigmoid(x)]);
}

/** x for x ≥ 0, slope·x otherwise. */
export function leakyRelu(x: TensorLike, negativeSlope = 0.01): SymbolicTensor {
  return emit1('LeakyRelu', [x], { alpha: negativeSlope });
}

/** Softmax along `axis`. */
export function softmax(x: TensorLike, axis = -1): SymbolicTensor {
  return emit1('Softmax', [x], { axis });
}

/** Log-softmax along `axis`. */
export function logSoftmax(x: TensorLike, axis = -1): SymbolicTensor {
  return emit1('LogSoftmax', [x], { axis });
}

// ---- normalisation ------------------------------------------------------------------------------

/** Inference batch norm over axis 1 with running statistics (`BatchNormalization`). */
export function batchNorm(
  x: TensorLike,
  runningMean: TensorLike,
  runningVar: TensorLike,
  weight?: TensorLike | null,
  bias?: TensorLike | null,
  eps = 1e-5,
): SymbolicTensor {
  const c = shapeOf(runningMean)[0]!;
  const scale = weight ?? filled(c, 1, x, 'batchNorm');
  const b = bias ?? filled(c, 0, x, 'batchNorm');
  return emit1('BatchNormalization', [x, scale, b, runningMean, runningVar], { epsilon: eps });
}

/** Layer norm over the trailing `normalizedShape` dims (`LayerNormalization`). */
export function layerNorm(
  x: TensorLike,
  normalizedShape: readonly number[],
  weight?: TensorLike | null,
  bias?: TensorLike | null,
  eps = 1e-5,
): SymbolicTensor {
  const scale =
    weight ??
    Tensor.from(
      x.dtype,
      new Array<number>(normalizedShape.reduce((a, b) => a * b, 1)).fill(1),
      normalizedShape,
    );
  return emit1('LayerNormalization', [x, scale, bias ?? undefined], {
    axis: -normalizedShape.length,
    epsilon: eps,
  });
}

/** Unsqueezes a per-channel `[C]` vector so it broadcasts against `[N, C, ...spatial]`. */
function perChannel(v: TensorLike, rank: number): SymbolicTensor {
  const axes = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  return axes.length ? unsqueeze(v, axes) : emit1('Identity', [v]);
}

/**
 * Group norm with PyTorch's per-channel affine parameters. Opset 21's `GroupNormalization`
 * takes per-channel scale/bias; before it, scale/bias were per group, so then the op runs with
 * unit scale and the per-channel affine follows as `Mul` + `Add`.
 */
export function groupNorm(
  x: TensorLike,
  numGroups: number,
  weight?: TensorLike | null,
  bias?: TensorLike | null,
  eps = 1e-5,
): SymbolicTensor {
  const c = shapeOf(x)[1]!;
  const perChannelAffine = (findOpSchema('GroupNormalization')?.since ?? 18) >= 21;
  if (perChannelAffine) {
    return emit1(
      'GroupNormalization',
      [x, weight ?? filled(c, 1, x, 'groupNorm'), bias ?? filled(c, 0, x, 'groupNorm')],
      { num_groups: numGroups, epsilon: eps },
    );
  }
  let y = emit1(
    'GroupNormalization',
    [x, filled(numGroups, 1, x, 'groupNorm'), filled(numGroups, 0, x, 'groupNorm')],
    { num_groups: numGroups, epsilon: eps },
  );
  const r = rankOf(x);
  if (weight) y = mul(y, perChannel(weight, r));
  if (bias) y = add(y, perChannel(bias, r));
  return y;
}

/** Instance norm over spatial dims (`InstanceNormalization`). */
export function instanceNorm(
  x: TensorLike,
  weight?: TensorLike | null,
  bias?: TensorLike | null,
  eps = 1e-5,
): SymbolicTensor {
  const c = shapeOf(x)[1]!;
  return emit1(
    'InstanceNormalization',
    [x, weight ?? filled(c, 1, x, 'instanceNorm'), bias ?? filled(c, 0, x, 'instanceNorm')],
    { epsilon: eps },
  );
}

// ---- reductions and pooling ---------------------------------------------------------------------

/** Options of the reductions. */
export interface ReduceOptions {
  /** Keep reduced dims as size 1 (default true, as ONNX; PyTorch's default is false). */
  readonly keepdims?: boolean;
}

function reduce(op: string) {
  return (x: TensorLike, axes?: readonly number[], options: ReduceOptions = {}): SymbolicTensor =>
    emit1(op, [x, axes ? int64s(axes) : undefined], { keepdims: bool(options.keepdims, true) });
}

/** Mean over `axes` (all when omitted). */
export const reduceMean = reduce('ReduceMean');
/** Sum over `axes` (all when omitted). */
export const reduceSum = reduce('ReduceSum');
/** Max over `axes` (all when omitted). */
export const reduceMax = reduce('ReduceMax');
/** Min over `axes` (all when omitted). */
export const reduceMin = reduce('ReduceMin');

/** Mean over all spatial dims, keeping them as 1 (`GlobalAveragePool`). */
export function globalAvgPool(x: TensorLike): SymbolicTensor {
  return emit1('GlobalAveragePool', [x]);
}

/** Max over all spatial dims, keeping them as 1 (as `ReduceMax`). */
export function globalMaxPool(x: TensorLike): SymbolicTensor {
  const axes = Array.from({ length: rankOf(x) - 2 }, (_, i) => i + 2);
  return reduceMax(x, axes, { keepdims: true });
}

/** Options of {@link avgPool}. */
export interface AvgPoolOptions {
  /** Default: the kernel size (PyTorch). */
  readonly stride?: number | readonly number[];
  readonly padding?: number | readonly number[];
  readonly ceilMode?: boolean;
  /** Count zero padding in the average (default true, as PyTorch; ONNX's default is false). */
  readonly countIncludePad?: boolean;
}

/** Average pooling (`AveragePool`) with PyTorch defaults. */
export function avgPool(
  x: TensorLike,
  kernel: number | readonly number[],
  options: AvgPoolOptions = {},
): SymbolicTensor {
  const n = rankOf(x) - 2;
  const k = ntuple(kernel, n, 'kernel');
  return emit1('AveragePool', [x], {
    kernel_shape: k,
    strides: ntuple(options.stride ?? k, n, 'stride'),
    pads: onnxPads(options.padding ?? 0, n),
    ceil_mode: bool(options.ceilMode, false),
    count_include_pad: bool(options.countIncludePad, true),
  });
}

/** {@link avgPool} on `[N, C, H, W]`. */
export const avgPool2d = avgPool;

/** Options of {@link maxPool}. */
export interface MaxPoolOptions {
  /** Default: the kernel size (PyTorch). */
  readonly stride?: number | readonly number[];
  readonly padding?: number | readonly number[];
  readonly dilation?: number | readonly number[];
  readonly ceilMode?: boolean;
}

/** Max pooling (`MaxPool`) with PyTorch defaults. */
export function maxPool(
  x: TensorLike,
  kernel: number | readonly number[],
  options: MaxPoolOptions = {},
): SymbolicTensor {
  const n = rankOf(x) - 2;
  const k = ntuple(kernel, n, 'kernel');
  return emit1('MaxPool', [x], {
    kernel_shape: k,
    strides: ntuple(options.stride ?? k, n, 'stride'),
    pads: onnxPads(options.padding ?? 0, n),
    dilations: ntuple(options.dilation ?? 1, n, 'dilation'),
    ceil_mode: bool(options.ceilMode, false),
  });
}

/** {@link maxPool} on `[N, C, H, W]`. */
export const maxPool2d = maxPool;

/** Index of the maximum along `axis` (`ArgMax`, int64). */
export function argmax(
  x: TensorLike,
  axis = 0,
  options: { keepdims?: boolean; selectLastIndex?: boolean } = {},
): SymbolicTensor {
  return emit1('ArgMax', [x], {
    axis,
    keepdims: bool(options.keepdims, true),
    select_last_index: bool(options.selectLastIndex, false),
  });
}

/** The `k` largest (or smallest) values and their int64 indices along `axis` (`TopK`). */
export function topk(
  x: TensorLike,
  k: number,
  options: { axis?: number; largest?: boolean; sorted?: boolean } = {},
): [SymbolicTensor, SymbolicTensor] {
  const [values, indices] = emit(
    'TopK',
    [x, int64s([k])],
    { axis: options.axis ?? -1, largest: bool(options.largest, true), sorted: bool(options.sorted, true) },
    { numOutputs: 2 },
  );
  return [values!, indices!];
}

/** Cumulative sum along `axis` (`CumSum`). */
export function cumsum(
  x: TensorLike,
  axis: number,
  options: { exclusive?: boolean; reverse?: boolean } = {},
): SymbolicTensor {
  return emit1('CumSum', [x, int64Scalar(axis)], {
    exclusive: bool(options.exclusive, false),
    reverse: bool(options.reverse, false),
  });
}

// ---- shape manipulation -------------------------------------------------------------------------

/** Reshape (`Reshape`, ONNX meaning: `0` copies the input dim, `-1` is inferred). */
export function reshape(x: TensorLike, dims: readonly number[]): SymbolicTensor {
  return emit1('Reshape', [x, int64s(dims)]);
}

/** Reorders dims (`Transpose`). */
export function permute(x: TensorLike, perm: readonly number[]): SymbolicTensor {
  return emit1('Transpose', [x], { perm: [...perm] });
}

/** Swaps two dims (PyTorch's `transpose(dim0, dim1)`). */
export function transpose(x: TensorLike, dim0: number, dim1: number): SymbolicTensor {
  const r = rankOf(x);
  const a = dim0 < 0 ? dim0 + r : dim0;
  const b = dim1 < 0 ? dim1 + r : dim1;
  const perm = Array.from({ length: r }, (_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}

/**
 * Merges dims `startDim..endDim` (PyTorch's `flatten`). `flatten(x, 1)` is ONNX `Flatten`;
 * other ranges become a `Reshape` that copies leading dims (`0`) so a symbolic batch survives.
 */
export function flatten(x: TensorLike, startDim = 1, endDim = -1): SymbolicTensor {
  const dims = shapeOf(x);
  const r = dims.length;
  const s = startDim < 0 ? startDim + r : startDim;
  const e = endDim < 0 ? endDim + r : endDim;
  if (s < 0 || e >= r || s > e)
    throw new InvalidArgumentError(`flatten: bad range ${startDim}..${endDim} for rank ${r}`);
  if (e === r - 1 && s === 1) return emit1('Flatten', [x], { axis: 1 });
  if (e === r - 1 && s === 0) return reshape(x, [-1]);
  const merged = dims.slice(s, e + 1);
  const allStatic = merged.every((d) => typeof d === 'number');
  const middle = allStatic ? (merged as number[]).reduce((a, b) => a * b, 1) : -1;
  const tail = dims.slice(e + 1);
  if (!allStatic && tail.some((d) => typeof d !== 'number')) {
    throw new ShapeError(
      `flatten: cannot merge symbolic dims [${merged.join(', ')}] before symbolic trailing dims`,
    );
  }
  return reshape(x, [...new Array<number>(s).fill(0), middle, ...(tail as number[])]);
}

/** Removes size-1 dims (`Squeeze`); all of them when `axes` is omitted. */
export function squeeze(x: TensorLike, axes?: number | readonly number[]): SymbolicTensor {
  const a = axes === undefined ? undefined : typeof axes === 'number' ? [axes] : axes;
  return emit1('Squeeze', [x, a ? int64s(a) : undefined]);
}

/** Inserts size-1 dims (`Unsqueeze`). */
export function unsqueeze(x: TensorLike, axes: number | readonly number[]): SymbolicTensor {
  return emit1('Unsqueeze', [x, int64s(typeof axes === 'number' ? [axes] : axes)]);
}

/** Joins tensors along `axis` (`Concat`). */
export function concat(xs: readonly TensorLike[], axis: number): SymbolicTensor {
  return emit1('Concat', xs, { axis });
}

/**
 * Splits along `axis` (`Split`) as PyTorch's `torch.split`: a number is the size of each chunk
 * (the last may be smaller; the dim must be static), an array gives every size.
 */
export function split(x: TensorLike, sizeOrSizes: number | readonly number[], axis = 0): SymbolicTensor[] {
  let sizes: number[];
  if (typeof sizeOrSizes === 'number') {
    const r = rankOf(x);
    const d = shapeOf(x)[axis < 0 ? axis + r : axis];
    if (typeof d !== 'number')
      throw new ShapeError(`split: dim ${axis} must be static to split into chunks of ${sizeOrSizes}`);
    sizes = [];
    for (let o = 0; o < d; o += sizeOrSizes) sizes.push(Math.min(sizeOrSizes, d - o));
  } else sizes = [...sizeOrSizes];
  return emit('Split', [x, int64s(sizes)], { axis }, { numOutputs: sizes.length });
}

/** Splits into `chunks` equal parts along `axis` (`Split` with `num_outputs`). */
export function chunk(x: TensorLike, chunks: number, axis = 0): SymbolicTensor[] {
  return emit('Split', [x], { axis, num_outputs: chunks }, { numOutputs: chunks });
}

/** Slices (`Slice`); `Infinity` as an end means "to the end". */
export function slice(
  x: TensorLike,
  starts: readonly number[],
  ends: readonly number[],
  axes?: readonly number[],
  steps?: readonly number[],
): SymbolicTensor {
  return emit1('Slice', [
    x,
    int64s(starts),
    int64s(ends),
    axes ? int64s(axes) : undefined,
    steps ? int64s(steps) : undefined,
  ]);
}

/**
 * Gathers along `axis` (`Gather`). A number index is a rank-0 index, so the axis disappears
 * (`x[:, 0]` is `gather(x, 0, 1)`); an array keeps it.
 */
export function gather(
  x: TensorLike,
  indices: TensorLike | number | readonly number[],
  axis = 0,
): SymbolicTensor {
  const idx =
    typeof indices === 'number'
      ? int64Scalar(indices)
      : Array.isArray(indices)
        ? int64s(indices)
        : (indices as TensorLike);
  return emit1('Gather', [x, idx], { axis });
}

/**
 * Repeats `t` (leading dim 1, e.g. a class token `[1, 1, C]`) along dim 0 to the batch of `like`,
 * which may be symbolic. `Expand` needs a constant shape, so this gathers row 0 of `t` with an
 * index vector of zeros of length B, taken from `like` as `ArgMax` over a size-1 axis (exact,
 * no arithmetic on the data).
 */
export function expandBatch(t: TensorLike, like: TensorLike): SymbolicTensor {
  const flat = rankOf(like) === 2 ? like : flatten(like, 1);
  const zeros = argmax(slice(flat, [0], [1], [1]), 1, { keepdims: false }); // [B] of 0
  return gather(t, zeros, 0);
}

/** Broadcasts to `dims` (`Expand`, numpy rules). */
export function expand(x: TensorLike, dims: readonly number[]): SymbolicTensor {
  return emit1('Expand', [x, int64s(dims)]);
}

/** Repeats along each dim (`Tile`). */
export function tile(x: TensorLike, repeats: readonly number[]): SymbolicTensor {
  return emit1('Tile', [x, int64s(repeats)]);
}

/** Options of {@link pad}. */
export interface PadOptions {
  /** PyTorch names: `constant`, `reflect`, `replicate` (ONNX `edge`), `circular` (ONNX `wrap`). */
  readonly mode?: 'constant' | 'reflect' | 'replicate' | 'circular';
  readonly value?: number;
}

/**
 * Pads (`Pad`) with PyTorch's `F.pad` argument order: pairs `(begin, end)` starting from the LAST
 * dim, e.g. `[left, right, top, bottom]` for NCHW.
 */
export function pad(x: TensorLike, pads: readonly number[], options: PadOptions = {}): SymbolicTensor {
  const r = rankOf(x);
  if (pads.length % 2 || pads.length / 2 > r) {
    throw new InvalidArgumentError(`pad: expected pairs for at most ${r} dims, got [${pads.join(', ')}]`);
  }
  const begin = new Array<number>(r).fill(0);
  const end = new Array<number>(r).fill(0);
  for (let i = 0; i < pads.length / 2; i++) {
    begin[r - 1 - i] = pads[2 * i]!;
    end[r - 1 - i] = pads[2 * i + 1]!;
  }
  const mode = { constant: 'constant', reflect: 'reflect', replicate: 'edge', circular: 'wrap' }[
    options.mode ?? 'constant'
  ];
  const value = options.value ?? 0;
  const cv = mode === 'constant' && value !== 0 ? scalarLike(value, x) : undefined;
  return emit1('Pad', [x, int64s([...begin, ...end]), cv], { mode });
}

/** Options of {@link interpolate}. */
export interface InterpolateOptions {
  /** Output spatial size (one per spatial dim). Give this or `scaleFactor`. */
  readonly size?: number | readonly number[];
  /** Spatial scale factor(s); output = floor(input · scale). */
  readonly scaleFactor?: number | readonly number[];
  /** PyTorch modes. Default `nearest`. */
  readonly mode?: 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'trilinear' | 'bicubic';
  /** As PyTorch's `align_corners` (linear/cubic modes only). */
  readonly alignCorners?: boolean;
  /** Antialiased down-sampling (linear/cubic), as PyTorch's `antialias`. */
  readonly antialias?: boolean;
}

/**
 * Resizes spatial dims like `torch.nn.functional.interpolate` (`Resize` over axes 2..):
 * `nearest` → asymmetric + floor; `nearest-exact` → half_pixel + round_prefer_ceil; linear and
 * cubic → `pytorch_half_pixel` or `align_corners`, cubic with a = −0.75 (−0.5 when antialiased,
 * as PyTorch).
 */
export function interpolate(x: TensorLike, options: InterpolateOptions): SymbolicTensor {
  const r = rankOf(x);
  const n = r - 2;
  const axes = Array.from({ length: n }, (_, i) => i + 2);
  const mode = options.mode ?? 'nearest';
  const attrs: Attrs = { axes };
  if (mode === 'nearest') {
    Object.assign(attrs, {
      mode: 'nearest',
      coordinate_transformation_mode: 'asymmetric',
      nearest_mode: 'floor',
    });
  } else if (mode === 'nearest-exact') {
    Object.assign(attrs, {
      mode: 'nearest',
      coordinate_transformation_mode: 'half_pixel',
      nearest_mode: 'round_prefer_ceil',
    });
  } else {
    const cubic = mode === 'bicubic';
    attrs.mode = cubic ? 'cubic' : 'linear';
    attrs.coordinate_transformation_mode = options.alignCorners ? 'align_corners' : 'pytorch_half_pixel';
    if (cubic) attrs.cubic_coeff_a = options.antialias ? -0.5 : -0.75;
    if (options.antialias) attrs.antialias = 1;
  }
  if (options.alignCorners && (mode === 'nearest' || mode === 'nearest-exact')) {
    throw new InvalidArgumentError('interpolate: alignCorners only applies to linear and cubic modes');
  }
  if ((options.size === undefined) === (options.scaleFactor === undefined)) {
    throw new InvalidArgumentError('interpolate: give exactly one of size and scaleFactor');
  }
  if (options.size !== undefined) {
    return emit1('Resize', [x, undefined, undefined, int64s(ntuple(options.size, n, 'size'))], attrs);
  }
  const factors = ntuple(options.scaleFactor!, n, 'scaleFactor');
  const spatial = shapeOf(x).slice(2);
  if (options.alignCorners && spatial.every((d) => typeof d === 'number')) {
    // PyTorch maps align_corners coordinates with the integer output length floor(in·scale);
    // ONNX's Resize with `scales` would use the unrounded in·scale. Giving `sizes` makes the
    // two agree (and onnxruntime, which also rounds, with them).
    const sizes = spatial.map((d, i) => Math.floor((d as number) * factors[i]!));
    return emit1('Resize', [x, undefined, undefined, int64s(sizes)], attrs);
  }
  const scales = Tensor.from('float32', factors, [n]);
  return emit1('Resize', [x, undefined, scales], attrs);
}

/** Moves depth blocks into space (`DepthToSpace`); `DCR` is ONNX's default. */
export function depthToSpace(x: TensorLike, blocksize: number, mode: 'DCR' | 'CRD' = 'DCR'): SymbolicTensor {
  return emit1('DepthToSpace', [x], { blocksize, mode });
}

/** PyTorch's `pixel_shuffle`: `DepthToSpace` in `CRD` order. */
export function pixelShuffle(x: TensorLike, upscale: number): SymbolicTensor {
  return depthToSpace(x, upscale, 'CRD');
}

/** Moves spatial blocks into depth (`SpaceToDepth`, block-major channel order). */
export function spaceToDepth(x: TensorLike, blocksize: number): SymbolicTensor {
  return emit1('SpaceToDepth', [x], { blocksize });
}

/**
 * PyTorch's `pixel_unshuffle` (channel-major order, which `SpaceToDepth` does not produce):
 * `Reshape [N, C, H/r, r, W/r, r]` → `Transpose [0, 1, 3, 5, 2, 4]` → `Reshape [N, C·r², H/r, W/r]`.
 * C, H and W must be static.
 */
export function pixelUnshuffle(x: TensorLike, downscale: number): SymbolicTensor {
  const [c, h, w] = staticDims(shapeOf(x).slice(1), 'pixelUnshuffle');
  const r = downscale;
  if (h! % r || w! % r) throw new ShapeError(`pixelUnshuffle: H=${h} and W=${w} must be divisible by ${r}`);
  const y = reshape(x, [0, c!, h! / r, r, w! / r, r]);
  const t = permute(y, [0, 1, 3, 5, 2, 4]);
  return reshape(t, [0, c! * r * r, h! / r, w! / r]);
}

// ---- attention ----------------------------------------------------------------------------------

/** Options of {@link scaledDotProductAttention}. */
export interface AttentionOptions {
  /** Additive mask broadcastable to `[..., Lq, Lk]` (use −∞ / large negatives to block). */
  readonly mask?: TensorLike | null;
  /** Default 1/√headDim. */
  readonly scale?: number;
}

/**
 * `softmax(q·kᵀ·scale + mask)·v` on `[..., L, D]` tensors, in timm's explicit order (q is scaled
 * before the product).
 */
export function scaledDotProductAttention(
  q: TensorLike,
  k: TensorLike,
  v: TensorLike,
  options: AttentionOptions = {},
): SymbolicTensor {
  const d = shapeOf(q)[rankOf(q) - 1];
  if (options.scale === undefined && typeof d !== 'number')
    throw new ShapeError('attention: head dim must be static');
  const scale = options.scale ?? 1 / Math.sqrt(d as number);
  const r = rankOf(k);
  let attn = matmul(mul(q, scale), transpose(k, r - 2, r - 1));
  if (options.mask) attn = add(attn, options.mask);
  return matmul(softmax(attn, -1), v);
}
