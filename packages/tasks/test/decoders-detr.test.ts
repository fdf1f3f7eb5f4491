// DETR and RT-DETR set-prediction decoders against hand-computed scores and boxes.
import { DecodeError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { DetrDecoder } from '../src/decoders/index.js';
import { identityTransform } from '../src/postprocess/index.js';

const ctx = { transform: identityTransform(200, 100), labels: ['cat', 'dog'] };
const ln = Math.log;

describe('DetrDecoder (softmax, last class = no object)', () => {
  // Softmax rows: q0 (ln8, 0, 0) → 0.8 cat; q1 (0, 0, ln8) → no-object wins, best real class
  // 0.1 (dropped); q2 (0, ln6, ln3) → dog 0.6; q3 = q0 again (no NMS: kept).
  const logits = Tensor.from('float32', [ln(8), 0, 0, 0, 0, ln(8), 0, ln(6), ln(3), ln(8), 0, 0], [1, 4, 3]);
  // Normalised cx, cy, w, h: q0 → xyxy 0.1,0.2,0.3,0.6 → pixels on 200×100: 20,20,60,60.
  const boxes = Tensor.from(
    'float32',
    [0.2, 0.4, 0.2, 0.4, 0.5, 0.5, 1, 1, 0.75, 0.5, 0.5, 1, 0.2, 0.4, 0.2, 0.4],
    [1, 4, 4],
  );

  it('keeps each query’s best real class above the threshold, without suppression', () => {
    const d = new DetrDecoder({ scoreThreshold: 0.3 });
    expect(d.outputNames).toEqual(['pred_logits', 'pred_boxes']);
    const out = d.decode({ pred_logits: logits, pred_boxes: boxes }, ctx);
    expect(out.map((x) => [x.label, x.score])).toEqual([
      ['cat', expect.closeTo(0.8, 6)],
      ['cat', expect.closeTo(0.8, 6)],
      ['dog', expect.closeTo(0.6, 6)],
    ]);
    const b = out[0]!.box;
    expect([b.x1, b.y1, b.x2, b.y2].map((v) => Math.round(v * 1e4) / 1e4)).toEqual([20, 20, 60, 60]);
    expect(out[2]!.box).toEqual({ x1: 100, y1: 0, x2: 200, y2: 100 });
  });

  it('top-k keeps the best maxDetections', () => {
    const d = new DetrDecoder({ scoreThreshold: 0.05, maxDetections: 2, logitsName: 'logits' });
    const out = d.decode({ logits, pred_boxes: boxes }, ctx);
    expect(out.map((x) => x.score)).toEqual([expect.closeTo(0.8, 6), expect.closeTo(0.8, 6)]);
  });

  it('rejects malformed outputs', () => {
    const d = new DetrDecoder({ numClasses: 3 });
    expect(() => d.decode({ pred_logits: logits, pred_boxes: boxes }, ctx)).toThrow(
      /'pred_logits' has shape \[1, 4, 3\], expected \[1, Q, 4\]/,
    );
    const plain = new DetrDecoder();
    expect(() => plain.decode({ pred_logits: logits, pred_boxes: boxes.reshape([1, 2, 8]) }, ctx)).toThrow(
      /'pred_boxes' has shape \[1, 2, 8\], expected \[1, 4, 4\]/,
    );
    expect(() => plain.decode({ pred_logits: logits }, ctx)).toThrow(DecodeError);
    expect(() =>
      plain.decode({ pred_logits: Tensor.zeros('float32', [1, 4, 1]), pred_boxes: boxes }, ctx),
    ).toThrow(/no-object/);
  });
});

describe('DetrDecoder variant rtdetr (sigmoid, no no-object class)', () => {
  // sigmoid(ln4) = 0.8, sigmoid(ln(3/7)) = 0.3, sigmoid(−ln9) = 0.1.
  const logits = Tensor.from('float32', [ln(4), ln(3 / 7), -ln(9), -ln(9)], [1, 2, 2]);
  const boxes = Tensor.from('float32', [0.5, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1], [1, 2, 4]);

  it('scores every (query, class) pair and keeps the best above the threshold', () => {
    const d = new DetrDecoder({ variant: 'rtdetr', scoreThreshold: 0.25 });
    const out = d.decode({ pred_logits: logits, pred_boxes: boxes }, ctx);
    expect(out.map((x) => [x.label, x.score, x.box])).toEqual([
      ['cat', expect.closeTo(0.8, 6), { x1: 50, y1: 25, x2: 150, y2: 75 }],
      ['dog', expect.closeTo(0.3, 6), { x1: 50, y1: 25, x2: 150, y2: 75 }],
    ]);
    expect(
      new DetrDecoder({ variant: 'rtdetr', scoreThreshold: 0.25, maxDetections: 1 }).decode(
        { pred_logits: logits, pred_boxes: boxes },
        ctx,
      ),
    ).toHaveLength(1);
  });
});
