/**
 * Cast and CastLike. The float8 vectors are the inputs and expected bit patterns of ONNX 1.22's
 * `test_cast_*FLOAT8*` node tests (produced there with ml_dtypes); the other expectations were
 * computed with numpy (astype) or by hand from the format definitions.
 */
import { AttributeError, type DType, DTypeError, dtypeToOnnx, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { decodeMiniFloat, encodeMiniFloat } from '../src/kernels/minifloat.js';
import { bigs, expectClose, f32, opError, run1, t, vals } from './math-test-utils.js';

/** Casts `x` to `dtype` with optional attributes. */
function cast(x: Tensor, dtype: DType, attrs: Record<string, number | string> = {}): Tensor {
  return run1('Cast', [x], { to: dtypeToOnnx(dtype), ...attrs });
}

/** Stored bytes of a storage-type tensor. */
function codes(x: Tensor): number[] {
  return Array.from(x.data as Uint8Array);
}

/** A storage-type tensor from its codes. */
function stored(dtype: DType, values: readonly number[]): Tensor {
  const data = dtype === 'int4' || dtype === 'int2' ? Int8Array.from(values) : Uint8Array.from(values);
  return new Tensor(dtype, data as never, [values.length]);
}

describe('Cast between standard dtypes', () => {
  it('float to int truncates toward zero', () => {
    expect(vals(cast(f32([3.7, -3.7, -0.5, 200.9]), 'int32'))).toEqual([3, -3, 0, 200]);
    expect(bigs(cast(f32([-2.9, 5.5, 2 ** 40]), 'int64'))).toEqual([-2n, 5n, 2n ** 40n]);
    expect(vals(cast(f32([255.9, 0.2]), 'uint8'))).toEqual([255, 0]);
  });

  it('int to narrower int wraps (two’s complement)', () => {
    expect(vals(cast(t('int64', [2n ** 32n + 5n, 2n ** 31n, -1n, 2n ** 40n + 131n]), 'int32'))).toEqual([
      5, -2147483648, -1, 131,
    ]);
    expect(vals(cast(t('int32', [200, -200, 300]), 'int8'))).toEqual([-56, 56, 44]);
    expect(Array.from(cast(t('int64', [-1n]), 'uint64').data as BigUint64Array)).toEqual([2n ** 64n - 1n]);
  });

  it('to and from bool', () => {
    expect(vals(cast(f32([0, -0, Number.NaN, 2, -1e-30]), 'bool'))).toEqual([0, 0, 1, 1, 1]);
    expect(vals(cast(t('int64', [0n, 2n ** 62n]), 'bool'))).toEqual([0, 1]);
    expect(bigs(cast(t('bool', [1, 0]), 'int64'))).toEqual([1n, 0n]);
    expect(vals(cast(t('bool', [1, 0]), 'float16'))).toEqual([1, 0]);
  });

  it('float32 to float16 and bfloat16 round to nearest even', () => {
    const x = f32([0.47892547, 1000000, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, -1e-7, 464, -300, 0]);
    expect(Array.from(cast(x, 'float16').data as Uint16Array)).toEqual([
      14250, 31744, 2, 32256, 31744, 32770, 24384, 56496, 0,
    ]);
    const b = cast(f32([0.47892547, 1.00390625, 1.01171875, Math.PI]), 'bfloat16');
    expect(Array.from(b.data as Uint16Array)).toEqual([0x3ef5, 0x3f80, 0x3f82, 0x4049]);
  });

  it('int64 to float32 and float16', () => {
    expectClose(cast(t('int64', [2n ** 40n + 1n, -7n]), 'float32'), [2 ** 40, -7]);
    expect(vals(cast(t('int64', [70000n, 2049n]), 'float16'))).toEqual([Number.POSITIVE_INFINITY, 2048]);
  });

  it('CastLike takes the dtype of its second input', () => {
    const y = run1('CastLike', [f32([1.5, -2.5]), t('int32', [0])]);
    expect(y.dtype).toBe('int32');
    expect(vals(y)).toEqual([1, -2]);
  });

  it('rejects string targets and unknown round modes', () => {
    expect(opError(() => run1('Cast', [f32([1])], { to: 8 }))).toBeInstanceOf(DTypeError);
    expect(opError(() => cast(f32([1]), 'float8e8m0', { round_mode: 'zero' }))).toBeInstanceOf(
      AttributeError,
    );
    expect(opError(() => cast(f32([1]), 'float16', { saturate: 2 }))).toBeInstanceOf(AttributeError);
  });
});

const F8_INPUT = f32([
  0.47892547,
  0.48033667,
  0.49968487,
  0.81910545,
  0.47031248,
  0.7229038,
  1000000,
  1e-7,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1e-7,
  1e-7,
  -1000000,
]);

describe('Cast to the float8 types (ONNX node-test vectors)', () => {
  const cases: [DType, number[], number[]][] = [
    [
      'float8e4m3fn',
      [47, 47, 48, 53, 47, 52, 126, 0, 127, 126, 126, 254, 128, 0, 254],
      [47, 47, 48, 53, 47, 52, 127, 0, 127, 127, 127, 255, 128, 0, 255],
    ],
    [
      'float8e4m3fnuz',
      [55, 55, 56, 61, 55, 60, 127, 0, 128, 127, 127, 255, 0, 0, 255],
      [55, 55, 56, 61, 55, 60, 128, 0, 128, 128, 128, 128, 0, 0, 128],
    ],
    [
      'float8e5m2',
      [56, 56, 56, 59, 56, 58, 123, 0, 126, 123, 123, 251, 128, 0, 251],
      [56, 56, 56, 59, 56, 58, 124, 0, 126, 124, 124, 252, 128, 0, 252],
    ],
    [
      'float8e5m2fnuz',
      [60, 60, 60, 63, 60, 62, 127, 0, 128, 127, 127, 255, 0, 0, 255],
      [60, 60, 60, 63, 60, 62, 128, 0, 128, 128, 128, 128, 0, 0, 128],
    ],
  ];
  for (const [dtype, saturated, unsaturated] of cases) {
    it(`${dtype}, saturate = 1 and 0`, () => {
      expect(codes(cast(F8_INPUT, dtype))).toEqual(saturated);
      expect(codes(cast(F8_INPUT, dtype, { saturate: 0 }))).toEqual(unsaturated);
      // The same from float16 input (exactly representable after rounding to half).
      const half = cast(F8_INPUT, 'float16');
      expect(codes(cast(half, dtype)).slice(6, 12)).toEqual(saturated.slice(6, 12));
    });
  }

  it('rounds ties to even, including at the top of the range and in subnormals', () => {
    // e4m3fn: 448 is the largest value; 464 is halfway to the (NaN) next code and rounds down to even.
    expect(
      codes(cast(f32([464, 465, 2 ** -10, 3 * 2 ** -10, 1.0625, 1.1875]), 'float8e4m3fn', { saturate: 0 })),
    ).toEqual([0x7e, 0x7f, 0x00, 0x02, 0x38, 0x3a]);
    // e5m2: 61440 is halfway between 57344 and 65536 (= Inf) and rounds to the even Inf.
    expect(codes(cast(f32([61439, 61440]), 'float8e5m2', { saturate: 0 }))).toEqual([0x7b, 0x7c]);
    expect(codes(cast(f32([61440]), 'float8e5m2'))).toEqual([0x7b]);
  });

  it('decodes to float32 and float16', () => {
    const e4 = stored('float8e4m3fn', [0x00, 0x01, 0x08, 0x38, 0x7e, 0x7f, 0xfe, 0xb8]);
    expectClose(cast(e4, 'float32'), [0, 2 ** -9, 2 ** -6, 1, 448, Number.NaN, -448, -1]);
    const e5 = stored('float8e5m2', [0x3c, 0x01, 0x7b, 0x7c, 0xfc, 0x7d]);
    expectClose(cast(e5, 'float32'), [
      1,
      2 ** -16,
      57344,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
    expectClose(cast(stored('float8e4m3fnuz', [0x40, 0x01, 0x7f, 0x80, 0xff]), 'float16'), [
      1,
      2 ** -10,
      240,
      Number.NaN,
      -240,
    ]);
    expectClose(cast(stored('float8e5m2fnuz', [0x40, 0x01, 0x7f, 0x80]), 'float32'), [
      1,
      2 ** -17,
      57344,
      Number.NaN,
    ]);
  });

  it('every finite code survives decode then encode', () => {
    for (const dtype of [
      'float8e4m3fn',
      'float8e4m3fnuz',
      'float8e5m2',
      'float8e5m2fnuz',
      'float4e2m1',
    ] as DType[]) {
      const n = dtype === 'float4e2m1' ? 16 : 256;
      for (let code = 0; code < n; code++) {
        const v = decodeMiniFloat(dtype, code);
        if (Number.isNaN(v)) continue;
        expect(encodeMiniFloat(dtype, v, false), `${dtype} 0x${code.toString(16)}`).toBe(code);
      }
    }
  });
});

describe('Cast to float4e2m1, float8e8m0 and the sub-byte integers', () => {
  it('float4e2m1 always saturates (ONNX test vector)', () => {
    const x = f32([
      0.48,
      0.25,
      1.05,
      -3.5,
      -8,
      9,
      1000000,
      1e-7,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -4,
      0.01,
      -0,
    ]);
    expect(codes(cast(x, 'float4e2m1'))).toEqual([1, 0, 2, 14, 15, 7, 7, 0, 8, 7, 14, 0, 8]);
    expectClose(
      cast(stored('float4e2m1', [0, 1, 2, 3, 4, 5, 6, 7, 9, 15]), 'float32'),
      [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.5, -6],
    );
  });

  it('float8e8m0 rounds up (default), down or to nearest; saturate stops at 2^127', () => {
    const x = f32([0, 0.124, 0.25, 0.5, 1.1, 2, 4, 8]);
    expect(codes(cast(x, 'float8e8m0'))).toEqual([0, 124, 125, 126, 128, 128, 129, 130]);
    const y = f32([0.124, 1.1, 1.25, 1.5, 0.75]);
    expect(codes(cast(y, 'float8e8m0', { round_mode: 'down' }))).toEqual([123, 127, 127, 127, 126]);
    expect(codes(cast(y, 'float8e8m0', { round_mode: 'nearest' }))).toEqual([124, 127, 127, 128, 127]);
    const big = f32([3.4028234663852886e38, Number.NaN, Number.POSITIVE_INFINITY]);
    expect(codes(cast(big, 'float8e8m0'))).toEqual([254, 255, 255]);
    expect(codes(cast(big, 'float8e8m0', { saturate: 0 }))).toEqual([255, 255, 255]);
    expectClose(cast(stored('float8e8m0', [127, 0, 130, 255]), 'float32'), [1, 2 ** -127, 8, Number.NaN]);
  });

  it('int4, uint4, int2 and uint2 wrap like the ONNX test vectors', () => {
    const x = f32(Array.from({ length: 25 }, (_, i) => i - 9));
    const i4 = cast(x, 'int4');
    expect(i4.data).toBeInstanceOf(Int8Array);
    expect(vals(i4)).toEqual([
      7, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1,
    ]);
    expect(vals(cast(x, 'uint4'))).toEqual([
      7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ]);
    const small = f32([-3, -2, -1, 0, 1, 2, 3]);
    expect(vals(cast(small, 'int2'))).toEqual([1, -2, -1, 0, 1, -2, -1]);
    expect(vals(cast(small, 'uint2'))).toEqual([1, 2, 3, 0, 1, 2, 3]);
    expect(vals(cast(stored('int4', [-8, 7, -1]), 'int8'))).toEqual([-8, 7, -1]);
    expect(vals(cast(stored('uint2', [3, 0]), 'float16'))).toEqual([3, 0]);
  });
});
