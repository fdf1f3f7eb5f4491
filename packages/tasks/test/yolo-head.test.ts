// YOLOv8-style head: layout of its state dict, output shapes, the in-graph DFL box decoding
// against a hand computation, the reference interpreter against onnxruntime-node, decoding.
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { InvalidArgumentError, Module, type SymbolicTensor, Tensor, traceModule } from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createYoloV8Head, YoloV8Head } from '../src/yolo/index.js';

const FEATURES = [
  { numChs: 8, reduction: 8, module: 'p3' },
  { numChs: 16, reduction: 16, module: 'p4' },
];
const INPUT = { height: 32, width: 48 };

/** Feeds the head its feature maps and the image as separate graph inputs. */
class Probe extends Module<SymbolicTensor[], Record<string, SymbolicTensor>> {
  constructor(readonly head: YoloV8Head) {
    super();
    this.registerModule('head', head);
  }
  forward(...xs: SymbolicTensor[]) {
    return this.head.call(xs.slice(0, -1), xs.at(-1)!);
  }
}

function trace(head: YoloV8Head, input = INPUT) {
  const inputs = head.featureInfo.map((f, i) => ({
    name: `f${i}`,
    dtype: 'float32' as const,
    shape: [1, f.numChs, Math.ceil(input.height / f.reduction), Math.ceil(input.width / f.reduction)],
  }));
  inputs.push({ name: 'image', dtype: 'float32', shape: [1, 3, input.height, input.width] });
  return { graph: traceModule(new Probe(head), inputs), inputs };
}

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

/** A float32 entry of a state dict, as its data. */
function f32(sd: Map<string, Tensor>, key: string): Float32Array {
  return sd.get(key)!.data as Float32Array;
}

function feeds(inputs: { name: string; shape: number[] }[], seed: number) {
  const r = random(seed);
  return Object.fromEntries(
    inputs.map((i) => {
      const t = Tensor.zeros('float32', i.shape);
      for (let k = 0; k < t.size; k++) t.data[k] = r();
      return [i.name, t];
    }),
  );
}

beforeAll(async () => {
  await nodeBackend.init();
});
const sessions: { dispose(): Promise<void> | void }[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

describe('YoloV8Head', () => {
  it("has Ultralytics' Detect state-dict keys and widths from featureInfo", () => {
    const head = createYoloV8Head({ featureInfo: FEATURES, numClasses: 3 });
    const sd = head.stateDict();
    // c2 = max(16, 8 / 4, 16 · 4) = 64; c3 = max(8, min(3, 100)) = 8.
    const conv = (p: string) => [
      `${p}.conv.weight`,
      ...['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'].map((k) => `${p}.bn.${k}`),
    ];
    const branch = (name: string, l: number) => [
      ...conv(`${name}.${l}.0`),
      ...conv(`${name}.${l}.1`),
      `${name}.${l}.2.weight`,
      `${name}.${l}.2.bias`,
    ];
    expect([...sd.keys()]).toEqual([
      ...branch('cv2', 0),
      ...branch('cv2', 1),
      ...branch('cv3', 0),
      ...branch('cv3', 1),
      'dfl.conv.weight',
    ]);
    expect(sd.get('cv2.0.0.conv.weight')!.dims).toEqual([64, 8, 3, 3]);
    expect(sd.get('cv2.1.0.conv.weight')!.dims).toEqual([64, 16, 3, 3]);
    expect(sd.get('cv2.1.2.weight')!.dims).toEqual([64, 64, 1, 1]);
    expect(sd.get('cv3.1.0.conv.weight')!.dims).toEqual([8, 16, 3, 3]);
    expect(sd.get('cv3.0.2.weight')!.dims).toEqual([3, 8, 1, 1]);
    expect([...sd.get('dfl.conv.weight')!.data]).toEqual(Array.from({ length: 16 }, (_, i) => i));
    // Ultralytics' bias_init: box logits 1, class logits log(5 / nc / (640 / stride)²).
    expect(sd.get('cv2.0.2.bias')!.data[0]).toBe(1);
    expect(sd.get('cv3.1.2.bias')!.data[0]).toBeCloseTo(Math.log(5 / 3 / 40 ** 2), 5);
    expect(head.outputNames).toEqual(['output']);
    expect(head.task).toBe('detection');
  });

  it('outputs [B, 4 + nc, cells over all levels]', () => {
    const head = new YoloV8Head({
      featureInfo: FEATURES,
      numClasses: 3,
      config: { boxChannels: 16, clsChannels: 8 },
    });
    const { graph } = trace(head);
    // Stride 8: 4 × 6 cells; stride 16: 2 × 3 cells.
    expect(graph.outputs.map((o) => [o.name, o.shape])).toEqual([['output', [1, 7, 30]]]);
  });

  it('decodes the box distributions in the graph (hand-computed DFL expectations)', () => {
    const head = new YoloV8Head({
      featureInfo: FEATURES,
      numClasses: 3,
      config: { boxChannels: 16, clsChannels: 8 },
    });
    // Zero the last convs' weights so their biases alone set the logits in every cell.
    // Side distributions over the 16 bins (−100 ≈ probability 0):
    //   left:   bins 1 and 3 with odds 1 : 3  → 0.25·1 + 0.75·3 = 2.5
    //   top:    uniform                      → 7.5
    //   right:  bin 0 only                   → 0
    //   bottom: bins 4 and 6 equally         → 5
    const bins = (pairs: [number, number][]) => {
      const b = new Array<number>(16).fill(-100);
      for (const [i, v] of pairs) b[i] = v;
      return b;
    };
    const boxBias = [
      ...bins([
        [1, 0],
        [3, Math.log(3)],
      ]),
      ...new Array<number>(16).fill(0),
      ...bins([[0, 0]]),
      ...bins([
        [4, 0],
        [6, 0],
      ]),
    ];
    const clsBias = [0, Math.log(3), -Math.log(3)]; // sigmoid → 0.5, 0.75, 0.25
    for (let l = 0; l < 2; l++) {
      for (const [name, bias] of [
        ['cv2', boxBias],
        ['cv3', clsBias],
      ] as const) {
        const sd = head.stateDict();
        f32(sd, `${name}.${l}.2.weight`).fill(0);
        f32(sd, `${name}.${l}.2.bias`).set(bias);
      }
    }
    const { graph, inputs } = trace(head);
    const out = interpret(graph, feeds(inputs, 1)).output!;
    const n = 30;
    const got = out.toFloat32();
    let a = 0;
    for (const [h, w, s] of [
      [4, 6, 8],
      [2, 3, 16],
    ] as const) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++, a++) {
          // x1 = (x + ½ − 2.5)s, x2 = (x + ½ + 0)s; y1 = (y + ½ − 7.5)s, y2 = (y + ½ + 5)s.
          const want = [(x + 0.5 - 1.25) * s, (y + 0.5 - 1.25) * s, 2.5 * s, 12.5 * s, 0.5, 0.75, 0.25];
          for (let k = 0; k < 7; k++) expect(got[k * n + a]).toBeCloseTo(want[k]!, 4);
        }
      }
    }
  });

  it('runs the same on the reference interpreter and onnxruntime-node', async () => {
    const head = new YoloV8Head({
      featureInfo: FEATURES,
      numClasses: 2,
      config: { boxChannels: 16, clsChannels: 8 },
    });
    const r = random(7);
    for (const [key, t] of head.stateDict()) {
      if (t.dtype !== 'float32' || key.startsWith('dfl.')) continue;
      const data = t.data as Float32Array;
      for (let i = 0; i < data.length; i++)
        data[i] = key.endsWith('running_var') ? r(0.5, 1.5) : r(-0.5, 0.5);
    }
    const { graph, inputs } = trace(head);
    const x = feeds(inputs, 3);
    const ref = interpret(graph, x).output!;
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const ort = (await session.run(x)).output!;
    expect(ort.dims).toEqual([1, 6, 30]);
    const a = ref.toFloat32();
    const b = ort.toFloat32();
    let spread = 0;
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
      spread = Math.max(spread, Math.abs(a[i]!));
      diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    }
    expect(spread).toBeGreaterThan(1);
    expect(diff).toBeLessThan(1e-4 * spread);
  });

  it('decodes its own output through the YOLOv8 decoder', () => {
    // One 1×1 level at stride 32 on a 32×32 input: sides 0.5 cells each way (bins 0 and 1
    // equally) → a box of 32 × 32 around the cell centre (16, 16): the whole input.
    const head = createYoloV8Head({
      featureInfo: [{ numChs: 4, reduction: 32, module: 'p5' }],
      numClasses: 2,
      config: { boxChannels: 16, clsChannels: 4, decoder: { scoreThreshold: 0.3 } },
    });
    const sd = head.stateDict();
    const side = [0, 0, ...new Array<number>(14).fill(-100)];
    f32(sd, 'cv2.0.2.weight').fill(0);
    f32(sd, 'cv2.0.2.bias').set([...side, ...side, ...side, ...side]);
    f32(sd, 'cv3.0.2.weight').fill(0);
    f32(sd, 'cv3.0.2.bias').set([-Math.log(3), Math.log(4)]); // 0.25 (dropped), 0.8
    const { graph, inputs } = trace(head, { height: 32, width: 32 });
    const raw = interpret(graph, feeds(inputs, 2));
    // Source 64×32 letterboxed into 32×32: scale 0.5, 8 rows of padding above and below.
    const transform = {
      source: { width: 64, height: 32 },
      input: { width: 32, height: 32 },
      scaleX: 0.5,
      scaleY: 0.5,
      offsetX: 0,
      offsetY: 8,
    };
    const out = head.decode(raw, { transform, labels: ['cat', 'dog'] });
    expect(
      out.map((d) => [
        d.label,
        Number(d.score.toFixed(5)),
        Object.values(d.box).map((v) => Number(v.toFixed(3))),
      ]),
    ).toEqual([['dog', 0.8, [0, 0, 64, 32]]]);
  });

  it('rejects bad build options and feature lists', () => {
    expect(() => createYoloV8Head({ featureInfo: [], numClasses: 2 })).toThrow(InvalidArgumentError);
    expect(() => createYoloV8Head({ featureInfo: FEATURES })).toThrow(/numClasses/);
    expect(() => createYoloV8Head({ featureInfo: FEATURES, numClasses: 2, config: { regmax: 8 } })).toThrow(
      /unknown config key 'regmax'/,
    );
    const head = createYoloV8Head({
      featureInfo: FEATURES,
      numClasses: 2,
      config: { regMax: 8, boxChannels: 16 },
    });
    expect(head.stateDict().get('cv2.0.2.weight')!.dims).toEqual([32, 16, 1, 1]);
    const one = new Probe(head);
    expect(() =>
      traceModule(one, [
        { name: 'f0', dtype: 'float32', shape: [1, 8, 4, 6] },
        { name: 'image', dtype: 'float32', shape: [1, 3, 32, 48] },
      ]),
    ).toThrow(/got 1 feature maps, built for 2/);
  });
});
