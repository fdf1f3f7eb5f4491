/**
 * torchvision's anchors as flat `x1, y1, x2, y2` arrays in input pixels, location-major (the
 * order of the heads' outputs): `DefaultBoxGenerator` (SSD) and `AnchorGenerator` (RetinaNet,
 * FCOS).
 * @module
 */
import { InvalidArgumentError } from '@ocular/core';

/** Height and width of one feature map. */
export type GridSize = readonly [number, number];

/**
 * The feature-map size at each `reduction`, for stride-2 layers that each map `n` to `⌈n/2⌉`
 * (3×3/5×5 convolutions with centred padding, torchvision's 1×1 stride-2 max pool).
 */
export function gridSizes(height: number, width: number, reductions: readonly number[]): GridSize[] {
  return reductions.map((r) => {
    let h = height;
    let w = width;
    for (let s = r; s > 1; s /= 2) {
      if (s % 2) throw new InvalidArgumentError(`feature reduction ${r} is not a power of two`);
      h = Math.ceil(h / 2);
      w = Math.ceil(w / 2);
    }
    return [h, w] as const;
  });
}

/** Options of {@link ssdDefaultBoxes} (torchvision's `DefaultBoxGenerator`). */
export interface DefaultBoxOptions {
  /** Extra aspect ratios per level (each adds a box and its transpose). */
  readonly aspectRatios: readonly (readonly number[])[];
  /** Per-level scales plus one more (`len + 1`); derived from min/max ratio when omitted. */
  readonly scales?: readonly number[];
  /** Default 0.15. */
  readonly minRatio?: number;
  /** Default 0.9. */
  readonly maxRatio?: number;
  /** Clip the widths/heights to [0, 1] (default true). */
  readonly clip?: boolean;
}

/** The scales `DefaultBoxGenerator` derives from `minRatio`/`maxRatio` for `n` levels. */
export function defaultBoxScales(n: number, minRatio = 0.15, maxRatio = 0.9): number[] {
  if (n <= 1) return [minRatio, maxRatio];
  const scales = Array.from({ length: n }, (_, k) => minRatio + ((maxRatio - minRatio) * k) / (n - 1));
  scales.push(1);
  return scales;
}

/** Boxes per location of each level: 2 squares plus 2 per aspect ratio. */
export function defaultBoxesPerLocation(aspectRatios: readonly (readonly number[])[]): number[] {
  return aspectRatios.map((r) => 2 + 2 * r.length);
}

/** SSD default boxes for `grids` on an input of `height × width` (steps derived from the grids). */
export function ssdDefaultBoxes(
  grids: readonly GridSize[],
  height: number,
  width: number,
  options: DefaultBoxOptions,
): Float32Array {
  const ar = options.aspectRatios;
  if (grids.length !== ar.length)
    throw new InvalidArgumentError(`default boxes: ${grids.length} feature maps for ${ar.length} levels`);
  const scales = options.scales ?? defaultBoxScales(ar.length, options.minRatio, options.maxRatio);
  const clip = options.clip ?? true;
  const out: number[] = [];
  grids.forEach(([gh, gw], k) => {
    const sk = scales[k]!;
    const pairs: [number, number][] = [
      [sk, sk],
      [Math.sqrt(sk * scales[k + 1]!), Math.sqrt(sk * scales[k + 1]!)],
    ];
    for (const r of ar[k]!) {
      const q = Math.sqrt(r);
      pairs.push([sk * q, sk / q], [sk / q, sk * q]);
    }
    const c = (v: number) => (clip ? Math.min(Math.max(v, 0), 1) : v);
    for (let y = 0; y < gh; y++) {
      for (let x = 0; x < gw; x++) {
        const cx = Math.fround((x + 0.5) / gw);
        const cy = Math.fround((y + 0.5) / gh);
        for (const [pw, ph] of pairs) {
          const w = Math.fround(c(pw));
          const h = Math.fround(c(ph));
          out.push(
            (cx - 0.5 * w) * width,
            (cy - 0.5 * h) * height,
            (cx + 0.5 * w) * width,
            (cy + 0.5 * h) * height,
          );
        }
      }
    }
  });
  return Float32Array.from(out);
}

/** Rounds half to even, as `torch.round`. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The cell anchors of one level (torchvision's `AnchorGenerator.generate_anchors`): for each
 * aspect ratio, for each size, `[-w, -h, w, h] / 2` rounded, computed in float32.
 */
export function cellAnchors(sizes: readonly number[], aspectRatios: readonly number[]): number[] {
  const out: number[] = [];
  for (const ar of aspectRatios) {
    const hr = Math.fround(Math.sqrt(ar));
    const wr = Math.fround(1 / hr);
    for (const s of sizes) {
      const w = Math.fround(wr * s);
      const h = Math.fround(hr * s);
      out.push(
        roundHalfEven(Math.fround(-w / 2)),
        roundHalfEven(Math.fround(-h / 2)),
        roundHalfEven(Math.fround(w / 2)),
        roundHalfEven(Math.fround(h / 2)),
      );
    }
  }
  return out;
}

/**
 * torchvision's `AnchorGenerator` for `grids` on an input of `height × width`: the cell anchors
 * shifted to every location, strides `⌊input / grid⌋` per axis.
 */
export function gridAnchors(
  grids: readonly GridSize[],
  height: number,
  width: number,
  sizes: readonly (readonly number[])[],
  aspectRatios: readonly (readonly number[])[],
): Float32Array {
  if (grids.length !== sizes.length || sizes.length !== aspectRatios.length)
    throw new InvalidArgumentError(
      `anchors: ${grids.length} feature maps, ${sizes.length} size sets, ${aspectRatios.length} ratio sets`,
    );
  const out: number[] = [];
  grids.forEach(([gh, gw], k) => {
    const cells = cellAnchors(sizes[k]!, aspectRatios[k]!);
    const sy = Math.floor(height / gh);
    const sx = Math.floor(width / gw);
    for (let y = 0; y < gh; y++) {
      for (let x = 0; x < gw; x++) {
        for (let i = 0; i < cells.length; i += 4) {
          out.push(
            x * sx + cells[i]!,
            y * sy + cells[i + 1]!,
            x * sx + cells[i + 2]!,
            y * sy + cells[i + 3]!,
          );
        }
      }
    }
  });
  return Float32Array.from(out);
}
