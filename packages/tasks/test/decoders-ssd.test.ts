// SSD decoder and anchor recipe: anchors against torchvision's DefaultBoxGenerator, deltas and
// scores against hand computations, malformed outputs.
import { DecodeError, InvalidArgumentError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { generateSsdAnchors, SsdDecoder, ssdAnchorsPerLocation } from '../src/decoders/index.js';
import { identityTransform } from '../src/postprocess/index.js';

function close(got: ArrayLike<number>, want: readonly number[], digits = 6) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, digits);
}

describe('generateSsdAnchors', () => {
  // torchvision 0.14: DefaultBoxGenerator([[2], [2, 3]], min_ratio=0.2, max_ratio=0.9)
  //   ._grid_default_boxes([[2, 3], [1, 1]], [60, 90])  (scales 0.2, 0.9, 1.0)
  const cell = (cx: number, cy: number) => [
    [cx, cy, 0.2, 0.2],
    [cx, cy, 0.4242641, 0.4242641],
    [cx, cy, 0.2828427, 0.1414214],
    [cx, cy, 0.1414214, 0.2828427],
  ];
  const level0 = [0.25, 0.75].flatMap((cy) => [0.1666667, 0.5, 0.8333333].flatMap((cx) => cell(cx, cy)));
  const level1 = [
    [0.5, 0.5, 0.9, 0.9],
    [0.5, 0.5, 0.9486833, 0.9486833],
    [0.5, 0.5, 1.0, 0.6363961],
    [0.5, 0.5, 0.6363961, 1.0],
    [0.5, 0.5, 1.0, 0.5196152],
    [0.5, 0.5, 0.5196152, 1.0],
  ];
  const spec = {
    featureMapSizes: [[2, 3] as const, 1],
    aspectRatios: [[2], [2, 3]],
    minScale: 0.2,
    maxScale: 0.9,
  };

  it("matches torchvision's DefaultBoxGenerator (evenly spaced scales, clipped)", () => {
    expect(ssdAnchorsPerLocation(spec)).toEqual([4, 6]);
    close(generateSsdAnchors(spec, { width: 90, height: 60 }), [...level0, ...level1].flat());
    // Explicit scales give the same.
    close(
      generateSsdAnchors({ ...spec, scales: [0.2, 0.9, 1] }, { width: 90, height: 60 }),
      [...level0, ...level1].flat(),
    );
  });

  it("matches torchvision's centres with steps (steps=[30, 60])", () => {
    const a = generateSsdAnchors({ ...spec, steps: [30, 60] }, { width: 90, height: 60 });
    // Level 0, first two cells; level 1 centre at (0.5·60/90, 0.5·60/60).
    close(a.subarray(0, 32), [...cell(0.1666667, 0.25), ...cell(0.5, 0.25)].flat());
    close(a.subarray(a.length - 4), [0.3333333, 0.5, 0.5196152, 1.0]);
  });

  it('takes Caffe-style min and max sizes in pixels (per axis on non-square inputs)', () => {
    // One 1×1 level, input 100×50, min 20 px, max 80 px → second box sqrt(1600) = 40 px.
    const a = generateSsdAnchors(
      { featureMapSizes: [1], aspectRatios: [[4]], minSizes: [20], maxSizes: [80] },
      { width: 100, height: 50 },
    );
    close(a, [0.5, 0.5, 0.2, 0.4, 0.5, 0.5, 0.4, 0.8, 0.5, 0.5, 0.4, 0.2, 0.5, 0.5, 0.1, 0.8]);
  });

  it('rejects inconsistent specs', () => {
    expect(() => generateSsdAnchors({ ...spec, aspectRatios: [[2]] }, { width: 9, height: 9 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => generateSsdAnchors({ ...spec, scales: [0.1, 0.2] }, { width: 9, height: 9 })).toThrow(
      /scales/,
    );
    expect(() => generateSsdAnchors({ ...spec, minSizes: [1, 2] }, { width: 9, height: 9 })).toThrow(
      /maxSizes/,
    );
  });
});

describe('SsdDecoder with deltas', () => {
  // Input 200×100. Anchor 0 (normalised cx,cy,w,h) 0.5,0.5,0.2,0.4 with deltas
  // (1, −1, ln2/0.2, 0): cx = 0.5 + 1·0.1·0.2 = 0.52, cy = 0.5 − 0.1·0.4 = 0.46, w = 0.4,
  // h = 0.4 → xyxy 0.32,0.26,0.72,0.66 → pixels 64,26,144,66.
  // Anchor 1 at 0.1,0.1,0.1,0.1 with zero deltas → pixels 10,5,30,15.
  const anchors = [0.5, 0.5, 0.2, 0.4, 0.1, 0.1, 0.1, 0.1];
  const deltas = Tensor.from('float32', [1, -1, Math.LN2 / 0.2, 0, 0, 0, 0, 0], [1, 2, 4]);
  // Softmax of (0, ln3, ln6) = (0.1, 0.3, 0.6); of (ln8, 0, 0) = (0.8, 0.1, 0.1).
  const logits = Tensor.from('float32', [0, Math.log(3), Math.log(6), Math.log(8), 0, 0], [1, 2, 3]);
  const ctx = { transform: identityTransform(200, 100), labels: ['background', 'cat', 'dog'] };

  it('decodes deltas against given anchors, softmax scores, skipping the background column', () => {
    const d = new SsdDecoder({ anchors, scoreThreshold: 0.2 });
    expect(d.outputNames).toEqual(['boxes', 'scores']);
    const out = d.decode({ boxes: deltas, scores: logits }, ctx);
    // Multi-label by default: dog 0.6 and cat 0.3 on the same box (different classes, both kept);
    // anchor 1 is background 0.8, its classes score 0.1.
    expect(out.map((x) => [x.label, x.score])).toEqual([
      ['dog', expect.closeTo(0.6, 6)],
      ['cat', expect.closeTo(0.3, 6)],
    ]);
    close(Object.values(out[0]!.box), [64, 26, 144, 66], 4);
  });

  it('reads TensorFlow order (dy, dx, dh, dw), [1, N, 1, 4] boxes, corner anchors and offsets class ids', () => {
    const yx = Tensor.from('float32', [-1, 1, 0, Math.LN2 / 0.2, 0, 0, 0, 0], [1, 2, 1, 4]);
    const xyxyAnchors = [0.4, 0.3, 0.6, 0.7, 0.05, 0.05, 0.15, 0.15];
    const d = new SsdDecoder({
      anchors: xyxyAnchors,
      anchorFormat: 'xyxy',
      deltaOrder: 'yx',
      classIdOffset: -1,
      multiLabel: false,
    });
    const out = d.decode({ boxes: yx, scores: logits }, { transform: identityTransform(200, 100) });
    expect(out.map((x) => [x.classId, x.label])).toEqual([[1, 'class 1']]);
    close(Object.values(out[0]!.box), [64, 26, 144, 66], 4);
  });

  it('generates anchors from a spec, sigmoid scores without background', () => {
    // One 1×2 level, no extra ratios, scales 0.5 then 1: anchors per cell (0.5, 0.5) and
    // (√0.5, √0.5); cells at cx 0.25 and 0.75, cy 0.5. Anchor 2 = second cell, first box:
    // zero deltas → normalised 0.5,0.25,1,0.75 → pixels on 200×100: 100,25,200,75.
    const spec = { featureMapSizes: [[1, 2] as const], aspectRatios: [[]], scales: [0.5, 1] };
    const d = new SsdDecoder({ anchorSpec: spec, scoreActivation: 'sigmoid', scoreThreshold: 0.5 });
    const scores = Tensor.from('float32', [-5, -5, -5, -5, 2, -5, -5, -5], [1, 4, 2]);
    const out = d.decode({ boxes: Tensor.zeros('float32', [1, 4, 4]), scores }, ctx);
    expect(out.map((x) => [x.classId, x.score])).toEqual([[0, expect.closeTo(1 / (1 + Math.exp(-2)), 6)]]);
    close(Object.values(out[0]!.box), [100, 25, 200, 75], 4);
  });

  it('rejects outputs that do not fit the anchors, and bad options', () => {
    const d = new SsdDecoder({ anchors });
    expect(() => d.decode({ boxes: Tensor.zeros('float32', [1, 3, 4]), scores: logits }, ctx)).toThrow(
      /'boxes' has shape \[1, 3, 4\], expected \[1, 2, 4\]/,
    );
    expect(() => d.decode({ boxes: deltas }, ctx)).toThrow(/output 'scores' \[1, 2, C\] is missing/);
    expect(() => d.decode({ boxes: deltas, scores: Tensor.zeros('float32', [1, 3, 3]) }, ctx)).toThrow(
      DecodeError,
    );
    expect(() => d.decode({ boxes: Tensor.zeros('float32', [1, 2, 5]), scores: logits }, ctx)).toThrow(
      /expected \[1, N, 4\] or \[1, N, 1, 4\]/,
    );
    expect(() => new SsdDecoder({})).toThrow(/anchors and anchorSpec/);
    expect(() => new SsdDecoder({ anchors: [1, 2, 3] })).toThrow(InvalidArgumentError);
    expect(() => new SsdDecoder({ anchors, variances: [0, 1] })).toThrow(/variances/);
  });
});

describe('SsdDecoder with decoded boxes', () => {
  const ctx = { transform: identityTransform(200, 100) };

  it('reads normalised yxyx boxes with per-class scores and suppresses duplicates', () => {
    // Box 0: y 0.1–0.5, x 0.2–0.6 → pixels 40,10,120,50, class 1 at 0.9; box 1 nearly the
    // same at 0.7 (suppressed); box 2 at 0.1 (dropped).
    const boxes = Tensor.from('float32', [0.1, 0.2, 0.5, 0.6, 0.1, 0.21, 0.5, 0.6, 0, 0, 1, 1], [1, 3, 4]);
    const scores = Tensor.from('float32', [0, 0.9, 0, 0.7, 0.1, 0], [1, 3, 2]);
    const d = new SsdDecoder({ encoding: 'boxes', boxFormat: 'yxyx' });
    const out = d.decode({ boxes, scores }, ctx);
    expect(out.map((x) => [x.classId, x.score])).toEqual([[1, expect.closeTo(0.9, 6)]]);
    close(Object.values(out[0]!.box), [40, 10, 120, 50], 4);
  });

  it('reads pixel boxes with [1, N] scores and class ids, without NMS', () => {
    const boxes = Tensor.from('float32', [10, 10, 50, 50, 11, 10, 50, 50], [1, 2, 4]);
    const scores = Tensor.from('float32', [0.8, 0.6], [1, 2]);
    const classes = Tensor.from('float32', [3, 3], [1, 2]);
    const d = new SsdDecoder({
      encoding: 'boxes',
      normalized: false,
      classesName: 'classes',
      applyNms: false,
    });
    expect(d.outputNames).toEqual(['boxes', 'scores', 'classes']);
    const out = d.decode({ boxes, scores, classes }, ctx);
    expect(out.map((x) => [x.classId, x.score, x.box.x1])).toEqual([
      [3, expect.closeTo(0.8, 6), 10],
      [3, expect.closeTo(0.6, 6), 11],
    ]);
    expect(() => d.decode({ boxes, scores }, ctx)).toThrow(/output 'classes' \[1, 2\] is missing/);
  });
});
