/**
 * Reference kernels of the shape ops. Expected values are hand-computed or were computed with
 * numpy (reshape/transpose/tile/broadcast_to/split/arange and the DepthToSpace formulas of the
 * ONNX specification) and pasted here.
 */
import {
  env,
  float16BitsToNumber,
  NotImplementedError,
  numberToFloat16Bits,
  ShapeError,
  Tensor,
} from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { arange, i64, opError, run1, runOp, vals } from './one-node.js';

describe('Reshape', () => {
  it('copies dims with 0 and infers -1', () => {
    const y = run1('Reshape', [arange('float32', [2, 3, 4]), i64([0, -1])]);
    expect(y.dims).toEqual([2, 12]);
    expect(vals(y)).toEqual([...Array(24).keys()]);
  });

  it('keeps a literal 0 with allowzero', () => {
    const y = run1('Reshape', [Tensor.zeros('float32', [0, 3, 4]), i64([3, 4, 0])], { allowzero: 1 });
    expect(y.dims).toEqual([3, 4, 0]);
  });

  it('works for int64, bool and float16 storage', () => {
    const big = Tensor.from('int64', [1n, -2n, 9007199254740993n, 4n], [2, 2]);
    const y = run1('Reshape', [big, i64([4])]);
    expect(Array.from(y.data as BigInt64Array)).toEqual([1n, -2n, 9007199254740993n, 4n]);
    const b = run1('Reshape', [Tensor.from('bool', [1, 0, 0, 1], [4]), i64([2, -1])]);
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.data as Uint8Array)).toEqual([1, 0, 0, 1]);
    const h = Tensor.from('float16', [0.1, -2.5], [2]);
    const hy = run1('Reshape', [h, i64([1, 2])]);
    expect(Array.from(hy.data as Uint16Array)).toEqual([numberToFloat16Bits(0.1), numberToFloat16Bits(-2.5)]);
  });

  it('names both shapes when the element count does not fit', () => {
    const err = opError(() => run1('Reshape', [arange('float32', [2, 3, 4]), i64([5, -1])]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe('cannot reshape [2, 3, 4] (24 elements) into [5, -1]');
    expect(opError(() => run1('Reshape', [arange('float32', [6]), i64([-1, -1])])).message).toMatch(
      /at most one/,
    );
    expect(opError(() => run1('Reshape', [arange('float32', [6]), i64([4])])).message).toMatch(
      /cannot reshape/,
    );
  });
});

describe('Transpose', () => {
  const x = arange('float32', [2, 3, 4]);
  it('reverses axes by default', () => {
    const y = run1('Transpose', [x]);
    expect(y.dims).toEqual([4, 3, 2]);
    expect(vals(y)).toEqual([
      0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23,
    ]);
  });
  it('applies perm, for int64 too', () => {
    const y = run1('Transpose', [arange('int64', [2, 3, 4])], { perm: [2, 0, 1] });
    expect(y.dims).toEqual([4, 2, 3]);
    expect(Array.from(y.data as BigInt64Array)).toEqual(
      [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23].map(BigInt),
    );
  });
  it('rejects a non-permutation', () => {
    expect(opError(() => run1('Transpose', [x], { perm: [0, 0, 1] })).message).toMatch(/not a permutation/);
  });
});

describe('Flatten, Squeeze, Unsqueeze', () => {
  it('flattens at positive, negative and zero axes', () => {
    const x = arange('float32', [2, 3, 4, 5]);
    expect(run1('Flatten', [x]).dims).toEqual([2, 60]);
    expect(run1('Flatten', [x], { axis: -1 }).dims).toEqual([24, 5]);
    expect(run1('Flatten', [x], { axis: 0 }).dims).toEqual([1, 120]);
    expect(run1('Flatten', [x], { axis: 4 }).dims).toEqual([120, 1]);
    expect(opError(() => run1('Flatten', [x], { axis: 5 })).message).toMatch(/out of range/);
  });
  it('squeezes given axes or all ones', () => {
    const x = arange('uint8', [1, 3, 1, 2]);
    expect(run1('Squeeze', [x]).dims).toEqual([3, 2]);
    expect(run1('Squeeze', [x, i64([-2])]).dims).toEqual([1, 3, 2]);
    expect(opError(() => run1('Squeeze', [x, i64([1])])).message).toBe('cannot squeeze axis 1 of size 3');
  });
  it('unsqueezes at unsorted and negative axes', () => {
    const x = arange('float32', [3, 4]);
    expect(run1('Unsqueeze', [x, i64([2, 0])]).dims).toEqual([1, 3, 1, 4]);
    expect(run1('Unsqueeze', [x, i64([-1])]).dims).toEqual([3, 4, 1]);
    expect(opError(() => run1('Unsqueeze', [x, i64([0, 0])])).message).toMatch(/duplicates/);
  });
});

describe('Concat and Split', () => {
  it('concatenates along a negative axis', () => {
    const a = arange('float32', [2, 3]);
    const b = Tensor.from('float32', [10, 11, 12, 13], [2, 2]);
    const y = run1('Concat', [a, b], { axis: -1 });
    expect(y.dims).toEqual([2, 5]);
    expect(vals(y)).toEqual([0, 1, 2, 10, 11, 3, 4, 5, 12, 13]);
  });
  it('concatenates bool and zero-size inputs', () => {
    const y = run1(
      'Concat',
      [Tensor.from('bool', [1, 0], [2]), Tensor.zeros('bool', [0]), Tensor.from('bool', [1], [1])],
      {
        axis: 0,
      },
    );
    expect(Array.from(y.data as Uint8Array)).toEqual([1, 0, 1]);
  });
  it('rejects mismatched shapes and dtypes', () => {
    const a = arange('float32', [2, 3]);
    expect(opError(() => run1('Concat', [a, arange('float32', [3, 3])], { axis: 1 }))).toBeInstanceOf(
      ShapeError,
    );
    expect(opError(() => run1('Concat', [a, arange('int32', [2, 3])], { axis: 0 })).code).toBe('E_DTYPE');
  });
  it('splits by a split input', () => {
    const outs = runOp('Split', [arange('float32', [2, 6]), i64([2, 3, 1])], { axis: 1 }, 3);
    expect(outs.map((o) => o.dims)).toEqual([
      [2, 2],
      [2, 3],
      [2, 1],
    ]);
    expect(outs.map(vals)).toEqual([
      [0, 1, 6, 7],
      [2, 3, 4, 8, 9, 10],
      [5, 11],
    ]);
  });
  it('splits evenly by output count, and unevenly by num_outputs', () => {
    expect(runOp('Split', [arange('int64', [6])], {}, 3).map((o) => o.dims[0])).toEqual([2, 2, 2]);
    const outs = runOp('Split', [arange('float32', [7])], { num_outputs: 4 }, 4);
    expect(outs.map(vals)).toEqual([[0, 1], [2, 3], [4, 5], [6]]);
  });
  it('allows zero-size parts', () => {
    const outs = runOp('Split', [arange('float32', [3]), i64([0, 3, 0])], {}, 3);
    expect(outs.map((o) => o.dims)).toEqual([[0], [3], [0]]);
  });
  it('rejects a split that does not sum to the axis', () => {
    expect(opError(() => runOp('Split', [arange('float32', [5]), i64([2, 2])], {}, 2)).message).toMatch(
      /sums to 4/,
    );
  });
});

describe('Expand and Tile', () => {
  it('broadcasts both ways', () => {
    const y = run1('Expand', [arange('float32', [3, 1]), i64([2, 1, 4])]);
    expect(y.dims).toEqual([2, 3, 4]);
    expect(vals(y)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    // A shape dim of 1 keeps the input's larger dim.
    expect(run1('Expand', [arange('float32', [3, 4]), i64([1, 1])]).dims).toEqual([3, 4]);
    expect(opError(() => run1('Expand', [arange('float32', [3]), i64([4])])).message).toBe(
      'cannot expand [3] to [4]',
    );
  });
  it('tiles', () => {
    const y = run1('Tile', [arange('int32', [2, 3]), i64([2, 3])]);
    expect(y.dims).toEqual([4, 9]);
    expect(vals(y)).toEqual([
      0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4,
      5,
    ]);
  });
  it('refuses absurd outputs before allocating', () => {
    const tile = opError(() => run1('Tile', [arange('float32', [1, 1]), i64([3e9, 1])]));
    expect(tile.message).toMatch(/Tile output 0 would have 3000000000 elements/);
    expect(opError(() => run1('Expand', [arange('float32', [1]), i64([3e9])])).code).toBe('E_SHAPE');
    const err = opError(() => run1('Expand', [arange('float32', [1]), i64([100000, 100000, 1000])]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/limit/);
  });
});

describe('DepthToSpace and SpaceToDepth', () => {
  const x = arange('float32', [2, 8, 2, 3]);
  it('DCR mode', () => {
    const y = run1('DepthToSpace', [x], { blocksize: 2 });
    expect(y.dims).toEqual([2, 2, 4, 6]);
    expect(vals(y).slice(0, 24)).toEqual([
      0, 12, 1, 13, 2, 14, 24, 36, 25, 37, 26, 38, 3, 15, 4, 16, 5, 17, 27, 39, 28, 40, 29, 41,
    ]);
    expect(vals(y).slice(48, 60)).toEqual([48, 60, 49, 61, 50, 62, 72, 84, 73, 85, 74, 86]);
  });
  it('CRD mode', () => {
    const y = run1('DepthToSpace', [x], { blocksize: 2, mode: 'CRD' });
    expect(vals(y).slice(0, 24)).toEqual([
      0, 6, 1, 7, 2, 8, 12, 18, 13, 19, 14, 20, 3, 9, 4, 10, 5, 11, 15, 21, 16, 22, 17, 23,
    ]);
  });
  it('SpaceToDepth inverts DCR', () => {
    const y = run1('SpaceToDepth', [arange('float32', [1, 2, 4, 6])], { blocksize: 2 });
    expect(y.dims).toEqual([1, 8, 2, 3]);
    expect(vals(y)).toEqual([
      0, 2, 4, 12, 14, 16, 24, 26, 28, 36, 38, 40, 1, 3, 5, 13, 15, 17, 25, 27, 29, 37, 39, 41, 6, 8, 10, 18,
      20, 22, 30, 32, 34, 42, 44, 46, 7, 9, 11, 19, 21, 23, 31, 33, 35, 43, 45, 47,
    ]);
    const back = run1('DepthToSpace', [y], { blocksize: 2 });
    expect(vals(back)).toEqual(vals(arange('float32', [1, 2, 4, 6])));
  });
  it('checks divisibility and mode', () => {
    expect(
      opError(() => run1('DepthToSpace', [arange('float32', [1, 6, 1, 1])], { blocksize: 2 })).message,
    ).toMatch(/not divisible/);
    expect(opError(() => run1('DepthToSpace', [x], { blocksize: 2, mode: 'XYZ' })).code).toBe('E_ATTRIBUTE');
  });
});

describe('Identity and Dropout', () => {
  it('Identity copies storage dtypes bit for bit', () => {
    const f8 = new Tensor('float8e4m3fn', Uint8Array.from([0x7f, 0x80, 0x01]), [3]);
    const y = run1('Identity', [f8]);
    expect(y.dtype).toBe('float8e4m3fn');
    expect(Array.from(y.data as Uint8Array)).toEqual([0x7f, 0x80, 0x01]);
    expect(y.data).not.toBe(f8.data);
  });
  it('Dropout is the identity with an all-true mask', () => {
    const x = Tensor.from('float32', [1, -2, 3], [3]);
    const [y, mask] = runOp(
      'Dropout',
      [x, Tensor.scalar('float32', 0.5), Tensor.scalar('bool', false)],
      {},
      2,
    );
    expect(vals(y!)).toEqual([1, -2, 3]);
    expect(mask!.dtype).toBe('bool');
    expect(Array.from(mask!.data as Uint8Array)).toEqual([1, 1, 1]);
    expect(vals(runOp('Dropout', [x], { ratio: 0.3 })[0]!)).toEqual([1, -2, 3]);
  });
  it('Dropout refuses training mode with a non-zero ratio', () => {
    const x = Tensor.from('float32', [1], [1]);
    const err = opError(() =>
      run1('Dropout', [x, Tensor.scalar('float32', 0.5), Tensor.scalar('bool', true)]),
    );
    expect(err).toBeInstanceOf(NotImplementedError);
    // Ratio 0 keeps everything, so training mode is still the identity.
    expect(vals(run1('Dropout', [x, Tensor.scalar('float32', 0), Tensor.scalar('bool', true)]))).toEqual([1]);
  });
});

describe('Shape, Size, Constant, ConstantOfShape', () => {
  const x = arange('float32', [2, 3, 4]);
  it('Shape with start and end', () => {
    expect(Array.from(run1('Shape', [x]).data as BigInt64Array)).toEqual([2n, 3n, 4n]);
    expect(vals(run1('Shape', [x], { start: 1 }))).toEqual([3, 4]);
    expect(vals(run1('Shape', [x], { start: -1 }))).toEqual([4]);
    expect(vals(run1('Shape', [x], { end: -1 }))).toEqual([2, 3]);
    expect(vals(run1('Shape', [x], { start: -10, end: 10 }))).toEqual([2, 3, 4]);
    const empty = run1('Shape', [x], { start: 2, end: 1 });
    expect(empty.dtype).toBe('int64');
    expect(empty.dims).toEqual([0]);
  });
  it('Size', () => {
    const s = run1('Size', [x]);
    expect(s.dims).toEqual([]);
    expect(Array.from(s.data as BigInt64Array)).toEqual([24n]);
  });
  it('Constant from each attribute kind', () => {
    const t = Tensor.from('float16', [1.5, 2], [1, 2]);
    const c = run1('Constant', [], { value: t });
    expect(c.dtype).toBe('float16');
    expect(c.dims).toEqual([1, 2]);
    expect(vals(c)).toEqual([1.5, 2]);
    expect(run1('Constant', [], { value_float: 0.25 }).dtype).toBe('float32');
    expect(vals(run1('Constant', [], { value_floats: [1, 2.5] }))).toEqual([1, 2.5]);
    const vi = run1('Constant', [], { value_int: 7 });
    expect(vi.dtype).toBe('int64');
    expect(vi.dims).toEqual([]);
    expect(Array.from(run1('Constant', [], { value_ints: [3, -1] }).data as BigInt64Array)).toEqual([
      3n,
      -1n,
    ]);
    expect(opError(() => run1('Constant', [], { value_int: 1, value_float: 2 })).code).toBe('E_ATTRIBUTE');
    expect(opError(() => run1('Constant', [], { value_string: 'a' })).code).toBe('E_NOT_IMPLEMENTED');
  });
  it('ConstantOfShape with and without a value', () => {
    const z = run1('ConstantOfShape', [i64([2, 3])]);
    expect(z.dtype).toBe('float32');
    expect(vals(z)).toEqual([0, 0, 0, 0, 0, 0]);
    const v = run1('ConstantOfShape', [i64([2])], { value: Tensor.from('int64', [-5n], [1]) });
    expect(Array.from(v.data as BigInt64Array)).toEqual([-5n, -5n]);
    const h = run1('ConstantOfShape', [i64([0])], { value: Tensor.from('float16', [1], [1]) });
    expect(h.dims).toEqual([0]);
    const big = run1('ConstantOfShape', [i64([70, 70])], { value: Tensor.from('float16', [0.5], [1]) });
    expect(float16BitsToNumber((big.data as Uint16Array)[4899]!)).toBe(0.5);
  });
  it('ConstantOfShape refuses absurd shapes', () => {
    const before = env.maxAllocationBytes;
    expect(opError(() => run1('ConstantOfShape', [i64([1 << 20, 1 << 20])])).code).toBe('E_SHAPE');
    try {
      env.maxAllocationBytes = 1000;
      expect(opError(() => run1('ConstantOfShape', [i64([1000])])).message).toMatch(/maxAllocationBytes/);
    } finally {
      env.maxAllocationBytes = before;
    }
  });
});

describe('Range', () => {
  it('int32 with a negative delta', () => {
    const y = run1('Range', [
      Tensor.scalar('int32', 10),
      Tensor.scalar('int32', -3),
      Tensor.scalar('int32', -3),
    ]);
    expect(y.dtype).toBe('int32');
    expect(vals(y)).toEqual([10, 7, 4, 1, -2]);
  });
  it('float32: start + i * delta, rounded to float32', () => {
    const y = run1('Range', [
      Tensor.scalar('float32', 1),
      Tensor.scalar('float32', 2),
      Tensor.scalar('float32', 0.3),
    ]);
    expect(Array.from(y.data as Float32Array)).toEqual([
      1, 1.2999999523162842, 1.600000023841858, 1.9000000953674316,
    ]);
  });
  it('int64 beyond 2^53 exactly', () => {
    const s = 2n ** 60n;
    const y = run1('Range', [
      Tensor.scalar('int64', s),
      Tensor.scalar('int64', s + 5n),
      Tensor.scalar('int64', 2n),
    ]);
    expect(Array.from(y.data as BigInt64Array)).toEqual([s, s + 2n, s + 4n]);
  });
  it('is empty when the limit is behind the start', () => {
    expect(
      run1('Range', [Tensor.scalar('float32', 5), Tensor.scalar('float32', 1), Tensor.scalar('float32', 1)])
        .dims,
    ).toEqual([0]);
  });
  it('refuses absurd sizes and a zero delta with typed errors', () => {
    const err = opError(() =>
      run1('Range', [
        Tensor.scalar('float32', 0),
        Tensor.scalar('float32', 1e12),
        Tensor.scalar('float32', 1),
      ]),
    );
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/999999995904 elements/);
    expect(
      opError(() =>
        run1('Range', [Tensor.scalar('int32', 0), Tensor.scalar('int32', 5), Tensor.scalar('int32', 0)]),
      ).message,
    ).toMatch(/non-zero/);
  });
});
