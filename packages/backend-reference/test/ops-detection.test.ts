/**
 * Reference kernels of NonMaxSuppression and RoiAlign. NonMaxSuppression expectations are the
 * ONNX documentation's examples or hand-computed IoUs; RoiAlign is hand-computed or
 * numpy-computed (`spatial-expected.ts`).
 */
import { AttributeError, DTypeError, ShapeError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { i64, opError, run1, vals } from './one-node.js';
import { expectCase, expectValues, seq, tensor } from './spatial-helpers.js';

const f32 = (values: readonly number[], dims: readonly number[]) => tensor('float32', values, dims);
// [y1, x1, y2, x2]: boxes 0-2 overlap with IoU > 0.5, 3-4 likewise, 5 stands alone.
const BOXES = [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, -0.1, 1, 0.9, 0, 10, 1, 11, 0, 10.1, 1, 11.1, 0, 100, 1, 101];
const SCORES = [0.9, 0.75, 0.6, 0.95, 0.5, 0.3];

function nms(
  boxes: Tensor,
  scores: Tensor,
  max?: number,
  iou?: number,
  score?: number,
  attrs = {},
): number[][] {
  const y = run1(
    'NonMaxSuppression',
    [
      boxes,
      scores,
      max === undefined ? undefined : i64([max]),
      iou === undefined ? undefined : f32([iou], [1]),
      score === undefined ? undefined : f32([score], [1]),
    ],
    attrs,
  );
  expect(y.dtype).toBe('int64');
  expect(y.dims[1]).toBe(3);
  const v = vals(y);
  return Array.from({ length: y.dims[0]! }, (_, i) => v.slice(3 * i, 3 * i + 3));
}

describe('NonMaxSuppression', () => {
  const boxes = f32(BOXES, [1, 6, 4]);
  const scores = f32(SCORES, [1, 1, 6]);

  it('suppresses by IoU in score order (ONNX documentation example)', () => {
    expect(nms(boxes, scores, 3, 0.5, 0)).toEqual([
      [0, 0, 3],
      [0, 0, 0],
      [0, 0, 5],
    ]);
  });

  it('accepts center-point boxes and flipped corners', () => {
    const centers = f32(
      [0.5, 0.5, 1, 1, 0.5, 0.6, 1, 1, 0.5, 0.4, 1, 1, 0.5, 10.5, 1, 1, 0.5, 10.6, 1, 1, 0.5, 100.5, 1, 1],
      [1, 6, 4],
    );
    expect(nms(centers, scores, 3, 0.5, 0, { center_point_box: 1 })).toEqual([
      [0, 0, 3],
      [0, 0, 0],
      [0, 0, 5],
    ]);
    const flipped = f32(
      [1, 1, 0, 0, 0, 0.1, 1, 1.1, 0, 0.9, 1, -0.1, 0, 10, 1, 11, 1, 10.1, 0, 11.1, 1, 101, 0, 100],
      [1, 6, 4],
    );
    expect(nms(flipped, scores, 3, 0.5, 0)).toEqual([
      [0, 0, 3],
      [0, 0, 0],
      [0, 0, 5],
    ]);
  });

  it('limits the output per class and applies the score threshold strictly', () => {
    expect(nms(boxes, scores, 2, 0.5, 0)).toEqual([
      [0, 0, 3],
      [0, 0, 0],
    ]);
    expect(nms(boxes, scores, 3, 0.5, 0.4)).toEqual([
      [0, 0, 3],
      [0, 0, 0],
    ]);
    expect(nms(boxes, scores, 3, 0.5, 0.3)).toEqual([
      [0, 0, 3],
      [0, 0, 0],
    ]);
  });

  it('keeps boxes whose IoU equals the threshold (hand-computed IoU = 0.5)', () => {
    const b = f32([0, 0, 1, 1, 0, 0, 1, 0.5], [1, 2, 4]);
    const s = f32([0.9, 0.8], [1, 1, 2]);
    expect(nms(b, s, 5, 0.5)).toEqual([
      [0, 0, 0],
      [0, 0, 1],
    ]);
    expect(nms(b, s, 5, 0.49)).toEqual([[0, 0, 0]]);
  });

  it('breaks score ties by box index and handles classes and batches', () => {
    const same = f32(new Array(10).fill([0, 0, 1, 1]).flat(), [1, 10, 4]);
    expect(nms(same, f32(new Array(10).fill(0.9), [1, 1, 10]), 3, 0.5)).toEqual([[0, 0, 0]]);
    const twoClasses = f32([...SCORES, ...SCORES], [1, 2, 6]);
    expect(nms(boxes, twoClasses, 2, 0.5)).toEqual([
      [0, 0, 3],
      [0, 0, 0],
      [0, 1, 3],
      [0, 1, 0],
    ]);
    const twoBatches = f32([...BOXES, ...BOXES], [2, 6, 4]);
    expect(nms(twoBatches, f32([...SCORES, ...SCORES], [2, 1, 6]), 2, 0.5)).toEqual([
      [0, 0, 3],
      [0, 0, 0],
      [1, 0, 3],
      [1, 0, 0],
    ]);
  });

  it('selects nothing when max_output_boxes_per_class is omitted', () => {
    const y = run1('NonMaxSuppression', [boxes, scores]);
    expect(y.dims).toEqual([0, 3]);
  });

  it('checks shapes and attributes', () => {
    let err = opError(() => run1('NonMaxSuppression', [Tensor.zeros('float32', [1, 6, 3]), scores]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe('boxes must have shape [batch, spatial, 4], got [1, 6, 3]');
    err = opError(() => run1('NonMaxSuppression', [boxes, Tensor.zeros('float32', [1, 1, 5])]));
    expect(err.message).toBe('boxes have 6 boxes per batch, scores 5');
    err = opError(() => run1('NonMaxSuppression', [boxes, scores], { center_point_box: 2 }));
    expect(err).toBeInstanceOf(AttributeError);
    err = opError(() => run1('NonMaxSuppression', [boxes, scores, tensor('int32', [3], [1])]));
    expect(err).toBeInstanceOf(DTypeError);
  });
});

describe('RoiAlign', () => {
  it('samples a region at bilinear points (hand-computed)', () => {
    const x = f32([1, 2, 3, 4], [1, 1, 2, 2]);
    // output_half_pixel: the roi [0, 0, 1, 1] has one sample at (0.5, 0.5), the centre of 4 pixels.
    const y = run1('RoiAlign', [x, f32([0, 0, 1, 1], [1, 4]), i64([0])], {
      coordinate_transformation_mode: 'output_half_pixel',
      sampling_ratio: 1,
    });
    expectValues(y, [1, 1, 1, 1], [2.5]);
    // half_pixel shifts by -0.5: the same roi samples pixel (0, 0) exactly.
    const hp = run1('RoiAlign', [x, f32([0, 0, 1, 1], [1, 4]), i64([0])], { sampling_ratio: 1 });
    expectValues(hp, [1, 1, 1, 1], [1]);
  });

  const x = seq('float32', [2, 2, 6, 6], 60);
  const rois = f32([0, 0, 5, 5, 1.5, 0.5, 4, 5.5, 2, 2, 2.4, 2.6], [3, 4]);
  const idx = i64([0, 1, 1]);

  it('averages with half_pixel and a fixed sampling ratio', () => {
    const y = run1('RoiAlign', [x, rois, idx], { output_height: 2, output_width: 3, sampling_ratio: 2 });
    expectCase(y, 'roi_avg_hp', { rtol: 1e-6 });
  });

  it('adapts the sampling grid to the roi size with output_half_pixel', () => {
    const y = run1('RoiAlign', [x, rois, idx], {
      output_height: 2,
      output_width: 2,
      coordinate_transformation_mode: 'output_half_pixel',
    });
    expectCase(y, 'roi_avg_ohp_adaptive', { rtol: 1e-6 });
  });

  it('takes the largest weighted corner in max mode, with spatial_scale', () => {
    const scaled = f32(
      vals(rois).map((v) => v * 2),
      [3, 4],
    );
    const y = run1('RoiAlign', [x, scaled, idx], {
      mode: 'max',
      output_height: 3,
      output_width: 2,
      spatial_scale: 0.5,
    });
    expectCase(y, 'roi_max_hp', { rtol: 1e-6 });
  });

  it('refuses a roi so large that adaptive sampling would need billions of samples', () => {
    const err = opError(() => run1('RoiAlign', [x, f32([0, 0, 1e9, 1e9], [1, 4]), i64([0])]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/RoiAlign sample table/);
  });

  it('checks batch indices, shapes and attributes', () => {
    let err = opError(() => run1('RoiAlign', [x, rois, i64([0, 2, 1])]));
    expect(err.message).toBe('batch_indices[1] = 2 is out of range for batch size 2');
    err = opError(() => run1('RoiAlign', [x, f32([0, 0, 1], [1, 3]), i64([0])]));
    expect(err).toBeInstanceOf(ShapeError);
    err = opError(() => run1('RoiAlign', [x, rois, i64([0, 1])]));
    expect(err.message).toBe('batch_indices must have shape [3], got [2]');
    err = opError(() => run1('RoiAlign', [x, rois, idx], { mode: 'median' }));
    expect(err).toBeInstanceOf(AttributeError);
  });
});
