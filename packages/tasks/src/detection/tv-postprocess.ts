/**
 * torchvision's detection post-processing on one image's raw head outputs, in input pixels:
 * SSD (`SSD.postprocess_detections`: softmax, per-class threshold and top-k), RetinaNet and
 * FCOS (`postprocess_detections`: sigmoid scores, per-level threshold and top-k), each followed
 * by class-aware NMS and a cap.
 * @module
 */
import { DecodeError, type Tensor } from '@ocular/core';
import { batchedNms } from '../postprocess/index.js';
import { clipBoxes, decodeBoxDeltas, decodeBoxDistances } from './box-coder.js';

/** Boxes (flat `x1, y1, x2, y2`, input pixels), scores and class ids, best first. */
export interface RawDetections {
  readonly boxes: Float64Array;
  readonly scores: Float64Array;
  readonly labels: Int32Array;
}

/** The thresholds of torchvision's detection post-processing. */
export interface DetectionThresholds {
  /** Candidates must score above this. */
  readonly scoreThresh: number;
  /** IoU above which a lower-scoring box of the same class is suppressed. */
  readonly nmsThresh: number;
  /** Detections kept per image. */
  readonly detectionsPerImg: number;
  /** Candidates kept per class (SSD) or per level (RetinaNet, FCOS) before NMS. */
  readonly topkCandidates: number;
}

/** Reads output `name` of batch item 0 as `[rows, cols]`, checking the shape. */
export function rawRows(
  raw: Readonly<Record<string, Tensor>>,
  name: string,
  cols: number,
  rows?: number,
): Float32Array {
  const t = raw[name];
  if (!t)
    throw new DecodeError(`detection output '${name}' is missing (have ${Object.keys(raw).join(', ')})`);
  const d = t.dims;
  if (d.length !== 3 || d[2] !== cols || (rows !== undefined && d[1] !== rows))
    throw new DecodeError(
      `detection output '${name}' has shape [${d.join(', ')}], expected [N, ${rows ?? 'anchors'}, ${cols}]`,
    );
  const n = d[1]! * cols;
  return t.toFloat32().subarray(0, n);
}

/** Indices of the `k` largest `values` at `candidates`, descending (as `Tensor.topk`). */
function topk(values: ArrayLike<number>, candidates: number[], k: number): number[] {
  candidates.sort((a, b) => values[b]! - values[a]! || a - b);
  return candidates.length > k ? candidates.slice(0, k) : candidates;
}

function finish(
  boxes: Float64Array,
  scores: number[],
  labels: number[],
  t: DetectionThresholds,
): RawDetections {
  const keep = batchedNms(boxes, scores, labels, {
    iouThreshold: t.nmsThresh,
    maxDetections: t.detectionsPerImg,
  });
  const out = {
    boxes: new Float64Array(keep.length * 4),
    scores: new Float64Array(keep.length),
    labels: new Int32Array(keep.length),
  };
  keep.forEach((i, n) => {
    out.boxes.set(boxes.subarray(i * 4, i * 4 + 4), n * 4);
    out.scores[n] = scores[i]!;
    out.labels[n] = labels[i]!;
  });
  return out;
}

/**
 * SSD post-processing: softmax over classes, decode against the default boxes (weights
 * 10, 10, 5, 5), clip, then per foreground class the boxes scoring above the threshold (top-k),
 * then class-aware NMS.
 */
export function ssdPostprocess(
  clsLogits: ArrayLike<number>,
  bboxRegression: ArrayLike<number>,
  anchors: ArrayLike<number>,
  numClasses: number,
  imageSize: { readonly width: number; readonly height: number },
  t: DetectionThresholds,
  weights: readonly [number, number, number, number] = [10, 10, 5, 5],
): RawDetections {
  const n = anchors.length / 4;
  const all = Array.from({ length: n }, (_, i) => i);
  const decoded = clipBoxes(
    decodeBoxDeltas(bboxRegression, anchors, all, weights),
    imageSize.width,
    imageSize.height,
  );
  const probs = new Float64Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, clsLogits[i * numClasses + c]!);
    let sum = 0;
    for (let c = 0; c < numClasses; c++) {
      const e = Math.exp(clsLogits[i * numClasses + c]! - max);
      probs[i * numClasses + c] = e;
      sum += e;
    }
    for (let c = 0; c < numClasses; c++) probs[i * numClasses + c]! /= sum;
  }
  const boxes: number[] = [];
  const scores: number[] = [];
  const labels: number[] = [];
  for (let c = 1; c < numClasses; c++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = probs[i * numClasses + c]!;
    const cand: number[] = [];
    for (let i = 0; i < n; i++) if (col[i]! > t.scoreThresh) cand.push(i);
    for (const i of topk(col, cand, t.topkCandidates)) {
      boxes.push(decoded[i * 4]!, decoded[i * 4 + 1]!, decoded[i * 4 + 2]!, decoded[i * 4 + 3]!);
      scores.push(col[i]!);
      labels.push(c);
    }
  }
  return finish(Float64Array.from(boxes), scores, labels, t);
}

/** Per-level slices of the flat head outputs: anchors per level. */
function levelRanges(anchorsPerLevel: readonly number[]): [number, number][] {
  let start = 0;
  return anchorsPerLevel.map((k) => {
    const r: [number, number] = [start, start + k];
    start += k;
    return r;
  });
}

/**
 * RetinaNet / FCOS post-processing: per level, sigmoid scores over every (anchor, class) pair
 * (FCOS: `sqrt(sigmoid(cls) · sigmoid(centerness))`), those above the threshold, top-k, decode
 * (RetinaNet: deltas with weights 1, 1, 1, 1; FCOS: edge distances scaled by the anchor size),
 * clip; then class-aware NMS over all levels.
 */
export function denseDetectorPostprocess(
  kind: 'retinanet' | 'fcos',
  clsLogits: ArrayLike<number>,
  bboxRegression: ArrayLike<number>,
  ctrness: ArrayLike<number> | undefined,
  anchors: ArrayLike<number>,
  anchorsPerLevel: readonly number[],
  numClasses: number,
  imageSize: { readonly width: number; readonly height: number },
  t: DetectionThresholds,
): RawDetections {
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const boxes: number[] = [];
  const scores: number[] = [];
  const labels: number[] = [];
  for (const [start, end] of levelRanges(anchorsPerLevel)) {
    const flat = new Float64Array((end - start) * numClasses);
    for (let a = start; a < end; a++) {
      for (let c = 0; c < numClasses; c++) {
        const s = sigmoid(clsLogits[a * numClasses + c]!);
        flat[(a - start) * numClasses + c] = kind === 'fcos' ? Math.sqrt(s * sigmoid(ctrness![a]!)) : s;
      }
    }
    const cand: number[] = [];
    for (let i = 0; i < flat.length; i++) if (flat[i]! > t.scoreThresh) cand.push(i);
    const top = topk(flat, cand, t.topkCandidates);
    const anchorIdx = top.map((i) => start + Math.floor(i / numClasses));
    const decoded =
      kind === 'fcos'
        ? decodeBoxDistances(bboxRegression, anchors, anchorIdx)
        : decodeBoxDeltas(bboxRegression, anchors, anchorIdx, [1, 1, 1, 1]);
    clipBoxes(decoded, imageSize.width, imageSize.height);
    top.forEach((i, n) => {
      boxes.push(decoded[n * 4]!, decoded[n * 4 + 1]!, decoded[n * 4 + 2]!, decoded[n * 4 + 3]!);
      scores.push(flat[i]!);
      labels.push(i % numClasses);
    });
  }
  return finish(Float64Array.from(boxes), scores, labels, t);
}
