import { DecodeError, InvalidArgumentError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import {
  batchedNms,
  boxIou,
  identityTransform,
  nms,
  toDetections,
  toSegmentation,
} from '../src/postprocess/index.js';

describe('boxIou', () => {
  it('computes intersection over union by hand', () => {
    // [0,0,2,2] and [1,1,3,3]: intersection 1, union 4 + 4 - 1 = 7.
    expect(boxIou([0, 0, 2, 2, 1, 1, 3, 3], 0, 1)).toBeCloseTo(1 / 7, 12);
    // Touching edges do not overlap; an empty box has IoU 0.
    expect(boxIou([0, 0, 1, 1, 1, 0, 2, 1], 0, 1)).toBe(0);
    expect(boxIou([0, 0, 0, 0, 0, 0, 0, 0], 0, 1)).toBe(0);
  });
});

describe('nms', () => {
  // Box 0 and 1 overlap with IoU 81/119 ≈ 0.68; box 2 is far away; box 3 overlaps box 2 with IoU 1/7.
  const boxes = [0, 0, 10, 10, 1, 1, 11, 11, 50, 50, 52, 52, 51, 51, 53, 53];
  it('suppresses boxes above the IoU threshold, keeping the higher score', () => {
    expect(nms(boxes, [0.9, 0.8, 0.7, 0.6], 0.5)).toEqual([0, 2, 3]);
    expect(nms(boxes, [0.8, 0.9, 0.7, 0.6], 0.5)).toEqual([1, 2, 3]);
    // A threshold above the overlap keeps both; below 1/7 the fourth box goes too.
    expect(nms(boxes, [0.9, 0.8, 0.7, 0.6], 0.7)).toEqual([0, 1, 2, 3]);
    expect(nms(boxes, [0.9, 0.8, 0.7, 0.6], 0.1)).toEqual([0, 2]);
  });
  it('is strict at the threshold (IoU equal to it is kept), as torchvision', () => {
    expect(nms([0, 0, 2, 2, 1, 1, 3, 3], [1, 0.5], 1 / 7)).toEqual([0, 1]);
  });
  it('rejects mismatched inputs with a typed error', () => {
    expect(() => nms([0, 0, 1], [1], 0.5)).toThrow(InvalidArgumentError);
    expect(() => nms([0, 0, 1, 1], [1], 1.5)).toThrow(/iouThreshold/);
  });
});

describe('batchedNms', () => {
  const boxes = [0, 0, 10, 10, 1, 1, 11, 11, 0, 0, 10, 10, 50, 50, 60, 60];
  const scores = [0.9, 0.8, 0.85, 0.1];
  it('is class-aware by default: overlapping boxes of different classes both survive', () => {
    expect(batchedNms(boxes, scores, [0, 0, 1, 0], { iouThreshold: 0.5 })).toEqual([0, 2, 3]);
  });
  it('suppresses across classes when class-agnostic', () => {
    expect(batchedNms(boxes, scores, [0, 0, 1, 0], { iouThreshold: 0.5, classAgnostic: true })).toEqual([
      0, 3,
    ]);
  });
  it('applies the score threshold strictly and caps the count by score', () => {
    expect(batchedNms(boxes, scores, [0, 0, 1, 0], { iouThreshold: 0.5, scoreThreshold: 0.1 })).toEqual([
      0, 2,
    ]);
    expect(batchedNms(boxes, scores, [0, 1, 2, 3], { iouThreshold: 0.5, maxDetections: 2 })).toEqual([0, 2]);
    expect(batchedNms(boxes, scores, [0, 1, 2, 3], { iouThreshold: 0.5, maxDetections: 0 })).toEqual([]);
  });
});

describe('toDetections', () => {
  // A 200×100 source letterboxed into 100×100: scale 0.5, offset (0, 25).
  const transform = {
    source: { width: 200, height: 100 },
    input: { width: 100, height: 100 },
    scaleX: 0.5,
    scaleY: 0.5,
    offsetX: 0,
    offsetY: 25,
  };
  it('maps input boxes to source pixels, clips, normalises and labels', () => {
    const boxes = [10, 35, 30, 55, -5, 20, 20, 40, 0, 0, 100, 20];
    const dets = toDetections(boxes, [0.9, 0.8, 0.7], [1, 3, 2], [0, 1, 2], {
      transform,
      labels: ['a', 'b'],
    });
    // Third box lies entirely in the padding above the image: dropped.
    expect(dets).toHaveLength(2);
    expect(dets[0]).toEqual({
      box: { x1: 20, y1: 20, x2: 60, y2: 60 },
      normalizedBox: { x1: 0.1, y1: 0.2, x2: 0.3, y2: 0.6 },
      classId: 1,
      label: 'b',
      score: 0.9,
    });
    // (-5 - 0) / 0.5 = -10 → clipped to 0; (20 - 25) / 0.5 = -10 → 0; (40-25)/0.5 = 30.
    expect(dets[1]!.box).toEqual({ x1: 0, y1: 0, x2: 40, y2: 30 });
    expect(dets[1]!.label).toBe('class 3');
  });
});

describe('toSegmentation', () => {
  it('upsamples bilinearly, takes the argmax and its softmax probability', () => {
    // 2 classes on a 1×2 input; the source is 1×4 (scale 0.5 in x).
    const logits = Tensor.from('float32', [0, 4, 2, 0], [1, 2, 1, 2]);
    const transform = {
      source: { width: 4, height: 1 },
      input: { width: 2, height: 1 },
      scaleX: 0.5,
      scaleY: 1,
      offsetX: 0,
      offsetY: 0,
    };
    const seg = toSegmentation(logits, { transform, labels: ['bg', 'fg'] });
    // Source x centres map to input x = (s + 0.5) * 0.5 - 0.5 = -0.25, 0.25, 0.75, 1.25 → clamped to [0, 1].
    // class 0: 0 → 4, class 1: 2 → 0. At x=0.25: c0 = 1, c1 = 1.5 → class 1; x=0.75: c0 = 3, c1 = 0.5.
    expect([...seg.classMap]).toEqual([1, 1, 0, 0]);
    const p = (a: number, b: number) => 1 / (1 + Math.exp(b - a));
    expect(seg.confidence[0]).toBeCloseTo(p(2, 0), 6);
    expect(seg.confidence[1]).toBeCloseTo(p(1.5, 1), 6);
    expect(seg.confidence[2]).toBeCloseTo(p(3, 0.5), 6);
    expect(seg.masks.map((m) => [m.label, m.area])).toEqual([
      ['bg', 2],
      ['fg', 2],
    ]);
    expect([...seg.masks[1]!.mask]).toEqual([1, 1, 0, 0]);
  });
  it('ignores the letterbox padding and treats one channel as a sigmoid foreground score', () => {
    // Input 2×2 with the top row padding (source 2×1, offset y = 1): only the bottom row is used.
    const logits = Tensor.from('float32', [9, 9, -3, 3], [1, 1, 2, 2]);
    const transform = {
      source: { width: 2, height: 1 },
      input: { width: 2, height: 2 },
      scaleX: 1,
      scaleY: 1,
      offsetX: 0,
      offsetY: 1,
    };
    const seg = toSegmentation(logits, { transform });
    expect([...seg.classMap]).toEqual([0, 1]);
    expect(seg.numClasses).toBe(2);
    expect(seg.confidence[0]).toBeCloseTo(1 - 1 / (1 + Math.exp(3)), 6);
    expect(seg.confidence[1]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
  });
  it('rejects logits of the wrong rank', () => {
    const t = Tensor.from('float32', [1, 2], [1, 2]);
    expect(() => toSegmentation(t, { transform: identityTransform(2, 1) })).toThrow(DecodeError);
  });
});

describe('declared-format decoders', () => {
  it('imageDecoder rescales a 0–255 output and reads the named output', async () => {
    const { imageDecoder } = await import('../src/postprocess/index.js');
    const dec = imageDecoder({ output: 'sr', range: [0, 255] });
    expect(dec.outputNames).toEqual(['sr']);
    // One pixel, RGB 0, 127.6, 300 → 0, 128, 255 (clamped).
    const t = Tensor.from('float32', [0, 127.6, 300], [1, 3, 1, 1]);
    const img = dec.decode({ sr: t }, { transform: identityTransform(1, 1) });
    expect([...img.data]).toEqual([0, 128, 255]);
    expect(() => imageDecoder({ range: [1, 1] })).toThrow(InvalidArgumentError);
  });
  it('segmentationDecoder reads the named output through toSegmentation', async () => {
    const { segmentationDecoder } = await import('../src/postprocess/index.js');
    const dec = segmentationDecoder({ output: 'mask', activation: 'sigmoid' });
    const seg = dec.decode(
      { mask: Tensor.from('float32', [-2, 2], [1, 1, 1, 2]) },
      { transform: identityTransform(2, 1) },
    );
    expect([...seg.classMap]).toEqual([0, 1]);
  });
});
