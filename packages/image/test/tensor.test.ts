import { InvalidArgumentError, type PixelImage, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { bgrToRgb, chwToHwc, fromTensor, hwcToChw, rgbToBgr, toRgb, toRgba, toTensor } from '../src/index.js';

// 2 × 1 RGB: pixel 0 = (10, 20, 30), pixel 1 = (40, 50, 60).
const img: PixelImage = { width: 2, height: 1, channels: 3, data: new Uint8Array([10, 20, 30, 40, 50, 60]) };

describe('toTensor', () => {
  it('scales uint8 by 1/255 into NCHW by default', () => {
    const t = toTensor(img);
    expect(t.dims).toEqual([1, 3, 1, 2]);
    const expected = [10, 40, 20, 50, 30, 60].map((v) => v / 255);
    for (let i = 0; i < 6; i++) expect(t.data[i]).toBeCloseTo(expected[i]!, 6);
  });

  it('applies mean/std in the tensor channel order, BGR and NHWC', () => {
    const mean = [0.1, 0.2, 0.3];
    const std = [0.5, 0.25, 2];
    const t = toTensor(img, { mean, std, channelOrder: 'bgr', layout: 'nhwc' });
    expect(t.dims).toEqual([1, 1, 2, 3]);
    // tensor channel 0 = B: (30/255 − 0.1)/0.5; channel 1 = G: (20/255 − 0.2)/0.25; channel 2 = R: (10/255 − 0.3)/2
    const hand = [
      (30 / 255 - 0.1) / 0.5,
      (20 / 255 - 0.2) / 0.25,
      (10 / 255 - 0.3) / 2,
      (60 / 255 - 0.1) / 0.5,
      (50 / 255 - 0.2) / 0.25,
      (40 / 255 - 0.3) / 2,
    ];
    for (let i = 0; i < 6; i++) expect(t.data[i]).toBeCloseTo(hand[i]!, 6);
  });

  it('uses scale 1 for float images and a custom scale when given', () => {
    const f: PixelImage = { width: 1, height: 1, channels: 1, data: new Float32Array([0.25]) };
    expect(toTensor(f).data[0]).toBeCloseTo(0.25, 7);
    expect(toTensor(img, { scale: 1, mean: [10] }).data[1]).toBe(30);
    expect(() => toTensor(img, { mean: [1, 2] })).toThrow(InvalidArgumentError);
    expect(() => toTensor(img, { std: [0, 1, 1] })).toThrow(/non-zero/);
  });
});

describe('fromTensor', () => {
  it('rounds half up and clamps [0, 1] data to uint8', () => {
    const t = new Tensor('float32', new Float32Array([0, 0.5, 1.2, -0.1, 0.002, 0.998]), [1, 3, 1, 2]);
    const out = fromTensor(t);
    // channel-major input → interleaved: px0 = (0, 1.2, 0.002), px1 = (0.5, −0.1, 0.998)
    expect(Array.from(out.data)).toEqual([0, 255, 1, 128, 0, 254]);
  });

  it('reads [0, 255] NHWC BGR tensors without batch', () => {
    const t = new Tensor('float32', new Float32Array([1, 2, 3, 4.4, 5.5, 300]), [1, 2, 3]);
    const out = fromTensor(t, { layout: 'nhwc', range: [0, 255], channelOrder: 'bgr' });
    expect(out).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect(Array.from(out.data)).toEqual([3, 2, 1, 255, 6, 4]);
    expect(() => fromTensor(new Tensor('float32', new Float32Array(10), [1, 2, 5, 1]))).toThrow(
      /1, 3 or 4 channels/,
    );
  });

  it('round-trips toTensor', () => {
    const back = fromTensor(toTensor(img, { channelOrder: 'bgr' }), { channelOrder: 'bgr' });
    expect(Array.from(back.data)).toEqual(Array.from(img.data));
  });
});

describe('channel conversions', () => {
  it('grey → RGB, RGBA → RGB (dropped or composited), RGB → RGBA', () => {
    const g: PixelImage = { width: 2, height: 1, channels: 1, data: new Uint8Array([7, 9]) };
    expect(Array.from(toRgb(g).data)).toEqual([7, 7, 7, 9, 9, 9]);
    const rgba: PixelImage = { width: 1, height: 1, channels: 4, data: new Uint8Array([200, 100, 0, 51]) };
    expect(Array.from(toRgb(rgba).data)).toEqual([200, 100, 0]);
    // 0.2·c + 0.8·bg with bg = (0, 50, 255): 40, 60, 204
    expect(Array.from(toRgb(rgba, { background: [0, 50, 255] }).data)).toEqual([40, 60, 204]);
    expect(Array.from(toRgba(img).data)).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);
  });

  it('swaps R and B and converts HWC ↔ CHW', () => {
    expect(Array.from(rgbToBgr(img).data)).toEqual([30, 20, 10, 60, 50, 40]);
    expect(Array.from(bgrToRgb(rgbToBgr(img)).data)).toEqual(Array.from(img.data));
    const chw = hwcToChw(img.data as Uint8Array, 2, 1, 3);
    expect(Array.from(chw)).toEqual([10, 40, 20, 50, 30, 60]);
    expect(Array.from(chwToHwc(chw, 2, 1, 3))).toEqual(Array.from(img.data));
  });
});
