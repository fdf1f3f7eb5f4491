/**
 * Reference kernels of the indexing ops. Expected values were computed with numpy (slicing,
 * np.take, np.take_along_axis, np.pad, np.nonzero and explicit loops for the scatters and
 * OneHot) and pasted here.
 */
import { numberToFloat16Bits, ShapeError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { arange, i64, opError, run1, vals } from './one-node.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

describe('Slice', () => {
  const x = arange('float32', [4, 5]);
  it('negative steps', () => {
    const y = run1('Slice', [x, i64([3, -1]), i64([0, -6]), i64([0, 1]), i64([-2, -1])]);
    expect(y.dims).toEqual([2, 5]);
    expect(vals(y)).toEqual([19, 18, 17, 16, 15, 9, 8, 7, 6, 5]);
  });
  it('clamps out-of-range starts and ends', () => {
    const y = run1('Slice', [x, i64([1, -100]), i64([100, 3])]);
    expect(vals(y)).toEqual([5, 6, 7, 10, 11, 12, 15, 16, 17]);
    expect(run1('Slice', [x, i64([10]), i64([20])]).dims).toEqual([0, 5]);
  });
  it('INT64 sentinels and negative axes', () => {
    const y = run1('Slice', [x, i64([-2]), Tensor.from('int64', [INT64_MAX]), i64([-1])]);
    expect(vals(y)).toEqual([3, 4, 8, 9, 13, 14, 18, 19]);
    const rev = run1('Slice', [x, i64([-1]), Tensor.from('int64', [INT64_MIN]), i64([0]), i64([-1])]);
    expect(vals(rev).slice(0, 5)).toEqual([15, 16, 17, 18, 19]);
    expect(rev.dims).toEqual([4, 5]);
  });
  it('int32 starts and int64 data', () => {
    const big = Tensor.from('int64', [1n, 2n ** 62n, 3n], [3]);
    const y = run1('Slice', [big, Tensor.from('int32', [1]), Tensor.from('int32', [2])]);
    expect(Array.from(y.data as BigInt64Array)).toEqual([2n ** 62n]);
  });
  it('rejects a zero step and duplicate axes', () => {
    expect(opError(() => run1('Slice', [x, i64([0]), i64([1]), i64([0]), i64([0])])).message).toMatch(
      /non-zero/,
    );
    expect(opError(() => run1('Slice', [x, i64([0, 0]), i64([1, 1]), i64([1, -1])])).message).toMatch(
      /duplicates/,
    );
  });
});

describe('Gather family', () => {
  const x = arange('float32', [4, 5]);
  it('Gather with 2-D and negative indices', () => {
    const y = run1('Gather', [x, i64([0, -1, 2, 2], [2, 2])], { axis: 1 });
    expect(y.dims).toEqual([4, 2, 2]);
    expect(vals(y)).toEqual([0, 4, 2, 2, 5, 9, 7, 7, 10, 14, 12, 12, 15, 19, 17, 17]);
  });
  it('Gather with a scalar index drops the axis', () => {
    const y = run1('Gather', [x, Tensor.scalar('int32', -1)]);
    expect(y.dims).toEqual([5]);
    expect(vals(y)).toEqual([15, 16, 17, 18, 19]);
  });
  it('Gather rejects out-of-range indices', () => {
    expect(opError(() => run1('Gather', [x, i64([4])])).code).toBe('E_INVALID_ARGUMENT');
  });
  it('GatherElements along both axes', () => {
    const d = arange('float32', [3, 4]);
    expect(vals(run1('GatherElements', [d, i64([0, 2, 1, 0, 2, 0, 0, 1], [2, 4])]))).toEqual([
      0, 9, 6, 3, 8, 1, 2, 7,
    ]);
    const y = run1('GatherElements', [d, i64([3, -1, 0, 1, 2, 2], [3, 2])], { axis: 1 });
    expect(y.dims).toEqual([3, 2]);
    expect(vals(y)).toEqual([3, 3, 4, 5, 10, 10]);
  });
  it('GatherND, with and without batch dims', () => {
    const d = arange('float32', [2, 3, 4]);
    const y = run1('GatherND', [d, i64([0, 1, 1, 2], [2, 2])]);
    expect(y.dims).toEqual([2, 4]);
    expect(vals(y)).toEqual([4, 5, 6, 7, 20, 21, 22, 23]);
    const b = run1('GatherND', [d, i64([1, 0, 2, 2], [2, 2, 1])], { batch_dims: 1 });
    expect(b.dims).toEqual([2, 2, 4]);
    expect(vals(b)).toEqual([4, 5, 6, 7, 0, 1, 2, 3, 20, 21, 22, 23, 20, 21, 22, 23]);
    // Full-depth indices pick scalars.
    expect(vals(run1('GatherND', [d, i64([1, 2, 3, 0, 0, -1], [2, 3])]))).toEqual([23, 3]);
  });
});

describe('ScatterElements and ScatterND', () => {
  const data = Tensor.from('float32', [1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]);
  const idx = i64([1, 0, 2, 1, 2, -1], [2, 3]);
  const upd = Tensor.from('float32', [10, -1, 0.5, 3, 20, -7], [2, 3]);
  const expected: Record<string, number[]> = {
    none: [1, -1, 3, 3, 5, 6, 7, 20, -7],
    add: [1, 1, 3, 17, 5, 6, 7, 28, 2.5],
    mul: [1, -2, 3, 120, 5, 6, 7, 160, -31.5],
    max: [1, 2, 3, 10, 5, 6, 7, 20, 9],
    min: [1, -1, 3, 3, 5, 6, 7, 8, -7],
  };
  for (const [reduction, want] of Object.entries(expected)) {
    it(`ScatterElements reduction=${reduction}`, () => {
      expect(vals(run1('ScatterElements', [data, idx, upd], { reduction }))).toEqual(want);
    });
  }
  it('ScatterElements along axis 1 with int64 data', () => {
    const d = Tensor.from('int64', [1n, 2n, 3n, 4n, 5n], [1, 5]);
    const y = run1('ScatterElements', [d, i64([1, 3], [1, 2]), Tensor.from('int64', [11n, 22n], [1, 2])], {
      axis: 1,
    });
    expect(Array.from(y.data as BigInt64Array)).toEqual([1n, 11n, 3n, 22n, 5n]);
  });
  it('ScatterElements adds float16 updates', () => {
    const d = Tensor.from('float16', [1, 2], [2]);
    const y = run1('ScatterElements', [d, i64([0, 0]), Tensor.from('float16', [0.5, 0.25], [2])], {
      reduction: 'add',
    });
    expect(Array.from(y.data as Uint16Array)).toEqual([numberToFloat16Bits(1.75), numberToFloat16Bits(2)]);
  });
  it('ScatterElements rejects bad reductions and storage-type arithmetic', () => {
    expect(opError(() => run1('ScatterElements', [data, idx, upd], { reduction: 'sub' })).code).toBe(
      'E_ATTRIBUTE',
    );
    const f8 = new Tensor('float8e5m2', new Uint8Array(2), [2]);
    const u8 = new Tensor('float8e5m2', new Uint8Array(1), [1]);
    expect(opError(() => run1('ScatterElements', [f8, i64([0]), u8], { reduction: 'add' })).code).toBe(
      'E_DTYPE',
    );
    // Without a reduction the storage types are plain copies.
    expect(
      Array.from(
        run1('ScatterElements', [f8, i64([1]), new Tensor('float8e5m2', Uint8Array.from([0x3c]), [1])])
          .data as Uint8Array,
      ),
    ).toEqual([0, 0x3c]);
  });
  it('ScatterND replaces and adds slices (int64, repeated indices)', () => {
    const d = arange('int64', [2, 4]);
    const add = run1(
      'ScatterND',
      [d, i64([1, 0, 1], [3, 1]), i64([10, 20, 30, 40, 1, 1, 1, 1, 100, 100, 100, 100], [3, 4])],
      { reduction: 'add' },
    );
    expect(vals(add)).toEqual([1, 2, 3, 4, 114, 125, 136, 147]);
    const none = run1('ScatterND', [d, i64([0, 3, 1, 0], [2, 2]), i64([-5, -6])]);
    expect(vals(none)).toEqual([0, 1, 2, -5, -6, 5, 6, 7]);
  });
  it('ScatterND checks the updates shape', () => {
    const d = arange('float32', [2, 4]);
    expect(opError(() => run1('ScatterND', [d, i64([0], [1, 1]), arange('float32', [1, 3])]))).toBeInstanceOf(
      ShapeError,
    );
  });
});

describe('Pad', () => {
  const p = Tensor.from('float32', [1, 2, 3, 4, 5, 6], [2, 3]);
  const pads = i64([1, 2, 1, 4]);
  it('reflect, edge and wrap', () => {
    expect(vals(run1('Pad', [p, pads], { mode: 'reflect' }))).toEqual([
      6, 5, 4, 5, 6, 5, 4, 5, 6, 3, 2, 1, 2, 3, 2, 1, 2, 3, 6, 5, 4, 5, 6, 5, 4, 5, 6, 3, 2, 1, 2, 3, 2, 1, 2,
      3,
    ]);
    expect(vals(run1('Pad', [p, pads], { mode: 'edge' }))).toEqual([
      1, 1, 1, 2, 3, 3, 3, 3, 3, 1, 1, 1, 2, 3, 3, 3, 3, 3, 4, 4, 4, 5, 6, 6, 6, 6, 6, 4, 4, 4, 5, 6, 6, 6, 6,
      6,
    ]);
    expect(vals(run1('Pad', [p, pads], { mode: 'wrap' }))).toEqual([
      5, 6, 4, 5, 6, 4, 5, 6, 4, 2, 3, 1, 2, 3, 1, 2, 3, 1, 5, 6, 4, 5, 6, 4, 5, 6, 4, 2, 3, 1, 2, 3, 1, 2, 3,
      1,
    ]);
  });
  it('pads wider than the input repeat the pattern (as numpy does)', () => {
    const q = Tensor.from('float32', [1, 2, 3], [3]);
    expect(vals(run1('Pad', [q, i64([4, 0])], { mode: 'reflect' }))).toEqual([1, 2, 3, 2, 1, 2, 3]);
    expect(vals(run1('Pad', [q, i64([0, 5])], { mode: 'wrap' }))).toEqual([1, 2, 3, 1, 2, 3, 1, 2]);
  });
  it('constant with a value, axes and negative pads', () => {
    const y = run1('Pad', [p, i64([0, 1, 1, 0]), Tensor.scalar('float32', 9)]);
    expect(y.dims).toEqual([3, 4]);
    expect(vals(y)).toEqual([9, 1, 2, 3, 9, 4, 5, 6, 9, 9, 9, 9]);
    const ax = run1('Pad', [p, i64([-1, 0]), undefined, i64([-1])]);
    expect(vals(ax)).toEqual([2, 3, 5, 6]);
  });
  it('int64 constant value', () => {
    const y = run1('Pad', [Tensor.from('int64', [7n], [1]), i64([1, 1]), Tensor.scalar('int64', -1n)]);
    expect(Array.from(y.data as BigInt64Array)).toEqual([-1n, 7n, -1n]);
  });
  it('checks pads length and mode', () => {
    expect(opError(() => run1('Pad', [p, i64([1, 1])])).message).toMatch(/pads has 2 entries/);
    expect(opError(() => run1('Pad', [p, pads], { mode: 'mirror' })).code).toBe('E_ATTRIBUTE');
  });
});

describe('OneHot and NonZero', () => {
  const ind = i64([0, 2, -1, 5], [2, 2]);
  it('OneHot on the last axis with off/on values; out-of-range rows stay off', () => {
    const y = run1('OneHot', [ind, Tensor.scalar('int64', 4n), Tensor.from('float32', [-1, 7])]);
    expect(y.dims).toEqual([2, 2, 4]);
    expect(vals(y)).toEqual([7, -1, -1, -1, -1, -1, 7, -1, -1, -1, -1, 7, -1, -1, -1, -1]);
  });
  it('OneHot at axis 0 and 1', () => {
    const values = Tensor.from('int32', [0, 1]);
    const depth = Tensor.scalar('float32', 4);
    expect(vals(run1('OneHot', [ind, depth, values], { axis: 0 }))).toEqual([
      1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0,
    ]);
    const y = run1('OneHot', [ind, depth, values], { axis: 1 });
    expect(y.dims).toEqual([2, 4, 2]);
    expect(vals(y)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  });
  it('NonZero lists coordinates row-major', () => {
    const y = run1('NonZero', [Tensor.from('float32', [1, 0, 3, 0, -0, -2], [2, 3])]);
    expect(y.dtype).toBe('int64');
    expect(y.dims).toEqual([2, 3]);
    expect(vals(y)).toEqual([0, 0, 1, 0, 2, 2]);
    const h = new Tensor('float16', Uint16Array.from([0x8000, 0x3c00, 0]), [3]);
    expect(vals(run1('NonZero', [h]))).toEqual([1]);
    expect(run1('NonZero', [Tensor.zeros('bool', [4])]).dims).toEqual([1, 0]);
  });
});
