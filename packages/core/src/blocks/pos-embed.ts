/**
 * Absolute position embeddings at another grid size (timm's `resample_abs_pos_embed`): the
 * patch part is resized bicubically as an image, the prefix (class, distillation, register)
 * tokens are kept as they are.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { concat, interpolate, permute, reshape, shapeOf, slice, type TensorLike } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { Tensor } from '../tensor.js';

/** Options of {@link resamplePosEmbed}. */
export interface ResamplePosEmbedOptions {
  /** Target grid `[h, w]` in patches. */
  readonly newSize: readonly [number, number];
  /** Grid of the embedding; default square, from its length minus the prefix. */
  readonly oldSize?: readonly [number, number];
  /** Leading tokens that are not part of the grid (default 1, a class token). */
  readonly numPrefixTokens?: number;
  /**
   * Antialiased bicubic (default true, timm's default): PyTorch then uses the a = −0.5 cubic
   * kernel, also when up-sampling. False is plain bicubic (a = −0.75, `align_corners=False`).
   */
  readonly antialias?: boolean;
}

/**
 * Resamples a `[1, prefix + h·w, C]` position embedding to `newSize`, returning
 * `[1, prefix + h'·w', C]`. Unchanged (the same value) when the token count already matches a
 * square target, as timm. A host tensor (a model's parameter) is resampled on the host with
 * PyTorch's arithmetic, so a traced graph holds the resampled embedding as a constant; a
 * symbolic one becomes a `Resize` in the graph (whose antialiased borders follow ONNX, which
 * clamps taps where PyTorch drops them and renormalises).
 */
export function resamplePosEmbed(
  posEmbed: TensorLike,
  options: ResamplePosEmbedOptions,
): TensorLike | SymbolicTensor {
  const shape = shapeOf(posEmbed);
  const [n, c] = [shape[1], shape[2]];
  if (shape.length !== 3 || typeof n !== 'number' || typeof c !== 'number') {
    throw new InvalidArgumentError(
      `resamplePosEmbed: expected a static [1, N, C] embedding, got [${shape.join(', ')}]`,
    );
  }
  const prefix = options.numPrefixTokens ?? 1;
  const [nh, nw] = options.newSize;
  if (nh * nw + prefix === n && nh === nw) return posEmbed;
  let old = options.oldSize;
  if (!old) {
    const side = Math.floor(Math.sqrt(n - prefix));
    old = [side, side];
  }
  if (old[0] * old[1] + prefix !== n) {
    throw new InvalidArgumentError(
      `resamplePosEmbed: ${n} tokens are not ${prefix} prefix tokens and a ${old[0]}×${old[1]} grid`,
    );
  }
  const antialias = options.antialias ?? true;
  if (posEmbed instanceof Tensor) return resampleOnHost(posEmbed, prefix, old, [nh, nw], c, antialias);
  const grid = prefix ? slice(posEmbed, [prefix], [n], [1]) : posEmbed;
  const image = permute(reshape(grid, [1, old[0], old[1], c]), [0, 3, 1, 2]);
  const resized = interpolate(image, {
    size: [nh, nw],
    mode: 'bicubic',
    antialias,
  });
  const tokens = reshape(permute(resized, [0, 2, 3, 1]), [1, nh * nw, c]);
  return prefix ? concat([slice(posEmbed, [0], [prefix], [1]), tokens], 1) : tokens;
}

/** PyTorch's cubic convolution kernel with coefficient `a`. */
function cubic(x: number, a: number): number {
  const t = Math.abs(x);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

/**
 * The `[out, in]` interpolation matrix of one axis, as PyTorch's bicubic `interpolate` with
 * `align_corners=False`: plain (a = −0.75, taps clamped to the border) or antialiased
 * (a = −0.5, support stretched when down-sampling, taps outside dropped and renormalised).
 */
function axisWeights(nIn: number, nOut: number, antialias: boolean): Float64Array {
  const m = new Float64Array(nOut * nIn);
  const scale = nIn / nOut;
  for (let i = 0; i < nOut; i++) {
    const row = i * nIn;
    if (!antialias) {
      const src = (i + 0.5) * scale - 0.5;
      const f = Math.floor(src);
      for (let k = -1; k <= 2; k++) {
        m[row + Math.min(Math.max(f + k, 0), nIn - 1)] += cubic(src - f - k, -0.75);
      }
      continue;
    }
    const support = scale >= 1 ? 2 * scale : 2;
    const inv = scale >= 1 ? 1 / scale : 1;
    const center = scale * (i + 0.5);
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const hi = Math.min(Math.trunc(center + support + 0.5), nIn);
    let total = 0;
    for (let j = lo; j < hi; j++) total += cubic((j - center + 0.5) * inv, -0.5);
    for (let j = lo; j < hi; j++) m[row + j] = cubic((j - center + 0.5) * inv, -0.5) / total;
  }
  return m;
}

function resampleOnHost(
  pe: Tensor,
  prefix: number,
  old: readonly [number, number],
  size: readonly [number, number],
  c: number,
  antialias: boolean,
): Tensor<'float32'> {
  const src = pe.toFloat32();
  const [oh, ow] = old;
  const [nh, nw] = size;
  const wy = axisWeights(oh, nh, antialias);
  const wx = axisWeights(ow, nw, antialias);
  const out = new Float32Array((prefix + nh * nw) * c);
  out.set(src.subarray(0, prefix * c));
  // Separable: rows first into a float64 buffer, then columns.
  const rows = new Float64Array(nh * ow * c);
  for (let i = 0; i < nh; i++)
    for (let y = 0; y < oh; y++) {
      const w = wy[i * oh + y]!;
      if (!w) continue;
      for (let x = 0; x < ow; x++)
        for (let k = 0; k < c; k++) rows[(i * ow + x) * c + k]! += w * src[(prefix + y * ow + x) * c + k]!;
    }
  for (let i = 0; i < nh; i++)
    for (let j = 0; j < nw; j++) {
      const o = (prefix + i * nw + j) * c;
      for (let x = 0; x < ow; x++) {
        const w = wx[j * ow + x]!;
        if (!w) continue;
        for (let k = 0; k < c; k++) out[o + k]! += w * rows[(i * ow + x) * c + k]!;
      }
    }
  return new Tensor('float32', out, [1, prefix + nh * nw, c]);
}
