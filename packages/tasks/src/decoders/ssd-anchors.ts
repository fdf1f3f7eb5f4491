/**
 * The default boxes (anchors, priors) of the common SSD recipe, as torchvision's
 * `DefaultBoxGenerator` and ssd.pytorch's `PriorBox` make them: per feature-map cell, row by
 * row, a box of scale `s_k`, one of `sqrt(s_k * s_{k+1})`, and for each extra aspect ratio `r`
 * the pair `(s_k√r, s_k/√r)`, `(s_k/√r, s_k√r)`.
 * @module
 */
import { InvalidArgumentError, type Size } from '@ocular/core';

/** How to generate SSD anchors. Serialisable. */
export interface SsdAnchorSpec {
  /** Feature-map size per level: `[height, width]`, or one number for a square map. */
  readonly featureMapSizes: readonly (number | readonly [number, number])[];
  /** Extra aspect ratios (width / height) per level; ratio 1 is always there. */
  readonly aspectRatios: readonly (readonly number[])[];
  /**
   * Box scale per level plus one more (fractions of the input), as torchvision's `scales`.
   * Default: evenly spaced from `minScale` to `maxScale`, then 1.
   */
  readonly scales?: readonly number[];
  /** Smallest evenly spaced scale (default 0.15, torchvision's `min_ratio`). */
  readonly minScale?: number;
  /** Largest evenly spaced scale (default 0.9, torchvision's `max_ratio`). */
  readonly maxScale?: number;
  /**
   * Caffe/ssd.pytorch style instead of scales: smallest box size per level in input pixels; the
   * second square box is `sqrt(minSizes[k] * maxSizes[k])`.
   */
  readonly minSizes?: readonly number[];
  /** Largest box size per level in input pixels (with `minSizes`). */
  readonly maxSizes?: readonly number[];
  /** Spacing of the box centres per level in input pixels (default: input size / map size). */
  readonly steps?: readonly number[];
  /** Clip widths and heights to 1 (default true, as torchvision and ssd.pytorch). */
  readonly clip?: boolean;
}

function levelSize(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Anchors per cell of each level: `2 + 2 × (extra aspect ratios)`. */
export function ssdAnchorsPerLocation(spec: SsdAnchorSpec): number[] {
  return spec.aspectRatios.map((r) => 2 + 2 * r.length);
}

function checkSpec(spec: SsdAnchorSpec): void {
  const levels = spec.featureMapSizes.length;
  if (levels === 0) throw new InvalidArgumentError('anchor spec: featureMapSizes is empty');
  if (spec.aspectRatios.length !== levels)
    throw new InvalidArgumentError(
      `anchor spec: ${spec.aspectRatios.length} aspectRatios lists for ${levels} feature maps`,
    );
  for (const s of spec.featureMapSizes) {
    const [h, w] = levelSize(s);
    if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0))
      throw new InvalidArgumentError(`anchor spec: bad feature map size ${JSON.stringify(s)}`);
  }
  for (const r of spec.aspectRatios.flat())
    if (!(r > 0)) throw new InvalidArgumentError(`anchor spec: aspect ratio ${r} is not positive`);
  if (spec.scales && spec.scales.length !== levels + 1)
    throw new InvalidArgumentError(
      `anchor spec: ${spec.scales.length} scales for ${levels} levels (need ${levels + 1})`,
    );
  if ((spec.minSizes === undefined) !== (spec.maxSizes === undefined))
    throw new InvalidArgumentError('anchor spec: minSizes and maxSizes go together');
  if (spec.minSizes && (spec.minSizes.length !== levels || spec.maxSizes!.length !== levels))
    throw new InvalidArgumentError(`anchor spec: minSizes and maxSizes need ${levels} values each`);
  if (spec.steps && spec.steps.length !== levels)
    throw new InvalidArgumentError(`anchor spec: ${spec.steps.length} steps for ${levels} levels`);
}

/** torchvision's scales: `m` evenly spaced from min to max, then 1. */
function evenScales(m: number, min: number, max: number): number[] {
  const s = Array.from({ length: m }, (_, k) => (m === 1 ? min : min + ((max - min) * k) / (m - 1)));
  return [...s, 1];
}

/**
 * Generates the anchors of `spec` for an input of `input` size: flat `cx, cy, w, h` per anchor,
 * normalised to the input (0–1), level by level, cell by cell (row-major), box by box.
 */
export function generateSsdAnchors(spec: SsdAnchorSpec, input: Size): Float32Array {
  checkSpec(spec);
  const levels = spec.featureMapSizes.length;
  const clip = spec.clip ?? true;
  const scales = spec.scales ?? evenScales(levels, spec.minScale ?? 0.15, spec.maxScale ?? 0.9);
  const counts = ssdAnchorsPerLocation(spec);
  let total = 0;
  for (let k = 0; k < levels; k++) {
    const [h, w] = levelSize(spec.featureMapSizes[k]!);
    total += h * w * counts[k]!;
  }
  const out = new Float32Array(total * 4);
  let o = 0;
  for (let k = 0; k < levels; k++) {
    const [fh, fw] = levelSize(spec.featureMapSizes[k]!);
    // Widths and heights (normalised) of the boxes of one cell.
    let sx: number;
    let sy: number;
    let px: number;
    let py: number;
    if (spec.minSizes) {
      const min = spec.minSizes[k]!;
      const prime = Math.sqrt(min * spec.maxSizes![k]!);
      [sx, sy, px, py] = [min / input.width, min / input.height, prime / input.width, prime / input.height];
    } else {
      const prime = Math.sqrt(scales[k]! * scales[k + 1]!);
      [sx, sy, px, py] = [scales[k]!, scales[k]!, prime, prime];
    }
    const wh: [number, number][] = [
      [sx, sy],
      [px, py],
    ];
    for (const r of spec.aspectRatios[k]!) {
      const q = Math.sqrt(r);
      wh.push([sx * q, sy / q], [sx / q, sy * q]);
    }
    const cw = clip ? wh.map(([a, b]) => [Math.min(Math.max(a, 0), 1), Math.min(Math.max(b, 0), 1)]) : wh;
    // Centre spacing in normalised units.
    const stepX = spec.steps ? spec.steps[k]! / input.width : 1 / fw;
    const stepY = spec.steps ? spec.steps[k]! / input.height : 1 / fh;
    for (let i = 0; i < fh; i++) {
      const cy = (i + 0.5) * stepY;
      for (let j = 0; j < fw; j++) {
        const cx = (j + 0.5) * stepX;
        for (const [bw, bh] of cw) {
          out[o++] = cx;
          out[o++] = cy;
          out[o++] = bw!;
          out[o++] = bh!;
        }
      }
    }
  }
  return out;
}
