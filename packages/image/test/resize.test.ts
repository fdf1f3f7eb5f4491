import { InvalidArgumentError, type PixelImage } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { resize } from '../src/index.js';

const row = (values: number[], float = false): PixelImage => ({
  width: values.length,
  height: 1,
  channels: 1,
  data: float ? new Float32Array(values) : new Uint8Array(values),
});

describe('resize (hand-computed)', () => {
  it('bilinear 2 → 4 is centre-aligned with the source clamped at 0', () => {
    // source x = (i + 0.5)·0.5 − 0.5 = −0.25 (→ 0), 0.25, 0.75, 1.25 (→ last pixel)
    const out = resize(row([0, 100], true), { width: 4, height: 1, method: 'bilinear' });
    expect(Array.from(out.data)).toEqual([0, 25, 75, 100]);
  });

  it('uint8 results are rounded half up and clamped', () => {
    // 0.25·3 + 0.75·0 = 0.75 → 1; bicubic overshoot below 0 clamps
    expect(Array.from(resize(row([3, 0]), { width: 4, height: 1 }).data)).toEqual([3, 2, 1, 0]);
    const cubic = resize(row([0, 0, 255, 255]), { width: 8, height: 1, method: 'bicubic' });
    for (const v of cubic.data) expect(v >= 0 && v <= 255).toBe(true);
    const cubicF = resize(row([0, 0, 1, 1], true), { width: 8, height: 1, method: 'bicubic' });
    expect(Math.min(...cubicF.data)).toBeLessThan(0); // float output overshoots, as in PyTorch
  });

  it('nearest and nearest-exact pick floor(i·in/out) and floor((i + 0.5)·in/out)', () => {
    const src = row([10, 20, 30]);
    expect(Array.from(resize(src, { width: 5, height: 1, method: 'nearest' }).data)).toEqual([
      10, 10, 20, 20, 30,
    ]);
    // (i + 0.5)·0.6 = 0.3, 0.9, 1.5, 2.1, 2.7
    expect(Array.from(resize(src, { width: 5, height: 1, method: 'nearest-exact' }).data)).toEqual([
      10, 10, 20, 30, 30,
    ]);
  });

  it('area averages the covered cells', () => {
    // 5 → 2: cells [0, 3) and [2, 5)
    const out = resize(row([0, 10, 20, 30, 40], true), { width: 2, height: 1, method: 'area' });
    expect(out.data[0]).toBeCloseTo(10, 5);
    expect(out.data[1]).toBeCloseTo(30, 5);
  });

  it('works on every channel independently and keeps constant images constant', () => {
    const C = 4;
    const data = new Uint8Array(3 * 2 * C);
    for (let i = 0; i < data.length; i++) data[i] = [7, 99, 180, 255][i % C]!;
    for (const method of ['bilinear', 'bicubic', 'area', 'nearest'] as const) {
      for (const antialias of [false, true]) {
        const out = resize(
          { width: 3, height: 2, channels: C, data },
          { width: 7, height: 5, method, antialias },
        );
        for (let i = 0; i < out.data.length; i++) expect(out.data[i]).toBe([7, 99, 180, 255][i % C]);
      }
    }
  });

  it('does not modify its input and validates arguments', () => {
    const src = row([1, 2, 3]);
    const copy = Array.from(src.data);
    resize(src, { width: 9, height: 2, method: 'bicubic' });
    expect(Array.from(src.data)).toEqual(copy);
    expect(() => resize(src, { width: 0, height: 1 })).toThrow(InvalidArgumentError);
    expect(() => resize(src, { width: 2, height: 1, method: 'lanczos' as never })).toThrow(
      /unknown resize method/,
    );
  });
});
