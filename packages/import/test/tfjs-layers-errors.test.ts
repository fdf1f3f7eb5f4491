// Typed errors of the LayersModel importer, and custom layer classes through `customLayers`
// (a registered TF.js pixel-shuffle class is the oracle for the DepthToSpace converter).
import { interpret } from '@ocular/backend-reference';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { depthToSpaceConverter, ImportError, importTfjsLayersModel } from '../src/index.js';
import {
  loadOracle,
  maxAbsDiff,
  randomTensor,
  runOracle,
  saveModel,
  seedWeights,
  useCpu,
} from './tfjs-layers-oracle.js';

beforeAll(useCpu);

/** A hand-written Keras 2 functional config. */
function functionalJson(layers: unknown[], output: string) {
  return {
    format: 'layers-model',
    modelTopology: {
      keras_version: '2.10.0',
      model_config: {
        class_name: 'Functional',
        config: { name: 'm', layers, input_layers: [['x', 0, 0]], output_layers: [[output, 0, 0]] },
      },
    },
    weightsManifest: [{ paths: ['w.bin'], weights: [] }],
  };
}
const inputLayer = {
  class_name: 'InputLayer',
  name: 'x',
  config: { name: 'x', batch_input_shape: [null, 4, 4, 3] },
  inbound_nodes: [],
};
const call = (cls: string, name: string, from: string, config: Record<string, unknown> = {}) => ({
  class_name: cls,
  name,
  config: { name, ...config },
  inbound_nodes: [[[from, 0, 0, {}]]],
});

/** A one-conv model saved by TF.js. */
async function convModel() {
  const x = tfl.input({ shape: [4, 4, 3] });
  const model = tfl.model({
    inputs: x,
    outputs: tfl.layers.conv2d({ filters: 2, kernelSize: 3, name: 'c' }).apply(x) as tfl.SymbolicTensor,
  });
  return saveModel(model);
}

function thrown(f: () => unknown): ImportError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('importTfjsLayersModel errors', () => {
  it('lists every unsupported layer class with its layers in one error', () => {
    const json = functionalJson(
      [
        inputLayer,
        call('LSTM', 'l1', 'x'),
        call('Lambda', 'lam', 'l1'),
        call('Conv2D', 'c', 'lam'),
        call('Lambda', 'lam2', 'c'),
      ],
      'lam2',
    );
    const err = thrown(() => importTfjsLayersModel(json, new Uint8Array(0)));
    expect(err.code).toBe('E_IMPORT');
    expect(err.message).toBe('unsupported layer classes: LSTM (l1); Lambda (lam, lam2)');
    expect(err.details?.unsupported).toEqual({ LSTM: ['l1'], Lambda: ['lam', 'lam2'] });
  });

  it('names a missing weight, a short shard and bad JSON', async () => {
    const { json, shard } = await convModel();
    const noKernel = structuredClone(json);
    noKernel.weightsManifest[0]!.weights = noKernel.weightsManifest[0]!.weights.filter(
      (w) => !w.name.endsWith('kernel'),
    );
    expect(thrown(() => importTfjsLayersModel(noKernel, shard.subarray(3 * 3 * 3 * 2 * 4))).message).toMatch(
      /layer 'c' \(Conv2D\) needs weight 'c\/kernel'/,
    );
    expect(
      thrown(() => importTfjsLayersModel(json, shard.subarray(0, shard.byteLength - 4))).message,
    ).toMatch(/weight 'c\/bias' runs past the end/);
    expect(thrown(() => importTfjsLayersModel('{"modelTopology": ', shard)).message).toMatch(
      /not valid JSON/,
    );
    expect(
      thrown(() =>
        importTfjsLayersModel(
          { format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] },
          shard,
        ),
      ).message,
    ).toMatch(/no model class_name/);
    const badAct = functionalJson([inputLayer, call('Activation', 'a', 'x', { activation: 'sparkle' })], 'a');
    expect(thrown(() => importTfjsLayersModel(badAct, new Uint8Array(0))).message).toMatch(
      /layer 'a' \(Activation\): activation 'sparkle'/,
    );
    const dangling = functionalJson([inputLayer, call('Activation', 'a', 'nowhere')], 'a');
    expect(thrown(() => importTfjsLayersModel(dangling, new Uint8Array(0))).message).toMatch(
      /consumes 'nowhere'/,
    );
  });
});

/** A TF.js layer calling depthToSpace (NHWC), registered as a custom class. */
class PixelShuffle extends tfl.layers.Layer {
  static className = 'PixelShuffle';
  readonly blockSize: number;
  constructor(config: { blockSize?: number; block_size?: number; name?: string }) {
    super(config);
    this.blockSize = config.blockSize ?? config.block_size ?? 2;
  }
  override computeOutputShape(s: tfl.Shape): tfl.Shape {
    const b = this.blockSize;
    return [s[0]!, (s[1] as number) * b, (s[2] as number) * b, (s[3] as number) / (b * b)];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.depthToSpace(x, this.blockSize, 'NHWC');
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), blockSize: this.blockSize };
  }
}
tf.serialization.registerClass(PixelShuffle);

describe('custom layers', () => {
  it('a registered pixel-shuffle class imports as DepthToSpace (DCR) and matches TF.js', async () => {
    const x = tfl.input({ shape: [5, 6, 3] });
    const conv = tfl.layers
      .conv2d({ filters: 12, kernelSize: 3, padding: 'same' })
      .apply(x) as tfl.SymbolicTensor;
    const model = tfl.model({
      inputs: x,
      outputs: new PixelShuffle({ blockSize: 2 }).apply(conv) as tfl.SymbolicTensor,
    });
    seedWeights(model, 9);
    const { json, shard } = await saveModel(model);
    expect(thrown(() => importTfjsLayersModel(json, shard)).details?.unsupported).toHaveProperty(
      'PixelShuffle',
    );
    const imported = importTfjsLayersModel(json, shard, {
      customLayers: { PixelShuffle: depthToSpaceConverter() },
    });
    const input = randomTensor([1, 5, 6, 3], 4);
    const [want] = await runOracle(await loadOracle(json, [shard]), [input]);
    const got = interpret(imported.graph, { [imported.inputs[0]!.name]: input })[imported.outputs[0]!.name]!;
    expect(got.dims).toEqual([1, 10, 12, 3]);
    expect(maxAbsDiff(got, want!)).toBeLessThanOrEqual(1e-4);
    // The other channel order is a different result: the test can tell them apart.
    const crd = importTfjsLayersModel(json, shard, {
      customLayers: { PixelShuffle: depthToSpaceConverter({ mode: 'CRD' }) },
    });
    const wrong = interpret(crd.graph, { [crd.inputs[0]!.name]: input })[crd.outputs[0]!.name]!;
    expect(maxAbsDiff(wrong, want!)).toBeGreaterThan(1e-2);
  });
});
