// resize against PyTorch's F.interpolate (fixtures from tooling/goldens/image_resize.py).
// Tolerances: float32 images ≤ 2e-6 absolute (values in 0–1; the difference is float32 rounding
// of weights and sums); uint8 images exact, except ≤ 1 level at the indices the fixture lists as
// ties (PyTorch's float64 value within 1e-6 of a .5 rounding boundary).
import { readFileSync } from 'node:fs';
import type { PixelImage } from '@ocular/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type ResizeMethod, resize } from '../src/index.js';

interface GoldenImage {
  name: string;
  height: number;
  width: number;
  channels: 1 | 3 | 4;
  dtype: 'float32' | 'uint8';
  data: string;
}
interface GoldenCase {
  input: string;
  method: ResizeMethod;
  antialias: boolean;
  height: number;
  width: number;
  data: string;
  ties?: number[];
}

const doc = JSON.parse(readFileSync(new URL('./fixtures/resize_goldens.json', import.meta.url), 'utf8')) as {
  images: GoldenImage[];
  cases: GoldenCase[];
};

function decode(b64: string, dtype: 'float32' | 'uint8'): Float32Array | Uint8Array {
  const bytes = new Uint8Array(Buffer.from(b64, 'base64'));
  return dtype === 'float32' ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) : bytes;
}

const images = new Map<string, PixelImage & { dtype: 'float32' | 'uint8' }>();
for (const g of doc.images)
  images.set(g.name, {
    width: g.width,
    height: g.height,
    channels: g.channels,
    dtype: g.dtype,
    data: decode(g.data, g.dtype),
  });

const TOLERANCE = { float32: 2e-6, uint8: 0 } as const;
const worst = new Map<string, number>();
const tieRounding = new Map<string, number>();

describe('resize matches torch.nn.functional.interpolate', () => {
  for (const c of doc.cases) {
    const img = images.get(c.input)!;
    const label = `${c.method}${c.antialias ? '+aa' : ''} ${c.input} ${img.height}x${img.width} → ${c.height}x${c.width}`;
    it(label, () => {
      const out = resize(img, { width: c.width, height: c.height, method: c.method, antialias: c.antialias });
      const want = decode(c.data, img.dtype);
      expect(out.data.length).toBe(want.length);
      expect(out.data.constructor).toBe(img.data.constructor);
      const ties = new Set(c.ties ?? []);
      let max = 0;
      let tieMisses = 0;
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs(out.data[i]! - want[i]!);
        if (ties.has(i) && d <= 1) {
          if (d > 0) tieMisses++;
          continue;
        }
        max = Math.max(max, d);
      }
      tieRounding.set(img.dtype, (tieRounding.get(img.dtype) ?? 0) + tieMisses);
      const key = `${c.method}${c.antialias ? '+antialias' : ''} ${img.dtype}`;
      worst.set(key, Math.max(worst.get(key) ?? 0, max));
      expect(max).toBeLessThanOrEqual(TOLERANCE[img.dtype]);
    });
  }
  afterAll(() => {
    const rows = [...worst].sort().map(([k, v]) => `  ${k.padEnd(28)} max |diff| ${v.toExponential(2)}`);
    const ties = doc.cases.reduce((n, c) => n + (c.ties?.length ?? 0), 0);
    console.log(
      `resize vs PyTorch (${doc.cases.length} cases; max |diff| outside .5 ties):\n${rows.join('\n')}\n` +
        `  uint8 values at .5 ties rounded the other way: ${tieRounding.get('uint8') ?? 0} of ${ties}`,
    );
  });
});
