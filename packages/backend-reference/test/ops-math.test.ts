/**
 * Reference kernels of the elementwise ops. Expected values were computed with numpy 2.4
 * (float32 arithmetic, integer wrap-around, np.round, np.power) and Python's math.erf, or by
 * hand, and pasted here.
 */
import { DTypeError, numberToFloat16Bits, ShapeError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { bigs, c, expectClose, f32, opError, run1, t, vals } from './math-test-utils.js';

const x23 = f32([0.5, -1.25, 3, 2, -0.75, 1.5], [2, 3]);
const y3 = f32([1.5, 0.25, -2]);

describe('binary arithmetic', () => {
  it('broadcasts a row over a matrix', () => {
    expectClose(run1('Add', [x23, y3]), [2, -1, 1, 3.5, -0.5, -0.5], [2, 3]);
    expectClose(run1('Sub', [x23, y3]), [-1, -1.5, 5, 0.5, -1, 3.5], [2, 3]);
    expectClose(run1('Mul', [x23, y3]), [0.75, -0.3125, -6, 3, -0.1875, -3], [2, 3]);
    expectClose(
      run1('Div', [x23, y3]),
      [0.3333333432674408, -5, -1.5, 1.3333333730697632, -3, -0.75],
      [2, 3],
      {
        rtol: 0,
        atol: 0,
      },
    );
  });

  it('broadcasts both operands ([2,1,3] with [4,1])', () => {
    const a = f32([1, 2, 3, 4, 5, 6], [2, 1, 3]);
    const b = f32([10, 20, 30, 40], [4, 1]);
    const y = run1('Add', [a, b]);
    expect(y.dims).toEqual([2, 4, 3]);
    expect(vals(y).slice(0, 6)).toEqual([11, 12, 13, 21, 22, 23]);
    expect(vals(y).slice(-3)).toEqual([44, 45, 46]);
  });

  it('rounds float16 results to nearest even', () => {
    const a = t('float16', [1, 2048, 0.1]);
    const b = t('float16', [2 ** -11, 1, 0.2]);
    const y = run1('Add', [a, b]);
    expect(y.dtype).toBe('float16');
    expect(vals(y)).toEqual([1, 2048, 0.2998046875]);
  });

  it('wraps narrow integers like C', () => {
    expect(vals(run1('Add', [t('int8', [127, -128]), t('int8', [1, -1])]))).toEqual([-128, 127]);
    expect(vals(run1('Sub', [t('uint8', [0, 5]), t('uint8', [1, 10])]))).toEqual([255, 251]);
    expect(vals(run1('Mul', [t('int32', [65536, 46341, -7]), t('int32', [65536, 46341, 3])]))).toEqual([
      0, -2147479015, -21,
    ]);
    expect(vals(run1('Mul', [t('uint32', [4294967295]), t('uint32', [2])]))).toEqual([4294967294]);
  });

  it('is exact for int64 beyond 2^53', () => {
    const a = t('int64', [2n ** 62n, -(2n ** 63n), 3037000500n]);
    const b = t('int64', [2n ** 62n - 1n, -1n, 3037000500n]);
    expect(bigs(run1('Add', [a, b]))).toEqual([2n ** 63n - 1n, 2n ** 63n - 1n, 6074001000n]);
    // 3037000500² = 9223372037000250000 wraps past INT64_MAX.
    expect(bigs(run1('Mul', [a, b]))[2]).toBe(9223372037000250000n - 2n ** 64n);
  });

  it('truncates integer division toward zero', () => {
    expect(vals(run1('Div', [t('int32', [7, -7, 7, -7, 1]), t('int32', [2, 2, -2, -2, 3])]))).toEqual([
      3, -3, -3, 3, 0,
    ]);
    expect(bigs(run1('Div', [t('int64', [-(2n ** 62n) - 1n, 9n]), t('int64', [2n, -4n])]))).toEqual([
      -(2n ** 61n),
      -2n,
    ]);
    expect(vals(run1('Div', [t('uint8', [250]), t('uint8', [7])]))).toEqual([35]);
  });

  it('divides floats by zero to infinities and NaN', () => {
    expectClose(run1('Div', [f32([1, -1, 0]), f32([0, 0, 0])]), [Infinity, -Infinity, NaN]);
  });

  it('rejects shapes that do not broadcast, naming both', () => {
    const err = opError(() => run1('Add', [f32([1, 2, 3]), f32([1, 2])]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/cannot broadcast shapes \[3\] and \[2\]/);
  });

  it('rejects mixed dtypes and unsupported ones', () => {
    expect(opError(() => run1('Add', [f32([1]), t('int32', [1])]))).toBeInstanceOf(DTypeError);
    expect(opError(() => run1('Mul', [t('bool', [1]), t('bool', [1])])).message).toMatch(
      /Mul input must be one of/,
    );
  });
});

describe('Pow', () => {
  it('float base and exponent', () => {
    expectClose(
      run1('Pow', [f32([2, 3, 0.5, 4]), f32([3, -1, 0.5, 0.25])]),
      [8, 0.3333333432674408, 0.7071067690849304, 1.4142135381698608],
      [4],
      { rtol: 0, atol: 0 },
    );
  });

  it('takes the exponent in another dtype and keeps the base dtype', () => {
    const y = run1('Pow', [f32([2, 3]), t('int64', [2, 3])]);
    expect(y.dtype).toBe('float32');
    expect(vals(y)).toEqual([4, 27]);
    // int base, float exponent: numpy's power then astype truncates.
    const z = run1('Pow', [t('int32', [2, 9, 5]), f32([0.5, 0.5, -1])]);
    expect(z.dtype).toBe('int32');
    expect(vals(z)).toEqual([1, 3, 0]);
  });

  it('wraps integer powers like numpy', () => {
    expect(vals(run1('Pow', [t('int32', [2, 3, -2, 10, 3]), t('int32', [10, 3, 3, 9, 25])]))).toEqual([
      1024, 27, -8, 1000000000, 1180052131,
    ]);
    expect(bigs(run1('Pow', [t('int64', [7, 7, 7]), t('int64', [30, 31, 40])]))).toEqual([
      1576789505350337489n,
      -7409217536257189193n,
      -6212923193149656639n,
    ]);
  });

  it('follows C pow at the edges: 1^NaN = 1, (-1)^Inf = 1', () => {
    expectClose(run1('Pow', [f32([1, -1, 0, -8]), f32([NaN, Infinity, 0, 1 / 3])]), [1, 1, 1, NaN]);
  });

  it('broadcasts a scalar exponent', () => {
    const y = run1('Pow', [f32([1, 2, 3, 4], [2, 2]), c(f32([2], []))]);
    expect(vals(y)).toEqual([1, 4, 9, 16]);
    expect(y.dims).toEqual([2, 2]);
  });

  it('rejects a bool exponent and an int8 base', () => {
    expect(opError(() => run1('Pow', [f32([1]), t('bool', [1])])).message).toMatch(/Pow exponent/);
    expect(opError(() => run1('Pow', [t('int8', [1]), f32([1])])).message).toMatch(/Pow base/);
  });
});

describe('unary math', () => {
  it('Sqrt, Exp, Log, Reciprocal', () => {
    expectClose(run1('Sqrt', [f32([0, 4, 2, -1])]), [0, 2, 1.4142135381698608, NaN]);
    expectClose(run1('Exp', [f32([0, 1, -1])]), [1, 2.7182817459106445, 0.3678794503211975], [3], {
      rtol: 0,
      atol: 0,
    });
    expectClose(run1('Log', [f32([1, Math.E, 0, -1])]), [0, 1, -Infinity, NaN]);
    expectClose(run1('Reciprocal', [f32([2, -4, 0])]), [0.5, -0.25, Infinity]);
  });

  it('Neg and Abs over signed integers wrap at the minimum', () => {
    expect(vals(run1('Neg', [t('int8', [-128, 5, 0])]))).toEqual([-128, -5, 0]);
    expect(vals(run1('Abs', [t('int8', [-128, -5, 7])]))).toEqual([-128, 5, 7]);
    expect(bigs(run1('Abs', [t('int64', [-(2n ** 62n), 3n])]))).toEqual([2n ** 62n, 3n]);
    expect(vals(run1('Abs', [t('uint16', [65535])]))).toEqual([65535]);
    expect(opError(() => run1('Neg', [t('uint8', [1])])).message).toMatch(/Neg input/);
  });

  it('Floor, Ceil and Round (half to even)', () => {
    const x = f32([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.4, 2.6, -0.3]);
    expect(vals(run1('Floor', [x]))).toEqual([-3, -2, -1, 0, 1, 2, 2, 2, -1]);
    expect(vals(run1('Ceil', [x]))).toEqual([-2, -1, -0, 1, 2, 3, 3, 3, -0]);
    expect(vals(run1('Round', [x]))).toEqual([-2, -2, -0, 0, 2, 2, 2, 3, -0]);
    expect(vals(run1('Round', [t('float16', [0.5, 1.5, 2.5, 3.5])]))).toEqual([0, 2, 2, 4]);
  });

  it('Sign of floats (NaN stays NaN) and integers', () => {
    expectClose(run1('Sign', [f32([-3, 0, 0.1, NaN])]), [-1, 0, 1, NaN]);
    expect(bigs(run1('Sign', [t('int64', [-(2n ** 60n), 0n, 9n])]))).toEqual([-1n, 0n, 1n]);
  });

  it('Erf to float64 accuracy (math.erf)', () => {
    const x = Tensor.from('float64', [-3, -1, -0.5, 0, 0.1, 0.5, 1, 2, 3.5, 7]);
    expectClose(
      run1('Erf', [x]),
      [
        -0.9999779095030014, -0.8427007929497149, -0.5204998778130465, 0, 0.1124629160182849,
        0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999992569016276, 1,
      ],
      [10],
      { rtol: 1e-14, atol: 1e-16 },
    );
  });
});

describe('variadic Min, Max, Sum, Mean', () => {
  const a = f32([1, 5, 3, 4, 2, 6], [2, 3]);
  const b = f32([2, 2, 2]);
  const d = f32([0], [1, 1]);
  it('broadcast every input to one shape', () => {
    expect(vals(run1('Max', [a, b, d]))).toEqual([2, 5, 3, 4, 2, 6]);
    expect(vals(run1('Min', [a, b, d]))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(vals(run1('Sum', [a, b, d]))).toEqual([3, 7, 5, 6, 4, 8]);
    expectClose(run1('Mean', [a, b, d]), [1, 7 / 3, 5 / 3, 2, 4 / 3, 8 / 3], [2, 3]);
  });

  it('a single input is copied', () => {
    expect(vals(run1('Max', [a]))).toEqual(vals(a));
    expect(vals(run1('Sum', [a]))).toEqual(vals(a));
  });

  it('propagate NaN in Min and Max, as numpy does', () => {
    expectClose(run1('Max', [f32([NaN, 1, 2]), f32([0, NaN, 1])]), [NaN, NaN, 2]);
    expectClose(run1('Min', [f32([NaN, 1, 2]), f32([0, NaN, 1])]), [NaN, NaN, 1]);
  });

  it('compare uint64 above 2^63 exactly', () => {
    const y = run1('Max', [t('uint64', [2n ** 64n - 1n, 5n]), t('uint64', [1n, 2n ** 63n])]);
    expect(Array.from(y.data as BigUint64Array)).toEqual([2n ** 64n - 1n, 2n ** 63n]);
  });

  it('Sum and Mean accept floats only', () => {
    expect(opError(() => run1('Sum', [t('int32', [1])]))).toBeInstanceOf(DTypeError);
  });
});

describe('comparisons and logic', () => {
  it('Equal, Less, Greater, LessOrEqual, GreaterOrEqual broadcast and give bool', () => {
    const a = f32([1, 2, 3, 4, NaN, 6], [2, 3]);
    const b = f32([1, 5, 3]);
    const eq = run1('Equal', [a, b]);
    expect(eq.dtype).toBe('bool');
    expect(vals(eq)).toEqual([1, 0, 1, 0, 0, 0]);
    expect(vals(run1('Less', [a, b]))).toEqual([0, 1, 0, 0, 0, 0]);
    expect(vals(run1('Greater', [a, b]))).toEqual([0, 0, 0, 1, 0, 1]);
    expect(vals(run1('LessOrEqual', [a, b]))).toEqual([1, 1, 1, 0, 0, 0]);
    expect(vals(run1('GreaterOrEqual', [a, b]))).toEqual([1, 0, 1, 1, 0, 1]);
  });

  it('compare int64 exactly and bool with Equal', () => {
    expect(vals(run1('Less', [t('int64', [2n ** 62n + 1n]), t('int64', [2n ** 62n + 2n])]))).toEqual([1]);
    expect(vals(run1('Equal', [t('int64', [2n ** 62n + 1n]), t('int64', [2n ** 62n])]))).toEqual([0]);
    expect(vals(run1('Equal', [t('bool', [1, 0, 1]), t('bool', [1, 1, 0])]))).toEqual([1, 0, 0]);
    expect(opError(() => run1('Less', [t('bool', [1]), t('bool', [0])]))).toBeInstanceOf(DTypeError);
  });

  it('And, Or, Xor, Not', () => {
    const p = t('bool', [1, 1, 0, 0]);
    const q = t('bool', [1, 0, 1, 0]);
    expect(vals(run1('And', [p, q]))).toEqual([1, 0, 0, 0]);
    expect(vals(run1('Or', [p, q]))).toEqual([1, 1, 1, 0]);
    expect(vals(run1('Xor', [p, q]))).toEqual([0, 1, 1, 0]);
    expect(vals(run1('Not', [p]))).toEqual([0, 0, 1, 1]);
    expect(vals(run1('And', [t('bool', [1, 0], [2, 1]), t('bool', [1, 1, 0], [3])]))).toEqual([
      1, 1, 0, 0, 0, 0,
    ]);
    expect(opError(() => run1('And', [f32([1]), f32([1])])).message).toMatch(/And input must be one of bool/);
  });
});

describe('Where', () => {
  it('broadcasts condition, X and Y', () => {
    const cond = t('bool', [1, 0, 1], [3, 1]);
    const y = run1('Where', [cond, f32([1, 2]), f32([-1], [1, 1])]);
    expect(y.dims).toEqual([3, 2]);
    expect(vals(y)).toEqual([1, 2, -1, -1, 1, 2]);
  });

  it('copies float16 bits and int64 values exactly', () => {
    const h = new Tensor('float16', Uint16Array.from([numberToFloat16Bits(0.1), 0x7e00]), [2]);
    const y = run1('Where', [t('bool', [0, 1]), h, h]);
    expect(Array.from(y.data as Uint16Array)).toEqual([numberToFloat16Bits(0.1), 0x7e00]);
    const big = run1('Where', [t('bool', [1, 0]), t('int64', [2n ** 62n + 1n, 0n]), t('int64', [7n])]);
    expect(bigs(big)).toEqual([2n ** 62n + 1n, 7n]);
  });

  it('requires a bool condition and matching X/Y dtypes', () => {
    expect(opError(() => run1('Where', [f32([1]), f32([1]), f32([1])])).message).toMatch(/Where condition/);
    expect(opError(() => run1('Where', [t('bool', [1]), f32([1]), t('float64', [1])]))).toBeInstanceOf(
      DTypeError,
    );
  });
});
