/**
 * Reference kernels of Resize and GridSample. Expected values are hand-computed, taken from the
 * ONNX operator documentation's examples, or numpy-computed (`spatial-expected.ts`).
 */
import { AttributeError, ShapeError } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { i64, opError, run1, vals } from './one-node.js';
import { expectCase, expectValues, seq, tensor } from './spatial-helpers.js';

const x22 = tensor('float32', [1, 2, 3, 4], [1, 1, 2, 2]);
const f32 = (values: readonly number[]) => tensor('float32', values, [values.length]);

describe('Resize', () => {
  it('repeats pixels in nearest mode (hand-computed)', () => {
    const y = run1('Resize', [x22, undefined, f32([1, 1, 2, 3])], { mode: 'nearest' });
    expectValues(y, [1, 1, 4, 6], [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
  });

  it('interpolates linearly with half_pixel and align_corners (hand-computed)', () => {
    const hp = run1('Resize', [x22, undefined, f32([1, 1, 2, 2])], { mode: 'linear' });
    expectValues(
      hp,
      [1, 1, 4, 4],
      [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4],
    );
    const ac = run1('Resize', [x22, undefined, f32([1, 1, 2, 2])], {
      mode: 'linear',
      coordinate_transformation_mode: 'align_corners',
    });
    const expected: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expected.push(1 + (2 * i) / 3 + j / 3);
    expectValues(ac, [1, 1, 4, 4], expected);
  });

  it('uses the unrounded output width for align_corners (ONNX documentation example)', () => {
    const x = tensor('float32', [1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 4]);
    const y = run1('Resize', [x, undefined, f32([1, 1, 0.6, 0.6])], {
      mode: 'linear',
      coordinate_transformation_mode: 'align_corners',
    });
    expectValues(y, [1, 1, 1, 2], [1, 3.142857], { rtol: 1e-6 });
  });

  it('interpolates cubically, with A and exclude_outside', () => {
    const x = seq('float32', [1, 1, 5, 5], 40);
    expectCase(run1('Resize', [x, undefined, f32([1, 1, 0.8, 0.8])], { mode: 'cubic' }), 'rs_cubic_down');
    const y = run1('Resize', [x, undefined, undefined, i64([1, 1, 7, 6])], {
      mode: 'cubic',
      coordinate_transformation_mode: 'align_corners',
      cubic_coeff_a: -0.5,
      exclude_outside: 1,
    });
    expectCase(y, 'rs_cubic_ac_excl');
  });

  it('widens the filter when downsampling with antialias', () => {
    const lin = run1('Resize', [seq('float32', [1, 1, 5, 6], 41), undefined, f32([0.6, 0.5])], {
      mode: 'linear',
      antialias: 1,
      axes: [2, 3],
    });
    expectCase(lin, 'rs_linear_aa', { rtol: 1e-5, atol: 1e-6 });
    const cub = run1('Resize', [seq('float32', [1, 1, 6, 5], 42), undefined, undefined, i64([1, 1, 3, 2])], {
      mode: 'cubic',
      antialias: 1,
    });
    expectCase(cub, 'rs_cubic_aa', { rtol: 1e-5, atol: 1e-6 });
  });

  it('rounds by nearest_mode under each coordinate transform', () => {
    const x = seq('float32', [1, 1, 3, 4], 43);
    const nearest = (sizes: number[], attrs: Record<string, string>) =>
      run1('Resize', [x, undefined, undefined, i64(sizes)], { mode: 'nearest', ...attrs });
    expectCase(nearest([1, 1, 5, 3], { nearest_mode: 'round_prefer_ceil' }), 'rs_nearest_ceil_hp');
    expectCase(
      nearest([1, 1, 5, 7], { nearest_mode: 'ceil', coordinate_transformation_mode: 'asymmetric' }),
      'rs_nearest_ceil_asym',
    );
    expectCase(
      nearest([1, 1, 5, 7], { nearest_mode: 'floor', coordinate_transformation_mode: 'align_corners' }),
      'rs_nearest_floor_ac',
    );
  });

  it('crops with tf_crop_and_resize and fills outside the roi with extrapolation_value', () => {
    const y = run1(
      'Resize',
      [seq('float32', [1, 1, 5, 5], 40), f32([-0.2, 0.1, 0.8, 1.3]), undefined, i64([4, 5])],
      {
        mode: 'linear',
        coordinate_transformation_mode: 'tf_crop_and_resize',
        axes: [2, 3],
        extrapolation_value: 7,
      },
    );
    expectCase(y, 'rs_tf_crop', { rtol: 1e-5, atol: 1e-5 });
    expect(vals(y).filter((v) => v === 7).length).toBeGreaterThan(0);
  });

  it('keeps the aspect ratio with not_larger / not_smaller', () => {
    const x = seq('float32', [1, 1, 5, 5], 40);
    const larger = run1('Resize', [x, undefined, undefined, i64([3, 10])], {
      mode: 'linear',
      axes: [2, 3],
      keep_aspect_ratio_policy: 'not_larger',
    });
    expectCase(larger, 'rs_not_larger');
    const smaller = run1('Resize', [x, undefined, undefined, i64([3, 10])], {
      mode: 'nearest',
      axes: [2, 3],
      keep_aspect_ratio_policy: 'not_smaller',
      coordinate_transformation_mode: 'asymmetric',
    });
    expectCase(smaller, 'rs_not_smaller');
  });

  it('handles pytorch_half_pixel to size 1 and half_pixel_symmetric', () => {
    const x = seq('float32', [1, 1, 3, 4], 43);
    const pt = run1('Resize', [x, undefined, undefined, i64([1, 1, 1, 2])], {
      mode: 'linear',
      coordinate_transformation_mode: 'pytorch_half_pixel',
    });
    expectCase(pt, 'rs_pytorch_hp_to1');
    const sym = run1('Resize', [x, undefined, f32([1, 1, 1.7, 1.7])], {
      mode: 'linear',
      coordinate_transformation_mode: 'half_pixel_symmetric',
    });
    expectCase(sym, 'rs_hp_symmetric', { rtol: 1e-6 });
  });

  it('rounds integer outputs half to even and keeps float64', () => {
    const x = seq('int8', [1, 1, 3, 4], 44, (v) => Math.round(v * 40));
    const y = run1('Resize', [x, undefined, undefined, i64([1, 1, 5, 6])], { mode: 'linear' });
    expect(y.dtype).toBe('int8');
    expectCase(y, 'rs_int_linear', { rtol: 0, atol: 0 });
    const y64 = run1(
      'Resize',
      [seq('float64', [1, 1, 5, 5], 40), undefined, tensor('float32', [1, 1, 0.8, 0.8], [4])],
      {
        mode: 'cubic',
      },
    );
    expect(y64.dtype).toBe('float64');
    // The scales input is float32 (0.8 is 0.800000011920929), numpy used 0.8 exactly.
    expectCase(y64, 'rs_cubic_down', { rtol: 1e-6, atol: 1e-6 });
  });

  it('treats empty roi / scales tensors as omitted', () => {
    const empty = tensor('float32', [], [0]);
    const y = run1('Resize', [x22, empty, empty, i64([1, 1, 4, 4])], { mode: 'linear' });
    expectValues(
      y,
      [1, 1, 4, 4],
      [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4],
    );
  });

  it('explains bad inputs and attributes', () => {
    let err = opError(() => run1('Resize', [x22, undefined, f32([1, 1, 2, 2]), i64([1, 1, 4, 4])]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe('only one of scales and sizes may be given');
    err = opError(() => run1('Resize', [x22]));
    expect(err.message).toBe('one of scales and sizes must be given');
    err = opError(() => run1('Resize', [x22, undefined, f32([2, 2])]));
    expect(err.message).toBe('scales has 2 values, expected 4 (one per resized dim)');
    err = opError(() => run1('Resize', [x22, undefined, f32([1, 1, 2, 2])], { mode: 'bilinear' }));
    expect(err).toBeInstanceOf(AttributeError);
    err = opError(() =>
      run1('Resize', [x22, undefined, f32([1, 1, 0.5, 0.5])], { mode: 'nearest', antialias: 1 }),
    );
    expect(err).toBeInstanceOf(AttributeError);
    err = opError(() =>
      run1('Resize', [x22, undefined, f32([1, 1, 2, 2])], {
        coordinate_transformation_mode: 'tf_crop_and_resize',
      }),
    );
    expect(err.message).toMatch(/needs the roi input/);
  });
});

describe('allocation limits', () => {
  it('refuses outputs past the limits with a typed error instead of allocating', () => {
    const err = opError(() => run1('Resize', [x22, undefined, f32([1, 1, 1e6, 1e6])], { mode: 'nearest' }));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/limit/);
    const t = opError(() =>
      run1('ConvTranspose', [x22, tensor('float32', [1], [1, 1, 1, 1])], { output_shape: [100000, 100000] }),
    );
    expect(t).toBeInstanceOf(ShapeError);
  });
});

describe('GridSample', () => {
  const grid = (values: readonly number[], dims: readonly number[]) => tensor('float32', values, dims);

  it('samples the centre and corners (hand-computed)', () => {
    // align_corners=0: (0,0) is the image centre; (-1,-1) is the outer corner of pixel (0,0).
    const g = grid([0, 0, -1, -1, 1, 1], [1, 1, 3, 2]);
    expectValues(run1('GridSample', [x22, g]), [1, 1, 1, 3], [2.5, 0.25, 1]);
    expectValues(run1('GridSample', [x22, g], { padding_mode: 'border' }), [1, 1, 1, 3], [2.5, 1, 4]);
    expectValues(run1('GridSample', [x22, g], { align_corners: 1 }), [1, 1, 1, 3], [2.5, 1, 4]);
    // x then y: (1, -1) is the top-right pixel with align_corners=1.
    expectValues(
      run1('GridSample', [x22, grid([1, -1], [1, 1, 1, 2])], { align_corners: 1 }),
      [1, 1, 1, 1],
      [2],
    );
  });

  it('matches numpy for every mode and padding mode (2-D)', () => {
    const x = seq('float32', [1, 2, 3, 4], 50);
    const g = seq('float32', [1, 2, 3, 2], 51);
    const gs = (mode: string, padding: string, ac: number) =>
      run1('GridSample', [x, g], { mode, padding_mode: padding, align_corners: ac });
    expectCase(gs('linear', 'zeros', 0), 'gs_linear_zeros');
    expectCase(gs('linear', 'border', 1), 'gs_linear_border_ac');
    expectCase(gs('linear', 'reflection', 0), 'gs_linear_reflection');
    expectCase(gs('nearest', 'zeros', 1), 'gs_nearest_zeros_ac');
    expectCase(gs('cubic', 'reflection', 0), 'gs_cubic_reflection');
    expectCase(gs('cubic', 'zeros', 1), 'gs_cubic_zeros_ac');
    // opset-16 spellings
    expectCase(gs('bilinear', 'zeros', 0), 'gs_linear_zeros');
    expectCase(gs('bicubic', 'zeros', 1), 'gs_cubic_zeros_ac');
  });

  it('samples volumes (3-D)', () => {
    const x = seq('float32', [1, 1, 2, 3, 3], 52);
    const g = seq('float32', [1, 2, 2, 2, 3], 53);
    expectCase(run1('GridSample', [x, g], { padding_mode: 'border' }), 'gs3d_linear_border');
    expectCase(run1('GridSample', [x, g], { mode: 'nearest', align_corners: 1 }), 'gs3d_nearest_zeros');
  });

  it('checks the grid and the mode', () => {
    let err = opError(() => run1('GridSample', [x22, grid([0, 0, 0], [1, 1, 1, 3])]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe("grid's last dim must be 2 (one coordinate per spatial dim), got 3");
    err = opError(() => run1('GridSample', [x22, grid([0, 0], [1, 1, 2])]));
    expect(err).toBeInstanceOf(ShapeError);
    err = opError(() => run1('GridSample', [x22, grid([0, 0], [1, 1, 1, 2])], { mode: 'area' }));
    expect(err).toBeInstanceOf(AttributeError);
    err = opError(() =>
      run1('GridSample', [seq('float32', [1, 1, 2, 2, 2], 1), grid([0, 0, 0], [1, 1, 1, 1, 3])], {
        mode: 'cubic',
      }),
    );
    expect(err.message).toMatch(/2-D inputs only/);
  });
});
