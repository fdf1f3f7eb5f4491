// NanoDet decoder: softmax-integral distances on each level's grid against hand computations,
// multi-label candidates with class-aware NMS, the input → source mapping, malformed outputs.
import { DecodeError, type InputTransform, InvalidArgumentError, Tensor } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { decoderFromConfig, NanoDetDecoder } from '../src/decoders/index.js';
import { identityTransform } from '../src/postprocess/index.js';

const levels = [
  { scores: 's8', boxes: 'b8', stride: 8 },
  { scores: 's16', boxes: 'b16', stride: 16 },
];
const LN2 = Math.log(2);
const uniform = [0, 0, 0]; // expected bin 1
const quarterQuarterHalf = [0, 0, LN2]; // probabilities 1/4, 1/4, 1/2: expected bin 1.25
const first = [20, -20, -20]; // expected bin ≈ 0
const last = [-20, -20, 20]; // expected bin ≈ 2

/**
 * A 16×16 input, regMax 2 (3 bins), two classes. Level 8 (2×2 grid): cell (1, 1), centre
 * (12, 12), class 1 at 0.9 with distances 8, 10, 0, 32 → (4, 2, 12, 28) clipped to (4, 2, 12, 16).
 * Level 16 (1×1): centre (8, 8), class 0 at 0.5 and class 1 at 0.4, distances 16 each → (−8, −8,
 * 24, 24) clipped to (0, 0, 16, 16).
 */
function outputs(): Record<string, Tensor> {
  const s8 = new Float32Array(4 * 2).fill(0.01);
  s8[3 * 2 + 1] = 0.9;
  const b8 = new Float32Array(4 * 12);
  b8.set([...uniform, ...quarterQuarterHalf, ...first, ...last], 3 * 12);
  const s16 = Float32Array.from([0.5, 0.4]);
  const b16 = Float32Array.from([...uniform, ...uniform, ...uniform, ...uniform]);
  return {
    s8: new Tensor('float32', s8, [1, 4, 2]),
    b8: new Tensor('float32', b8, [1, 4, 12]),
    s16: new Tensor('float32', s16, [1, 1, 2]),
    b16: new Tensor('float32', b16, [1, 1, 12]),
  };
}

const ctx = { transform: identityTransform(16, 16), labels: ['cat', 'dog'] };

describe('NanoDetDecoder', () => {
  it('decodes distances as stride × expected bin from the cell centres, per class', () => {
    const dets = new NanoDetDecoder({ levels }).decode(outputs(), ctx);
    expect(dets.map((d) => [d.label, d.score])).toEqual([
      ['dog', expect.closeTo(0.9, 6)],
      ['cat', expect.closeTo(0.5, 6)],
      ['dog', expect.closeTo(0.4, 6)],
    ]);
    const [a, b] = dets;
    expect(a!.box.x1).toBeCloseTo(4, 4);
    expect(a!.box.y1).toBeCloseTo(2, 4);
    expect(a!.box.x2).toBeCloseTo(12, 4);
    expect(a!.box.y2).toBeCloseTo(16, 4);
    expect(b!.box).toEqual({ x1: 0, y1: 0, x2: 16, y2: 16 });
  });

  it('keeps only the best class of a cell without multiLabel, and applies the threshold', () => {
    const best = new NanoDetDecoder({ levels, multiLabel: false }).decode(outputs(), ctx);
    expect(best.map((d) => d.label)).toEqual(['dog', 'cat']);
    const high = new NanoDetDecoder({ levels, scoreThreshold: 0.45 }).decode(outputs(), ctx);
    expect(high.map((d) => d.score)).toEqual([expect.closeTo(0.9, 6), expect.closeTo(0.5, 6)]);
  });

  it('suppresses overlapping boxes of the same class only', () => {
    // IoU of (4, 2, 12, 16) and (0, 0, 16, 16) is 112 / 256 = 0.4375.
    const strict = new NanoDetDecoder({ levels, iouThreshold: 0.4 }).decode(outputs(), ctx);
    expect(strict.map((d) => [d.label, d.score])).toEqual([
      ['dog', expect.closeTo(0.9, 6)],
      ['cat', expect.closeTo(0.5, 6)],
    ]);
    const agnostic = new NanoDetDecoder({ levels, iouThreshold: 0.4, classAgnostic: true });
    expect(agnostic.decode(outputs(), ctx).map((d) => d.label)).toEqual(['dog']);
  });

  it('maps boxes through the letterbox transform to the source image', () => {
    // Source 32×24 letterboxed into 16×16: scale 0.5, 2 rows of padding on top.
    const transform: InputTransform = {
      source: { width: 32, height: 24 },
      input: { width: 16, height: 16 },
      scaleX: 0.5,
      scaleY: 0.5,
      offsetX: 0,
      offsetY: 2,
    };
    const [a] = new NanoDetDecoder({ levels }).decode(outputs(), { transform });
    expect(a!.box.x1).toBeCloseTo(8, 4);
    expect(a!.box.y1).toBeCloseTo(0, 4);
    expect(a!.box.x2).toBeCloseTo(24, 4);
    expect(a!.box.y2).toBeCloseTo(24, 4); // 28 clipped to the source height
    expect(a!.normalizedBox.x2).toBeCloseTo(0.75, 4);
  });

  it('applies a sigmoid to raw logits when asked', () => {
    const raw = outputs();
    raw.s16 = new Tensor('float32', Float32Array.from([0, -10]), [1, 1, 2]);
    raw.s8 = new Tensor('float32', new Float32Array(8).fill(-10), [1, 4, 2]);
    const dets = new NanoDetDecoder({ levels, scoreActivation: 'sigmoid' }).decode(raw, ctx);
    expect(dets.map((d) => [d.label, d.score])).toEqual([['cat', expect.closeTo(0.5, 6)]]);
  });

  it('reads the output names of NanoDet’s ONNX export by default and from configuration', () => {
    const d = decoderFromConfig({ type: 'nanodet' });
    expect(d).toBeInstanceOf(NanoDetDecoder);
    expect(d.outputNames).toEqual([
      'cls_pred_stride_8',
      'cls_pred_stride_16',
      'cls_pred_stride_32',
      'dis_pred_stride_8',
      'dis_pred_stride_16',
      'dis_pred_stride_32',
    ]);
    expect(decoderFromConfig({ type: 'nanodet', levels }).outputNames).toEqual(['s8', 's16', 'b8', 'b16']);
  });

  it('throws DecodeError for malformed outputs', () => {
    const dec = new NanoDetDecoder({ levels });
    const bad = (patch: Record<string, Tensor | undefined>, re: RegExp) => {
      const raw = { ...outputs(), ...patch } as Record<string, Tensor>;
      for (const k of Object.keys(patch)) if (!patch[k]) delete raw[k];
      expect(() => dec.decode(raw, ctx)).toThrow(DecodeError);
      expect(() => dec.decode(raw, ctx)).toThrow(re);
    };
    bad({ b16: undefined }, /'b16'.*missing/);
    bad({ s8: new Tensor('float32', new Float32Array(6), [1, 3, 2]) }, /2x2 grid at stride 8/);
    bad({ s8: new Tensor('float32', new Float32Array(8), [4, 2]) }, /rank 2/);
    bad({ s16: new Tensor('float32', new Float32Array(3), [1, 1, 3]) }, /class count/);
    bad({ b8: new Tensor('float32', new Float32Array(40), [1, 4, 10]) }, /four distributions/);
    bad({ b8: new Tensor('float32', new Float32Array(36), [1, 3, 12]) }, /4 cells/);
    bad({ s8: new Tensor('int32', new Int32Array(8), [1, 4, 2]) }, /floating point/);
    expect(() => new NanoDetDecoder({ levels, regMax: 3 }).decode(outputs(), ctx)).toThrow(/\[1, 4, 16\]/);
  });

  it('rejects bad settings with InvalidArgumentError', () => {
    expect(() => new NanoDetDecoder({ levels: [] })).toThrow(InvalidArgumentError);
    expect(() => new NanoDetDecoder({ levels: [{ scores: 'a', boxes: 'b', stride: 0 }] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new NanoDetDecoder({ regMax: 0 })).toThrow(InvalidArgumentError);
    expect(() => new NanoDetDecoder({ iouThreshold: 2 })).toThrow(InvalidArgumentError);
  });
});
