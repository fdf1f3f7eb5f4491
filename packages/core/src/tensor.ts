/**
 * Host tensors: a dtype, static dims and a typed array, row-major, canonical layout NCHW.
 * @module
 */
import {
  allocate,
  bfloat16BitsToNumber,
  type DataTypeMap,
  type DType,
  float16BitsToNumber,
  isBigInt,
  isDType,
  matchesDType,
  numberToBfloat16Bits,
  numberToFloat16Bits,
} from './dtype.js';
import { DTypeError, InvalidArgumentError, ShapeError } from './errors.js';

/** Where a tensor's data lives. Host tensors are always `cpu`; backends may return device handles. */
export type TensorLocation = 'cpu' | 'gpu-buffer' | 'texture' | 'ml-tensor';

/** Number of elements of a static shape. Throws for negative or non-integer dims. */
export function sizeOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0)
      throw new ShapeError(`invalid dimension ${d} in shape [${dims.join(', ')}]`);
    n *= d;
  }
  return n;
}

/** Row-major strides of a static shape. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i]!;
  }
  return s;
}

/**
 * A host tensor. Immutable in shape; its `data` array is owned by the tensor and may be read
 * freely. `int64`/`uint64` hold `bigint` (BigInt64Array), `float16`/`bfloat16` hold raw bits
 * (Uint16Array) — use {@link Tensor.toFloat32} or {@link Tensor.toNumbers} to read values.
 */
export class Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly dims: readonly number[];
  readonly data: DataTypeMap[D];
  readonly location: TensorLocation = 'cpu';

  /**
   * @param dtype element type
   * @param data typed array of exactly `prod(dims)` elements, of the kind that stores `dtype`
   * @param dims static shape; `[]` is a scalar
   */
  constructor(dtype: D, data: DataTypeMap[D], dims: readonly number[]) {
    if (!isDType(dtype)) throw new DTypeError(`unknown dtype '${String(dtype)}'`);
    if (!matchesDType(dtype, data)) {
      throw new DTypeError(
        `data for dtype ${dtype} must be a ${allocate(dtype, 0).constructor.name}, got ${data?.constructor?.name}`,
      );
    }
    const n = sizeOf(dims);
    if (data.length !== n) {
      throw new ShapeError(
        `tensor of shape [${dims.join(', ')}] needs ${n} elements, data has ${data.length}`,
      );
    }
    this.dtype = dtype;
    this.data = data;
    this.dims = Object.freeze([...dims]);
  }

  /** A zero-filled tensor. */
  static zeros<D extends DType>(dtype: D, dims: readonly number[]): Tensor<D> {
    return new Tensor(dtype, allocate(dtype, sizeOf(dims)), dims);
  }

  /**
   * Builds a tensor from plain numbers (or bigints for 64-bit integers). Floats are rounded to
   * the dtype (float16/bfloat16 round to nearest even).
   */
  static from<D extends DType>(
    dtype: D,
    values: ArrayLike<number | bigint | boolean>,
    dims?: readonly number[],
  ): Tensor<D> {
    const shape = dims ?? [values.length];
    const out = allocate(dtype, sizeOf(shape));
    if (out.length !== values.length) {
      throw new ShapeError(`${values.length} values do not fill shape [${shape.join(', ')}]`);
    }
    writeNumbers(dtype, out, values);
    return new Tensor(dtype, out, shape);
  }

  /** A rank-0 tensor. */
  static scalar<D extends DType>(dtype: D, value: number | bigint | boolean): Tensor<D> {
    return Tensor.from(dtype, [value], []);
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Rank (number of dims). */
  get rank(): number {
    return this.dims.length;
  }

  /** Same data, new shape (no copy). One dim may be -1. */
  reshape(dims: readonly number[]): Tensor<D> {
    const known = dims.filter((d) => d !== -1);
    const infer = dims.length - known.length;
    if (infer > 1) throw new ShapeError(`reshape: at most one -1 allowed, got [${dims.join(', ')}]`);
    let shape = [...dims];
    if (infer === 1) {
      const k = sizeOf(known);
      if (k === 0 || this.size % k !== 0) {
        throw new ShapeError(`reshape: cannot infer -1 for ${this.size} elements into [${dims.join(', ')}]`);
      }
      shape = dims.map((d) => (d === -1 ? this.size / k : d));
    }
    if (sizeOf(shape) !== this.size) {
      throw new ShapeError(
        `reshape: [${this.dims.join(', ')}] (${this.size} elements) cannot become [${shape.join(', ')}]`,
      );
    }
    return new Tensor(this.dtype, this.data, shape);
  }

  /** A deep copy. */
  clone(): Tensor<D> {
    return new Tensor(this.dtype, this.data.slice() as DataTypeMap[D], this.dims);
  }

  /** Values as JS numbers (bigints converted, float16/bfloat16 decoded, bool as 0/1). */
  toNumbers(): number[] {
    return readNumbers(this.dtype, this.data);
  }

  /** Values as a Float32Array (decoding float16/bfloat16, converting integers). */
  toFloat32(): Float32Array {
    if (this.dtype === 'float32') return (this.data as Float32Array).slice();
    return Float32Array.from(readNumbers(this.dtype, this.data));
  }

  /** Host tensors need no disposal; present so host and device tensors share one interface. */
  dispose(): void {}

  toString(): string {
    return `Tensor(${this.dtype}, [${this.dims.join(', ')}])`;
  }
}

/** Reads any dtype's storage as numbers (float16/bfloat16 decoded, bigints converted). */
export function readNumbers(dtype: DType, data: ArrayLike<number | bigint>): number[] {
  const n = data.length;
  const out = new Array<number>(n);
  if (dtype === 'float16') for (let i = 0; i < n; i++) out[i] = float16BitsToNumber(data[i] as number);
  else if (dtype === 'bfloat16') for (let i = 0; i < n; i++) out[i] = bfloat16BitsToNumber(data[i] as number);
  else for (let i = 0; i < n; i++) out[i] = Number(data[i]);
  return out;
}

/** Writes numbers into a dtype's storage, converting as {@link Tensor.from} does. */
export function writeNumbers(
  dtype: DType,
  out: ArrayLike<number | bigint> & { length: number },
  values: ArrayLike<number | bigint | boolean>,
): void {
  const o = out as unknown as { [i: number]: number | bigint };
  const n = values.length;
  if (dtype === 'float16') for (let i = 0; i < n; i++) o[i] = numberToFloat16Bits(Number(values[i]));
  else if (dtype === 'bfloat16') for (let i = 0; i < n; i++) o[i] = numberToBfloat16Bits(Number(values[i]));
  else if (isBigInt(dtype)) {
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (typeof v === 'bigint') o[i] = v;
      else {
        const num = Number(v);
        if (!Number.isFinite(num)) throw new InvalidArgumentError(`cannot store ${num} in ${dtype}`);
        o[i] = BigInt(Math.trunc(num));
      }
    }
  } else if (dtype === 'bool') for (let i = 0; i < n; i++) o[i] = values[i] ? 1 : 0;
  else for (let i = 0; i < n; i++) o[i] = Number(values[i]);
}
