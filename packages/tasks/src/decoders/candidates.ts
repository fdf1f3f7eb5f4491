/**
 * Collecting (box, class, score) candidates above a threshold and turning them into detections
 * through NMS and the input-to-source mapping.
 * @module
 */
import type { DecodeContext, Detection } from '@ocular/core';
import { batchedNms, toDetections } from '../postprocess/index.js';
import type { ResolvedDetectionOptions } from './common.js';

/** Growing flat arrays of candidate boxes (xyxy, model-input pixels), scores and class ids. */
export class Candidates {
  readonly boxes: number[] = [];
  readonly scores: number[] = [];
  readonly classIds: number[] = [];

  /** Number of candidates. */
  get length(): number {
    return this.scores.length;
  }

  /** Adds one candidate. */
  add(x1: number, y1: number, x2: number, y2: number, score: number, classId: number): void {
    this.boxes.push(x1, y1, x2, y2);
    this.scores.push(score);
    this.classIds.push(classId);
  }
}

/**
 * The classes of one box that become candidates: its best class when it scores above
 * `threshold`, or with `multiLabel` every class above it. `skip` (a background column) is never
 * chosen. Calls `emit(classId, score)` for each.
 */
export function pickClasses(
  numClasses: number,
  scoreOf: (k: number) => number,
  threshold: number,
  multiLabel: boolean,
  emit: (classId: number, score: number) => void,
  skip = -1,
): void {
  if (multiLabel) {
    for (let k = 0; k < numClasses; k++) {
      if (k === skip) continue;
      const s = scoreOf(k);
      if (s > threshold) emit(k, s);
    }
    return;
  }
  let best = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < numClasses; k++) {
    if (k === skip) continue;
    const s = scoreOf(k);
    if (s > bestScore) {
      bestScore = s;
      best = k;
    }
  }
  if (best >= 0 && bestScore > threshold) emit(best, bestScore);
}

/** Indices `0..n-1` of the `limit` highest scores (all when there are no more than `limit`). */
export function topIndices(scores: ArrayLike<number>, limit: number): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  if (idx.length <= limit) return idx;
  return idx.sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, limit);
}

/**
 * NMS (unless `applyNms` is false, for outputs already suppressed or set predictions), the cap
 * on detections, and the mapping to source-image detections.
 */
export function finishDetections(
  c: Candidates,
  options: ResolvedDetectionOptions,
  context: DecodeContext,
  applyNms = true,
): Detection[] {
  let { boxes, scores, classIds } = c;
  if (c.length > options.maxCandidates) {
    const top = topIndices(scores, options.maxCandidates);
    boxes = top.flatMap((i) => c.boxes.slice(i * 4, i * 4 + 4));
    scores = top.map((i) => c.scores[i]!);
    classIds = top.map((i) => c.classIds[i]!);
  }
  const keep = applyNms
    ? batchedNms(boxes, scores, classIds, {
        iouThreshold: options.iouThreshold,
        maxDetections: options.maxDetections,
        classAgnostic: options.classAgnostic,
      })
    : topIndices(scores, options.maxDetections).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return toDetections(boxes, scores, classIds, keep, context);
}
