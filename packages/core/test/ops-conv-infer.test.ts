/**
 * Shape inference of the spatial ops (Conv, ConvTranspose, DeformConv, Col2Im, pools, Resize,
 * GridSample, NonMaxSuppression, RoiAlign): output sizes from the ONNX formulas (worked by hand
 * in the comments), symbolic batch and spatial dims, and the errors tracing reports.
 */
import { describe, expect, it } from 'vitest';
import { AttributeError, DTypeError, ShapeError, Tensor, Tracer } from '../src/index.js';
import { constant, infer, inferError, shape, sym } from './infer-helpers.js';

describe('Conv inference', () => {
  it('applies pads, strides and dilations per dim', () => {
    // H: (7 + 1 + 2 - 3) / 2 + 1 = 4; W: (5 + 0 + 1 - 3) / 1 + 1 = 4
    expect(
      shape('Conv', [sym([1, 4, 7, 5]), sym([6, 2, 3, 3])], {
        group: 2,
        strides: [2, 1],
        pads: [1, 0, 2, 1],
      }),
    ).toEqual([1, 6, 4, 4]);
    // dilated 3x3 spans 5: (8 + 4 - 5) + 1 = 8
    expect(
      shape('Conv', [sym([2, 3, 8, 8]), sym([6, 1, 3, 3])], {
        group: 3,
        dilations: [2, 2],
        pads: [2, 2, 2, 2],
      }),
    ).toEqual([2, 6, 8, 8]);
  });

  it('resolves auto_pad for 1-D, 2-D and 3-D inputs', () => {
    expect(
      shape('Conv', [sym([1, 3, 7, 5]), sym([4, 3, 2, 3])], { auto_pad: 'SAME_UPPER', strides: [2, 2] }),
    ).toEqual([1, 4, 4, 3]);
    expect(
      shape('Conv', [sym([1, 3, 7, 5]), sym([4, 3, 2, 3])], { auto_pad: 'SAME_LOWER', strides: [2, 2] }),
    ).toEqual([1, 4, 4, 3]);
    // VALID: floor((10 - 4) / 2) + 1 = 4
    expect(shape('Conv', [sym([1, 2, 10]), sym([3, 2, 4])], { auto_pad: 'VALID', strides: [2] })).toEqual([
      1, 3, 4,
    ]);
    expect(shape('Conv', [sym([1, 1, 4, 5, 6]), sym([2, 1, 3, 3, 3])], { pads: [1, 1, 1, 1, 1, 1] })).toEqual(
      [1, 2, 4, 5, 6],
    );
  });

  it('keeps symbolic dims: the batch as is, spatial dims as expressions', () => {
    expect(
      shape('Conv', [sym(['batch', 3, 32, 32]), sym([16, 3, 3, 3])], { pads: [1, 1, 1, 1], strides: [2, 2] }),
    ).toEqual(['batch', 16, 16, 16]);
    expect(shape('Conv', [sym(['n', 3, 'h', 'w']), sym([8, 3, 3, 3])], { pads: [1, 1, 1, 1] })).toEqual([
      'n',
      8,
      'h',
      'w',
    ]);
    expect(shape('Conv', [sym(['n', 3, 'h', 'w']), sym([8, 3, 3, 3])], { strides: [2, 2] })).toEqual([
      'n',
      8,
      'floor((h-3)/2)+1',
      'floor((w-3)/2)+1',
    ]);
    expect(
      shape('Conv', [sym(['n', 3, 'h', 'w']), sym([8, 3, 3, 3])], {
        auto_pad: 'SAME_UPPER',
        strides: [2, 2],
      }),
    ).toEqual(['n', 8, 'ceil(h/2)', 'ceil(w/2)']);
  });

  it('names the mismatch in its errors', () => {
    const e = inferError(() => shape('Conv', [sym([1, 3, 8, 8]), sym([4, 4, 3, 3])]));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('input has 3 channels, weight expects 4 (group=1)');
    expect(
      inferError(() => shape('Conv', [sym([1, 4, 8, 8]), sym([4, 1, 3, 3])], { group: 2 })).message,
    ).toBe('input has 4 channels, weight expects 2 (group=2)');
    expect(inferError(() => shape('Conv', [sym([1, 3, 8]), sym([4, 3, 3, 3])])).message).toBe(
      'weight W must have rank 3 like X [1, 3, 8], got [4, 3, 3, 3]',
    );
    expect(inferError(() => shape('Conv', [sym([3, 8]), sym([4, 3, 3])])).message).toMatch(/rank >= 3/);
    expect(
      inferError(() => shape('Conv', [sym([1, 3, 8, 8]), sym([4, 3, 3, 3])], { strides: [0, 1] })),
    ).toBeInstanceOf(AttributeError);
    expect(
      inferError(() => shape('Conv', [sym([1, 3, 8, 8], 'int8'), sym([4, 3, 3, 3], 'int8')])),
    ).toBeInstanceOf(DTypeError);
  });

  it('reports the module path and op when tracing', () => {
    const t = new Tracer('net');
    const e = inferError(() =>
      t.run(() => {
        const x = t.input('x', 'float32', ['batch', 3, 16, 16]);
        t.withScope('stem', () =>
          t.withScope('conv', () => t.emit('Conv', [x, Tensor.zeros('float32', [8, 4, 3, 3])])),
        );
      }),
    );
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('stem.conv (Conv): input has 3 channels, weight expects 4 (group=1)');
  });
});

describe('ConvTranspose, DeformConv and Col2Im inference', () => {
  it('computes transposed output sizes', () => {
    // 2 * (5 - 1) + 0 + 3 - 2 + 1 (output_padding) = 10
    expect(
      shape('ConvTranspose', [sym([1, 4, 5, 5]), sym([4, 3, 3, 3])], {
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        output_padding: [1, 1],
      }),
    ).toEqual([1, 3, 10, 10]);
    expect(
      shape('ConvTranspose', [sym([1, 4, 4, 4]), sym([4, 2, 3, 3])], { group: 2, dilations: [2, 2] }),
    ).toEqual([1, 4, 8, 8]);
    expect(
      shape('ConvTranspose', [sym([1, 2, 5, 5]), sym([2, 3, 4, 4])], {
        auto_pad: 'SAME_UPPER',
        strides: [2, 2],
      }),
    ).toEqual([1, 3, 10, 10]);
    expect(
      shape('ConvTranspose', [sym([1, 1, 3, 3]), sym([1, 2, 3, 3])], {
        strides: [3, 2],
        output_shape: [10, 8],
      }),
    ).toEqual([1, 2, 10, 8]);
    expect(
      shape('ConvTranspose', [sym(['b', 8, 'h', 7]), sym([8, 4, 4, 4])], {
        strides: [2, 2],
        pads: [1, 1, 1, 1],
      }),
    ).toEqual(['b', 4, '2*h', 14]);
  });

  it('checks DeformConv offsets and masks', () => {
    const x = sym(['n', 4, 5, 5]);
    const w = sym([2, 2, 3, 3]);
    expect(
      shape('DeformConv', [x, w, sym(['n', 36, 5, 5])], { group: 2, offset_group: 2, pads: [1, 1, 1, 1] }),
    ).toEqual(['n', 2, 5, 5]);
    const e = inferError(() =>
      shape('DeformConv', [x, w, sym(['n', 18, 5, 5])], { group: 2, offset_group: 2, pads: [1, 1, 1, 1] }),
    );
    expect(e.message).toBe(
      'offset must have shape [n, 36, 5, 5] (offset_group * kernel taps * 2, output size), got [n, 18, 5, 5]',
    );
    const m = inferError(() =>
      shape('DeformConv', [x, w, sym(['n', 18, 3, 3]), undefined, sym(['n', 9, 5, 5])], { group: 2 }),
    );
    expect(m.message).toBe('mask must have shape [n, 9, 3, 3], got [n, 9, 5, 5]');
  });

  it('needs constant image and block shapes for Col2Im', () => {
    // blocks: (5 + 1 + 0 - 2) / 2 + 1 = 3 and (6 + 0 + 1 - 3) / 2 + 1 = 3
    expect(
      shape('Col2Im', [sym(['n', 12, 9]), constant('int64', [5, 6]), constant('int64', [2, 3])], {
        strides: [2, 2],
        pads: [1, 0, 0, 1],
      }),
    ).toEqual(['n', 2, 5, 6]);
    const e = inferError(() =>
      shape('Col2Im', [sym([1, 12, 9]), sym([2], 'int64'), constant('int64', [2, 3])]),
    );
    expect(e.message).toBe('image_shape (input 1) must be a constant known at trace time');
  });
});

describe('Pool inference', () => {
  it('follows floor and ceil modes', () => {
    // floor((7 + 2 - 3) / 2) + 1 = 4; ceil gives 4 as well
    expect(
      shape('AveragePool', [sym([1, 2, 7, 7])], {
        kernel_shape: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        ceil_mode: 1,
      }),
    ).toEqual([1, 2, 4, 4]);
    // (32 - 3) / 2: floor 14 + 1 = 15, ceil 15 + 1 = 16
    expect(shape('MaxPool', [sym([1, 3, 32, 32])], { kernel_shape: [3, 3], strides: [2, 2] })).toEqual([
      1, 3, 15, 15,
    ]);
    expect(
      shape('MaxPool', [sym([1, 3, 32, 32])], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }),
    ).toEqual([1, 3, 16, 16]);
    // a last window that would start in the end padding is dropped: 2 + 1 - 2 = 1 → ceil 2 → 1
    expect(
      shape('MaxPool', [sym([1, 1, 2, 2])], {
        kernel_shape: [2, 2],
        strides: [2, 2],
        pads: [0, 0, 1, 1],
        ceil_mode: 1,
      }),
    ).toEqual([1, 1, 1, 1]);
  });

  it('gives MaxPool an int64 Indices output when asked', () => {
    const outs = infer('MaxPool', [sym(['b', 3, 9, 9])], { kernel_shape: [3, 3], strides: [3, 3] }, 2);
    expect(outs).toEqual([
      { dtype: 'float32', shape: ['b', 3, 3, 3] },
      { dtype: 'int64', shape: ['b', 3, 3, 3] },
    ]);
    expect(infer('MaxPool', [sym([1, 1, 4, 4], 'uint8')], { kernel_shape: [2, 2] })[0]!.dtype).toBe('uint8');
    expect(
      inferError(() => infer('AveragePool', [sym([1, 1, 4, 4], 'uint8')], { kernel_shape: [2, 2] })),
    ).toBeInstanceOf(DTypeError);
  });

  it('keeps symbolic batch and spatial dims through windowed and global pools', () => {
    expect(
      shape('AveragePool', [sym(['b', 8, 'h', 'w'])], { kernel_shape: [2, 2], strides: [2, 2] }),
    ).toEqual(['b', 8, 'floor((h-2)/2)+1', 'floor((w-2)/2)+1']);
    expect(shape('MaxPool', [sym(['b', 8, 'h', 'w'])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })).toEqual(
      ['b', 8, 'h', 'w'],
    );
    expect(shape('GlobalAveragePool', [sym(['b', 8, 'h', 'w'])])).toEqual(['b', 8, 1, 1]);
    expect(shape('GlobalMaxPool', [sym(['b', 8, 5])])).toEqual(['b', 8, 1]);
    expect(shape('LpPool', [sym(['b', 2, 6, 6])], { kernel_shape: [2, 2], strides: [2, 2] })).toEqual([
      'b',
      2,
      3,
      3,
    ]);
  });

  it('rejects a window larger than the padded input', () => {
    const e = inferError(() => shape('MaxPool', [sym([1, 1, 2, 2])], { kernel_shape: [3, 3] }));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('spatial dim 0 of size 2 (padded 2) is smaller than the dilated kernel 3');
  });
});

describe('Resize and GridSample inference', () => {
  it('computes sizes from constant scales or sizes', () => {
    // floor(4 * 0.6) = 2, floor(5 * 1.5) = 7
    expect(shape('Resize', [sym([1, 3, 4, 5]), undefined, constant('float32', [1, 1, 0.6, 1.5])])).toEqual([
      1, 3, 2, 7,
    ]);
    expect(
      shape('Resize', [sym([1, 3, 4, 5]), undefined, undefined, constant('int64', [1, 3, 9, 2])]),
    ).toEqual([1, 3, 9, 2]);
    expect(
      shape('Resize', [sym([1, 3, 4, 5]), undefined, undefined, constant('int64', [8, 3])], {
        axes: [-1, 2],
      }),
    ).toEqual([1, 3, 3, 8]);
  });

  it('applies keep_aspect_ratio_policy to sizes', () => {
    // scales 3/4 and 10/5: not_larger takes 0.75 → round(3), round(3.75) = 4; not_smaller takes 2 → 8, 10
    const sizes = constant('int64', [3, 10]);
    expect(
      shape('Resize', [sym([1, 1, 4, 5]), undefined, undefined, sizes], {
        axes: [2, 3],
        keep_aspect_ratio_policy: 'not_larger',
      }),
    ).toEqual([1, 1, 3, 4]);
    expect(
      shape('Resize', [sym([1, 1, 4, 5]), undefined, undefined, sizes], {
        axes: [2, 3],
        keep_aspect_ratio_policy: 'not_smaller',
      }),
    ).toEqual([1, 1, 8, 10]);
  });

  it('keeps a symbolic batch and scales symbolic spatial dims', () => {
    expect(
      shape('Resize', [sym(['batch', 16, 8, 8]), undefined, constant('float32', [1, 1, 2, 2])], {
        mode: 'linear',
      }),
    ).toEqual(['batch', 16, 16, 16]);
    expect(
      shape('Resize', [sym(['batch', 16, 'h', 'w']), undefined, constant('float32', [1, 1, 2, 2])]),
    ).toEqual(['batch', 16, 'floor(h*2)', 'floor(w*2)']);
    expect(
      shape('Resize', [sym(['batch', 16, 'h', 'w']), undefined, undefined, constant('int64', [32, 32])], {
        axes: [2, 3],
      }),
    ).toEqual(['batch', 16, 32, 32]);
  });

  it('requires constant scales / sizes and valid attributes', () => {
    expect(inferError(() => shape('Resize', [sym([1, 1, 4, 4]), undefined, sym([4])])).message).toBe(
      'scales (input 2) must be a constant known at trace time',
    );
    expect(
      inferError(() =>
        shape('Resize', [sym([1, 1, 4, 4]), undefined, constant('float32', [1, 1, 2, 2])], { mode: 'area' }),
      ),
    ).toBeInstanceOf(AttributeError);
    expect(
      inferError(() =>
        shape('Resize', [sym([1, 1, 4, 4]), undefined, constant('float32', [1, 1, 2, 2])], {
          coordinate_transformation_mode: 'centered',
        }),
      ),
    ).toBeInstanceOf(AttributeError);
    expect(
      inferError(() => shape('Resize', [sym([1, 1, 4, 4]), undefined, constant('float32', [1, 1, 0, 2])]))
        .message,
    ).toMatch(/scales must be positive/);
    expect(
      inferError(() =>
        shape('Resize', [sym([1, 1, 4, 4]), undefined, undefined, constant('int32', [1, 1, 2, 2])]),
      ),
    ).toBeInstanceOf(DTypeError);
  });

  it('takes GridSample output sizes from the grid', () => {
    expect(shape('GridSample', [sym(['n', 3, 10, 12]), sym(['n', 4, 5, 2])])).toEqual(['n', 3, 4, 5]);
    expect(shape('GridSample', [sym([2, 3, 4, 10, 12]), sym([2, 6, 4, 5, 3])], { mode: 'nearest' })).toEqual([
      2, 3, 6, 4, 5,
    ]);
    expect(inferError(() => shape('GridSample', [sym([2, 3, 10, 12]), sym([3, 4, 5, 2])])).message).toBe(
      'grid batch 3 does not match input batch 2',
    );
  });
});

describe('NonMaxSuppression and RoiAlign inference', () => {
  it('gives NonMaxSuppression a data-dependent row count', () => {
    const outs = infer('NonMaxSuppression', [
      sym(['b', 100, 4]),
      sym(['b', 3, 100]),
      constant('int64', [10]),
      constant('float32', [0.5]),
    ]);
    expect(outs).toEqual([{ dtype: 'int64', shape: ['num_selected', 3] }]);
    expect(inferError(() => infer('NonMaxSuppression', [sym([1, 100, 4]), sym([2, 3, 100])])).message).toBe(
      'boxes batch 1 does not match scores batch 2',
    );
  });

  it('shapes RoiAlign as [num_rois, C, output_height, output_width]', () => {
    expect(
      shape('RoiAlign', [sym(['n', 256, 14, 14]), sym(['r', 4]), sym(['r'], 'int64')], {
        output_height: 7,
        output_width: 5,
      }),
    ).toEqual(['r', 256, 7, 5]);
    expect(
      inferError(() => shape('RoiAlign', [sym([1, 8, 14, 14]), sym([3, 4]), sym([3], 'int32')])),
    ).toBeInstanceOf(DTypeError);
    expect(
      inferError(() =>
        shape('RoiAlign', [sym([1, 8, 14, 14]), sym([3, 4]), sym([3], 'int64')], { output_height: 0 }),
      ),
    ).toBeInstanceOf(AttributeError);
  });
});
