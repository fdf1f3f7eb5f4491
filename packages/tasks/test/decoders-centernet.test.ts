// CenterNet decoder: top-k rows [x1, y1, x2, y2, score, class] in input pixels, threshold,
// class-aware NMS and the input → source mapping, against hand computations; malformed outputs.
import { DecodeError, type InputTransform, InvalidArgumentError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { CenterNetDecoder, decoderFromConfig } from '../src/decoders/index.js';
import { identityTransform } from '../src/postprocess/index.js';

const rows = [
  [10, 30, 50, 70, 0.9, 1],
  [12, 31, 52, 69, 0.8, 1], // IoU with row 0 ≈ 0.86: suppressed
  [12, 31, 52, 69, 0.7, 2], // same box, another class: kept
  [0, 0, 10, 10, 0.1, 0], // below the threshold
];
const det = (r: number[][], name = 'detections') => ({
  [name]: new Tensor('float32', Float32Array.from(r.flat()), [1, r.length, 6]),
});
// A 200×100 source letterboxed into 100×100: scale 0.5, 25 rows of padding on top.
const transform: InputTransform = {
  source: { width: 200, height: 100 },
  input: { width: 100, height: 100 },
  scaleX: 0.5,
  scaleY: 0.5,
  offsetX: 0,
  offsetY: 25,
};
const labels = ['person', 'cat', 'dog'];

describe('CenterNetDecoder', () => {
  it('thresholds, suppresses per class and maps boxes to the source', () => {
    const dets = new CenterNetDecoder().decode(det(rows), { transform, labels });
    expect(dets.map((d) => [d.label, d.score])).toEqual([
      ['cat', expect.closeTo(0.9, 6)],
      ['dog', expect.closeTo(0.7, 6)],
    ]);
    expect(dets[0]!.box).toEqual({ x1: 20, y1: 10, x2: 100, y2: 90 });
    expect(dets[1]!.box).toEqual({ x1: 24, y1: 12, x2: 104, y2: 88 });
    expect(dets[0]!.normalizedBox).toEqual({ x1: 0.1, y1: 0.1, x2: 0.5, y2: 0.9 });
  });

  it('honours classAgnostic, applyNms and the score threshold', () => {
    const ctx = { transform: identityTransform(100, 100), labels };
    expect(new CenterNetDecoder({ classAgnostic: true }).decode(det(rows), ctx)).toHaveLength(1);
    expect(new CenterNetDecoder({ applyNms: false }).decode(det(rows), ctx).map((d) => d.score)).toEqual([
      expect.closeTo(0.9, 6),
      expect.closeTo(0.8, 6),
      expect.closeTo(0.7, 6),
    ]);
    expect(new CenterNetDecoder({ scoreThreshold: 0.05 }).decode(det(rows), ctx)).toHaveLength(3);
  });

  it('reads other box formats, normalised boxes and output names', () => {
    // cx, cy, w, h as fractions of a 100×100 input: (0.3, 0.5, 0.4, 0.4) → (10, 30, 50, 70).
    const d = decoderFromConfig({
      type: 'centernet',
      outputName: 'out',
      boxFormat: 'cxcywh',
      normalized: true,
    });
    expect(d.outputNames).toEqual(['out']);
    const [a] = d.decode(det([[0.3, 0.5, 0.4, 0.4, 0.6, 0]], 'out'), {
      transform: identityTransform(100, 100),
    });
    expect(a!.label).toBe('class 0');
    expect(a!.box.x1).toBeCloseTo(10, 5);
    expect(a!.box.y1).toBeCloseTo(30, 5);
    expect(a!.box.x2).toBeCloseTo(50, 5);
    expect(a!.box.y2).toBeCloseTo(70, 5);
  });

  it('throws DecodeError for malformed outputs', () => {
    const dec = new CenterNetDecoder({ numClasses: 3 });
    const ctx = { transform };
    expect(() => dec.decode({}, ctx)).toThrow(/'detections'.*missing/);
    expect(() =>
      dec.decode({ detections: new Tensor('float32', new Float32Array(10), [1, 2, 5]) }, ctx),
    ).toThrow(DecodeError);
    expect(() =>
      dec.decode({ detections: new Tensor('float32', new Float32Array(12), [2, 6]) }, ctx),
    ).toThrow(/rank 2/);
    expect(() => dec.decode(det([[0, 0, 1, 1, 0.9, 2.5]]), ctx)).toThrow(/class 2.5/);
    expect(() => dec.decode(det([[0, 0, 1, 1, 0.9, 3]]), ctx)).toThrow(DecodeError);
    expect(() => dec.decode({ detections: new Tensor('int32', new Int32Array(6), [1, 1, 6]) }, ctx)).toThrow(
      /floating point/,
    );
    // Rows under the threshold are never inspected.
    expect(dec.decode(det([[0, 0, 1, 1, 0.1, 99]]), ctx)).toEqual([]);
  });

  it('rejects bad settings with InvalidArgumentError', () => {
    expect(() => new CenterNetDecoder({ boxFormat: 'xywh' as never })).toThrow(InvalidArgumentError);
    expect(() => new CenterNetDecoder({ numClasses: 0 })).toThrow(InvalidArgumentError);
  });
});
