/**
 * Bit-exact codecs of the low-precision float storage types (float8 variants, float8e8m0,
 * float4e2m1), following ONNX's Cast rules: round to nearest even; `saturate` clamps out-of-range
 * values (and ±Inf) to ±max for the float8 types; without it they become Inf (e5m2) or NaN. The
 * results match the ml_dtypes conversions that ONNX's reference implementation uses.
 * @module
 */
import { type DType, InvalidArgumentError } from '@ocular/core';

/** Layout of a sign/exponent/mantissa minifloat. */
interface MiniFloatSpec {
  readonly expBits: number;
  readonly mantBits: number;
  readonly bias: number;
  /** Largest finite value. */
  readonly max: number;
  /**
   * How the type spells non-finite values: `ieee` has Inf and NaN (e5m2); `fn` has only NaN as
   * all-ones (e4m3fn); `fnuz` has only NaN as negative zero's pattern (0x80) and no -0; `finite`
   * has neither (float4e2m1, which always saturates).
   */
  readonly kind: 'ieee' | 'fn' | 'fnuz' | 'finite';
}

const SPECS: Partial<Record<DType, MiniFloatSpec>> = {
  float8e4m3fn: { expBits: 4, mantBits: 3, bias: 7, max: 448, kind: 'fn' },
  float8e4m3fnuz: { expBits: 4, mantBits: 3, bias: 8, max: 240, kind: 'fnuz' },
  float8e5m2: { expBits: 5, mantBits: 2, bias: 15, max: 57344, kind: 'ieee' },
  float8e5m2fnuz: { expBits: 5, mantBits: 2, bias: 16, max: 57344, kind: 'fnuz' },
  float4e2m1: { expBits: 2, mantBits: 1, bias: 1, max: 6, kind: 'finite' },
};

/** True for the dtypes {@link decodeMiniFloat} and {@link encodeMiniFloat} handle. */
export function isMiniFloat(dtype: DType): boolean {
  return dtype in SPECS || dtype === 'float8e8m0';
}

function spec(dtype: DType): MiniFloatSpec {
  const s = SPECS[dtype];
  if (!s) throw new InvalidArgumentError(`${dtype} is not a minifloat type`);
  return s;
}

/** floor(log2(a)) for a finite a > 0, exact at powers of two. */
function floorLog2(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/** Rounds to the nearest integer, ties to even. */
function rint(q: number): number {
  const f = Math.floor(q);
  const d = q - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** Value of one stored element (a bit pattern) of a minifloat dtype. */
export function decodeMiniFloat(dtype: DType, code: number): number {
  if (dtype === 'float8e8m0') return code === 0xff ? Number.NaN : 2 ** (code - 127);
  const s = spec(dtype);
  const signBit = 1 << (s.expBits + s.mantBits);
  const mag = code & (signBit - 1);
  const negative = (code & signBit) !== 0;
  const expAll = (1 << s.expBits) - 1;
  const expField = mag >> s.mantBits;
  const mant = mag & ((1 << s.mantBits) - 1);
  if (s.kind === 'fnuz' && code === signBit) return Number.NaN;
  if (s.kind === 'fn' && mag === signBit - 1) return Number.NaN;
  if (s.kind === 'ieee' && expField === expAll) {
    if (mant !== 0) return Number.NaN;
    return negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const v =
    expField === 0
      ? mant * 2 ** (1 - s.bias - s.mantBits)
      : (1 + mant / 2 ** s.mantBits) * 2 ** (expField - s.bias);
  return negative ? -v : v;
}

/** Bit pattern of NaN, or of the value that replaces it, for a minifloat. */
function nanCode(s: MiniFloatSpec, negative: boolean): number {
  const signBit = 1 << (s.expBits + s.mantBits);
  const sign = negative ? signBit : 0;
  switch (s.kind) {
    case 'fnuz':
      return signBit;
    case 'fn':
      return sign | (signBit - 1);
    case 'ieee':
      // Quiet NaN: all-ones exponent, top mantissa bit.
      return sign | (((1 << s.expBits) - 1) << s.mantBits) | (1 << (s.mantBits - 1));
    default:
      // float4e2m1 has no NaN; ml_dtypes stores it as negative zero's pattern.
      return signBit;
  }
}

/** Encodes `v` into a minifloat dtype (not float8e8m0), rounding to nearest even. */
export function encodeMiniFloat(dtype: DType, v: number, saturate: boolean): number {
  const s = spec(dtype);
  const signBit = 1 << (s.expBits + s.mantBits);
  const negative = v < 0 || Object.is(v, -0);
  if (Number.isNaN(v)) return nanCode(s, negative);
  const sign = negative ? signBit : 0;
  const sat = saturate || s.kind === 'finite';
  const overflow = (): number => {
    if (sat) return encodeMagnitude(s, s.max, sign);
    if (s.kind === 'ieee') return sign | (((1 << s.expBits) - 1) << s.mantBits);
    return nanCode(s, negative);
  };
  let a = Math.abs(v);
  if (a === Number.POSITIVE_INFINITY) return overflow();
  if (sat && a > s.max) a = s.max;
  const emin = 1 - s.bias;
  if (a === 0) return s.kind === 'fnuz' ? 0 : sign;
  const e = Math.max(floorLog2(a), emin);
  const step = 2 ** (e - s.mantBits);
  const rounded = rint(a / step) * step;
  if (rounded > s.max) return overflow();
  return encodeMagnitude(s, rounded, sign);
}

/** Bit pattern of a representable magnitude `a` with sign bits `sign`. */
function encodeMagnitude(s: MiniFloatSpec, a: number, sign: number): number {
  // fnuz has no negative zero: a value that rounds to zero is +0.
  if (a === 0) return s.kind === 'fnuz' ? 0 : sign;
  const emin = 1 - s.bias;
  const e = floorLog2(a);
  if (e < emin) return sign | (a / 2 ** (emin - s.mantBits));
  const mant = a / 2 ** (e - s.mantBits) - 2 ** s.mantBits;
  return sign | ((e + s.bias) << s.mantBits) | mant;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Encodes `v` as float8e8m0 (a bare power-of-two exponent) from its float32 bits, as ONNX's
 * `to_float8e8m0` does: NaN and ±Inf map to 0xFF; the sign is ignored; `round_mode` `up` rounds
 * any fraction up, `down` truncates, `nearest` rounds half up; `saturate` stops rounding at the
 * largest exponent (0xFE) instead of overflowing into 0xFF.
 */
export function encodeE8M0(v: number, saturate: boolean, roundMode: string): number {
  f32[0] = v;
  const bits = u32[0]!;
  let exponent = (bits >>> 23) & 0xff;
  if (exponent === 0xff) return 0xff;
  let roundUp = false;
  if (roundMode === 'nearest') {
    const g = (bits & 0x400000) !== 0;
    const r = (bits & 0x200000) !== 0;
    const st = (bits & 0x1fffff) !== 0;
    roundUp = g && (r || st || exponent > 0);
  } else if (roundMode === 'up') {
    roundUp = (bits & 0x7fffff) !== 0;
  } else if (roundMode !== 'down') {
    throw new InvalidArgumentError(`unknown round_mode '${roundMode}'`);
  }
  if (roundUp && !(saturate && exponent === 0xfe)) exponent++;
  return exponent & 0xff;
}
