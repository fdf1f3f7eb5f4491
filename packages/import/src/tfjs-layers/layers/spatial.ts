/**
 * Spatial layers: UpSampling2D, ZeroPadding2D, Cropping2D.
 * @module
 */
import { Tensor } from '@ocular/core';
import type { LayerConverter } from '../context.js';
import { pair } from '../layout.js';

/**
 * UpSampling2D by integer factors. TF.js runs `resizeNearestNeighbor` / `resizeBilinear` with
 * align_corners and half_pixel_centers off, which is ONNX Resize's `asymmetric` transform (nearest
 * rounding down).
 */
export const upSampling2d: LayerConverter = (ctx, [x]) => {
  if (ctx.get('data_format', 'channels_last') !== 'channels_last')
    ctx.fail('data_format channels_first is not supported');
  const [sh, sw] = pair(ctx.config.size, 2);
  const interpolation = ctx.get('interpolation', 'nearest');
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    ctx.fail(`interpolation '${interpolation}' is not supported (expected nearest or bilinear)`);
  }
  const scales = Tensor.from('float32', [1, 1, sh, sw]);
  const attrs: Record<string, string> =
    interpolation === 'nearest'
      ? { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }
      : { mode: 'linear', coordinate_transformation_mode: 'asymmetric' };
  return [ctx.op('Resize', [x!, undefined, scales], attrs)];
};

/** `[[top, bottom], [left, right]]` from Keras's int / pair / pair-of-pairs forms. */
function spatialPairs(v: unknown): [[number, number], [number, number]] {
  if (typeof v === 'number')
    return [
      [v, v],
      [v, v],
    ];
  const a = v as (number | number[])[];
  const one = (e: number | number[] | undefined): [number, number] =>
    typeof e === 'number' ? [e, e] : [e?.[0] ?? 0, e?.[1] ?? e?.[0] ?? 0];
  return [one(a[0]), one(a[1])];
}

/** ZeroPadding2D. */
export const zeroPadding2d: LayerConverter = (ctx, [x]) => {
  const [[t, b], [l, r]] = spatialPairs(ctx.get('padding', 1));
  return [ctx.op('Pad', [x!, Tensor.from('int64', [0, 0, t, l, 0, 0, b, r])], { mode: 'constant' })];
};

/** Cropping2D. */
export const cropping2d: LayerConverter = (ctx, [x]) => {
  const [[t, b], [l, r]] = spatialPairs(ctx.get('cropping', 0));
  // Negative ends count from the end; INT64-safe large end for an uncropped side.
  const end = (e: number) => (e === 0 ? 2 ** 31 - 1 : -e);
  return [
    ctx.op('Slice', [
      x!,
      Tensor.from('int64', [t, l]),
      Tensor.from('int64', [end(b), end(r)]),
      Tensor.from('int64', [2, 3]),
    ]),
  ];
};
