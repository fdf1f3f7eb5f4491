/**
 * From per-class logits at model-input resolution to a {@link Segmentation} of the source image.
 * @module
 */
import type { ClassMask, DecodeContext, InputTransform, Segmentation } from '@ocular/core';
import { DecodeError, InvalidArgumentError, Tensor } from '@ocular/core';
import { labelOf } from './detections.js';

/** Options of {@link toSegmentation}. */
export interface ToSegmentationOptions {
  /**
   * How scores become probabilities: `softmax` over classes (default for several channels),
   * `sigmoid` (default for one channel: foreground vs background), or `none` when the model
   * already outputs probabilities.
   */
  readonly activation?: 'softmax' | 'sigmoid' | 'none';
  /**
   * Axis order of the scores: `nchw` (`[1, C, H, W]`, default) or `nhwc` (`[1, H, W, C]`, the
   * outputs of TensorFlow models kept channels-last).
   */
  readonly layout?: 'nchw' | 'nhwc';
}

/** `[1, H, W, C]` scores as `[1, C, H, W]`. */
function nhwcToNchw(t: Tensor): Tensor {
  const [, h, w, c] = t.dims as [number, number, number, number];
  const src = t.toFloat32();
  const dst = new Float32Array(src.length);
  const plane = h * w;
  for (let p = 0; p < plane; p++) for (let k = 0; k < c; k++) dst[k * plane + p] = src[p * c + k]!;
  return new Tensor('float32', dst, [1, c, h, w]);
}

/** Source-pixel → input-pixel sampling table along one axis (bilinear, centre-aligned). */
function axisTable(n: number, scale: number, offset: number, inputLen: number) {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const w1 = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    const x = Math.min(Math.max((s + 0.5) * scale + offset - 0.5, 0), inputLen - 1);
    const lo = Math.floor(x);
    i0[s] = lo;
    i1[s] = Math.min(lo + 1, inputLen - 1);
    w1[s] = x - lo;
  }
  return { i0, i1, w1 };
}

/**
 * Resamples class scores from the model input to the source image (bilinear on the scores, only
 * the region of the input the source occupies, so letterbox padding never leaks in), takes the
 * winning class per pixel with its probability, and builds one mask per class present.
 * @param scores `[1, C, h, w]` (or `[1, h, w, C]` with `layout: 'nhwc'`) scores at input
 *   resolution (C = 1: one foreground score)
 */
export function toSegmentation(
  scores: Tensor,
  context: DecodeContext,
  options: ToSegmentationOptions = {},
): Segmentation {
  const layout = options.layout ?? 'nchw';
  if (layout !== 'nchw' && layout !== 'nhwc')
    throw new InvalidArgumentError(`segmentation: layout must be 'nchw' or 'nhwc', got '${String(layout)}'`);
  const shape = layout === 'nchw' ? '[1, C, H, W]' : '[1, H, W, C]';
  if (scores.dims.length !== 4 || scores.dims[0] !== 1)
    throw new DecodeError(`segmentation: expected logits ${shape}, got [${scores.dims.join(', ')}]`);
  const logits = layout === 'nhwc' ? nhwcToNchw(scores) : scores;
  const [, c, h, w] = logits.dims as [number, number, number, number];
  if (c < 1 || h < 1 || w < 1)
    throw new DecodeError(`segmentation: empty logits [${logits.dims.join(', ')}]`);
  const t: InputTransform = context.transform;
  // The logits may be at a lower resolution than the input (heads that skip the final upsample).
  const sx = w / t.input.width;
  const sy = h / t.input.height;
  const { width, height } = t.source;
  const xs = axisTable(width, t.scaleX * sx, t.offsetX * sx, w);
  const ys = axisTable(height, t.scaleY * sy, t.offsetY * sy, h);
  const data = logits.toFloat32();
  const activation = options.activation ?? (c === 1 ? 'sigmoid' : 'softmax');
  const binary = c === 1;
  const numClasses = binary ? 2 : c;
  const classMap = numClasses <= 256 ? new Uint8Array(width * height) : new Uint16Array(width * height);
  const confidence = new Float32Array(width * height);
  const plane = h * w;
  const v = new Float32Array(c);
  // Separable: the vertical blend of every class row is computed once per output row (input
  // width), so each output pixel needs two reads and one blend per class.
  const row = new Float32Array(c * w);
  for (let y = 0; y < height; y++) {
    const r0 = ys.i0[y]! * w;
    const r1 = ys.i1[y]! * w;
    const wy = ys.w1[y]!;
    for (let k = 0; k < c; k++) {
      const base = k * plane;
      const rb = k * w;
      for (let x = 0; x < w; x++) row[rb + x] = data[base + r0 + x]! * (1 - wy) + data[base + r1 + x]! * wy;
    }
    for (let x = 0; x < width; x++) {
      const c0 = xs.i0[x]!;
      const c1 = xs.i1[x]!;
      const wx = xs.w1[x]!;
      let best = 0;
      let bestV = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < c; k++) {
        const rb = k * w;
        const val = row[rb + c0]! * (1 - wx) + row[rb + c1]! * wx;
        v[k] = val;
        if (val > bestV) {
          bestV = val;
          best = k;
        }
      }
      const o = y * width + x;
      if (binary) {
        const p = activation === 'sigmoid' ? 1 / (1 + Math.exp(-bestV)) : bestV;
        classMap[o] = p > 0.5 ? 1 : 0;
        confidence[o] = p > 0.5 ? p : 1 - p;
      } else {
        classMap[o] = best;
        if (activation === 'softmax') {
          let sum = 0;
          for (let k = 0; k < c; k++) sum += Math.exp(v[k]! - bestV);
          confidence[o] = 1 / sum;
        } else if (activation === 'sigmoid') confidence[o] = 1 / (1 + Math.exp(-bestV));
        else confidence[o] = bestV;
      }
    }
  }
  const labels = Array.from({ length: numClasses }, (_, k) => labelOf(k, context.labels));
  return {
    width,
    height,
    numClasses,
    labels,
    classMap,
    confidence,
    masks: classMasks(classMap, confidence, labels),
  };
}

/** One mask per class present in `classMap`, ordered by class id. */
export function classMasks(
  classMap: Uint8Array | Uint16Array,
  confidence: Float32Array,
  labels: readonly string[],
): ClassMask[] {
  const area = new Map<number, number>();
  const scoreSum = new Map<number, number>();
  for (let i = 0; i < classMap.length; i++) {
    const k = classMap[i]!;
    area.set(k, (area.get(k) ?? 0) + 1);
    scoreSum.set(k, (scoreSum.get(k) ?? 0) + confidence[i]!);
  }
  return [...area.keys()]
    .sort((a, b) => a - b)
    .map((classId) => {
      const mask = new Uint8Array(classMap.length);
      for (let i = 0; i < classMap.length; i++) if (classMap[i] === classId) mask[i] = 1;
      const n = area.get(classId)!;
      return {
        classId,
        label: labelOf(classId, labels),
        mask,
        area: n,
        meanScore: scoreSum.get(classId)! / n,
      };
    });
}
