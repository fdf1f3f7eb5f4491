// tfjsToOnnx: the UpscalerJS default model converted to an ONNX file, which onnxruntime-node
// loads and runs directly (no Ocular code in between); TF.js running the original is the oracle.
import { createRequire } from 'node:module';
import { readOnnxModel, Tensor } from '@ocular/core';
import { beforeAll, expect, it } from 'vitest';
import { readTfjsModelFiles, tfjsModelFormat, tfjsToOnnx } from '../src/index.js';
import { loadOracle, maxAbsDiff, randomTensor, runOracle, useCpu } from './tfjs-layers-oracle.js';

/** The part of onnxruntime-node's API the test uses. */
interface OrtTensor {
  data: unknown;
  dims: readonly number[];
}
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: {
    create(bytes: Uint8Array): Promise<{
      run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
      release(): Promise<void>;
    }>;
  };
}
// onnxruntime-node is a dependency of the node backend; load it from there.
const ort = createRequire(new URL('../node_modules/@ocular/backend-node/package.json', import.meta.url))(
  'onnxruntime-node',
) as Ort;
const MODEL = new URL(
  '../../models/node_modules/@upscalerjs/default-model/models/model.json',
  import.meta.url,
).pathname;

beforeAll(useCpu);

it('writes an ONNX file that onnxruntime-node runs with TF.js results (NHWC in and out)', async () => {
  const bytes = await tfjsToOnnx(MODEL);
  const graph = readOnnxModel(bytes);
  expect(graph.inputs.map((i) => i.name)).toEqual(['LR']);
  expect(graph.inputs[0]!.shape[3]).toBe(3);
  const session = await ort.InferenceSession.create(bytes);
  const input = randomTensor([1, 24, 20, 3], 8, 0, 1);
  const out = await session.run({ LR: new ort.Tensor('float32', input.data, [1, 24, 20, 3]) });
  const files = await readTfjsModelFiles(MODEL);
  expect(tfjsModelFormat(files.modelJson)).toBe('layers-model');
  const [want] = await runOracle(await loadOracle(files.modelJson, files.shards), [input]);
  const y = out.SR!;
  expect(y.dims).toEqual([1, 48, 40, 3]);
  const d = maxAbsDiff(new Tensor('float32', y.data as Float32Array, y.dims), want!);
  console.info(
    `tfjsToOnnx default model on onnxruntime-node, 24×20 input: max abs diff ${d.toExponential(2)}`,
  );
  expect(d).toBeLessThanOrEqual(1e-4);
  await session.release();
});
