// Small LayersModels built with tfjs-layers, saved in TF.js's own format, imported, and run on the
// reference, node and wasm backends; TF.js (cpu backend) running the same saved model is the oracle.
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { wasmBackend } from '@ocular/backend-wasm';
import { type Graph, type Tensor, Tensor as TensorClass } from '@ocular/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportTfjsLayersOptions, importTfjsLayersModel } from '../src/index.js';
import {
  loadOracle,
  maxAbsDiff,
  random,
  randomTensor,
  runOracle,
  saveModel,
  seedWeights,
  useCpu,
} from './tfjs-layers-oracle.js';

const TOL = 1e-4;
const sessions: { dispose(): Promise<void> | void }[] = [];
const measured: string[] = [];

beforeAll(async () => {
  await useCpu();
  await nodeBackend.init();
  await wasmBackend.init();
});
afterAll(async () => {
  for (const s of sessions) await s.dispose();
  console.info(`max abs diff vs TF.js (reference, node and wasm backends):\n${measured.join('\n')}`);
});

/** Runs a graph on the reference interpreter, onnxruntime-node and onnxruntime-web (wasm). */
async function runBackends(graph: Graph, feeds: Record<string, Tensor>): Promise<Record<string, Tensor[]>> {
  const names = graph.outputs.map((o) => o.name);
  const ref = interpret(graph, feeds);
  const out: Record<string, Tensor[]> = { reference: names.map((n) => ref[n]!) };
  for (const backend of [nodeBackend, wasmBackend]) {
    const session = await backend.compile(graph);
    sessions.push(session);
    const got = await session.run(feeds);
    out[backend.name] = names.map((n) => got[n]!);
  }
  return out;
}

/**
 * Saves `model`, imports the saved JSON + shard, and checks every output on every backend against
 * TF.js running the saved model. Returns the worst diff.
 */
async function check(
  model: tfl.LayersModel,
  inputShapes: number[][],
  options?: ImportTfjsLayersOptions,
): Promise<number> {
  seedWeights(model, 7);
  const { json, shard } = await saveModel(model);
  const imported = importTfjsLayersModel(json, [shard], options);
  const xs = inputShapes.map((s, i) => randomTensor(s, 100 + i));
  const want = await runOracle(await loadOracle(json, [shard]), xs);
  const feeds = Object.fromEntries(imported.inputs.map((inp, i) => [inp.name, xs[i]!]));
  const got = await runBackends(imported.graph, feeds);
  let worst = 0;
  const perBackend: string[] = [];
  for (const [backend, outs] of Object.entries(got)) {
    let w = 0;
    outs.forEach((y, i) => {
      const d = maxAbsDiff(y, want[i]!);
      expect(d, `${backend} output ${imported.outputs[i]!.name}`).toBeLessThanOrEqual(TOL);
      w = Math.max(w, d);
    });
    perBackend.push(`${backend} ${w.toExponential(2)}`);
    worst = Math.max(worst, w);
  }
  measured.push(`  ${expect.getState().currentTestName?.split(' > ').pop()}: ${perBackend.join(', ')}`);
  return worst;
}

const L = tfl.layers;

describe('importTfjsLayersModel vs TF.js', () => {
  it('convolutions: same padding with even kernels and strides on odd sizes, dilation, depthwise, separable, transposed', async () => {
    const x = tfl.input({ shape: [9, 10, 3] });
    const c1 = L.conv2d({ filters: 4, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }).apply(
      x,
    ) as tfl.SymbolicTensor;
    const c2 = L.conv2d({ filters: 5, kernelSize: 3, dilationRate: 2, padding: 'same' }).apply(
      x,
    ) as tfl.SymbolicTensor;
    const c3 = L.conv2d({
      filters: 2,
      kernelSize: [2, 3],
      strides: [1, 2],
      padding: 'valid',
      useBias: false,
    }).apply(x) as tfl.SymbolicTensor;
    const d1 = L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }).apply(
      x,
    ) as tfl.SymbolicTensor;
    const s1 = L.separableConv2d({
      filters: 6,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'tanh',
    }).apply(x) as tfl.SymbolicTensor;
    const t1 = L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }).apply(
      c1,
    ) as tfl.SymbolicTensor;
    const t2 = L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'valid' }).apply(
      c1,
    ) as tfl.SymbolicTensor;
    const t3 = L.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 3, padding: 'same' }).apply(
      c1,
    ) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: [c1, c2, c3, d1, s1, t1, t2, t3] });
    expect(await check(model, [[1, 9, 10, 3]])).toBeLessThanOrEqual(TOL);
  });

  it('activations (functions and layers) and batch normalisation', async () => {
    const x = tfl.input({ shape: [4, 5, 3] });
    const names = [
      'relu',
      'relu6',
      'sigmoid',
      'tanh',
      'softmax',
      'swish',
      'elu',
      'selu',
      'softplus',
      'softsign',
      'hardSigmoid',
      'linear',
      'mish',
    ];
    const acts = names.map((a) => L.activation({ activation: a as 'relu' }).apply(x) as tfl.SymbolicTensor);
    const bn = L.batchNormalization({ epsilon: 0.01 }).apply(x) as tfl.SymbolicTensor;
    const bnNoScale = L.batchNormalization({ scale: false, center: false }).apply(x) as tfl.SymbolicTensor;
    const layers = [
      L.reLU({ maxValue: 0.3 }),
      L.leakyReLU({ alpha: 0.2 }),
      L.prelu({ sharedAxes: [1, 2] }),
      L.prelu({}),
      L.elu({}),
      L.softmax({ axis: -1 }),
      L.thresholdedReLU({ theta: 0.1 }),
    ].map((l) => l.apply(x) as tfl.SymbolicTensor);
    const model = tfl.model({ inputs: x, outputs: [...acts, bn, bnNoScale, ...layers] });
    expect(await check(model, [[2, 4, 5, 3]])).toBeLessThanOrEqual(TOL);
  });

  it('grouped Conv2D (which tfjs-layers cannot run) matches per-group tf.conv2d', async () => {
    const r = random(21);
    const kernel = Float32Array.from({ length: 3 * 3 * 2 * 6 }, () => r());
    const bias = Float32Array.from({ length: 6 }, () => r());
    const json = {
      format: 'layers-model',
      modelTopology: {
        class_name: 'Functional',
        config: {
          name: 'g',
          layers: [
            {
              class_name: 'InputLayer',
              name: 'x',
              config: { name: 'x', batch_input_shape: [null, 5, 6, 4] },
              inbound_nodes: [],
            },
            {
              class_name: 'Conv2D',
              name: 'c',
              config: {
                name: 'c',
                filters: 6,
                kernel_size: [3, 3],
                strides: [2, 2],
                padding: 'same',
                groups: 2,
                use_bias: true,
              },
              inbound_nodes: [[['x', 0, 0, {}]]],
            },
          ],
          input_layers: [['x', 0, 0]],
          output_layers: [['c', 0, 0]],
        },
      },
      weightsManifest: [
        {
          paths: ['w.bin'],
          weights: [
            { name: 'c/kernel', shape: [3, 3, 2, 6], dtype: 'float32' },
            { name: 'c/bias', shape: [6], dtype: 'float32' },
          ],
        },
      ],
    };
    const shard = new Uint8Array(kernel.byteLength + bias.byteLength);
    shard.set(new Uint8Array(kernel.buffer), 0);
    shard.set(new Uint8Array(bias.buffer), kernel.byteLength);
    const imported = importTfjsLayersModel(json, shard);
    const input = randomTensor([1, 5, 6, 4], 3);
    // Keras groups: output channels [3g, 3g+3) read input channels [2g, 2g+2).
    const x = tf.tensor4d(input.data, [1, 5, 6, 4]);
    const k = tf.tensor4d(kernel, [3, 3, 2, 6]);
    const parts = [0, 1].map((g) =>
      tf.conv2d(
        tf.slice(x, [0, 0, 0, 2 * g], [-1, -1, -1, 2]),
        tf.slice(k, [0, 0, 0, 3 * g], [-1, -1, -1, 3]),
        2,
        'same',
      ),
    );
    const y = tf.add(tf.concat(parts, 3), tf.tensor1d(bias));
    const want = new TensorClass('float32', (await y.data()) as Float32Array, y.shape);
    const got = await runBackends(imported.graph, { x: input });
    for (const [backend, [out]] of Object.entries(got)) {
      expect(maxAbsDiff(out!, want), backend).toBeLessThanOrEqual(TOL);
    }
  });

  it('batch normalisation over a non-channel axis matches hand-computed values', async () => {
    // TF.js's cpu batchNorm kernel cycles the statistics over the flat index instead of
    // broadcasting them along the axis, so it is no oracle here; the expected values are computed below.
    const x = tfl.input({ shape: [2, 3, 2] });
    const bnLayer = L.batchNormalization({ axis: 2, epsilon: 0.01 });
    const model = tfl.model({ inputs: x, outputs: bnLayer.apply(x) as tfl.SymbolicTensor });
    seedWeights(model, 3);
    const [gamma, beta, mean, variance] = bnLayer.getWeights().map((w) => Array.from(w.dataSync()));
    const { json, shard } = await saveModel(model);
    const imported = importTfjsLayersModel(json, shard);
    const input = randomTensor([1, 2, 3, 2], 5);
    const got = interpret(imported.graph, { [imported.inputs[0]!.name]: input })[imported.outputs[0]!.name]!;
    const y = got.toFloat32();
    input.toFloat32().forEach((v, i) => {
      const w = Math.floor(i / 2) % 3;
      const want = ((v - mean![w]!) / Math.sqrt(variance![w]! + 0.01)) * gamma![w]! + beta![w]!;
      expect(Math.abs(y[i]! - want)).toBeLessThan(1e-5);
    });
  });

  it('merges, resampling, padding, cropping and pooling', async () => {
    const x = tfl.input({ shape: [7, 6, 4] });
    const y = L.conv2d({ filters: 4, kernelSize: 1 }).apply(x) as tfl.SymbolicTensor;
    const merges = [
      L.add().apply([x, y]),
      L.multiply().apply([x, y, x]),
      L.average().apply([x, y]),
      L.maximum().apply([x, y]),
      L.minimum().apply([x, y]),
      L.concatenate().apply([x, y]),
      L.concatenate({ axis: 1 }).apply([x, y]),
      L.concatenate({ axis: 2 }).apply([x, y]),
    ] as tfl.SymbolicTensor[];
    const spatial = [
      L.upSampling2d({ size: [2, 3] }),
      L.upSampling2d({ size: [3, 2], interpolation: 'bilinear' }),
      L.zeroPadding2d({
        padding: [
          [1, 2],
          [0, 3],
        ],
      }),
      L.cropping2D({
        cropping: [
          [1, 0],
          [2, 1],
        ],
      }),
      L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same' }),
      L.averagePooling2d({ poolSize: [3, 2], strides: 1, padding: 'valid' }),
      L.globalAveragePooling2d({}),
      L.globalMaxPooling2d({}),
    ].map((l) => l.apply(x) as tfl.SymbolicTensor);
    const model = tfl.model({ inputs: x, outputs: [...merges, ...spatial] });
    expect(await check(model, [[1, 7, 6, 4]])).toBeLessThanOrEqual(TOL);
  });

  it('dense, flatten in NHWC order, reshape, permute, dropout, rescaling, and several inputs', async () => {
    const a = tfl.input({ shape: [3, 4, 2] });
    const b = tfl.input({ shape: [5] });
    const flat = L.flatten().apply(a) as tfl.SymbolicTensor;
    const dense = L.dense({ units: 6, activation: 'relu' }).apply(
      L.dropout({ rate: 0.5 }).apply(flat),
    ) as tfl.SymbolicTensor;
    const joined = L.concatenate().apply([dense, b]) as tfl.SymbolicTensor;
    const back = L.reshape({ targetShape: [1, 11, 1] }).apply(
      L.dense({ units: 11 }).apply(joined),
    ) as tfl.SymbolicTensor;
    const conv = L.conv2d({ filters: 2, kernelSize: [1, 3], padding: 'same' }).apply(
      back,
    ) as tfl.SymbolicTensor;
    const perm = L.permute({ dims: [3, 1, 2] }).apply(a) as tfl.SymbolicTensor;
    const dense4 = L.dense({ units: 3, activation: 'softmax' }).apply(a) as tfl.SymbolicTensor;
    const r3 = L.reshape({ targetShape: [12, 2] }).apply(a) as tfl.SymbolicTensor;
    const scaled = L.rescaling({ scale: 1 / 255, offset: -0.5 }).apply(a) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: [a, b], outputs: [dense, conv, perm, dense4, r3, scaled] });
    expect(
      await check(model, [
        [2, 3, 4, 2],
        [2, 5],
      ]),
    ).toBeLessThanOrEqual(TOL);
  });

  it('unknown spatial sizes: strided same padding through auto_pad, run at an odd size', async () => {
    const x = tfl.input({ shape: [null, null, 3] });
    const c = L.conv2d({ filters: 4, kernelSize: 4, strides: 2, padding: 'same' }).apply(
      x,
    ) as tfl.SymbolicTensor;
    const p = L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(c) as tfl.SymbolicTensor;
    const a = L.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
    const d = L.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same' }).apply(
      x,
    ) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: [c, p, a, d] });
    expect(await check(model, [[1, 9, 11, 3]])).toBeLessThanOrEqual(TOL);
  });

  it('back-to-back layout transposes are merged by the transpose pass', async () => {
    const x = tfl.input({ shape: [3, 4, 2] });
    const d1 = L.dense({ units: 5 }).apply(x) as tfl.SymbolicTensor;
    const d2 = L.dense({ units: 3, activation: 'relu' }).apply(d1) as tfl.SymbolicTensor;
    const r = L.reshape({ targetShape: [4, 3, 3] }).apply(d2) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: L.flatten().apply(r) as tfl.SymbolicTensor });
    expect(await check(model, [[2, 3, 4, 2]])).toBeLessThanOrEqual(TOL);
    const { json, shard } = await saveModel(model);
    const count = (g: Graph) => g.nodes.filter((n) => n.opType === 'Transpose').length;
    const raw = importTfjsLayersModel(json, shard, { optimize: false });
    const opt = importTfjsLayersModel(json, shard);
    expect(count(opt.graph)).toBeLessThan(count(raw.graph));
    expect(opt.report.transposePass?.after).toBe(count(opt.graph));
  });

  it('Sequential models, with the NCHW layout option', async () => {
    const model = tfl.sequential({
      layers: [
        L.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        L.batchNormalization({}),
        L.maxPooling2d({ poolSize: 2 }),
        L.upSampling2d({ size: [2, 2] }),
      ],
    });
    expect(await check(model, [[1, 8, 8, 3]])).toBeLessThanOrEqual(TOL);
    const { json, shard } = await saveModel(model);
    const nchw = importTfjsLayersModel(json, shard, {
      layout: 'nchw',
      inputShapes: { [model.inputs[0]!.name.split('/')[0]!]: [1, 8, 8, 3] },
    });
    expect(nchw.inputs[0]!.shape).toEqual([1, 3, 8, 8]);
    expect(nchw.outputs[0]!.layout).toBe('nchw');
    expect(nchw.graph.nodes.filter((n) => n.opType === 'Transpose')).toHaveLength(0);
  });
});
