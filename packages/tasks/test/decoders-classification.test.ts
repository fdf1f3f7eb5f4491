// Classification decoder and decoderFromConfig.
import { DecodeError, InvalidArgumentError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import {
  ClassificationDecoder,
  DetrDecoder,
  decoderFromConfig,
  SsdDecoder,
  YoloV5Decoder,
  YoloV8Decoder,
} from '../src/decoders/index.js';
import { identityTransform } from '../src/postprocess/index.js';

const ctx = { transform: identityTransform(8, 8), labels: ['a', 'b', 'c'] };

describe('ClassificationDecoder', () => {
  it('softmaxes logits and returns the top-k with labels', () => {
    // Softmax of (0, ln2, ln7) = (0.1, 0.2, 0.7).
    const logits = Tensor.from('float32', [0, Math.log(2), Math.log(7)], [1, 3]);
    const out = new ClassificationDecoder({ topK: 2 }).decode({ output: logits }, ctx);
    expect(out).toEqual([
      { classId: 2, label: 'c', score: expect.closeTo(0.7, 6) },
      { classId: 1, label: 'b', score: expect.closeTo(0.2, 6) },
    ]);
  });

  it('takes probabilities as they are, a threshold and rank-1 outputs', () => {
    const p = Tensor.from('float32', [0.3, 0.6, 0.1], [3]);
    const d = new ClassificationDecoder({ activation: 'none', scoreThreshold: 0.2, outputName: 'probs' });
    expect(d.task).toBe('classification');
    expect(d.decode({ probs: p }, { transform: ctx.transform })).toEqual([
      { classId: 1, label: 'class 1', score: expect.closeTo(0.6, 6) },
      { classId: 0, label: 'class 0', score: expect.closeTo(0.3, 6) },
    ]);
  });

  it('rejects malformed outputs and options', () => {
    const d = new ClassificationDecoder({ numClasses: 4 });
    expect(() => d.decode({ output: Tensor.zeros('float32', [1, 3]) }, ctx)).toThrow(/expected \[1, 4\]/);
    expect(() => d.decode({ output: Tensor.zeros('float32', [1, 4, 1, 1]) }, ctx)).toThrow(DecodeError);
    expect(() => new ClassificationDecoder({ topK: 0 })).toThrow(InvalidArgumentError);
    expect(() => new ClassificationDecoder({ activation: 'relu' as never })).toThrow(/activation/);
  });
});

describe('decoderFromConfig', () => {
  it('builds each decoder from plain JSON', () => {
    const configs = JSON.parse(
      JSON.stringify([
        { type: 'yolov8', scoreThreshold: 0.3, outputName: 'output0' },
        { type: 'yolov5' },
        { type: 'ssd', encoding: 'boxes' },
        { type: 'detr' },
        { type: 'rtdetr', logitsName: 'logits' },
        { type: 'classification', topK: 3 },
      ]),
    );
    const ds = configs.map(decoderFromConfig);
    expect(ds.map((d: object) => d.constructor)).toEqual([
      YoloV8Decoder,
      YoloV5Decoder,
      SsdDecoder,
      DetrDecoder,
      DetrDecoder,
      ClassificationDecoder,
    ]);
    expect(ds[0].outputNames).toEqual(['output0']);
    expect(ds[4].options.variant).toBe('rtdetr');
    expect(ds[4].outputNames).toEqual(['logits', 'pred_boxes']);
    expect(ds[5].task).toBe('classification');
  });

  it('rejects unknown types and bad options', () => {
    expect(() => decoderFromConfig({ type: 'yolov3' } as never)).toThrow(/unknown decoder type 'yolov3'/);
    expect(() => decoderFromConfig({ type: 'yolov8', iouThreshold: -1 })).toThrow(InvalidArgumentError);
  });
});
