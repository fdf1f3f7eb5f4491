import { interpret } from '@ocular/backend-reference';
import { DecodeError, Tensor, traceModule } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { srDecoder, srOutputToImage } from '../src/sr/index.js';
import { loadedSrNet, SR_GOLDENS, srGolden } from './sr-helpers.js';

const CONTEXT = {
  transform: {
    source: { width: 2, height: 1 },
    input: { width: 2, height: 1 },
    scaleX: 1,
    scaleY: 1,
    offsetX: 0,
    offsetY: 0,
  },
};

// Planes R, G, B of a 1×2 image: pixel 0 = (0.5, -0.2, 1.7), pixel 1 = (0.1, 1, NaN).
const planar = new Tensor('float32', Float32Array.from([0.5, 0.1, -0.2, 1, 1.7, Number.NaN]), [1, 3, 1, 2]);

describe('srOutputToImage', () => {
  it('interleaves RGB, rounds to 0–255 and clamps (hand-computed)', () => {
    const img = srOutputToImage(planar);
    expect([img.width, img.height, img.channels]).toEqual([2, 1, 3]);
    expect(img.data).toBeInstanceOf(Uint8Array);
    // 0.5·255 = 127.5 → 128; 0.1·255 = 25.5 → 26; negatives and NaN → 0; above 1 → 255.
    expect([...img.data]).toEqual([128, 0, 255, 26, 255, 0]);
  });

  it('keeps floats in 0–1 when asked', () => {
    const img = srOutputToImage(planar, { format: 'float32' });
    expect(img.data).toBeInstanceOf(Float32Array);
    expect([...img.data]).toEqual([0.5, 0, 1, Math.fround(0.1), 1, 0]);
  });

  it('picks a batch image and rejects outputs it cannot read with DecodeError', () => {
    const two = new Tensor('float32', Float32Array.from([0, 0, 0, 1, 1, 1]), [2, 3, 1, 1]);
    expect([...srOutputToImage(two, { batchIndex: 1 }).data]).toEqual([255, 255, 255]);
    expect(() => srOutputToImage(two, { batchIndex: 2 })).toThrow(DecodeError);
    expect(() => srOutputToImage(new Tensor('float32', new Float32Array(6), [3, 1, 2]))).toThrow(DecodeError);
    expect(() => srOutputToImage(new Tensor('float32', new Float32Array(4), [1, 2, 1, 2]))).toThrow(
      DecodeError,
    );
    expect(() => srDecoder().decode({ logits: planar }, CONTEXT)).toThrow(/needs the output 'output'/);
  });
});

describe('a super-resolution TaskModule from tensor to PixelImage', () => {
  it('decodes the golden ESPCN ×3 output on the reference backend to the PyTorch pixels', () => {
    const net = loadedSrNet('espcn_x3');
    const c = SR_GOLDENS.cases.espcn_x3!;
    const { input, output } = srGolden('espcn_x3');
    const raw = interpret(traceModule(net, [{ name: 'input', dtype: 'float32', shape: c.input_shape }]), {
      input,
    });
    const img = net.decode(raw, CONTEXT);
    const [, , h, w] = c.output_shape as [number, number, number, number];
    expect([img.width, img.height, img.channels]).toEqual([w, h, 3]);
    expect([img.width, img.height]).toEqual([c.input_shape[3]! * 3, c.input_shape[2]! * 3]);
    // Every byte within one step of the PyTorch value, and most exactly equal.
    const ref = output.toFloat32();
    let same = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < 3; ch++) {
          const v = Math.round(Math.min(1, Math.max(0, ref[(ch * h + y) * w + x]!)) * 255);
          const got = img.data[(y * w + x) * 3 + ch]!;
          expect(Math.abs(got - v)).toBeLessThanOrEqual(1);
          if (got === v) same++;
        }
    expect(same / (w * h * 3)).toBeGreaterThan(0.99);
    net.outputFormat = 'float32';
    expect(net.decode(raw).data).toBeInstanceOf(Float32Array);
    expect(() => net.decode({})).toThrow(DecodeError);
  });
});
