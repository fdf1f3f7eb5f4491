import { type InputTransform, InvalidArgumentError, type PixelImage } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { crop, cropTransform, letterbox, mapBoxToInput, mapBoxToSource, stretch } from '../src/index.js';

function ramp(width: number, height: number, channels: 1 | 3 | 4): PixelImage {
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  return { width, height, channels, data };
}

describe('letterbox', () => {
  it('keeps the aspect ratio, centres the content and records scale and offset', () => {
    // 40 × 20 into 32 × 32: scale 0.8 → 32 × 16 placed at y = 8.
    const src = ramp(40, 20, 3);
    const { image, transform } = letterbox(src, { width: 32, height: 32, fill: [1, 2, 3] });
    expect(image).toMatchObject({ width: 32, height: 32, channels: 3 });
    expect(transform).toEqual({
      source: { width: 40, height: 20 },
      input: { width: 32, height: 32 },
      scaleX: 0.8,
      scaleY: 0.8,
      offsetX: 0,
      offsetY: 8,
    });
    const px = (x: number, y: number) =>
      Array.from(image.data.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3));
    expect(px(0, 0)).toEqual([1, 2, 3]);
    expect(px(31, 7)).toEqual([1, 2, 3]);
    expect(px(5, 24)).toEqual([1, 2, 3]);
    expect(px(5, 8)).not.toEqual([1, 2, 3]);
  });

  it('copies the content unresampled when it already fits exactly, with odd padding floored', () => {
    const src = ramp(4, 3, 1);
    const { image, transform } = letterbox(src, { width: 4, height: 6, fill: [0, 0, 0] });
    expect(transform.offsetY).toBe(1); // ⌊(6 − 3)/2⌋
    expect(transform.scaleX).toBe(1);
    expect(Array.from(image.data.subarray(4, 16))).toEqual(Array.from(src.data));
    expect(Array.from(image.data.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(image.data.subarray(16))).toEqual(new Array(8).fill(0));
  });

  it('scales float fills to 0–1 and defaults to 114 grey', () => {
    const f: PixelImage = { width: 2, height: 1, channels: 3, data: new Float32Array(6).fill(0.5) };
    const { image } = letterbox(f, { width: 2, height: 2 });
    expect(image.data[0]).toBeCloseTo(0.5, 6);
    expect(image.data[6]).toBeCloseTo(114 / 255, 6); // row 1 is padding
  });

  it('maps the content corners of a letterbox back to the source corners', () => {
    const { transform } = letterbox(ramp(50, 30, 3), { width: 64, height: 64 });
    // 50 × 30 → 64 × 38 (round(38.4)) at y = 13.
    expect(transform.offsetY).toBe(13);
    const back = mapBoxToSource({ x1: 0, y1: 13, x2: 64, y2: 51 }, transform);
    expect(back.x1).toBeCloseTo(0, 9);
    expect(back.y1).toBeCloseTo(0, 9);
    expect(back.x2).toBeCloseTo(50, 9);
    expect(back.y2).toBeCloseTo(30, 9);
  });
});

describe('stretch and crop', () => {
  it('stretch records unequal scales and no offset', () => {
    const { image, transform } = stretch(ramp(10, 20, 3), { width: 5, height: 30, method: 'nearest' });
    expect(image).toMatchObject({ width: 5, height: 30 });
    expect(transform).toMatchObject({ scaleX: 0.5, scaleY: 1.5, offsetX: 0, offsetY: 0 });
  });

  it('crop copies the rounded, clipped box', () => {
    const src = ramp(6, 5, 1);
    const out = crop(src, { x1: 1.4, y1: -3, x2: 3.6, y2: 2 });
    expect(out).toMatchObject({ width: 3, height: 2, channels: 1 });
    expect(Array.from(out.data)).toEqual([1, 2, 3, 7, 8, 9]);
    expect(() => crop(src, { x1: 4, y1: 1, x2: 4, y2: 3 })).toThrow(InvalidArgumentError);
    expect(cropTransform(src, { x1: 1.4, y1: -3, x2: 3.6, y2: 2 })).toMatchObject({
      offsetX: -1,
      offsetY: 0,
      input: { width: 3, height: 2 },
    });
  });
});

describe('mapBoxToSource / mapBoxToInput', () => {
  const t: InputTransform = {
    source: { width: 200, height: 100 },
    input: { width: 320, height: 320 },
    scaleX: 1.6,
    scaleY: 1.6,
    offsetX: 0,
    offsetY: 80,
  };

  it('inverts input = source·scale + offset (hand-computed)', () => {
    // input (16, 96)–(176, 176) → source ((16−0)/1.6, (96−80)/1.6)–(176/1.6, (176−80)/1.6) = (10, 10)–(110, 60)
    const s = mapBoxToSource({ x1: 16, y1: 96, x2: 176, y2: 176 }, t);
    expect(s.x1).toBeCloseTo(10, 12);
    expect(s.y1).toBeCloseTo(10, 12);
    expect(s.x2).toBeCloseTo(110, 12);
    expect(s.y2).toBeCloseTo(60, 12);
    const i = mapBoxToInput({ x1: 10, y1: 10, x2: 110, y2: 60 }, t);
    expect(i.x1).toBeCloseTo(16, 12);
    expect(i.y1).toBeCloseTo(96, 12);
    expect(i.x2).toBeCloseTo(176, 12);
    expect(i.y2).toBeCloseTo(176, 12);
  });

  it('clips to the image', () => {
    // A box reaching into the padding (y < 80) and past the right edge.
    expect(mapBoxToSource({ x1: -5, y1: 40, x2: 400, y2: 300 }, t)).toEqual({
      x1: 0,
      y1: 0,
      x2: 200,
      y2: 100,
    });
    expect(mapBoxToInput({ x1: -10, y1: -10, x2: 250, y2: 150 }, t)).toEqual({
      x1: 0,
      y1: 64,
      x2: 320,
      y2: 320,
    });
  });

  it('rejects non-positive scales', () => {
    expect(() => mapBoxToSource({ x1: 0, y1: 0, x2: 1, y2: 1 }, { ...t, scaleX: 0 })).toThrow(
      InvalidArgumentError,
    );
  });
});
