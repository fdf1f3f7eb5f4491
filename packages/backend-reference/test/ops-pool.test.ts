/**
 * Reference kernels of AveragePool, MaxPool, LpPool and the global pools. Expected values are
 * hand-computed or numpy-computed (`spatial-expected.ts`).
 */
import { AttributeError, DTypeError, ShapeError } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { opError, run1, runOp, vals } from './one-node.js';
import { expectCase, expectValues, seq, tensor } from './spatial-helpers.js';

const x44 = tensor(
  'float32',
  Array.from({ length: 16 }, (_, i) => i + 1),
  [1, 1, 4, 4],
);

describe('AveragePool', () => {
  it('averages 2x2 windows (hand-computed)', () => {
    const y = run1('AveragePool', [x44], { kernel_shape: [2, 2], strides: [2, 2] });
    expectValues(y, [1, 1, 2, 2], [3.5, 5.5, 11.5, 13.5]);
  });

  it('excludes or counts the padding in the divisor', () => {
    const attrs = { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 };
    const x = seq('float32', [1, 1, 5, 5], 31);
    expectCase(run1('AveragePool', [x], attrs), 'avg_ceil_pad_excl');
    expectCase(run1('AveragePool', [x], { ...attrs, count_include_pad: 1 }), 'avg_ceil_pad_incl');
  });

  it('adds a partial window under ceil_mode but drops one that would start in the padding (hand-computed)', () => {
    // H = 3, kernel 2, stride 2: ceil gives a second window at row 2 (partly outside).
    // W = 2 with one column of end padding: ceil would give a second window starting at column 2,
    // entirely in the padding, so it is dropped.
    const x = tensor('float32', [1, 2, 3, 4, 5, 6], [1, 1, 3, 2]);
    const attrs = { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 1], ceil_mode: 1 };
    expectValues(run1('AveragePool', [x], attrs), [1, 1, 2, 1], [2.5, 5.5]);
    expectValues(run1('AveragePool', [x], { ...attrs, ceil_mode: 0 }), [1, 1, 1, 1], [2.5]);
    expectValues(run1('MaxPool', [x], attrs), [1, 1, 2, 1], [4, 6]);
  });

  it('supports dilations with uneven pads', () => {
    const x = seq('float32', [1, 2, 5, 6], 32);
    const attrs = { kernel_shape: [2, 2], dilations: [2, 2], pads: [1, 0, 1, 1] };
    expectCase(run1('AveragePool', [x], attrs), 'avg_dilated');
    expectCase(run1('AveragePool', [x], { ...attrs, count_include_pad: 1 }), 'avg_dilated_incl');
  });

  it('resolves SAME_UPPER and SAME_LOWER', () => {
    const x = seq('float32', [1, 1, 3, 4], 33);
    expectCase(run1('AveragePool', [x], { kernel_shape: [2, 3], auto_pad: 'SAME_UPPER' }), 'avg_same_upper');
    expectCase(run1('AveragePool', [x], { kernel_shape: [2, 3], auto_pad: 'SAME_LOWER' }), 'avg_same_lower');
  });

  it('pools 1-D inputs and keeps float64 / float16', () => {
    const attrs = { kernel_shape: [4], strides: [3], pads: [2, 1], count_include_pad: 1 };
    expectCase(run1('AveragePool', [seq('float32', [1, 1, 9], 35)], attrs), 'avg1d');
    const y64 = run1('AveragePool', [seq('float64', [1, 1, 9], 35)], attrs);
    expect(y64.dtype).toBe('float64');
    expectCase(y64, 'avg1d', { rtol: 1e-15, atol: 0 });
    const y16 = run1('AveragePool', [seq('float16', [1, 1, 9], 35)], attrs);
    expect(y16.dtype).toBe('float16');
    expectCase(y16, 'avg1d', { rtol: 1e-3, atol: 1e-4 });
  });

  it('requires kernel_shape and a float input', () => {
    let err = opError(() => run1('AveragePool', [x44]));
    expect(err).toBeInstanceOf(AttributeError);
    expect(err.message).toMatch(/kernel_shape/);
    err = opError(() => run1('AveragePool', [seq('int8', [1, 1, 4, 4], 1)], { kernel_shape: [2, 2] }));
    expect(err).toBeInstanceOf(DTypeError);
    err = opError(() => run1('AveragePool', [x44], { kernel_shape: [2] }));
    expect(err.message).toBe('kernel_shape has 1 values, expected 2 (one per spatial dim)');
    err = opError(() => run1('AveragePool', [seq('float32', [1, 4], 1)], { kernel_shape: [2] }));
    expect(err).toBeInstanceOf(ShapeError);
  });
});

describe('MaxPool', () => {
  it('takes window maxima (hand-computed)', () => {
    const y = run1('MaxPool', [x44], { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] });
    expectValues(y, [1, 1, 4, 4], [6, 7, 8, 8, 10, 11, 12, 12, 14, 15, 16, 16, 14, 15, 16, 16]);
  });

  it('returns row- and column-major Indices with ceil_mode and pads', () => {
    const x = seq('float32', [1, 2, 4, 5], 34);
    const attrs = { kernel_shape: [2, 3], strides: [2, 2], pads: [0, 1, 1, 1], ceil_mode: 1 };
    const [y, idx] = runOp('MaxPool', [x], attrs, 2);
    expectCase(y!, 'max_ceil');
    expect(idx!.dtype).toBe('int64');
    expectCase(idx!, 'max_ceil_idx_row', { rtol: 0, atol: 0 });
    const [, col] = runOp('MaxPool', [x], { ...attrs, storage_order: 1 }, 2);
    expectCase(col!, 'max_ceil_idx_col', { rtol: 0, atol: 0 });
  });

  it('indexes into the whole tensor (batch and channel included)', () => {
    const x = tensor('float32', [1, 9, 2, 3, 4, 0, 8, 7], [2, 1, 2, 2]);
    const [y, idx] = runOp('MaxPool', [x], { kernel_shape: [2, 2] }, 2);
    expect(vals(y!)).toEqual([9, 8]);
    expect(vals(idx!)).toEqual([1, 6]);
  });

  it('keeps float16 and 8-bit integer dtypes', () => {
    const attrs = { kernel_shape: [2, 3], strides: [2, 2], pads: [0, 1, 1, 1], ceil_mode: 1 };
    const y16 = run1('MaxPool', [seq('float16', [1, 2, 4, 5], 34)], attrs);
    expect(y16.dtype).toBe('float16');
    expectCase(y16, 'max_ceil_f16', { rtol: 0, atol: 0 });
    const u8 = tensor('uint8', [0, 200, 255, 7, 3, 9, 128, 1, 2], [1, 1, 3, 3]);
    const yu = run1('MaxPool', [u8], { kernel_shape: [2, 2] });
    expect(yu.dtype).toBe('uint8');
    expect(vals(yu)).toEqual([200, 255, 128, 9]);
    const i8 = tensor('int8', [-128, -5, -7, -1, 127, -3, -100, -90, -2], [1, 1, 3, 3]);
    const yi = run1('MaxPool', [i8], { kernel_shape: [2, 2], strides: [1, 1] });
    expect(yi.dtype).toBe('int8');
    expect(vals(yi)).toEqual([127, 127, 127, 127]);
  });

  it('pools 3-D volumes', () => {
    const y = run1('MaxPool', [seq('float32', [1, 1, 3, 4, 4], 36)], {
      kernel_shape: [2, 2, 2],
      strides: [1, 2, 2],
      pads: [0, 0, 0, 1, 1, 1],
    });
    expectCase(y, 'max3d');
  });
});

describe('LpPool and global pools', () => {
  it('computes the p-norm of each window', () => {
    const y = run1('LpPool', [seq('float32', [1, 2, 5, 6], 32)], {
      kernel_shape: [2, 2],
      strides: [2, 2],
      p: 3,
    });
    expectCase(y, 'lp3', { rtol: 1e-6 });
    const l2 = run1('LpPool', [tensor('float32', [3, 4, 0, 0], [1, 1, 2, 2])], { kernel_shape: [2, 2] });
    expect(vals(l2)).toEqual([5]);
  });

  it('reduces every spatial dim to 1', () => {
    const x = seq('float32', [1, 1, 3, 4, 4], 36);
    expectCase(run1('GlobalAveragePool', [x]), 'gap3d');
    expectCase(run1('GlobalMaxPool', [x]), 'gmp3d');
    const g = run1('GlobalLpPool', [tensor('float64', [3, 4, 6, 8], [2, 1, 2])]);
    expect(g.dims).toEqual([2, 1, 1]);
    expect(vals(g)).toEqual([5, 10]);
    const avg = run1('GlobalAveragePool', [x44]);
    expectValues(avg, [1, 1, 1, 1], [8.5]);
  });
});
