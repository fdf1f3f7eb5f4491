// Pipelines end to end: registered task networks, a foreign ONNX model with a declared decoder,
// composition from the registry, super-resolution tiling, backend fallback, cancellation and
// disposal.
import { plugin as nodePlugin } from '@ocular/backend-node';
import { referenceBackend } from '@ocular/backend-reference';
import { plugin as cnnPlugin } from '@ocular/cnn';
import {
  AbortError,
  type Detection,
  DisposedError,
  F,
  getBackend,
  graphToOnnx,
  InvalidArgumentError,
  Module,
  type PixelImage,
  RegistryError,
  registerBackend,
  registry,
  type Segmentation,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPipeline,
  createSrNet,
  defaultTaskPreset,
  listTaskPresets,
  pipeline,
  plugin,
  registerTaskPresets,
  type TaskPreset,
  unregisterTaskPresets,
} from '../src/index.js';

beforeAll(() => {
  if (!getBackend('reference')) registerBackend(referenceBackend);
  registry.use(nodePlugin);
  registry.use(cnnPlugin);
  registry.use(plugin);
});

/** A deterministic RGB test image with structure (gradients and a bright square). */
function testImage(width: number, height: number): PixelImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inSquare = x > width / 4 && x < width / 2 && y > height / 3 && y < (2 * height) / 3;
      data[i] = inSquare ? 250 : (x * 255) / width;
      data[i + 1] = inSquare ? 240 : (y * 255) / height;
      data[i + 2] = ((x + y) * 7) % 256;
    }
  return { width, height, channels: 3, data };
}

/** YOLOv8-format output `[1, 4 + 3, 4]` with fixed boxes (cx, cy, w, h in input pixels) and scores. */
class ConstantYolo extends Module<[SymbolicTensor], Record<string, SymbolicTensor>> {
  constructor() {
    super();
    // Four candidates: two overlapping 'car's (NMS keeps the better), one 'person', one below threshold.
    const cols = [
      [32, 32, 16, 16, 0.1, 0.1, 0.9],
      [33, 32, 16, 16, 0.1, 0.1, 0.8],
      [16, 24, 8, 8, 0.7, 0.0, 0.0],
      [48, 48, 8, 8, 0.1, 0.1, 0.1],
    ];
    const t = Tensor.zeros('float32', [1, 7, 4]);
    for (const [j, c] of cols.entries()) for (const [k, v] of c.entries()) t.data[k * 4 + j] = v;
    this.registerBuffer('planted', t);
  }
  forward(x: SymbolicTensor) {
    // Zero times the image mean keeps the input in the graph without changing the output.
    const zero = F.mul(F.reduceMean(x, [1, 2, 3]), F.constant(Tensor.from('float32', [0], [])));
    return { output: F.add(this.buffer('planted')!, F.reshape(zero, [1, 1, 1])) };
  }
}

describe('pipeline() with a foreign ONNX model', () => {
  it('letterboxes, runs the model and decodes YOLOv8 boxes back to source pixels', async () => {
    const graph = traceModule(new ConstantYolo(), [
      { name: 'images', dtype: 'float32', shape: [1, 3, 64, 64] },
    ]);
    const bytes = graphToOnnx(graph);
    const p = await pipeline<Detection[]>('detection', {
      model: bytes,
      decoder: { type: 'yolov8', numClasses: 3, scoreThreshold: 0.25, iouThreshold: 0.5 },
      labels: ['person', 'bicycle', 'car'],
      backend: 'node',
    });
    try {
      expect(p.backend).toBe('node');
      expect(p.untrained).toBe(false);
      // A 128×96 source letterboxed into 64×64: scale 0.5, 48 rows of content, offset y = 8.
      const r = await p.run(testImage(128, 96));
      expect(r.transform).toMatchObject({ scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 8 });
      expect(r.result.map((d) => d.label)).toEqual(['car', 'person']);
      // car: input (24, 24)-(40, 40) → source ((24-0)/0.5, (24-8)/0.5) = (48, 32)-(80, 64).
      expect(r.result[0]!.box).toEqual({ x1: 48, y1: 32, x2: 80, y2: 64 });
      expect(r.result[0]!.score).toBeCloseTo(0.9, 6);
      // person: input (12, 20)-(20, 28) → source (24, 24)-(40, 40).
      expect(r.result[1]!.box).toEqual({ x1: 24, y1: 24, x2: 40, y2: 40 });
      expect(r.result[1]!.normalizedBox.x2).toBeCloseTo(40 / 128, 9);
      for (const k of ['preprocessMs', 'inferenceMs', 'decodeMs', 'totalMs'] as const)
        expect(r.timings[k]).toBeGreaterThanOrEqual(0);
      expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.inferenceMs);
    } finally {
      await p.dispose();
    }
  });

  it('requires a decoder for foreign models and one of the pipeline task', async () => {
    const bytes = graphToOnnx(
      traceModule(new ConstantYolo(), [{ name: 'images', dtype: 'float32', shape: [1, 3, 64, 64] }]),
    );
    await expect(pipeline('detection', { model: bytes, backend: 'node' })).rejects.toThrow(/needs `decoder`/);
    await expect(
      pipeline('segmentation', { model: bytes, decoder: { type: 'yolov8' }, backend: 'node' }),
    ).rejects.toThrow(InvalidArgumentError);
  });
});

describe('pipeline() with a registered task network', () => {
  it('runs SSDLite untrained on node, records the backend choice, and refuses use after dispose', async () => {
    const p = await pipeline<Detection[]>('detection', {
      model: 'ocular/ssdlite320_mobilenet_v3_large',
      backend: ['missing-backend', 'node'],
    });
    expect(p.untrained).toBe(true);
    expect(p.fellBack).toBe(true);
    expect(p.attempts[0]).toMatchObject({ name: 'missing-backend', ok: false });
    expect(p.attempts[0]!.reason).toMatch(/no backend named/);
    // torchvision's SSDLite stretches to 320×320 (the entry's preprocess hint).
    expect(p.preprocessConfig).toMatchObject({ size: [320, 320], resize: 'stretch', mean: [0.5, 0.5, 0.5] });
    const r = await p.run(testImage(160, 120));
    expect(r.transform).toMatchObject({ scaleX: 2, scaleY: 320 / 120 });
    for (const d of r.result) {
      expect(d.box.x1).toBeGreaterThanOrEqual(0);
      expect(d.box.x2).toBeLessThanOrEqual(160);
      expect(d.box.y2).toBeLessThanOrEqual(120);
      expect(d.label).toBe(p.labels![d.classId]);
    }
    // The first run compiled the session; a second image of another size reuses it (fixed input).
    expect(r.timings.compileMs).toBeGreaterThan(0);
    const again = await p.run(testImage(90, 200));
    expect(again.timings.compileMs).toBe(0);
    expect(again.transform.source).toEqual({ width: 90, height: 200 });
    await p.dispose();
    await expect(p.run(testImage(8, 8))).rejects.toThrow(DisposedError);
  });

  it('rejects a classifier given as a task network and an unknown model', async () => {
    await expect(pipeline('detection', { model: 'ocular/resnet18', backend: 'node' })).rejects.toThrow(
      RegistryError,
    );
    await expect(pipeline('detection', { model: 'ocular/nope', backend: 'node' })).rejects.toThrow(
      RegistryError,
    );
  });

  it('honours an aborted signal', async () => {
    const p = await pipeline('segmentation', { model: 'ocular/lraspp_mobilenet_v3_large', backend: 'node' });
    const ac = new AbortController();
    ac.abort();
    await expect(p.run(testImage(32, 32), { signal: ac.signal })).rejects.toThrow(AbortError);
    await p.dispose();
  });
});

describe('createPipeline() from registry parts', () => {
  it('composes a backbone, an FPN neck and a segmentation head into one network at source resolution', async () => {
    const p = await createPipeline<Segmentation>({
      task: 'segmentation',
      backbone: { name: 'ocular/resnet18', outIndices: [1, 2, 3, 4] },
      neck: { name: 'fpn', config: { outChannels: 32 } },
      head: { name: 'semantic_fpn', numClasses: 5, config: { channels: 32 } },
      inputSize: [64, 64],
      labels: ['a', 'b', 'c', 'd', 'e'],
      backend: 'node',
    });
    try {
      expect(p.model).toBe('ocular/resnet18+fpn+semantic_fpn');
      const r = await p.run(testImage(96, 48));
      expect(r.result.width).toBe(96);
      expect(r.result.height).toBe(48);
      expect(r.result.classMap).toHaveLength(96 * 48);
      expect(r.result.masks.reduce((s, m) => s + m.area, 0)).toBe(96 * 48);
    } finally {
      await p.dispose();
    }
  });

  it('names what is wrong with a head of another task or a missing part', async () => {
    await expect(
      createPipeline({
        task: 'detection',
        backbone: { name: 'ocular/resnet18' },
        head: { name: 'segformer' },
      }),
    ).rejects.toThrow(/for segmentation/);
    await expect(
      createPipeline({ task: 'segmentation', backbone: { name: 'ocular/resnet18' }, head: { name: 'nope' } }),
    ).rejects.toThrow(RegistryError);
  });
});

describe('super-resolution pipeline', () => {
  it('tiles large images so the result equals the whole-image run', async () => {
    const image = testImage(72, 40);
    // One network (one set of random weights) behind both pipelines.
    const net = createSrNet('test_espcn');
    const whole = await pipeline<PixelImage>('super-resolution', { model: net, backend: 'node' });
    const tiled = await pipeline<PixelImage>('super-resolution', {
      model: net,
      backend: 'node',
      tile: { size: 24 },
    });
    try {
      const a = await whole.run(image);
      const progress: number[] = [];
      const b = await tiled.run(image, { onProgress: (s) => progress.push(s.done) });
      const scale = a.result.width / image.width;
      expect(scale).toBeGreaterThan(1);
      expect(b.result.width).toBe(a.result.width);
      expect(b.result.height).toBe(40 * scale);
      // More than one tile ran and reported progress.
      expect(progress.length).toBeGreaterThan(1);
      let maxDiff = 0;
      for (let i = 0; i < a.result.data.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(a.result.data[i]! - b.result.data[i]!));
      // 8-bit outputs: equal up to rounding of values within 1e-4 of a half step.
      expect(maxDiff).toBeLessThanOrEqual(1);
    } finally {
      await whole.dispose();
      await tiled.dispose();
    }
  });
});

describe('super-resolution with a foreign fixed-size graph', () => {
  it('runs tiles of the graph size and matches the whole-image run when the overlap covers the receptive field', async () => {
    const net = createSrNet('test_espcn');
    const bytes = graphToOnnx(traceModule(net, [{ name: 'lr', dtype: 'float32', shape: [1, 3, 24, 24] }]));
    const image = testImage(60, 40);
    const whole = await pipeline<PixelImage>('super-resolution', { model: net, backend: 'node' });
    const foreign = await pipeline<PixelImage>('super-resolution', {
      model: bytes,
      decoder: { type: 'image' },
      tile: { overlap: 8, margin: 4 },
      backend: 'node',
    });
    try {
      const a = await whole.run(image);
      const b = await foreign.run(image);
      expect([b.result.width, b.result.height]).toEqual([120, 80]);
      let maxDiff = 0;
      for (let i = 0; i < a.result.data.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(a.result.data[i]! - b.result.data[i]!));
      expect(maxDiff).toBeLessThanOrEqual(1);
    } finally {
      await whole.dispose();
      await foreign.dispose();
    }
  });
});

describe('task presets', () => {
  const graph = traceModule(new ConstantYolo(), [
    { name: 'images', dtype: 'float32', shape: [1, 3, 64, 64] },
  ]);
  const low: TaskPreset = {
    name: 'test/low',
    task: 'detection',
    description: 'planted boxes',
    license: 'MIT',
    source: 'test',
    priority: 1,
    preprocess: { size: [64, 64], resize: 'letterbox' },
    labels: ['person', 'bicycle', 'car'],
    decoder: { type: 'yolov8', numClasses: 3 },
    load: async () => ({ graph }),
  };
  const high: TaskPreset = { ...low, name: 'test/high', priority: 5, labels: ['a', 'b', 'c'] };

  it('pipeline(task) without a model runs the highest-priority preset of the task', async () => {
    expect(() => defaultTaskPreset('classification')).toThrow(/no default model for classification/);
    registerTaskPresets([low, high]);
    try {
      expect(listTaskPresets('detection').map((p) => p.name)).toEqual(['test/high', 'test/low']);
      const p = await pipeline<Detection[]>('detection', { backend: 'node' });
      expect(p.model).toBe('test/high');
      const r = await p.run(testImage(128, 96));
      expect(r.result.map((d) => d.label)).toEqual(['c', 'a']);
      await p.dispose();
      // By bare name, with the labels overridden.
      const q = await pipeline<Detection[]>('detection', { model: 'low', backend: 'node' });
      expect((await q.run(testImage(64, 64))).result.map((d) => d.label)).toEqual(['car', 'person']);
      await q.dispose();
      await expect(pipeline('segmentation', { model: 'test/low', backend: 'node' })).rejects.toThrow(
        /is for detection/,
      );
      expect(() => registerTaskPresets([{ ...low }])).toThrow(RegistryError);
    } finally {
      unregisterTaskPresets([low, high]);
    }
  });
});
