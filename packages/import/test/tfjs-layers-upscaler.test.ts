// The UpscalerJS super-resolution LayersModels (npm packages, MIT), imported and run on
// onnxruntime-node and onnxruntime-web (wasm), and the default and slim models also on the
// reference interpreter, against TF.js (cpu backend) running the original model from memory. Input 32×32.
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { wasmBackend } from '@ocular/backend-wasm';
import type { Tensor } from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTfjsLayersModel, readTfjsModelFiles } from '../src/index.js';
import { loadOracle, maxAbsDiff, randomTensor, runOracle, useCpu } from './tfjs-layers-oracle.js';

const ROOT = new URL('../../models/node_modules/@upscalerjs/', import.meta.url).pathname;
const MODELS: { name: string; path: string; scale: number; reference?: boolean }[] = [
  { name: 'default-model', path: 'default-model/models/model.json', scale: 2, reference: true },
  ...(['slim', 'medium'] as const).flatMap((size) =>
    [2, 3, 4].map((scale) => ({
      name: `esrgan-${size} x${scale}`,
      path: `esrgan-${size}/models/x${scale}/model.json`,
      scale,
      // The slim models are as small as the default one; the medium ones stay off the interpreter.
      reference: size === 'slim',
    })),
  ),
];
const SIZE = 32;
const TOL = 1e-4;
const measured: string[] = [];

beforeAll(async () => {
  await useCpu();
  await nodeBackend.init();
  await wasmBackend.init();
});
afterAll(() => {
  console.info(`UpscalerJS max abs diff vs TF.js at ${SIZE}×${SIZE}:\n${measured.join('\n')}`);
});

describe.each(MODELS)('$name', ({ name, path, scale, reference }) => {
  it(`matches TF.js on ${reference ? 'the reference, ' : ''}node and wasm backends`, async () => {
    const files = await readTfjsModelFiles(ROOT + path);
    const imported = importTfjsLayersModel(files.modelJson, files.shards);
    expect(imported.report.unusedWeights).toEqual([]);
    const input = randomTensor([1, SIZE, SIZE, 3], 42, 0, 1);
    const [want] = await runOracle(await loadOracle(files.modelJson, files.shards), [input]);
    expect(want!.dims).toEqual([1, SIZE * scale, SIZE * scale, 3]);
    const feeds = { [imported.inputs[0]!.name]: input };
    const out = imported.outputs[0]!.name;
    const results: [string, Tensor][] = [];
    for (const backend of [nodeBackend, wasmBackend]) {
      const session = await backend.compile(imported.graph);
      results.push([backend.name, (await session.run(feeds))[out]!]);
      await session.dispose();
    }
    if (reference) results.push(['reference', interpret(imported.graph, feeds)[out]!]);
    const diffs = results.map(([b, y]) => [b, maxAbsDiff(y, want!)] as const);
    measured.push(`  ${name}: ${diffs.map(([b, d]) => `${b} ${d.toExponential(2)}`).join(', ')}`);
    for (const [b, d] of diffs) expect(d, `${name} on ${b}`).toBeLessThanOrEqual(TOL);
  });
});
