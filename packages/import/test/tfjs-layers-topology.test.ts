// Keras 3's serialisation (dict inbound nodes, `batch_shape`) and a shared layer called twice,
// checked against values computed by hand.
import { interpret } from '@ocular/backend-reference';
import { Tensor } from '@ocular/core';
import { expect, it } from 'vitest';
import { importTfjsLayersModel } from '../src/index.js';

const ref = (name: string, node: number) => ({
  class_name: '__keras_tensor__',
  config: { shape: [null, 2], dtype: 'float32', keras_history: [name, node, 0] },
});

it('imports Keras 3 dict inbound nodes and a shared Dense called twice', () => {
  const json = {
    format: 'layers-model',
    modelTopology: {
      class_name: 'Functional',
      config: {
        name: 'k3',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'x',
            config: { name: 'x', batch_shape: [null, 2], dtype: 'float32' },
            inbound_nodes: [],
          },
          {
            class_name: 'Dense',
            name: 'd',
            config: { name: 'd', units: 2, activation: 'relu', use_bias: true },
            inbound_nodes: [
              { args: [ref('x', 0)], kwargs: {} },
              { args: [ref('d', 0)], kwargs: {} },
            ],
          },
          {
            class_name: 'Add',
            name: 'sum',
            config: { name: 'sum' },
            inbound_nodes: [{ args: [[ref('d', 0), ref('d', 1)]], kwargs: {} }],
          },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['sum', 0, 0]],
      },
    },
    weightsManifest: [
      {
        paths: ['w.bin'],
        weights: [
          { name: 'd/kernel', shape: [2, 2], dtype: 'float32' },
          { name: 'd/bias', shape: [2], dtype: 'float32' },
        ],
      },
    ],
  };
  // kernel [[1, -2], [0.5, 1]] (in × out), bias [0.25, 1]
  const weights = new Float32Array([1, -2, 0.5, 1, 0.25, 1]);
  const imported = importTfjsLayersModel(json, new Uint8Array(weights.buffer));
  expect(imported.report.layerCalls).toBe(3);
  expect(imported.graph.inputs[0]!.shape).toEqual(['batch', 2]);
  const input = Tensor.from('float32', [2, 1], [1, 2]);
  const out = interpret(imported.graph, { x: input }).sum!.toNumbers();
  // d(x) = relu([2·1 + 1·0.5 + 0.25, 2·-2 + 1·1 + 1]) = [2.75, 0]
  // d(d(x)) = relu([2.75 + 0 + 0.25, -5.5 + 0 + 1]) = [3, 0]; the sum is [5.75, 0]
  expect(out).toEqual([5.75, 0]);
});
