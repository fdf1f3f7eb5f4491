/**
 * From boxes in model-input pixels to {@link Detection}s in source-image pixels.
 * @module
 */
import type { Box, DecodeContext, Detection, InputTransform } from '@ocular/core';
import { InvalidArgumentError } from '@ocular/core';

/** The label of `classId`: from `labels`, else `class <id>`. */
export function labelOf(classId: number, labels?: readonly string[]): string {
  return labels?.[classId] ?? `class ${classId}`;
}

/**
 * Maps a box from model-input pixels to source-image pixels (inverting
 * `input = source * scale + offset`) and clips it to the source image.
 */
export function inputBoxToSource(x1: number, y1: number, x2: number, y2: number, t: InputTransform): Box {
  const { width, height } = t.source;
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  return {
    x1: clip((x1 - t.offsetX) / t.scaleX, width),
    y1: clip((y1 - t.offsetY) / t.scaleY, height),
    x2: clip((x2 - t.offsetX) / t.scaleX, width),
    y2: clip((y2 - t.offsetY) / t.scaleY, height),
  };
}

/**
 * Builds detections for the boxes at `keep` (indices into the flat arrays): maps each box from
 * input pixels to the source image, clips it, normalises it and labels it. Boxes that end up
 * empty after clipping (entirely in the letterbox padding) are dropped.
 * @param boxes flat `x1, y1, x2, y2` per box, in model-input pixels
 */
export function toDetections(
  boxes: ArrayLike<number>,
  scores: ArrayLike<number>,
  classIds: ArrayLike<number>,
  keep: readonly number[],
  context: DecodeContext,
): Detection[] {
  if (boxes.length !== scores.length * 4 || classIds.length !== scores.length)
    throw new InvalidArgumentError(
      `toDetections: ${boxes.length / 4} boxes, ${scores.length} scores and ${classIds.length} class ids disagree`,
    );
  const t = context.transform;
  const { width, height } = t.source;
  const out: Detection[] = [];
  for (const i of keep) {
    const box = inputBoxToSource(boxes[i * 4]!, boxes[i * 4 + 1]!, boxes[i * 4 + 2]!, boxes[i * 4 + 3]!, t);
    if (box.x2 <= box.x1 || box.y2 <= box.y1) continue;
    const classId = classIds[i]!;
    out.push({
      box,
      normalizedBox: { x1: box.x1 / width, y1: box.y1 / height, x2: box.x2 / width, y2: box.y2 / height },
      classId,
      label: labelOf(classId, context.labels),
      score: scores[i]!,
    });
  }
  return out;
}

/** The transform of an input fed unchanged (source size = input size). */
export function identityTransform(width: number, height: number): InputTransform {
  return {
    source: { width, height },
    input: { width, height },
    scaleX: 1,
    scaleY: 1,
    offsetX: 0,
    offsetY: 0,
  };
}
