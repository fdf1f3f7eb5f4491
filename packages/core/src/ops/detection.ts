/**
 * Detection op schemas: NonMaxSuppression and RoiAlign (ONNX semantics).
 * @module
 */
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import type { Dim } from '../ir/graph.js';
import { formatShape } from '../ir/graph.js';
import type { InferContext, OpSchema } from '../ir/schema.js';
import { FLOAT_TYPES, input, requireDType } from './util.js';

/**
 * Symbolic name of NonMaxSuppression's output row count: it depends on the data, so shape
 * inference cannot know it.
 */
export const NMS_SELECTED_DIM = 'num_selected';

/** True when two dims are both static and differ. */
function conflict(a: Dim, b: Dim): boolean {
  return typeof a === 'number' && typeof b === 'number' && a !== b;
}

/** Checks an optional scalar-like (rank 0, or rank 1 with one element) input of NonMaxSuppression. */
function checkScalarInput(ctx: InferContext, i: number, what: string, dtypes: readonly string[]): void {
  const t = ctx.inputs[i];
  if (!t) return;
  if (!dtypes.includes(t.dtype)) throw new DTypeError(`${what} must be ${dtypes.join('/')}, got ${t.dtype}`);
  const ok =
    t.shape.length === 0 || (t.shape.length === 1 && (t.shape[0] === 1 || typeof t.shape[0] === 'string'));
  if (!ok)
    throw new ShapeError(`${what} must be a scalar or a 1-element tensor, got ${formatShape(t.shape)}`);
}

const nonMaxSuppression: OpSchema = {
  opType: 'NonMaxSuppression',
  since: 11,
  category: 'detection',
  minInputs: 2,
  maxInputs: 5,
  attrs: { center_point_box: { type: 'int', default: 0 } },
  doc: 'Greedy per-class box selection by score and IoU; returns [num_selected, 3] (batch, class, box) int64.',
  infer(ctx) {
    const boxes = input(ctx, 0);
    const scores = input(ctx, 1);
    requireDType(boxes.dtype, FLOAT_TYPES, 'NonMaxSuppression boxes');
    if (scores.dtype !== boxes.dtype)
      throw new DTypeError(`scores have dtype ${scores.dtype}, boxes have ${boxes.dtype}`);
    const cpb = ctx.attrs.center_point_box;
    if (cpb !== 0 && cpb !== 1)
      throw new AttributeError(`center_point_box must be 0 or 1, got ${JSON.stringify(cpb)}`);
    if (boxes.shape.length !== 3 || conflict(boxes.shape[2]!, 4)) {
      throw new ShapeError(`boxes must have shape [batch, spatial, 4], got ${formatShape(boxes.shape)}`);
    }
    if (scores.shape.length !== 3) {
      throw new ShapeError(
        `scores must have shape [batch, classes, spatial], got ${formatShape(scores.shape)}`,
      );
    }
    if (conflict(boxes.shape[0]!, scores.shape[0]!)) {
      throw new ShapeError(`boxes batch ${boxes.shape[0]} does not match scores batch ${scores.shape[0]}`);
    }
    if (conflict(boxes.shape[1]!, scores.shape[2]!)) {
      throw new ShapeError(`boxes have ${boxes.shape[1]} boxes per batch, scores ${scores.shape[2]}`);
    }
    checkScalarInput(ctx, 2, 'max_output_boxes_per_class', ['int64']);
    checkScalarInput(ctx, 3, 'iou_threshold', ['float32']);
    checkScalarInput(ctx, 4, 'score_threshold', ['float32']);
    return [{ dtype: 'int64', shape: [NMS_SELECTED_DIM, 3] }];
  },
};

const roiAlign: OpSchema = {
  opType: 'RoiAlign',
  since: 16,
  category: 'detection',
  minInputs: 3,
  maxInputs: 3,
  attrs: {
    coordinate_transformation_mode: { type: 'string', default: 'half_pixel' },
    mode: { type: 'string', default: 'avg' },
    output_height: { type: 'int', default: 1 },
    output_width: { type: 'int', default: 1 },
    sampling_ratio: { type: 'int', default: 0 },
    spatial_scale: { type: 'float', default: 1 },
  },
  doc: 'Pools each region of interest to a fixed size by bilinear sampling (avg or max over samples).',
  infer(ctx) {
    const x = input(ctx, 0);
    const rois = input(ctx, 1);
    const idx = input(ctx, 2);
    requireDType(x.dtype, FLOAT_TYPES, 'RoiAlign input X');
    if (rois.dtype !== x.dtype) throw new DTypeError(`rois have dtype ${rois.dtype}, input X has ${x.dtype}`);
    if (idx.dtype !== 'int64') throw new DTypeError(`batch_indices must be int64, got ${idx.dtype}`);
    const { attrs } = ctx;
    if (attrs.mode !== 'avg' && attrs.mode !== 'max') {
      throw new AttributeError(`mode must be avg or max, got ${JSON.stringify(attrs.mode)}`);
    }
    const ctm = attrs.coordinate_transformation_mode;
    if (ctm !== 'half_pixel' && ctm !== 'output_half_pixel') {
      throw new AttributeError(
        `coordinate_transformation_mode must be half_pixel or output_half_pixel, got ${JSON.stringify(ctm)}`,
      );
    }
    const oh = attrs.output_height as number;
    const ow = attrs.output_width as number;
    if (oh < 1 || ow < 1)
      throw new AttributeError(`output_height and output_width must be >= 1, got ${oh} and ${ow}`);
    if ((attrs.sampling_ratio as number) < 0) {
      throw new AttributeError(`sampling_ratio must be >= 0, got ${attrs.sampling_ratio}`);
    }
    if (x.shape.length !== 4)
      throw new ShapeError(`input X must have shape [N, C, H, W], got ${formatShape(x.shape)}`);
    if (rois.shape.length !== 2 || conflict(rois.shape[1]!, 4)) {
      throw new ShapeError(`rois must have shape [num_rois, 4], got ${formatShape(rois.shape)}`);
    }
    if (idx.shape.length !== 1 || conflict(idx.shape[0]!, rois.shape[0]!)) {
      throw new ShapeError(`batch_indices must have shape [${rois.shape[0]}], got ${formatShape(idx.shape)}`);
    }
    return [{ dtype: x.dtype, shape: [rois.shape[0]!, x.shape[1]!, oh, ow] }];
  },
};

/** Detection ops. */
export const DETECTION_OPS: readonly OpSchema[] = [nonMaxSuppression, roiAlign];
