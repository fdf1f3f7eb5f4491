/**
 * Tiled super-resolution: a large image is cut into overlapping tiles, each tile is upscaled by
 * a caller-supplied `runTile` (any backend session), and the tiles are blended into one output
 * with feathered weights normalised per pixel.
 *
 * Weights, per axis, for a tile edge that borders another tile: zero over the first `margin`
 * input pixels (whose outputs the tile's zero padding may have changed), then a linear ramp from
 * 0 to 1 over the next `overlap − 2·margin` pixels; edges on the image border keep weight 1. A
 * pixel's weight is the product of the two axes' weights, divided by the sum over all tiles
 * covering it — which factorises into per-axis sums, so only the output itself is held in full
 * size. When `margin` is at least the network's receptive radius every output pixel with
 * non-zero weight equals the whole-image result, so the tiled output equals the untiled one up
 * to rounding.
 * @module
 */
import { AbortError, DTypeError, InvalidArgumentError, type Session, ShapeError, Tensor } from '@ocular/core';
import type { ReceptiveField } from './base.js';

/** A tile setting that cannot work (size, overlap, margin or alignment); `details` names the values. */
export class TileConfigError extends InvalidArgumentError {}

/** Progress of a tiled run: tiles finished of the total. */
export interface TileProgress {
  readonly done: number;
  readonly total: number;
}

/** Upscales one tile `[N, C, h, w]` to `[N, C_out, h·scale, w·scale]`. */
export type RunTile = (tile: Tensor) => Promise<Tensor>;

/** Options of {@link planTiles} and {@link upscaleTiled}. */
export interface TileOptions {
  /** Tile height and width in input pixels (one number: square). Clamped to the image size. */
  readonly tileSize: number | readonly [number, number];
  /** Input pixels neighbouring tiles share (at least this; alignment may add some). */
  readonly overlap: number;
  /**
   * Input pixels at each tile edge that borders another tile given zero weight; set it to the
   * network's receptive radius for an exact result. Default `floor(overlap / 4)`.
   */
  readonly margin?: number;
  /**
   * Tile origins and sizes are multiples of this (a network that pixel-unshuffles its input
   * needs it); the image's height and width must be multiples of it too. Default 1.
   */
  readonly align?: number;
}

/** Options of {@link upscaleTiled}. */
export interface UpscaleTiledOptions extends TileOptions {
  /** Checked before each tile and after each `runTile`; an aborted signal throws `AbortError`. */
  readonly signal?: AbortSignal;
  /** Called after every tile. */
  readonly onProgress?: (progress: TileProgress) => void;
}

/** One tile: its origin and size in input pixels. */
export interface TileRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The tiles of an image, row-major, all of one size. */
export interface TilePlan {
  readonly tiles: readonly TileRect[];
  /** Origins along each axis (the tiles are their product). */
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly tileWidth: number;
  readonly tileHeight: number;
  readonly margin: number;
  readonly overlap: number;
}

function int(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min)
    throw new TileConfigError(`${name} must be an integer ≥ ${min}, got ${v}`, { [name]: v });
  return v;
}

/** Tile origins along one axis of `length`: stride `tile − overlap` rounded down to `align`, last one clamped to the end. */
function axisStarts(length: number, tile: number, overlap: number, align: number, axis: string): number[] {
  if (tile >= length) return [0];
  const stride = Math.floor((tile - overlap) / align) * align;
  if (stride < 1)
    throw new TileConfigError(
      `tile ${axis} ${tile} leaves no step after an overlap of ${overlap} (aligned to ${align})`,
      { tile, overlap, align },
    );
  const starts: number[] = [];
  for (let s = 0; ; s = Math.min(s + stride, length - tile)) {
    starts.push(s);
    if (s + tile >= length) break;
  }
  return starts;
}

/**
 * Plans the tiles of an image of `height × width` input pixels. Throws `TileConfigError` for
 * sizes, overlaps, margins or alignments that cannot work, and `ShapeError` for an image whose
 * size is not a multiple of `align`.
 */
export function planTiles(height: number, width: number, options: TileOptions): TilePlan {
  int('height', height, 1);
  int('width', width, 1);
  const [th, tw] =
    typeof options.tileSize === 'number' ? [options.tileSize, options.tileSize] : options.tileSize;
  int('tileSize', th!, 1);
  int('tileSize', tw!, 1);
  const overlap = int('overlap', options.overlap, 0);
  const margin = int('margin', options.margin ?? Math.floor(overlap / 4), 0);
  const align = int('align', options.align ?? 1, 1);
  if (2 * margin > overlap)
    throw new TileConfigError(
      `margin ${margin} leaves nothing to blend: 2 · margin must be ≤ overlap ${overlap}`,
      {
        margin,
        overlap,
      },
    );
  if (height % align || width % align)
    throw new ShapeError(`image ${height}×${width} is not a multiple of the alignment ${align}`);
  for (const [t, length] of [
    [th!, height],
    [tw!, width],
  ] as const) {
    if (t % align)
      throw new TileConfigError(`tile size ${t} is not a multiple of the alignment ${align}`, {
        tileSize: t,
        align,
      });
    // The overlap only matters along an axis that needs more than one tile.
    if (t < length && overlap >= t)
      throw new TileConfigError(`overlap ${overlap} must be smaller than the tile size ${t}`, {
        overlap,
        tileSize: t,
      });
  }
  const tileHeight = Math.min(th!, height);
  const tileWidth = Math.min(tw!, width);
  const ys = axisStarts(height, tileHeight, overlap, align, 'height');
  const xs = axisStarts(width, tileWidth, overlap, align, 'width');
  const tiles = ys.flatMap((y) => xs.map((x) => ({ x, y, width: tileWidth, height: tileHeight })));
  return { tiles, xs, ys, tileWidth, tileHeight, margin, overlap };
}

/**
 * Weights of one tile along one axis, per output pixel (`tile · scale` values): zero in the
 * margin of each edge that borders another tile, a linear ramp over the rest of the overlap.
 */
function axisWeights(
  start: number,
  tile: number,
  length: number,
  scale: number,
  margin: number,
  feather: number,
): Float64Array {
  const w = new Float64Array(tile * scale);
  const inner0 = start > 0;
  const inner1 = start + tile < length;
  for (let i = 0; i < w.length; i++) {
    const u = (i + 0.5) / scale; // output pixel centre in input pixels from the tile origin
    let v = 1;
    if (inner0) v *= feather > 0 ? Math.min(1, Math.max(0, (u - margin) / feather)) : u > margin ? 1 : 0;
    if (inner1)
      v *= feather > 0 ? Math.min(1, Math.max(0, (tile - margin - u) / feather)) : u < tile - margin ? 1 : 0;
    w[i] = v;
  }
  return w;
}

/** Per-tile weights along one axis, each divided by the sum over the axis' tiles. */
function normalisedAxisWeights(
  starts: readonly number[],
  tile: number,
  length: number,
  scale: number,
  margin: number,
  feather: number,
): Float64Array[] {
  const ws = starts.map((s) => axisWeights(s, tile, length, scale, margin, feather));
  const sum = new Float64Array(length * scale);
  starts.forEach((s, k) => {
    const w = ws[k]!;
    for (let i = 0; i < w.length; i++) sum[s * scale + i]! += w[i]!;
  });
  for (let i = 0; i < sum.length; i++)
    if (!(sum[i]! > 0))
      throw new TileConfigError(`output pixel ${i} is covered by no tile weight`, { margin, feather });
  starts.forEach((s, k) => {
    const w = ws[k]!;
    for (let i = 0; i < w.length; i++) w[i]! /= sum[s * scale + i]!;
  });
  return ws;
}

function copyTile(
  src: Float32Array,
  n: number,
  c: number,
  h: number,
  w: number,
  r: TileRect,
): Tensor<'float32'> {
  const out = new Float32Array(n * c * r.height * r.width);
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    for (let y = 0; y < r.height; y++) {
      const row = (p * h + r.y + y) * w + r.x;
      out.set(src.subarray(row, row + r.width), o);
      o += r.width;
    }
  }
  return new Tensor('float32', out, [n, c, r.height, r.width]);
}

function checkAborted(signal: AbortSignal | undefined, done: number, total: number): void {
  if (signal?.aborted) throw new AbortError(`tiled upscaling aborted after ${done} of ${total} tiles`);
}

/**
 * Upscales `input` (`[N, C, H, W]` float32) tile by tile with `runTile` and blends the tiles
 * (see the module notes). The scale is read from the first tile's output and every tile must
 * agree. Only the output (`[N, C_out, H·scale, W·scale]`) and one tile at a time are held.
 * Throws `TileConfigError` for unusable options, `ShapeError` / `DTypeError` for an unusable
 * input or tile output, and `AbortError` when `signal` is aborted between tiles.
 */
export async function upscaleTiled(
  input: Tensor,
  runTile: RunTile,
  options: UpscaleTiledOptions,
): Promise<Tensor<'float32'>> {
  if (input.dtype !== 'float32')
    throw new DTypeError(`upscaleTiled: input must be float32, got ${input.dtype}`);
  if (input.rank !== 4)
    throw new ShapeError(`upscaleTiled: input must be [N, C, H, W], got [${input.dims.join(', ')}]`);
  const [n, c, h, w] = input.dims as [number, number, number, number];
  const plan = planTiles(h, w, options);
  const total = plan.tiles.length;
  const feather = plan.overlap - 2 * plan.margin;
  const src = input.data as Float32Array;
  const { signal, onProgress } = options;

  let scale = 0;
  let outC = 0;
  let out: Float32Array | undefined;
  let wxs: Float64Array[] = [];
  let wys: Float64Array[] = [];
  let done = 0;
  for (const [iy, y0] of plan.ys.entries()) {
    for (const [ix, x0] of plan.xs.entries()) {
      checkAborted(signal, done, total);
      const rect = { x: x0, y: y0, width: plan.tileWidth, height: plan.tileHeight };
      const result = await runTile(copyTile(src, n, c, h, w, rect));
      checkAborted(signal, done, total);
      if (result.rank !== 4 || result.dims[0] !== n)
        throw new ShapeError(
          `runTile must return [${n}, C, h·scale, w·scale], got [${result.dims.join(', ')}]`,
        );
      const [, rc, rh, rw] = result.dims as [number, number, number, number];
      if (!out) {
        scale = rh / rect.height;
        outC = rc;
        if (!Number.isInteger(scale) || scale < 1 || rw !== rect.width * scale)
          throw new ShapeError(
            `runTile turned a ${rect.height}×${rect.width} tile into ${rh}×${rw}: not one integer scale`,
          );
        out = new Float32Array(n * outC * h * scale * w * scale);
        wxs = normalisedAxisWeights(plan.xs, plan.tileWidth, w, scale, plan.margin, feather);
        wys = normalisedAxisWeights(plan.ys, plan.tileHeight, h, scale, plan.margin, feather);
      } else if (rc !== outC || rh !== rect.height * scale || rw !== rect.width * scale) {
        throw new ShapeError(
          `runTile returned [${result.dims.join(', ')}] for tile ${done}, expected [${n}, ${outC}, ${rect.height * scale}, ${rect.width * scale}]`,
        );
      }
      accumulate(
        out,
        result.toFloat32(),
        n * outC,
        w * scale,
        h * scale,
        y0 * scale,
        x0 * scale,
        wys[iy]!,
        wxs[ix]!,
      );
      done++;
      onProgress?.({ done, total });
    }
  }
  return new Tensor('float32', out!, [n, outC, h * scale, w * scale]);
}

/** `out[p, oy + y, ox + x] += tile[p, y, x] · wy[y] · wx[x]` for every plane `p`, skipping zero weights. */
function accumulate(
  out: Float32Array,
  tile: Float32Array,
  planes: number,
  outW: number,
  outH: number,
  oy: number,
  ox: number,
  wy: Float64Array,
  wx: Float64Array,
): void {
  const th = wy.length;
  const tw = wx.length;
  let x0 = 0;
  while (x0 < tw && wx[x0] === 0) x0++;
  let x1 = tw;
  while (x1 > x0 && wx[x1 - 1] === 0) x1--;
  for (let p = 0; p < planes; p++) {
    for (let y = 0; y < th; y++) {
      const a = wy[y]!;
      if (a === 0) continue;
      const t = (p * th + y) * tw;
      const o = (p * outH + oy + y) * outW + ox;
      for (let x = x0; x < x1; x++) out[o + x]! += tile[t + x]! * a * wx[x]!;
    }
  }
}

/** Tile settings that make a tiled result equal the whole-image one for a network. */
export interface RecommendedTiling {
  /** `4 · radius`: a margin of `radius` on each side plus a ramp of `2 · radius`. */
  readonly overlap: number;
  /** The receptive radius. */
  readonly margin: number;
  /** The network's input multiple. */
  readonly align: number;
  /** False for networks with global statistics (tiling then only approximates). */
  readonly exact: boolean;
}

/**
 * The overlap, margin and alignment that make tiling exact for a network with this receptive
 * field and input multiple (a `SuperResolutionNet` has both).
 */
export function recommendedTiling(net: {
  readonly receptiveField: ReceptiveField;
  readonly inputMultiple: number;
}): RecommendedTiling {
  const { radius, global } = net.receptiveField;
  return { overlap: 4 * radius, margin: radius, align: net.inputMultiple, exact: !global };
}

/**
 * A {@link RunTile} over a compiled session (any backend) whose graph takes the tile as
 * `inputName` and returns the upscaled tile as `outputName` (a traced `SuperResolutionNet`:
 * `input` → `output`). The session's graph must have been traced at the plan's tile size when
 * its shapes are static.
 */
export function sessionTileRunner(
  session: Pick<Session, 'run'>,
  inputName = 'input',
  outputName = 'output',
): RunTile {
  return async (tile) => {
    const out = (await session.run({ [inputName]: tile }))[outputName];
    if (!out) throw new ShapeError(`the session returned no output '${outputName}'`);
    return out;
  };
}
