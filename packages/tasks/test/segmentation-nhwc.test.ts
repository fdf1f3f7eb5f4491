// Channels-last segmentation scores (TensorFlow models kept NHWC): the same result as the
// channels-first tensor written out by hand.
import { DecodeError, InvalidArgumentError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { identityTransform, segmentationDecoder, toSegmentation } from '../src/postprocess/index.js';

describe("toSegmentation with layout 'nhwc'", () => {
  // 1×2 image, two classes: pixel 0 favours class 1, pixel 1 class 0.
  const nhwc = new Tensor('float32', Float32Array.from([0, 3, 2, -1]), [1, 1, 2, 2]);
  const nchw = new Tensor('float32', Float32Array.from([0, 2, 3, -1]), [1, 2, 1, 2]);
  const ctx = { transform: identityTransform(2, 1), labels: ['background', 'person'] };

  it('matches the hand-transposed channels-first scores', () => {
    const a = toSegmentation(nhwc, ctx, { layout: 'nhwc' });
    const b = toSegmentation(nchw, ctx);
    expect([...a.classMap]).toEqual([1, 0]);
    expect([...a.classMap]).toEqual([...b.classMap]);
    expect([...a.confidence]).toEqual([...b.confidence]);
    expect(a.confidence[0]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
  });

  it('reads one channel-last probability plane through the decoder', () => {
    const probs = new Tensor('float32', Float32Array.from([0.9, 0.2]), [1, 1, 2, 1]);
    const seg = segmentationDecoder({ output: 'mask', activation: 'none', layout: 'nhwc' }).decode(
      { mask: probs },
      ctx,
    );
    expect([...seg.classMap]).toEqual([1, 0]);
    expect(seg.confidence[1]).toBeCloseTo(0.8, 6);
  });

  it('rejects other layouts and ranks', () => {
    expect(() => toSegmentation(nhwc, ctx, { layout: 'hwc' as never })).toThrow(InvalidArgumentError);
    expect(() =>
      toSegmentation(new Tensor('float32', new Float32Array(2), [1, 2, 1]), ctx, { layout: 'nhwc' }),
    ).toThrow(DecodeError);
  });
});
