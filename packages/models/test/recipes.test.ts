// The recipes of the vendored default models, checked by running the ORIGINAL TF.js graphs
// (tfjs-converter on the tfjs wasm backend, from memory) on the sample photos with the pipeline's
// own pre-processing and decoders: the right class comes out on top, and the naive recipe
// (stretched, divided by 255) does worse.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Detection, type PixelImage, type Segmentation, Tensor } from '@ocular/core';
import { loadImage } from '@ocular/image';
import { COCO_91_LABELS, pipelineDecoder, preprocessImage } from '@ocular/tasks';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { COCO_80_LABELS, DEFAULT_RECIPES, type TaskRecipe } from '../src/recipes/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, '../assets/human-models');
const samples = join(here, '../../../apps/cli/samples');

async function loadOriginal(name: string): Promise<GraphModel> {
  const json = JSON.parse(readFileSync(join(assets, `${name}.json`), 'utf8'));
  const bin = readFileSync(join(assets, `${name}.bin`));
  return loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((m: { weights: tf.io.WeightsManifestEntry[] }) => m.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  );
}

const models: Record<string, GraphModel> = {};
const photos: Record<string, PixelImage> = {};

beforeAll(async () => {
  // The wasm backend runs these graphs about twenty times faster than the cpu backend and agrees
  // with it to float32 rounding (measured on chelsea.jpg: ≤ 1.6e-5 on NanoDet's outputs, 1.5e-6 on
  // CenterNet's heatmap, 3.8e-3 on its box sizes of up to 402 px, 1.6e-4 on Meet's logits).
  const require = createRequire(import.meta.url);
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  await tf.setBackend('wasm');
  for (const name of Object.keys(DEFAULT_RECIPES)) models[name] = await loadOriginal(name);
  for (const f of ['chelsea.jpg', 'astronaut.jpg', 'city.jpg'])
    photos[f] = await loadImage(readFileSync(join(samples, f)));
}, 60_000);

/** Pre-processes as the recipe says, runs the original graph, decodes with the recipe's decoder. */
function run<R>(recipe: TaskRecipe, image: PixelImage, preprocess = recipe.preprocess): R {
  const { tensor, transform } = preprocessImage(image, preprocess);
  const outputs = tf.tidy(() => {
    let x = tf.tensor(tensor.data as Float32Array, [...tensor.dims]);
    // The pipeline lays tensors out NCHW; the original graph may want NHWC.
    if (recipe.input.layout === 'nhwc') x = tf.transpose(x, [0, 2, 3, 1]);
    const out = models[recipe.name]!.execute({ [recipe.input.name]: x }, [...recipe.outputs]);
    return Array.isArray(out) ? out : [out];
  });
  const raw: Record<string, Tensor> = {};
  recipe.outputs.forEach((name, i) => {
    raw[name] = new Tensor('float32', outputs[i]!.dataSync() as Float32Array, outputs[i]!.shape);
  });
  tf.dispose(outputs);
  return pipelineDecoder(recipe.decoder).decode(raw, { transform, labels: recipe.labels }) as R;
}

/** Stretched, RGB, divided by 255: how the packaging library fed both detectors. */
const naive = (r: TaskRecipe) => ({
  ...r.preprocess,
  resize: 'stretch' as const,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  channelOrder: 'rgb' as const,
});

const summary = (d: readonly Detection[]) => d.slice(0, 3).map((x) => `${x.label} ${x.score.toFixed(3)}`);

describe('COCO_80_LABELS', () => {
  it("is torchvision's COCO-91 list without the background and the unused ids", () => {
    expect(COCO_80_LABELS).toEqual(COCO_91_LABELS.filter((l) => l !== '__background__' && l !== 'N/A'));
    // The contiguous ids detectors predict (hand-checked against the COCO class list).
    expect(COCO_80_LABELS).toHaveLength(80);
    expect([COCO_80_LABELS[0], COCO_80_LABELS[15], COCO_80_LABELS[79]]).toEqual([
      'person',
      'cat',
      'toothbrush',
    ]);
  });
});

describe.each(['nanodet', 'centernet'] as const)('%s recipe', (name) => {
  const recipe = DEFAULT_RECIPES[name];

  it('finds the cat on chelsea.jpg on top, which the naive recipe misses', () => {
    const dets = run<Detection[]>(recipe, photos['chelsea.jpg']!);
    const plain = run<Detection[]>(recipe, photos['chelsea.jpg']!, naive(recipe));
    console.log(`${name} chelsea: recipe [${summary(dets)}], stretched /255 [${summary(plain)}]`);
    expect(dets[0]!.label).toBe('cat');
    expect(dets[0]!.score).toBeGreaterThan(0.45);
    // The cat fills most of the photo (451×300).
    const b = dets[0]!.box;
    expect(b.x2 - b.x1).toBeGreaterThan(250);
    expect(b.y2 - b.y1).toBeGreaterThan(200);
    expect(plain.filter((d) => d.label === 'cat')).toEqual([]);
  });

  it('finds cars on city.jpg, a car on top', () => {
    const dets = run<Detection[]>(recipe, photos['city.jpg']!);
    console.log(`${name} city: [${summary(dets)}] (${dets.filter((d) => d.label === 'car').length} cars)`);
    expect(dets[0]!.label).toBe('car');
    expect(dets.filter((d) => d.label === 'car').length).toBeGreaterThanOrEqual(2);
  });

  it('finds the astronaut on astronaut.jpg', () => {
    const dets = run<Detection[]>(recipe, photos['astronaut.jpg']!);
    console.log(`${name} astronaut: [${summary(dets)}]`);
    expect(dets[0]!.label).toBe('person');
    expect(dets[0]!.score).toBeGreaterThan(0.5);
    // She sits in the left two thirds of the 512×512 photo.
    expect(dets[0]!.box.x2).toBeLessThan(400);
    expect(dets[0]!.box.y2 - dets[0]!.box.y1).toBeGreaterThan(400);
  });
});

type Box = readonly [number, number, number, number];

/** Share of the person mask's pixels set inside the boxes (x1, y1, x2, y2). */
function coverage(seg: Segmentation, boxes: readonly Box[]): number {
  const person = seg.masks.find((m) => m.label === 'person');
  let set = 0;
  let n = 0;
  for (const [x1, y1, x2, y2] of boxes)
    for (let y = y1; y < y2; y++)
      for (let x = x1; x < x2; x++) {
        set += person?.mask[y * seg.width + x] ?? 0;
        n++;
      }
  return set / n;
}

// Hand-chosen on astronaut.jpg (512×512): her face, neck ring and chest; and the backdrop left of
// her head (flag) and right of her (shuttle model, wall).
const BODY: readonly Box[] = [[160, 40, 290, 500]];
const BACKGROUND: readonly Box[] = [
  [0, 0, 100, 230],
  [380, 0, 512, 320],
];

// The landscape Meet model sees the square photo squeezed to 16:9 and misses part of the chest.
describe.each([
  ['selfie', 0.9],
  ['meet', 0.7],
] as const)('%s recipe', (name, minBody) => {
  it('masks the astronaut’s body and little else', () => {
    const seg = run<Segmentation>(DEFAULT_RECIPES[name], photos['astronaut.jpg']!);
    expect(seg.width).toBe(512);
    expect(seg.labels).toEqual(['background', 'person']);
    const body = coverage(seg, BODY);
    const background = coverage(seg, BACKGROUND);
    console.log(
      `${name} astronaut: person mask covers ${body.toFixed(3)} of the body, ${background.toFixed(3)} of the backdrop`,
    );
    expect(body).toBeGreaterThan(minBody);
    expect(background).toBeLessThan(0.1);
  });
});
