import { describe, expect, it } from 'vitest';
import {
  bfloat16BitsToNumber,
  DTypeError,
  dtypeFromOnnx,
  dtypeToOnnx,
  float16BitsToNumber,
  numberToBfloat16Bits,
  numberToFloat16Bits,
  ShapeError,
  sizeOf,
  stridesOf,
  Tensor,
} from '../src/index.js';

describe('float16 / bfloat16 bit conversions', () => {
  // Bit patterns from IEEE 754 binary16 tables (independent of the implementation).
  const f16: [number, number][] = [
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [0.333251953125, 0x3555],
    [Number.POSITIVE_INFINITY, 0x7c00],
  ];
  it.each(f16)('%f <-> 0x%s', (value, bits) => {
    expect(numberToFloat16Bits(value)).toBe(bits);
    expect(float16BitsToNumber(bits)).toBe(value);
  });

  it('rounds half to even and overflows to infinity', () => {
    // 1 + 2^-11 lies exactly between 1 and 1 + 2^-10: ties go to the even mantissa (1).
    expect(numberToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    // 1 + 3·2^-11 lies between 1+2^-10 (odd) and 1+2^-9 (even): rounds up to even.
    expect(numberToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(numberToFloat16Bits(70000)).toBe(0x7c00);
    expect(Number.isNaN(float16BitsToNumber(numberToFloat16Bits(Number.NaN)))).toBe(true);
  });

  it('bfloat16 keeps the float32 exponent', () => {
    expect(numberToBfloat16Bits(1)).toBe(0x3f80);
    expect(bfloat16BitsToNumber(0x3f80)).toBe(1);
    expect(bfloat16BitsToNumber(numberToBfloat16Bits(Math.PI))).toBe(3.140625);
    expect(bfloat16BitsToNumber(numberToBfloat16Bits(1e30))).toBeCloseTo(1e30, -27);
  });
});

describe('Tensor', () => {
  it('checks data kind and length against dtype and dims', () => {
    expect(() => new Tensor('float32', new Float64Array(4) as unknown as Float32Array, [4])).toThrow(
      DTypeError,
    );
    expect(() => new Tensor('float32', new Float32Array(5), [2, 2])).toThrow(ShapeError);
    expect(() => Tensor.zeros('float32', [2, -1])).toThrow(ShapeError);
  });

  it('stores int64 as bigint and float16 as bits', () => {
    const a = Tensor.from('int64', [1, -2, 3], [3]);
    expect(a.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(a.data as BigInt64Array)).toEqual([1n, -2n, 3n]);
    const h = Tensor.from('float16', [1, -2], [2]);
    expect(Array.from(h.data as Uint16Array)).toEqual([0x3c00, 0xc000]);
    expect(h.toNumbers()).toEqual([1, -2]);
  });

  it('reshapes without copying and infers one -1', () => {
    const t = Tensor.from('float32', [1, 2, 3, 4, 5, 6], [2, 3]);
    const r = t.reshape([3, -1]);
    expect(r.dims).toEqual([3, 2]);
    expect(r.data).toBe(t.data);
    expect(() => t.reshape([4, -1])).toThrow(ShapeError);
    expect(() => t.reshape([-1, -1])).toThrow(ShapeError);
  });

  it('computes sizes and strides', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  });

  it('maps dtypes to ONNX enum values', () => {
    expect(dtypeToOnnx('float32')).toBe(1);
    expect(dtypeToOnnx('int64')).toBe(7);
    expect(dtypeToOnnx('bfloat16')).toBe(16);
    expect(dtypeFromOnnx(10)).toBe('float16');
    expect(() => dtypeFromOnnx(8)).toThrow(DTypeError); // string
  });
});
