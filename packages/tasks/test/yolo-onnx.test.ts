// Acceptance: a foreign ONNX model with YOLOv8-style output (built here and written with the
// project's own ONNX exporter) decodes to the boxes planted in it. The same for the YOLOv5 and
// DETR output formats. The planted outputs are `base + gain · mean(image)`, so the graph has
// to run on the image to give them; the expected detections are computed by hand below.
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  type Detection,
  F,
  type Graph,
  graphToOnnx,
  type InputTransform,
  Module,
  readOnnxModel,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decoderFromConfig } from '../src/decoders/index.js';

const H = 64;
const W = 64;
/** Source 128 × 96 letterboxed into 64 × 64: scale 0.5, resized 64 × 48, 8 rows of padding above. */
const transform: InputTransform = {
  source: { width: 128, height: 96 },
  input: { width: W, height: H },
  scaleX: 0.5,
  scaleY: 0.5,
  offsetX: 0,
  offsetY: 8,
};
const labels = ['person', 'bicycle', 'car'];

/** Seeded uniform values in [lo, hi) (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return (lo = -1, hi = 1) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  };
}

const rand = random(11);
const image = Tensor.zeros('float32', [1, 3, H, W]);
for (let i = 0; i < image.size; i++) image.data[i] = rand(0, 1);
const imageMean = [...image.data].reduce((a, b) => a + b, 0) / image.size;

/** A model whose outputs are `base + gain · mean(image)` with `base` chosen so they equal `planted`. */
class PlantedModel extends Module<[SymbolicTensor], Record<string, SymbolicTensor>> {
  readonly names: string[];
  constructor(planted: Record<string, Tensor<'float32'>>) {
    super();
    this.names = Object.keys(planted);
    for (const [name, want] of Object.entries(planted)) {
      const gain = Tensor.zeros('float32', want.dims);
      const base = Tensor.zeros('float32', want.dims);
      for (let i = 0; i < want.size; i++) {
        gain.data[i] = rand(-2, 2);
        base.data[i] = want.data[i]! - gain.data[i]! * imageMean;
      }
      this.registerBuffer(`${name}_base`, base);
      this.registerBuffer(`${name}_gain`, gain);
    }
  }
  forward(x: SymbolicTensor): Record<string, SymbolicTensor> {
    const mean = F.reshape(F.reduceMean(x, [1, 2, 3]), [-1, 1, 1]);
    return Object.fromEntries(
      this.names.map((n) => [n, F.add(this.buffer(`${n}_base`)!, F.mul(this.buffer(`${n}_gain`)!, mean))]),
    );
  }
}

/** Exports the model to ONNX bytes with the project's exporter and reads them back as a foreign model. */
function foreignModel(planted: Record<string, Tensor<'float32'>>): Graph {
  const graph = traceModule(new PlantedModel(planted), [
    { name: 'images', dtype: 'float32', shape: [1, 3, H, W] },
  ]);
  const bytes = graphToOnnx(graph);
  expect(bytes.byteLength).toBeGreaterThan(0);
  return readOnnxModel(bytes);
}

beforeAll(async () => {
  await nodeBackend.init();
});
const sessions: { dispose(): Promise<void> | void }[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

/** Runs the foreign model on the reference interpreter and onnxruntime-node. */
async function runBoth(graph: Graph) {
  const session = await nodeBackend.compile(graph);
  sessions.push(session);
  return { reference: interpret(graph, { images: image }), node: await session.run({ images: image }) };
}

/** `[label, score, x1, y1, x2, y2]` rounded to 4 decimals, for comparison with hand values. */
function summary(ds: Detection[]) {
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  return ds.map((d) => [d.label, r(d.score), r(d.box.x1), r(d.box.y1), r(d.box.x2), r(d.box.y2)]);
}

/** Rows of attributes as a `[1, attrs, N]` tensor (`transpose`) or `[1, N, attrs]`. */
function tableOf(rows: number[][], transpose: boolean): Tensor<'float32'> {
  const n = rows.length;
  const a = rows[0]!.length;
  if (!transpose) return Tensor.from('float32', rows.flat(), [1, n, a]);
  const out: number[] = [];
  for (let k = 0; k < a; k++) for (let i = 0; i < n; i++) out.push(rows[i]![k]!);
  return Tensor.from('float32', out, [1, a, n]);
}

// Planted boxes (cx, cy, w, h in input pixels) and where they land in the source image:
// x_src = x_in / 0.5, y_src = (y_in − 8) / 0.5.
//   A   (20, 24, 16, 8)   → input 12,20,28,28 → source 24,24,56,40
//   A'  (21, 24.5, 16, 8) → IoU with A = 112.5 / 143.5 = 0.78: a duplicate
//   B   (44, 36, 20, 12)  → input 34,30,54,42 → source 68,44,108,68
//   B'  (44, 37, 20, 12)  → IoU with B = 220 / 260 = 0.85: a duplicate
//   C   (45, 36, 20, 12)  → input 35,30,55,42 → source 70,44,110,68 (overlaps B, other class)
//   L   (50, 50, 8, 8)    → scores too low
//   P   (30, 4, 10, 4)    → input y 2..6, inside the top padding: empty once clipped
const A = [20, 24, 16, 8];
const A2 = [21, 24.5, 16, 8];
const B = [44, 36, 20, 12];
const B2 = [44, 37, 20, 12];
const C = [45, 36, 20, 12];
const L = [50, 50, 8, 8];
const P = [30, 4, 10, 4];
const FILLER = [8, 8, 4, 4];

describe('a foreign ONNX model with YOLOv8-style output [1, 4+nc, N]', () => {
  const rows = [
    [...A, 0.92, 0.05, 0.01],
    [...A2, 0.85, 0.02, 0.01],
    [...B, 0.02, 0.1, 0.7],
    [...B2, 0.01, 0.1, 0.6],
    [...C, 0.03, 0.55, 0.2],
    [...L, 0.1, 0.2, 0.05],
    [...P, 0.9, 0.0, 0.0],
    ...Array.from({ length: 9 }, () => [...FILLER, 0.01, 0.01, 0.01]),
  ];
  const expected = [
    ['person', 0.92, 24, 24, 56, 40],
    ['car', 0.7, 68, 44, 108, 68],
    ['bicycle', 0.55, 70, 44, 110, 68],
  ];

  it('decodes to the planted boxes in source pixels, duplicates and low scores dropped', async () => {
    const graph = foreignModel({ output0: tableOf(rows, true) });
    expect(graph.outputs.map((o) => [o.name, o.shape])).toEqual([['output0', [1, 7, 16]]]);
    const decoder = decoderFromConfig({
      type: 'yolov8',
      outputName: 'output0',
      scoreThreshold: 0.25,
      iouThreshold: 0.45,
    });
    const outs = await runBoth(graph);
    for (const raw of [outs.reference, outs.node]) {
      const dets = decoder.decode(raw, { transform, labels });
      expect(summary(dets)).toEqual(expected);
      expect(dets.map((d) => d.classId)).toEqual([0, 2, 1]);
      expect(dets[0]!.normalizedBox.x2).toBeCloseTo(56 / 128, 5);
      expect(dets[0]!.normalizedBox.y2).toBeCloseTo(40 / 96, 5);
    }
    // Class-agnostic NMS also removes the bicycle overlapping the car (IoU 220 / 260).
    const agnostic = decoderFromConfig({ type: 'yolov8', outputName: 'output0', classAgnostic: true });
    expect(summary(agnostic.decode(outs.node, { transform, labels }))).toEqual(expected.slice(0, 2));
  });
});

describe('a foreign ONNX model with YOLOv5-style output [1, N, 5+nc]', () => {
  // Scores are objectness × class: A 0.8·1.0, A' 0.9·0.8 = 0.72 (duplicate), B 0.875·0.8 = 0.7,
  // C 0.5·0.9 = 0.45, L 0.2 (objectness under 0.25), a filler 0.9·0.2 = 0.18 (product too low).
  const rows = [
    [...A, 0.8, 1.0, 0.0, 0.0],
    [...A2, 0.9, 0.8, 0.1, 0.0],
    [...B, 0.875, 0.0, 0.1, 0.8],
    [...C, 0.5, 0.0, 0.9, 0.2],
    [...L, 0.2, 1.0, 1.0, 1.0],
    [...P, 0.95, 1.0, 0.0, 0.0],
    [...FILLER, 0.9, 0.2, 0.1, 0.1],
    ...Array.from({ length: 9 }, () => [...FILLER, 0.0, 1.0, 1.0, 1.0]),
  ];

  it('decodes to the planted boxes in source pixels, duplicates and low scores dropped', async () => {
    const graph = foreignModel({ output0: tableOf(rows, false) });
    expect(graph.outputs.map((o) => [o.name, o.shape])).toEqual([['output0', [1, 16, 8]]]);
    const decoder = decoderFromConfig({ type: 'yolov5', outputName: 'output0', numClasses: 3 });
    const outs = await runBoth(graph);
    for (const raw of [outs.reference, outs.node]) {
      expect(summary(decoder.decode(raw, { transform, labels }))).toEqual([
        ['person', 0.8, 24, 24, 56, 40],
        ['car', 0.7, 68, 44, 108, 68],
        ['bicycle', 0.45, 70, 44, 110, 68],
      ]);
    }
  });
});

describe('a foreign ONNX model with DETR-style outputs', () => {
  const ln = Math.log;
  // Logits over (person, bicycle, car, no-object): softmax picks the best real class.
  //   q0 A: (ln8, 0, 0, 0)      → person 8/11
  //   q1 B: (0, 0, ln6, ln2)    → car 6/10
  //   q2 C: (0, ln3, 0, 0)      → bicycle 3/6 (overlaps B: kept, set predictions are not suppressed)
  //   q3 L: (0, 0, 0, ln20)     → no object (best real class 1/23)
  //   q4 A': (ln2, 0, 0, ln6)   → person 2/10, under the 0.3 threshold
  const logits = Tensor.from(
    'float32',
    [ln(8), 0, 0, 0, 0, 0, ln(6), ln(2), 0, ln(3), 0, 0, 0, 0, 0, ln(20), ln(2), 0, 0, ln(6)],
    [1, 5, 4],
  );
  const norm = ([cx, cy, w, h]: number[]) => [cx! / W, cy! / H, w! / W, h! / H];
  const boxes = Tensor.from('float32', [A, B, C, L, A2].flatMap(norm), [1, 5, 4]);

  it('decodes to the planted boxes in source pixels without NMS', async () => {
    const graph = foreignModel({ logits, pred_boxes: boxes });
    const decoder = decoderFromConfig({ type: 'detr', logitsName: 'logits', scoreThreshold: 0.3 });
    expect(decoder.outputNames).toEqual(['logits', 'pred_boxes']);
    const outs = await runBoth(graph);
    for (const raw of [outs.reference, outs.node]) {
      expect(summary(decoder.decode(raw, { transform, labels }))).toEqual([
        ['person', Math.round((8 / 11) * 1e4) / 1e4, 24, 24, 56, 40],
        ['car', 0.6, 68, 44, 108, 68],
        ['bicycle', 0.5, 70, 44, 110, 68],
      ]);
    }
  });
});
