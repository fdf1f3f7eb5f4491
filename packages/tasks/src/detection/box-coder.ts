/**
 * torchvision's box decoders, on flat arrays: `BoxCoder.decode_single` (SSD, RetinaNet: centre
 * offsets and log scales relative to an anchor, divided by per-coordinate weights) and
 * `BoxLinearCoder.decode` (FCOS: distances from the anchor centre to the four edges).
 * @module
 */

/** `log(1000 / 16)`: torchvision's cap on the log-scale deltas before `exp`. */
export const BBOX_XFORM_CLIP = Math.log(1000 / 16);

/**
 * Decodes `(dx, dy, dw, dh)` deltas against `x1, y1, x2, y2` anchors (torchvision's
 * `BoxCoder.decode_single`): deltas are divided by `weights`, the scale deltas capped at
 * `clip`. Reads box `i` at `codes[codeOffset + 4i…]`, `anchors[anchorOffset + 4i…]`.
 * @returns flat `x1, y1, x2, y2` per box
 */
export function decodeBoxDeltas(
  codes: ArrayLike<number>,
  anchors: ArrayLike<number>,
  indices: readonly number[],
  weights: readonly [number, number, number, number],
  clip = BBOX_XFORM_CLIP,
  anchorIndices: readonly number[] = indices,
): Float64Array {
  const [wx, wy, ww, wh] = weights;
  const out = new Float64Array(indices.length * 4);
  indices.forEach((i, n) => {
    const a = anchorIndices[n]! * 4;
    const width = anchors[a + 2]! - anchors[a]!;
    const height = anchors[a + 3]! - anchors[a + 1]!;
    const cx = anchors[a]! + 0.5 * width;
    const cy = anchors[a + 1]! + 0.5 * height;
    const dx = codes[i * 4]! / wx;
    const dy = codes[i * 4 + 1]! / wy;
    const dw = Math.min(codes[i * 4 + 2]! / ww, clip);
    const dh = Math.min(codes[i * 4 + 3]! / wh, clip);
    const px = dx * width + cx;
    const py = dy * height + cy;
    const pw = Math.exp(dw) * width;
    const ph = Math.exp(dh) * height;
    out[n * 4] = px - 0.5 * pw;
    out[n * 4 + 1] = py - 0.5 * ph;
    out[n * 4 + 2] = px + 0.5 * pw;
    out[n * 4 + 3] = py + 0.5 * ph;
  });
  return out;
}

/**
 * Decodes FCOS distances `(l, t, r, b)` from the anchor centre (torchvision's
 * `BoxLinearCoder.decode` with `normalize_by_size`: distances are in units of the anchor's size).
 * Box `n` reads `codes[4·indices[n]…]` and anchor `anchorIndices[n]`.
 */
export function decodeBoxDistances(
  codes: ArrayLike<number>,
  anchors: ArrayLike<number>,
  indices: readonly number[],
  anchorIndices: readonly number[] = indices,
  normalizeBySize = true,
): Float64Array {
  const out = new Float64Array(indices.length * 4);
  indices.forEach((i, n) => {
    const a = anchorIndices[n]! * 4;
    const cx = 0.5 * (anchors[a]! + anchors[a + 2]!);
    const cy = 0.5 * (anchors[a + 1]! + anchors[a + 3]!);
    const sx = normalizeBySize ? anchors[a + 2]! - anchors[a]! : 1;
    const sy = normalizeBySize ? anchors[a + 3]! - anchors[a + 1]! : 1;
    out[n * 4] = cx - codes[i * 4]! * sx;
    out[n * 4 + 1] = cy - codes[i * 4 + 1]! * sy;
    out[n * 4 + 2] = cx + codes[i * 4 + 2]! * sx;
    out[n * 4 + 3] = cy + codes[i * 4 + 3]! * sy;
  });
  return out;
}

/** Clips flat `x1, y1, x2, y2` boxes to `[0, width] × [0, height]` in place (`clip_boxes_to_image`). */
export function clipBoxes(boxes: Float64Array, width: number, height: number): Float64Array {
  for (let i = 0; i < boxes.length; i += 4) {
    boxes[i] = Math.min(Math.max(boxes[i]!, 0), width);
    boxes[i + 1] = Math.min(Math.max(boxes[i + 1]!, 0), height);
    boxes[i + 2] = Math.min(Math.max(boxes[i + 2]!, 0), width);
    boxes[i + 3] = Math.min(Math.max(boxes[i + 3]!, 0), height);
  }
  return boxes;
}
