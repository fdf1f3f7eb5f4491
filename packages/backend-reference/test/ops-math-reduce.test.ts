/**
 * Reduction kernels (opset 18 semantics) and ArgMax/ArgMin. Expected values were computed with
 * numpy (sum/mean/max/min/prod/argmax over the same axes) and pasted here.
 */
import { AttributeError, ShapeError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { arange, bigs, c, expectClose, i64, opError, run1, t, vals } from './math-test-utils.js';

// x = arange(24).reshape(2, 3, 4) * 0.5 - 3
const x = arange('float32', [2, 3, 4], 0.5, -3);

describe('reductions over axes given as a constant input', () => {
  it('ReduceSum keeps dims by default', () => {
    expectClose(run1('ReduceSum', [x, c(i64([1, 2]))]), [-3, 69], [2, 1, 1]);
  });
  it('ReduceMean without keepdims', () => {
    expectClose(
      run1('ReduceMean', [x, c(i64([0]))], { keepdims: 0 }),
      [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5],
      [3, 4],
    );
  });
  it('ReduceMax and ReduceMin with negative axes', () => {
    expectClose(
      run1('ReduceMax', [x, c(i64([-1]))], { keepdims: 0 }),
      [-1.5, 0.5, 2.5, 4.5, 6.5, 8.5],
      [2, 3],
    );
    expectClose(run1('ReduceMin', [x, c(i64([-2]))]), [-3, -2.5, -2, -1.5, 3, 3.5, 4, 4.5], [2, 1, 4]);
  });
  it('ReduceL2, ReduceSumSquare, ReduceProd', () => {
    expectClose(
      run1('ReduceL2', [x, c(i64([2]))], { keepdims: 0 }),
      [
        4.636809349060059, 1.2247449159622192, 3.674234628677368, 7.5828752517700195, 11.554220199584961,
        15.54026985168457,
      ],
      [2, 3],
    );
    expectClose(run1('ReduceSumSquare', [x, c(i64([2, 0]))], { keepdims: 0 }), [79, 135, 255], [3]);
    expectClose(
      run1('ReduceProd', [x, c(i64([1]))], { keepdims: 0 }),
      [3, 1.875, -0, -1.875, 105, 144.375, 192, 248.625],
      [2, 4],
    );
  });
});

describe('empty axes and noop_with_empty_axes', () => {
  it('no axes (omitted or empty) reduces everything', () => {
    expectClose(run1('ReduceMean', [x]), [2.75], [1, 1, 1]);
    expectClose(run1('ReduceSumSquare', [x, c(i64([]))], { keepdims: 0 }), [469], []);
  });
  it('noop_with_empty_axes = 1 leaves the input as is (the elementwise part still applies)', () => {
    const y = run1('ReduceSum', [x, c(i64([]))], { noop_with_empty_axes: 1 });
    expect(y.dims).toEqual([2, 3, 4]);
    expect(vals(y)).toEqual(vals(x));
    expect(vals(run1('ReduceSumSquare', [t('float32', [-2, 3])], { noop_with_empty_axes: 1 }))).toEqual([
      4, 9,
    ]);
  });
  it('accepts the pre-opset-18 axes attribute', () => {
    expectClose(
      run1('ReduceMean', [x], { axes: [0], keepdims: 0 }),
      [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5],
    );
    expect(opError(() => run1('ReduceMean', [x, c(i64([0]))], { axes: [0] }))).toBeInstanceOf(AttributeError);
  });
});

describe('reductions over an empty set follow ONNX', () => {
  const empty = Tensor.zeros('float32', [2, 0, 3]);
  it('sum 0, product 1, max -inf, min +inf, mean NaN', () => {
    const ax = c(i64([1]));
    expectClose(run1('ReduceSum', [empty, ax]), [0, 0, 0, 0, 0, 0], [2, 1, 3]);
    expectClose(run1('ReduceProd', [empty, ax]), [1, 1, 1, 1, 1, 1], [2, 1, 3]);
    expect(vals(run1('ReduceMax', [empty, ax], { keepdims: 0 }))).toEqual(
      Array(6).fill(Number.NEGATIVE_INFINITY),
    );
    expect(vals(run1('ReduceMin', [empty, ax], { keepdims: 0 }))).toEqual(
      Array(6).fill(Number.POSITIVE_INFINITY),
    );
    expect(vals(run1('ReduceMean', [empty, ax])).every(Number.isNaN)).toBe(true);
    expect(vals(run1('ReduceL2', [empty, ax]))).toEqual(Array(6).fill(0));
  });
  it('integer max/min of an empty set are the dtype limits', () => {
    const ei = Tensor.zeros('int32', [0]);
    expect(vals(run1('ReduceMax', [ei], { keepdims: 0 }))).toEqual([-2147483648]);
    expect(vals(run1('ReduceMin', [Tensor.zeros('uint8', [0])], { keepdims: 0 }))).toEqual([255]);
  });
  it('reducing an empty axis that is kept gives an empty output', () => {
    expect(run1('ReduceSum', [empty, c(i64([2]))]).dims).toEqual([2, 0, 1]);
  });
});

describe('integer and bool reductions', () => {
  it('ReduceSum of int32 wraps like numpy’s int32 accumulator', () => {
    expect(vals(run1('ReduceSum', [t('int32', [2147483647, 1])], { keepdims: 0 }))).toEqual([-2147483648]);
  });
  it('ReduceMax of int64 beyond 2^53 is exact', () => {
    expect(bigs(run1('ReduceMax', [t('int64', [2n ** 62n + 1n, 2n ** 62n, -5n])], { keepdims: 0 }))).toEqual([
      2n ** 62n + 1n,
    ]);
    expect(bigs(run1('ReduceSum', [t('int64', [2n ** 62n, 2n ** 62n - 1n])], { keepdims: 0 }))).toEqual([
      2n ** 63n - 1n,
    ]);
  });
  it('ReduceMean of integers truncates', () => {
    expect(
      vals(run1('ReduceMean', [t('int32', [1, 2, 4, -7], [2, 2]), c(i64([1]))], { keepdims: 0 })),
    ).toEqual([1, -1]);
  });
  it('ReduceMax/ReduceMin of bool are any/all', () => {
    const b = t('bool', [0, 1, 0, 0], [2, 2]);
    expect(vals(run1('ReduceMax', [b, c(i64([1]))], { keepdims: 0 }))).toEqual([1, 0]);
    expect(vals(run1('ReduceMin', [b, c(i64([0]))], { keepdims: 0 }))).toEqual([0, 0]);
  });
  it('ReduceSum rejects bool and int8', () => {
    expect(opError(() => run1('ReduceSum', [t('int8', [1])])).message).toMatch(
      /ReduceSum input must be one of/,
    );
  });
});

describe('axes errors', () => {
  it('rejects out-of-range and repeated axes', () => {
    const e1 = opError(() => run1('ReduceSum', [x, c(i64([3]))]));
    expect(e1).toBeInstanceOf(AttributeError);
    expect(e1.message).toMatch(/axis 3 is out of range for rank 3/);
    expect(opError(() => run1('ReduceSum', [x, c(i64([1, -2]))])).message).toMatch(/axis -2 is repeated/);
  });
  it('rejects int32 axes', () => {
    expect(opError(() => run1('ReduceMax', [x, c(t('int32', [0]))])).message).toMatch(/axes must be int64/);
  });
});

describe('ArgMax and ArgMin', () => {
  const a = Tensor.from('float32', [3, 1, 3, 2, 0, 5, 5, -1, 7, 7, 7, 7], [3, 4]);
  it('first index of the extreme by default, last with select_last_index', () => {
    const am = run1('ArgMax', [a], { axis: 1 });
    expect(am.dtype).toBe('int64');
    expect(am.dims).toEqual([3, 1]);
    expect(vals(am)).toEqual([0, 1, 0]);
    expect(vals(run1('ArgMin', [a], { axis: 1, keepdims: 0 }))).toEqual([1, 3, 0]);
    expect(vals(run1('ArgMax', [a], { axis: 1, select_last_index: 1, keepdims: 0 }))).toEqual([2, 2, 3]);
    expect(vals(run1('ArgMin', [a], { axis: -1, select_last_index: 1, keepdims: 0 }))).toEqual([1, 3, 3]);
  });
  it('defaults to axis 0', () => {
    const y = run1('ArgMax', [a]);
    expect(y.dims).toEqual([1, 4]);
    expect(vals(y)).toEqual([2, 2, 2, 2]);
  });
  it('NaN counts as the extreme (numpy)', () => {
    expect(vals(run1('ArgMax', [t('float32', [1, Number.NaN, 3, Number.NaN])], { keepdims: 0 }))).toEqual([
      1,
    ]);
    expect(vals(run1('ArgMin', [t('float32', [1, Number.NaN, -3])], { keepdims: 0 }))).toEqual([1]);
  });
  it('compares int64 exactly', () => {
    expect(vals(run1('ArgMax', [t('int64', [2n ** 62n, 2n ** 62n + 1n])], { keepdims: 0 }))).toEqual([1]);
  });
  it('rejects an empty axis', () => {
    expect(opError(() => run1('ArgMax', [Tensor.zeros('float32', [0, 3])]))).toBeInstanceOf(ShapeError);
  });
});
