import { InvalidArgumentError, type PixelImage } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { lumaY, psnrY } from '../src/index.js';

const rgb = (w: number, h: number, f: (i: number) => number[]): PixelImage => ({
  width: w,
  height: h,
  channels: 3,
  data: Uint8Array.from({ length: w * h * 3 }, (_, k) => f(Math.floor(k / 3))[k % 3]!),
});

describe('psnrY', () => {
  it('uses BT.601 luma: white is 235, black 16', () => {
    expect(
      lumaY(
        rgb(1, 1, () => [255, 255, 255]),
        0,
      ),
    ).toBeCloseTo(235, 3);
    expect(
      lumaY(
        rgb(1, 1, () => [0, 0, 0]),
        0,
      ),
    ).toBeCloseTo(16, 6);
  });
  it('is 10·log10(255² / MSE) on Y, hand-computed, ignoring the shaved border', () => {
    const a = rgb(4, 4, () => [100, 100, 100]);
    // Raise every channel of the centre 2×2 by 10: Y rises by 10 · (65.481 + 128.553 + 24.966) / 255.
    const b = rgb(4, 4, (i) => {
      const x = i % 4;
      const y = Math.floor(i / 4);
      return x >= 1 && x <= 2 && y >= 1 && y <= 2 ? [110, 110, 110] : [100, 100, 100];
    });
    const dy = (10 * 219) / 255;
    expect(psnrY(b, a, 1)).toBeCloseTo(10 * Math.log10((255 * 255) / (dy * dy)), 9);
    // With no shave the 12 unchanged border pixels dilute the error.
    expect(psnrY(b, a, 0)).toBeCloseTo(10 * Math.log10((255 * 255) / ((dy * dy * 4) / 16)), 9);
    expect(psnrY(a, a)).toBe(Number.POSITIVE_INFINITY);
  });
  it('rejects different sizes and a shave that leaves nothing', () => {
    expect(() =>
      psnrY(
        rgb(2, 2, () => [0, 0, 0]),
        rgb(2, 3, () => [0, 0, 0]),
      ),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      psnrY(
        rgb(2, 2, () => [0, 0, 0]),
        rgb(2, 2, () => [0, 0, 0]),
        1,
      ),
    ).toThrow(/nothing left/);
  });
});
