// YOLOv8 and YOLOv5 output decoders against hand-computed boxes, scores and suppression.
import { DecodeError, type InputTransform, InvalidArgumentError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { YoloV5Decoder, YoloV8Decoder } from '../src/decoders/index.js';
import { identityTransform } from '../src/postprocess/index.js';

const labels = ['person', 'car'];
const ctx = { transform: identityTransform(100, 100), labels };

/** Rows of `cx, cy, w, h, scores...` as a `[1, attrs, N]` (channels-first) or `[1, N, attrs]` tensor. */
function table(rows: number[][], layout: 'channels-first' | 'channels-last'): Tensor {
  const n = rows.length;
  const a = rows[0]!.length;
  if (layout === 'channels-last') return Tensor.from('float32', rows.flat(), [1, n, a]);
  const out: number[] = [];
  for (let k = 0; k < a; k++) for (let i = 0; i < n; i++) out.push(rows[i]![k]!);
  return Tensor.from('float32', out, [1, a, n]);
}

// Box 0: xyxy 20,20,40,40, person 0.9. Box 1: one pixel to the right, person 0.8 — IoU with
// box 0 is 19·20 / (400 + 400 − 380) = 0.905, so NMS drops it. Box 2: xyxy 65,60,75,80, car 0.6.
// Box 3 scores at most 0.2, under the 0.25 threshold. Boxes 4..7 score 0 (so N > attributes).
const V8_ROWS = [
  [30, 30, 20, 20, 0.9, 0.1],
  [31, 30, 20, 20, 0.8, 0.0],
  [70, 70, 10, 20, 0.2, 0.6],
  [50, 50, 10, 10, 0.1, 0.2],
  [10, 10, 4, 4, 0, 0],
  [10, 10, 4, 4, 0, 0],
  [10, 10, 4, 4, 0, 0],
  [10, 10, 4, 4, 0, 0],
];
const V8_EXPECTED = [
  {
    box: { x1: 20, y1: 20, x2: 40, y2: 40 },
    normalizedBox: { x1: 0.2, y1: 0.2, x2: 0.4, y2: 0.4 },
    classId: 0,
    label: 'person',
    score: 0.9,
  },
  {
    box: { x1: 65, y1: 60, x2: 75, y2: 80 },
    normalizedBox: { x1: 0.65, y1: 0.6, x2: 0.75, y2: 0.8 },
    classId: 1,
    label: 'car',
    score: 0.6,
  },
];

/** Detections with float32 rounding taken out (5 decimals). */
function rounded<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'number' ? Math.round(x * 1e5) / 1e5 : x)));
}

describe('YoloV8Decoder', () => {
  it('decodes [1, 4+nc, N]: converts centre-size boxes, thresholds and suppresses duplicates', () => {
    const d = new YoloV8Decoder();
    expect(d.outputNames).toEqual(['output']);
    expect(d.task).toBe('detection');
    expect(rounded(d.decode({ output: table(V8_ROWS, 'channels-first') }, ctx))).toEqual(V8_EXPECTED);
  });

  it('detects the transposed layout [1, N, 4+nc], and takes a declared one', () => {
    const t = table(V8_ROWS, 'channels-last');
    expect(rounded(new YoloV8Decoder().decode({ output: t }, ctx))).toEqual(V8_EXPECTED);
    expect(rounded(new YoloV8Decoder({ layout: 'channels-last' }).decode({ output: t }, ctx))).toEqual(
      V8_EXPECTED,
    );
    // With fewer boxes than attributes, the declared class count decides the axis.
    const few = table(V8_ROWS.slice(0, 4), 'channels-first');
    expect(rounded(new YoloV8Decoder({ numClasses: 2 }).decode({ output: few }, ctx))).toEqual(V8_EXPECTED);
  });

  it('applies scoreThreshold, maxDetections, classAgnostic and multiLabel', () => {
    const t = table(V8_ROWS, 'channels-first');
    const scores = (o: object) =>
      rounded(new YoloV8Decoder({ outputName: 'output0', ...o }).decode({ output0: t }, ctx)).map((x) => [
        x.classId,
        x.score,
      ]);
    expect(scores({ scoreThreshold: 0.7 })).toEqual([[0, 0.9]]);
    expect(scores({ maxDetections: 1 })).toEqual([[0, 0.9]]);
    // IoU threshold above 0.905 keeps the shifted duplicate.
    expect(scores({ iouThreshold: 0.95 })).toEqual([
      [0, 0.9],
      [0, 0.8],
      [1, 0.6],
    ]);
    // Multi-label: box 2 is also a person at 0.2 → above a 0.15 threshold; box 3's car 0.2 too.
    expect(scores({ scoreThreshold: 0.15, multiLabel: true })).toEqual([
      [0, 0.9],
      [1, 0.6],
      [0, 0.2],
      [1, 0.2],
    ]);
    // A car over the person box survives class-aware NMS but not class-agnostic NMS.
    const rows = V8_ROWS.map((r) => [...r]);
    rows[1] = [31, 30, 20, 20, 0.0, 0.8];
    const withCar = table(rows, 'channels-first');
    const classes = (o: object) =>
      new YoloV8Decoder(o).decode({ output: withCar }, ctx).map((x) => x.classId);
    expect(classes({})).toEqual([0, 1, 1]);
    expect(classes({ classAgnostic: true })).toEqual([0, 1]);
  });

  it('maps boxes through a letterbox transform to source pixels and clips them', () => {
    // Source 200×100 letterboxed into 100×100: scale 0.5, 25 rows of padding above.
    const transform: InputTransform = {
      source: { width: 200, height: 100 },
      input: { width: 100, height: 100 },
      scaleX: 0.5,
      scaleY: 0.5,
      offsetX: 0,
      offsetY: 25,
    };
    const out = new YoloV8Decoder().decode({ output: table(V8_ROWS, 'channels-first') }, { transform });
    // (20 − 0)/0.5 = 40, (20 − 25)/0.5 = −10 → clipped to 0; (40 − 25)/0.5 = 30.
    expect(rounded(out.map((x) => x.box))).toEqual([
      { x1: 40, y1: 0, x2: 80, y2: 30 },
      { x1: 130, y1: 70, x2: 150, y2: 100 },
    ]);
    expect(out.map((x) => x.label)).toEqual(['class 0', 'class 1']);
  });

  it('rejects malformed outputs with DecodeError naming the output and the shape', () => {
    const d = new YoloV8Decoder({ numClasses: 3 });
    const t = table(V8_ROWS, 'channels-first');
    expect(() => new YoloV8Decoder().decode({ logits: t }, ctx)).toThrow(DecodeError);
    expect(() => new YoloV8Decoder().decode({ logits: t }, ctx)).toThrow(
      /output 'output' .* is missing.*logits/,
    );
    expect(() => d.decode({ output: t }, ctx)).toThrow(
      /'output' has shape \[1, 6, 8\], expected \[1, 7, N\] or \[1, N, 7\]/,
    );
    expect(() => new YoloV8Decoder().decode({ output: t.reshape([6, 8]) }, ctx)).toThrow(
      /expected .*rank 2 instead of 3/,
    );
    expect(() =>
      new YoloV8Decoder({ layout: 'channels-last' }).decode(
        { output: Tensor.zeros('float32', [1, 8, 4]) },
        ctx,
      ),
    ).toThrow(DecodeError);
    expect(() => new YoloV8Decoder().decode({ output: Tensor.zeros('float32', [1, 4, 4]) }, ctx)).toThrow(
      /no class scores/,
    );
    expect(() => new YoloV8Decoder().decode({ output: Tensor.zeros('int32', [1, 6, 8]) }, ctx)).toThrow(
      /floating point/,
    );
    const err = (() => {
      try {
        d.decode({ output: t }, ctx);
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(err?.code).toBe('E_DECODE');
  });

  it('rejects bad options with InvalidArgumentError', () => {
    expect(() => new YoloV8Decoder({ iouThreshold: 2 })).toThrow(InvalidArgumentError);
    expect(() => new YoloV8Decoder({ numClasses: 0 })).toThrow(/numClasses/);
    expect(() => new YoloV8Decoder({ layout: 'nhwc' as never })).toThrow(/layout/);
    expect(() => new YoloV8Decoder({ maxDetections: -1 })).toThrow(/maxDetections/);
  });
});

describe('YoloV5Decoder', () => {
  // Box 0: objectness 0.9 × car 1.0 = 0.9 (xyxy 10,10,30,50). Box 1: objectness 0.2 < 0.25,
  // dropped before the classes. Box 2: 0.8 × person 0.5 = 0.4 (xyxy 60,60,80,70). Box 3:
  // duplicate of box 0 at 0.8 × 0.9 = 0.72, suppressed. Boxes 4..7: objectness 0.
  const rows = [
    [20, 30, 20, 40, 0.9, 0.5, 1.0],
    [50, 50, 10, 10, 0.2, 1.0, 1.0],
    [70, 65, 20, 10, 0.8, 0.5, 0.1],
    [20, 31, 20, 40, 0.8, 0.0, 0.9],
    [5, 5, 2, 2, 0, 1, 1],
    [5, 5, 2, 2, 0, 1, 1],
    [5, 5, 2, 2, 0, 1, 1],
    [5, 5, 2, 2, 0, 1, 1],
  ];

  it('decodes [1, N, 5+nc] with score = objectness × class probability', () => {
    const out = new YoloV5Decoder().decode({ output: table(rows, 'channels-last') }, ctx);
    expect(rounded(out.map((x) => [x.classId, x.label, x.score, x.box]))).toEqual([
      [1, 'car', 0.9, { x1: 10, y1: 10, x2: 30, y2: 50 }],
      [0, 'person', 0.4, { x1: 60, y1: 60, x2: 80, y2: 70 }],
    ]);
  });

  it('reads the channels-first layout too and rejects a wrong class count', () => {
    const t = table(rows, 'channels-first');
    expect(new YoloV5Decoder().decode({ output: t }, ctx)).toHaveLength(2);
    expect(() => new YoloV5Decoder({ numClasses: 80 }).decode({ output: t }, ctx)).toThrow(
      /expected \[1, 85, N\] or \[1, N, 85\]/,
    );
    expect(() => new YoloV5Decoder().decode({ output: Tensor.zeros('float32', [1, 8, 5]) }, ctx)).toThrow(
      DecodeError,
    );
  });
});
