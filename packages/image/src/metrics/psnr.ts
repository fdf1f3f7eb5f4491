/**
 * Y-channel PSNR, the standard super-resolution measure: ITU-R BT.601 luma of 8-bit RGB
 * (`16 + (65.481 R + 128.553 G + 24.966 B)`, RGB in 0–1, as MATLAB's `rgb2ycbcr`), with a border
 * of `shave` pixels ignored on every side.
 * @module
 */
import type { PixelImage } from '@ocular/core';
import { InvalidArgumentError } from '@ocular/core';

/** BT.601 luma (16–235 scale) of pixel `i` of an RGB(A) or grey image, 8-bit or float (0–1). */
export function lumaY(img: PixelImage, i: number): number {
  const c = img.channels;
  const k = img.data instanceof Float32Array ? 1 : 1 / 255;
  const r = img.data[i * c]! * k;
  const g = img.data[i * c + (c >= 3 ? 1 : 0)]! * k;
  const b = img.data[i * c + (c >= 3 ? 2 : 0)]! * k;
  return 16 + 65.481 * r + 128.553 * g + 24.966 * b;
}

/** PSNR in dB of `test` against `reference` on the Y channel (Infinity when identical). */
export function psnrY(test: PixelImage, reference: PixelImage, shave = 0): number {
  if (test.width !== reference.width || test.height !== reference.height)
    throw new InvalidArgumentError(
      `psnr: sizes differ (${test.width}×${test.height} vs ${reference.width}×${reference.height})`,
    );
  let se = 0;
  let n = 0;
  for (let y = shave; y < test.height - shave; y++) {
    for (let x = shave; x < test.width - shave; x++) {
      const i = y * test.width + x;
      const d = lumaY(test, i) - lumaY(reference, i);
      se += d * d;
      n++;
    }
  }
  if (n === 0) throw new InvalidArgumentError(`psnr: nothing left after shaving ${shave} pixels`);
  const mse = se / n;
  return mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / mse);
}
