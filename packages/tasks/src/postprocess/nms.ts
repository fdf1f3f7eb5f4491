/**
 * Non-maximum suppression over axis-aligned boxes given as flat `x1, y1, x2, y2` arrays.
 * Greedy, as torchvision's `nms`: boxes in descending score order suppress every later box whose
 * IoU with them is strictly greater than the threshold. Ties keep the lower index first (stable
 * sort), so results are deterministic.
 * @module
 */
import { InvalidArgumentError } from '@ocular/core';

/** Options of {@link batchedNms}. */
export interface BatchedNmsOptions {
  /** Boxes overlapping a kept box of the same class by more than this IoU are dropped. */
  readonly iouThreshold: number;
  /** Boxes scoring at or below this are dropped before NMS, as torchvision does (default: keep all). */
  readonly scoreThreshold?: number;
  /** Keep at most this many boxes, highest scores first (default: all). */
  readonly maxDetections?: number;
  /** Suppress across classes too (default false: class-aware). */
  readonly classAgnostic?: boolean;
}

function checkInputs(boxes: ArrayLike<number>, scores: ArrayLike<number>, iouThreshold: number): number {
  const n = scores.length;
  if (boxes.length !== n * 4)
    throw new InvalidArgumentError(
      `nms: ${boxes.length} box coordinates for ${n} scores (expected ${n * 4})`,
    );
  if (!(iouThreshold >= 0 && iouThreshold <= 1))
    throw new InvalidArgumentError(`nms: iouThreshold must be in [0, 1], got ${iouThreshold}`);
  return n;
}

/** Intersection over union of boxes `i` and `j` of a flat xyxy array (0 for empty boxes). */
export function boxIou(boxes: ArrayLike<number>, i: number, j: number): number {
  const ax1 = boxes[i * 4]!;
  const ay1 = boxes[i * 4 + 1]!;
  const ax2 = boxes[i * 4 + 2]!;
  const ay2 = boxes[i * 4 + 3]!;
  const bx1 = boxes[j * 4]!;
  const by1 = boxes[j * 4 + 1]!;
  const bx2 = boxes[j * 4 + 2]!;
  const by2 = boxes[j * 4 + 3]!;
  const iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
  const ih = Math.min(ay2, by2) - Math.max(ay1, by1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union =
    Math.max(0, ax2 - ax1) * Math.max(0, ay2 - ay1) + Math.max(0, bx2 - bx1) * Math.max(0, by2 - by1) - inter;
  return union > 0 ? inter / union : 0;
}

/** Indices of `candidates` sorted by descending score (stable). */
function byScore(scores: ArrayLike<number>, candidates: number[]): number[] {
  return candidates.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** Greedy suppression over already score-sorted indices, stopping after `limit` kept boxes. */
function suppress(
  boxes: ArrayLike<number>,
  order: readonly number[],
  iouThreshold: number,
  limit: number,
): number[] {
  const keep: number[] = [];
  const removed = new Uint8Array(order.length);
  for (let a = 0; a < order.length && keep.length < limit; a++) {
    if (removed[a]) continue;
    const i = order[a]!;
    keep.push(i);
    for (let b = a + 1; b < order.length; b++) {
      if (!removed[b] && boxIou(boxes, i, order[b]!) > iouThreshold) removed[b] = 1;
    }
  }
  return keep;
}

/**
 * Greedy NMS: the indices of the kept boxes, in descending score order.
 * @param boxes flat `x1, y1, x2, y2` per box
 * @param scores one score per box
 * @param iouThreshold boxes overlapping a kept box by more than this are dropped
 */
export function nms(boxes: ArrayLike<number>, scores: ArrayLike<number>, iouThreshold: number): number[] {
  const n = checkInputs(boxes, scores, iouThreshold);
  const order = byScore(
    scores,
    Array.from({ length: n }, (_, i) => i),
  );
  return suppress(boxes, order, iouThreshold, n);
}

/**
 * NMS per class (or across classes with `classAgnostic`), with a score threshold and a cap on
 * the number kept: the indices of the kept boxes in descending score order.
 */
export function batchedNms(
  boxes: ArrayLike<number>,
  scores: ArrayLike<number>,
  classIds: ArrayLike<number>,
  options: BatchedNmsOptions,
): number[] {
  const n = checkInputs(boxes, scores, options.iouThreshold);
  if (classIds.length !== n)
    throw new InvalidArgumentError(`nms: ${classIds.length} class ids for ${n} scores`);
  const limit = options.maxDetections ?? n;
  if (!(Number.isInteger(limit) && limit >= 0))
    throw new InvalidArgumentError(`nms: maxDetections must be a non-negative integer, got ${limit}`);
  const threshold = options.scoreThreshold ?? Number.NEGATIVE_INFINITY;
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (scores[i]! > threshold) candidates.push(i);
  if (options.classAgnostic) return suppress(boxes, byScore(scores, candidates), options.iouThreshold, limit);
  // Class-aware: suppress within each class (cost grows with the largest class, not with all
  // boxes), then merge by score and cap.
  const perClass = new Map<number, number[]>();
  for (const i of candidates) {
    const c = classIds[i]!;
    const list = perClass.get(c);
    if (list) list.push(i);
    else perClass.set(c, [i]);
  }
  const kept: number[] = [];
  for (const list of perClass.values())
    kept.push(...suppress(boxes, byScore(scores, list), options.iouThreshold, limit));
  return byScore(scores, kept).slice(0, limit);
}
