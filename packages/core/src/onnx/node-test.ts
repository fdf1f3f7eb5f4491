/**
 * Reads one official ONNX backend node test folder (`model.onnx` plus
 * `test_data_set_0/{input,output}_<i>.pb`). Node only: `node:fs` is imported dynamically so
 * the ONNX module stays importable in browsers. The full runner is in the testing kit.
 * @module
 */
import type { Graph } from '../ir/graph.js';
import type { Tensor } from '../tensor.js';
import { readOnnxModel, readOnnxTensor } from './read.js';

/** A decoded node test: the model and its first data set. */
export interface OnnxNodeTestData {
  readonly graph: Graph;
  /** Inputs by graph input name. */
  readonly inputs: Record<string, Tensor>;
  /** Expected outputs by graph output name, in graph output order. */
  readonly expected: Record<string, Tensor>;
}

/**
 * Reads the node test in `testDir` (for example `.../node/test_relu`). Input file `i` belongs
 * to graph input `i` and output file `i` to graph output `i`, as the suite lays them out.
 * Throws {@link OnnxError} when the model or a data file uses what Ocular cannot represent.
 */
export async function readOnnxNodeTest(testDir: string): Promise<OnnxNodeTestData> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const graph = readOnnxModel(await fs.readFile(path.join(testDir, 'model.onnx')));
  const data = path.join(testDir, 'test_data_set_0');
  const inputs: Record<string, Tensor> = {};
  for (let i = 0; i < graph.inputs.length; i++) {
    inputs[graph.inputs[i]!.name] = readOnnxTensor(await fs.readFile(path.join(data, `input_${i}.pb`)));
  }
  const expected: Record<string, Tensor> = {};
  for (let i = 0; i < graph.outputs.length; i++) {
    expected[graph.outputs[i]!.name] = readOnnxTensor(await fs.readFile(path.join(data, `output_${i}.pb`)));
  }
  return { graph, inputs, expected };
}
