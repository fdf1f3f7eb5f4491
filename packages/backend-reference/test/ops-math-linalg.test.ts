/**
 * Linear-algebra kernels. Expected values were computed with numpy (matmul, einsum, cumsum,
 * triu/tril, argsort) or by hand, and pasted here.
 */
import { AttributeError, DTypeError, ShapeError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { arange, bigs, c, expectClose, f32, i64, opError, run1, runOp, t, vals } from './math-test-utils.js';

describe('MatMul', () => {
  const a = arange('float32', [2, 3], 1, -2);
  const b = arange('float32', [3, 4], 0.5);
  it('2-D by 2-D', () => {
    expectClose(run1('MatMul', [a, b]), [-2, -3.5, -5, -6.5, 16, 19, 22, 25], [2, 4]);
  });
  it('1-D operands are vectors that disappear from the output', () => {
    const v = f32([1, 2, 3]);
    expectClose(run1('MatMul', [v, b]), [16, 19, 22, 25], [4]);
    expectClose(run1('MatMul', [a, v]), [-4, 14], [2]);
    expectClose(run1('MatMul', [v, v]), [14], []);
  });
  it('broadcasts batch dims', () => {
    const x = arange('float32', [2, 1, 2, 3]);
    const y = arange('float32', [3, 3, 2], 1, -5);
    expectClose(
      run1('MatMul', [x, y]),
      [
        -5, -2, -32, -20, 13, 16, 40, 52, 31, 34, 112, 124, -59, -38, -86, -56, 67, 88, 94, 124, 193, 214,
        274, 304,
      ],
      [2, 3, 2, 2],
    );
  });
  it('int32 products wrap; int64 is exact', () => {
    expect(vals(run1('MatMul', [t('int32', [65536, 3], [1, 2]), t('int32', [65536, 1], [2, 1])]))).toEqual([
      3,
    ]);
    const big = run1('MatMul', [t('int64', [2n ** 31n, 1n], [1, 2]), t('int64', [2n ** 31n, 5n], [2, 1])]);
    expect(bigs(big)).toEqual([2n ** 62n + 5n]);
  });
  it('names both shapes when inner dims differ', () => {
    const err = opError(() => run1('MatMul', [a, a]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/A \[2, 3\] has 3 columns, B \[2, 3\] has 2 rows/);
    expect(opError(() => run1('MatMul', [t('int8', [1], [1, 1]), t('int8', [1], [1, 1])]))).toBeInstanceOf(
      DTypeError,
    );
  });
});

describe('Gemm', () => {
  const a = arange('float32', [3, 2]);
  const b = arange('float32', [4, 2], 1, -3);
  it('transB, alpha, beta and a broadcast C row', () => {
    const y = run1('Gemm', [a, b, f32([1, -1, 2, 0])], { transB: 1, alpha: 0.5, beta: 2 });
    expectClose(y, [1, -2, 5, 2, -4, -3, 8, 9, -9, -4, 11, 16], [3, 4]);
  });
  it('transA without C', () => {
    expectClose(
      run1('Gemm', [a, arange('float32', [3, 4])], { transA: 1 }),
      [40, 46, 52, 58, 52, 61, 70, 79],
      [2, 4],
    );
  });
  it('C as a scalar and as a column', () => {
    const y = run1('Gemm', [f32([1, 2], [1, 2]), f32([3, 4], [2, 1]), f32([10], [])]);
    expect(vals(y)).toEqual([21]);
    const z = run1('Gemm', [f32([1, 0, 0, 1], [2, 2]), f32([1, 2, 3, 4], [2, 2]), f32([10, 20], [2, 1])]);
    expect(vals(z)).toEqual([11, 12, 23, 24]);
  });
  it('rejects non-2-D operands, mismatched K and a C that does not broadcast', () => {
    expect(opError(() => run1('Gemm', [f32([1, 2, 3]), b])).message).toMatch(/A must be 2-D/);
    expect(opError(() => run1('Gemm', [a, b])).message).toMatch(/inner dims differ/);
    expect(opError(() => run1('Gemm', [a, b, f32([1, 2])], { transB: 1 })).message).toMatch(
      /C \[2\] does not broadcast to \[3, 4\]/,
    );
  });
});

describe('Einsum', () => {
  const A = arange('float64', [3, 3]);
  const B = arange('float64', [3, 4], 1, -4);
  const C = arange('float64', [2, 3, 4], 0.5);
  const D = arange('float64', [4, 2]);
  const cases: [string, Tensor[], number[], number[]][] = [
    ['ii->i', [A], [3], [0, 4, 8]],
    ['ii', [A], [], [12]],
    ['i,j->ij', [f32([1, 2]), f32([3, 4, 5])], [2, 3], [3, 4, 5, 6, 8, 10]],
    ['ij,jk', [A, B], [3, 4], [8, 11, 14, 17, 8, 20, 32, 44, 8, 29, 50, 71]],
    ['ba', [B], [4, 3], [-4, 0, 4, -3, 1, 5, -2, 2, 6, -1, 3, 7]],
    ['Ab,bC->AC', [A, B], [3, 4], [8, 11, 14, 17, 8, 20, 32, 44, 8, 29, 50, 71]],
    ['...ij,jk->...ik', [C, D], [2, 3, 2], [14, 17, 38, 49, 62, 81, 86, 113, 110, 145, 134, 177]],
    ['bii->bi', [arange('float64', [2, 3, 3])], [2, 3], [0, 4, 8, 9, 13, 17]],
    ['ijk->', [C], [], [138]],
    ['...j,...j->...', [C, arange('float64', [4])], [2, 3], [7, 19, 31, 43, 55, 67]],
    ['ij,jk,kl->il', [A, B, D], [3, 2], [180, 230, 432, 536, 684, 842]],
    [
      'i...k->k...i',
      [C],
      [4, 3, 2],
      [0, 6, 2, 8, 4, 10, 0.5, 6.5, 2.5, 8.5, 4.5, 10.5, 1, 7, 3, 9, 5, 11, 1.5, 7.5, 3.5, 9.5, 5.5, 11.5],
    ],
    [
      ' b h q d , b h k d -> b h q k ',
      [arange('float64', [1, 1, 1, 2]), arange('float64', [1, 1, 2, 2])],
      [1, 1, 1, 2],
      [1, 3],
    ],
  ];
  for (const [equation, operands, dims, expected] of cases) {
    it(`'${equation}'`, () => {
      expectClose(run1('Einsum', operands, { equation }), expected, dims);
    });
  }
  it('broadcasts size-1 ellipsis dims', () => {
    const y = run1('Einsum', [arange('float32', [2, 1, 3]), arange('float32', [4, 3])], {
      equation: '...k,...k->...',
    });
    expect(y.dims).toEqual([2, 4]);
    expect(vals(y)).toEqual([5, 14, 23, 32, 14, 50, 86, 122]);
  });
  it('rejects label size clashes, unknown output labels and operand-count mismatches', () => {
    const e1 = opError(() => run1('Einsum', [A, D], { equation: 'ij,jk->ik' }));
    expect(e1).toBeInstanceOf(ShapeError);
    expect(e1.message).toMatch(/label 'j' has size 3 elsewhere but 4/);
    expect(opError(() => run1('Einsum', [A], { equation: 'ij->ik' }))).toBeInstanceOf(AttributeError);
    expect(opError(() => run1('Einsum', [A], { equation: 'ij,jk->ik' })).message).toMatch(/names 2 operands/);
    expect(opError(() => run1('Einsum', [A], { equation: 'ijk->i' })).message).toMatch(/needs rank 3/);
  });
});

describe('CumSum', () => {
  const x = f32([1, 3, 2, 3, 0, 5, 5, 5, 1, 9], [2, 5]);
  it('along an axis, with int32 or int64 axis scalars', () => {
    expect(vals(run1('CumSum', [x, c(i64([1], []))]))).toEqual([1, 4, 6, 9, 9, 5, 10, 15, 16, 25]);
    expect(vals(run1('CumSum', [x, c(t('int32', [-1], []))]))).toEqual([1, 4, 6, 9, 9, 5, 10, 15, 16, 25]);
  });
  it('exclusive and reverse', () => {
    expect(vals(run1('CumSum', [x, c(i64([0], []))], { exclusive: 1 }))).toEqual([
      0, 0, 0, 0, 0, 1, 3, 2, 3, 0,
    ]);
    expect(vals(run1('CumSum', [x, c(i64([1], []))], { reverse: 1 }))).toEqual([
      9, 8, 5, 3, 0, 25, 20, 15, 10, 9,
    ]);
    expect(vals(run1('CumSum', [x, c(i64([1], []))], { reverse: 1, exclusive: 1 }))).toEqual([
      8, 5, 3, 0, 0, 20, 15, 10, 9, 0,
    ]);
  });
  it('accepts a non-constant axis and sums int64 exactly', () => {
    expect(vals(run1('CumSum', [x, i64([0], [])]))).toEqual([1, 3, 2, 3, 0, 6, 8, 7, 4, 9]);
    expect(bigs(run1('CumSum', [t('int64', [2n ** 62n, 2n ** 62n - 1n]), i64([0], [])]))).toEqual([
      2n ** 62n,
      2n ** 63n - 1n,
    ]);
  });
  it('rejects an out-of-range axis and a float axis', () => {
    expect(opError(() => run1('CumSum', [x, c(i64([2], []))]))).toBeInstanceOf(AttributeError);
    expect(opError(() => run1('CumSum', [x, c(f32([0], []))]))).toBeInstanceOf(DTypeError);
  });
});

describe('TopK', () => {
  const x = f32([1, 4, 4, 2, 4, 0, 3, 3, 3, 5, 1, 2], [2, 6]);
  it('largest first, ties keep the lower index first', () => {
    const [v, i] = runOp('TopK', [x, c(i64([3]))], {}, 2);
    expect(v!.dims).toEqual([2, 3]);
    expect(vals(v!)).toEqual([4, 4, 4, 5, 3, 3]);
    expect(i!.dtype).toBe('int64');
    expect(vals(i!)).toEqual([1, 2, 4, 3, 0, 1]);
  });
  it('smallest along axis 0', () => {
    const [v, i] = runOp('TopK', [x, c(i64([1]))], { axis: 0, largest: 0 }, 2);
    expect(vals(v!)).toEqual([1, 3, 3, 2, 1, 0]);
    expect(vals(i!)).toEqual([0, 1, 1, 0, 1, 0]);
  });
  it('NaN ranks above every number', () => {
    const [v, i] = runOp('TopK', [f32([1, Number.NaN, 3]), c(i64([2]))], {}, 2);
    expectClose(v!, [Number.NaN, 3]);
    expect(vals(i!)).toEqual([1, 2]);
  });
  it('keeps uint64 values exact', () => {
    const [v] = runOp('TopK', [t('uint64', [2n ** 64n - 1n, 1n, 2n ** 63n]), c(i64([2]))], {}, 2);
    expect(Array.from(v!.data as BigUint64Array)).toEqual([2n ** 64n - 1n, 2n ** 63n]);
  });
  it('K = 0 gives empty outputs; K beyond the axis and a non-constant K are rejected', () => {
    expect(runOp('TopK', [x, c(i64([0]))], {}, 2)[0]!.dims).toEqual([2, 0]);
    expect(opError(() => runOp('TopK', [x, c(i64([7]))], {}, 2)).message).toMatch(
      /K = 7 exceeds the size 6 of axis 1/,
    );
    expect(opError(() => runOp('TopK', [x, i64([2])], {}, 2)).message).toMatch(
      /K \(input 1\) must be a constant/,
    );
  });
});

describe('Trilu', () => {
  const x = arange('float32', [2, 3, 4], 1, 1);
  it('upper triangle (default) with a diagonal offset', () => {
    const y = run1('Trilu', [x, c(i64([1], []))]);
    expect(vals(y)).toEqual([0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12, 0, 14, 15, 16, 0, 0, 19, 20, 0, 0, 0, 24]);
  });
  it('lower triangle with a negative offset, on int64', () => {
    const y = run1('Trilu', [t('int64', [1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]), c(i64([-1], []))], {
      upper: 0,
    });
    expect(bigs(y)).toEqual([0n, 0n, 0n, 4n, 0n, 0n, 7n, 8n, 0n]);
  });
  it('needs rank >= 2', () => {
    expect(opError(() => run1('Trilu', [f32([1, 2])]))).toBeInstanceOf(ShapeError);
  });
  it('keeps an empty input empty', () => {
    expect(run1('Trilu', [Tensor.zeros('float32', [0, 3])]).dims).toEqual([0, 3]);
  });
});
