// Informative: sharp's (libvips') own `resize` does not sample at output-pixel centres, so it is
// not a substitute for a PyTorch-compatible resize. On a linear ramp, linear interpolation and
// sharp's Catmull-Rom cubic (a = −0.5) reproduce the ramp exactly, which isolates the sampling grid
// (PyTorch's a = −0.75 cubic does not reproduce ramps, so ours is checked with bilinear here and
// against the PyTorch goldens for bicubic):
//   centre-aligned (PyTorch, align_corners=False): output i samples source x = (i + 0.5)·in/out − 0.5
//   sharp (libvips 8.x, upscaling):                 output i samples source x = i·in/out − 0.5
// i.e. sharp is shifted by half an output pixel. The assertions are on our resize; sharp's
// deviation is measured and printed (and checked to be that shift while it holds).
import { readFileSync } from 'node:fs';
import type { PixelImage } from '@ocular/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resize } from '../src/index.js';

const W = 8;
const H = 4;
const OUT_W = 16;
const OUT_H = 8;
// A horizontal ramp 20, 40, …, 160 in all three channels.
const ramp = new Uint8Array(W * H * 3);
for (let y = 0; y < H; y++)
  for (let x = 0; x < W; x++) ramp.fill(20 + 20 * x, (y * W + x) * 3, (y * W + x) * 3 + 3);
const img: PixelImage = { width: W, height: H, channels: 3, data: ramp };

/** Red channel of row `y`. */
const rowOf = (data: ArrayLike<number>, y: number): number[] =>
  Array.from({ length: OUT_W }, (_, x) => data[(y * OUT_W + x) * 3]!);

async function sharpResize(
  src: PixelImage,
  w: number,
  h: number,
  kernel: 'cubic' | 'linear',
): Promise<Uint8Array> {
  const out = await sharp(src.data as Uint8Array, {
    raw: { width: src.width, height: src.height, channels: 3 },
  })
    .resize(w, h, { kernel, fit: 'fill' })
    .raw()
    .toBuffer();
  return new Uint8Array(out);
}

describe('sampling grid: ours (centre-aligned) versus sharp', () => {
  it('our bilinear 2× upscale of a ramp samples at output-pixel centres', () => {
    // Interior pixels: 20 + 20·((i + 0.5)/2 − 0.5) = 15 + 10·i.
    const row = rowOf(resize(img, { width: OUT_W, height: OUT_H, method: 'bilinear' }).data, 3);
    for (let i = 1; i < OUT_W - 1; i++) expect(row[i]).toBe(15 + 10 * i);
  });

  it('records sharp’s half-output-pixel shift and its difference from PyTorch on noise', async () => {
    const report: string[] = [];
    for (const kernel of ['cubic', 'linear'] as const) {
      const row = rowOf(await sharpResize(img, OUT_W, OUT_H, kernel), 3);
      // i = 3…12: no cubic tap reaches past the border.
      const shifts = row.slice(3, OUT_W - 3).map((v, k) => v - (15 + 10 * (k + 3)));
      report.push(
        `sharp kernel '${kernel}' 8→16 ramp: interior − centre-aligned = ${[...new Set(shifts)].join(', ')} levels`,
      );
      // −5 levels = −0.25 source pixels = half an output pixel (the ramp rises 20 per source pixel).
      expect(new Set(shifts)).toEqual(new Set([-5]));
    }
    // On the seeded noise image of the PyTorch fixtures, 9×11 → 18×22 bicubic.
    const doc = JSON.parse(readFileSync(new URL('./fixtures/resize_goldens.json', import.meta.url), 'utf8'));
    const g = doc.images.find((i: { name: string }) => i.name === 'rgb_u8');
    const c = doc.cases.find(
      (k: { input: string; method: string; antialias: boolean; height: number }) =>
        k.input === 'rgb_u8' && k.method === 'bicubic' && !k.antialias && k.height === 18,
    );
    const src: PixelImage = {
      width: g.width,
      height: g.height,
      channels: 3,
      data: new Uint8Array(Buffer.from(g.data, 'base64')),
    };
    const want = new Uint8Array(Buffer.from(c.data, 'base64'));
    const ours = resize(src, { width: 22, height: 18, method: 'bicubic' }).data;
    const theirs = await sharpResize(src, 22, 18, 'cubic');
    let oursMax = 0;
    let sharpMax = 0;
    let sharpSum = 0;
    for (let i = 0; i < want.length; i++) {
      oursMax = Math.max(oursMax, Math.abs(ours[i]! - want[i]!));
      const d = Math.abs(theirs[i]! - want[i]!);
      sharpMax = Math.max(sharpMax, d);
      sharpSum += d;
    }
    report.push(
      `noise 9×11 → 18×22 bicubic vs PyTorch: ours max |diff| ${oursMax}; sharp max ${sharpMax}, mean ${(sharpSum / want.length).toFixed(1)} levels`,
    );
    console.log(report.join('\n'));
    expect(oursMax).toBe(0);
  });
});
