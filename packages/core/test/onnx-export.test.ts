import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphError, NotImplementedError, OnnxError, UnknownOpError } from '../src/errors.js';
import { createGraph, type Graph } from '../src/ir/graph.js';
import { Tracer } from '../src/ir/trace.js';
import { decodeModelProto, graphToOnnx, readOnnxModel } from '../src/onnx/index.js';
import { Tensor } from '../src/tensor.js';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(s / 2 ** 31 - 1);
  }
  return out;
}

const W_CONV = Tensor.from('float32', values(18, 1), [2, 1, 3, 3]);
const B_CONV = Tensor.from('float32', values(2, 2), [2]);
const W_GEMM = Tensor.from('float32', values(24, 3), [3, 8]);
const B_GEMM = Tensor.from('float32', values(3, 4), [3]);

/** x[N,1,4,4] -> Conv(3x3, pad 1, stride 2) -> Relu -> Reshape[-1, 8] -> Gemm(alpha .5, transB) -> LeakyRelu(.1) -> Softmax. */
function buildGraph(batch: number | string): Graph {
  const t = new Tracer('tiny_net');
  t.nameTensor(W_CONV, 'conv.weight');
  t.nameTensor(B_CONV, 'conv.bias');
  t.nameTensor(W_GEMM, 'fc.weight');
  t.nameTensor(B_GEMM, 'fc.bias');
  t.run(() => {
    const x = t.input('x', 'float32', [batch, 1, 4, 4]);
    const conv = t.withScope('stem', () =>
      t.emit('Conv', [x, W_CONV, B_CONV], { pads: [1, 1, 1, 1], strides: [2, 2], kernel_shape: [3, 3] }),
    )[0]!;
    const feat = t.emit('Relu', [conv])[0]!;
    const flat = t.emit('Reshape', [feat, Tensor.from('int64', [-1, 8])])[0]!;
    const fc = t.emit('Gemm', [flat, W_GEMM, B_GEMM], { alpha: 0.5, transB: 1 })[0]!;
    const act = t.emit('LeakyRelu', [fc], { alpha: 0.1 })[0]!;
    const y = t.emit('Softmax', [act], { axis: -1 })[0]!;
    t.output('feat', feat);
    t.output('y', y);
  });
  t.graph.metadata = { model_name: 'tiny_net', mean: '[0.485]', labels: '["a","b","c"]' };
  return t.graph;
}

/** The same network computed directly in float64, as an independent oracle. */
function expected(x: number[], n: number): { feat: number[]; y: number[] } {
  const w = W_CONV.toNumbers();
  const b = B_CONV.toNumbers();
  const feat: number[] = [];
  for (let bi = 0; bi < n; bi++) {
    for (let oc = 0; oc < 2; oc++) {
      for (let oy = 0; oy < 2; oy++) {
        for (let ox = 0; ox < 2; ox++) {
          let acc = b[oc]!;
          for (let ky = 0; ky < 3; ky++) {
            for (let kx = 0; kx < 3; kx++) {
              const iy = oy * 2 - 1 + ky;
              const ix = ox * 2 - 1 + kx;
              if (iy < 0 || iy >= 4 || ix < 0 || ix >= 4) continue;
              acc += x[bi * 16 + iy * 4 + ix]! * w[oc * 9 + ky * 3 + kx]!;
            }
          }
          feat.push(Math.max(acc, 0));
        }
      }
    }
  }
  const wg = W_GEMM.toNumbers();
  const bg = B_GEMM.toNumbers();
  const y: number[] = [];
  for (let bi = 0; bi < n; bi++) {
    const z: number[] = [];
    for (let j = 0; j < 3; j++) {
      let acc = 0;
      for (let k = 0; k < 8; k++) acc += feat[bi * 8 + k]! * wg[j * 8 + k]!;
      const v = 0.5 * acc + bg[j]!;
      z.push(v < 0 ? Math.fround(0.1) * v : v);
    }
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, c) => a + c, 0);
    y.push(...e.map((v) => v / s));
  }
  return { feat, y };
}

async function runOrt(bytes: Uint8Array, x: number[], dims: number[]): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), dims) });
  } finally {
    await session.release();
  }
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('graphToOnnx + onnxruntime', () => {
  it('exports a traced network that onnxruntime runs with the expected outputs', async () => {
    const bytes = graphToOnnx(buildGraph(2));
    const x = values(32, 7);
    const out = await runOrt(bytes, x, [2, 1, 4, 4]);
    const want = expected(x, 2);
    expect(out.feat!.dims).toEqual([2, 2, 2, 2]);
    expect(out.y!.dims).toEqual([2, 3]);
    expect(maxDiff(out.feat!.data as Float32Array, want.feat)).toBeLessThan(1e-5);
    expect(maxDiff(out.y!.data as Float32Array, want.y)).toBeLessThan(1e-5);
  });

  it('dynamicBatch makes dim 0 symbolic so another batch size runs', async () => {
    const bytes = graphToOnnx(buildGraph(2), { dynamicBatch: true });
    const x = values(48, 9);
    const out = await runOrt(bytes, x, [3, 1, 4, 4]);
    expect(out.y!.dims).toEqual([3, 3]);
    expect(maxDiff(out.y!.data as Float32Array, expected(x, 3).y)).toBeLessThan(1e-5);
    const g = readOnnxModel(bytes);
    expect(g.inputs[0]!.shape).toEqual(['batch', 1, 4, 4]);
    expect(g.outputs.map((o) => o.shape[0])).toEqual(['batch', 'batch']);
  });

  it('keeps symbolic dims from tracing as dim_param', async () => {
    const bytes = graphToOnnx(buildGraph('N'));
    const g = readOnnxModel(bytes);
    expect(g.inputs[0]!.shape).toEqual(['N', 1, 4, 4]);
    const x = values(16, 5);
    const out = await runOrt(bytes, x, [1, 1, 4, 4]);
    expect(maxDiff(out.y!.data as Float32Array, expected(x, 1).y)).toBeLessThan(1e-5);
  });

  it('reads its own export back with the same structure', () => {
    const graph = buildGraph(2);
    const bytes = graphToOnnx(graph, {
      producerName: 'ocular-test',
      producerVersion: '9.9',
      docString: 'doc',
    });
    const model = decodeModelProto(bytes);
    expect(model.irVersion).toBe(8);
    expect(model.opsetImport).toEqual([{ domain: '', version: 18 }]);
    expect(model.producerName).toBe('ocular-test');
    expect(model.producerVersion).toBe('9.9');
    expect(model.docString).toBe('doc');

    const back = readOnnxModel(bytes);
    expect(back.name).toBe('tiny_net');
    expect(back.opset).toBe(18);
    expect(back.metadata).toEqual(graph.metadata);
    expect(back.inputs).toEqual(graph.inputs);
    expect(back.outputs).toEqual(graph.outputs);
    expect(back.nodes.map((n) => n.opType)).toEqual([
      'Conv',
      'Relu',
      'Reshape',
      'Gemm',
      'LeakyRelu',
      'Softmax',
    ]);
    expect(back.nodes.map((n) => [n.name, n.inputs, n.outputs])).toEqual(
      graph.nodes.map((n) => [n.name, n.inputs, n.outputs]),
    );
    // Module scopes travel in the node doc_string.
    expect(back.nodes.map((n) => n.scope)).toEqual([
      'stem',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // INT, INTS and FLOAT attributes come back as numbers (floats at float32 precision).
    expect(back.nodes[0]!.attrs).toEqual({ pads: [1, 1, 1, 1], strides: [2, 2], kernel_shape: [3, 3] });
    expect(back.nodes[3]!.attrs).toEqual({ alpha: 0.5, transB: 1 });
    expect(back.nodes[4]!.attrs.alpha).toBe(Math.fround(0.1));
    expect(back.nodes[5]!.attrs).toEqual({ axis: -1 });
    expect([...back.initializers.keys()].sort()).toEqual([...graph.initializers.keys()].sort());
    for (const [name, t] of graph.initializers) {
      const u = back.initializers.get(name)!;
      expect(u.dtype).toBe(t.dtype);
      expect(u.dims).toEqual(t.dims);
      expect(Array.from(u.data as ArrayLike<number | bigint>)).toEqual(
        Array.from(t.data as ArrayLike<number | bigint>),
      );
    }
    // Intermediate types recorded while tracing travel as value_info.
    expect(back.valueInfo.size).toBeGreaterThan(0);
  });

  it('carries STRING, TENSOR and FLOAT attributes that onnxruntime honours', async () => {
    // x[1,2,2,2] -> Resize(nearest, scales 1,1,2,2, asymmetric) -> LayerNormalization(eps) -> Add(Constant).
    const gamma = Tensor.from('float32', [1, 2, 0.5, -1], [4]);
    const beta = Tensor.from('float32', [0, 0.25, 0, 1], [4]);
    const shift = Tensor.from('float32', [10, 20, 30, 40], [4]);
    const t = new Tracer('attrs');
    t.run(() => {
      const x = t.input('x', 'float32', [1, 2, 2, 2]);
      const up = t.emit('Resize', [x, undefined, Tensor.from('float32', [1, 1, 2, 2], [4])], {
        mode: 'nearest',
        coordinate_transformation_mode: 'asymmetric',
        nearest_mode: 'floor',
      })[0]!;
      const ln = t.emit('LayerNormalization', [up, gamma, beta], { axis: -1, epsilon: 0.5 })[0]!;
      const c = t.emit('Constant', [], { value: shift })[0]!;
      t.output('y', t.emit('Add', [ln, c])[0]!);
    });
    const x = [1, 2, 3, 4, -1, 5, 0, 0.5];
    const out = await runOrt(graphToOnnx(t.graph), x, [1, 2, 2, 2]);
    expect(out.y!.dims).toEqual([1, 2, 4, 4]);
    const want: number[] = [];
    for (let c = 0; c < 2; c++) {
      for (let oy = 0; oy < 4; oy++) {
        // Each output row is the input row floor(oy / 2), every value repeated twice.
        const row = [0, 0, 1, 1].map((ix) => x[c * 4 + Math.floor(oy / 2) * 2 + ix]!);
        const mean = row.reduce((a, v) => a + v, 0) / 4;
        const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / 4;
        row.forEach((v, i) => {
          want.push(
            ((v - mean) / Math.sqrt(variance + 0.5)) * gamma.toNumbers()[i]! +
              beta.toNumbers()[i]! +
              10 * (i + 1),
          );
        });
      }
    }
    expect(maxDiff(out.y!.data as Float32Array, want)).toBeLessThan(1e-5);
    const back = readOnnxModel(graphToOnnx(t.graph));
    expect(back.nodes[0]!.attrs.mode).toBe('nearest');
    expect(back.nodes[0]!.inputs[1]).toBe('');
    expect((back.nodes[2]!.attrs.value as Tensor).toNumbers()).toEqual([10, 20, 30, 40]);
  });

  it('raises the IR version for dtypes that need a newer one', () => {
    const g = createGraph('q', 18);
    g.inputs.push({ name: 'x', dtype: 'int4', shape: [3] });
    g.nodes.push({ name: 'id', opType: 'Identity', inputs: ['x'], outputs: ['y'], attrs: {} });
    g.outputs.push({ name: 'y', dtype: 'int4', shape: [3] });
    expect(decodeModelProto(graphToOnnx(g)).irVersion).toBe(10);
  });

  it('keeps the graph opset when its nodes need nothing newer (imported graphs keep their forms)', () => {
    const g = createGraph('old', 13);
    g.inputs.push({ name: 'x', dtype: 'float32', shape: [2] });
    g.nodes.push({ name: 'r', opType: 'Relu', inputs: ['x'], outputs: ['y'], attrs: {} });
    g.outputs.push({ name: 'y', dtype: 'float32', shape: [2] });
    const m = decodeModelProto(graphToOnnx(g));
    expect(m.opsetImport).toEqual([{ domain: '', version: 13 }]);
    expect(m.irVersion).toBe(8);
  });

  it("raises the opset to what a node's IR form needs (Gelu exists from opset 20)", () => {
    const g = createGraph('gelu', 18);
    g.inputs.push({ name: 'x', dtype: 'float32', shape: [2] });
    g.nodes.push({ name: 'g', opType: 'Gelu', inputs: ['x'], outputs: ['y'], attrs: {} });
    g.outputs.push({ name: 'y', dtype: 'float32', shape: [2] });
    const m = decodeModelProto(graphToOnnx(g));
    expect(m.opsetImport).toEqual([{ domain: '', version: 20 }]);
    expect(m.irVersion).toBe(9);
    expect(g.opset).toBe(18);
  });
});

describe('graphToOnnx validation', () => {
  function relu(): Graph {
    const g = createGraph('v');
    g.inputs.push({ name: 'x', dtype: 'float32', shape: [2] });
    g.nodes.push({ name: 'r', opType: 'Relu', inputs: ['x'], outputs: ['y'], attrs: {} });
    g.outputs.push({ name: 'y', dtype: 'float32', shape: [2] });
    return g;
  }

  it('rejects a node reading an undefined value, naming the node', () => {
    const g = relu();
    g.nodes.unshift({ name: 'early', opType: 'Relu', inputs: ['y'], outputs: ['z'], attrs: {} });
    expect(() => graphToOnnx(g)).toThrow(GraphError);
    expect(() => graphToOnnx(g)).toThrow(/node 'early' \(Relu, #0\) reads 'y'/);
  });

  it('rejects a value produced twice', () => {
    const g = relu();
    g.nodes.push({ name: 'again', opType: 'Relu', inputs: ['x'], outputs: ['y'], attrs: {} });
    expect(() => graphToOnnx(g)).toThrow(/node 'again' \(Relu, #1\) writes 'y', which is already defined/);
  });

  it('rejects an output nothing produces', () => {
    const g = relu();
    g.outputs.push({ name: 'nope', dtype: 'float32', shape: [2] });
    expect(() => graphToOnnx(g)).toThrow(/graph output 'nope'/);
  });

  it('rejects attributes the schema does not define, and wrong attribute kinds', () => {
    const g = relu();
    (g.nodes[0] as { attrs: object }).attrs = { alpha: 1 };
    expect(() => graphToOnnx(g)).toThrow(OnnxError);
    expect(() => graphToOnnx(g)).toThrow(/attribute 'alpha' is not defined by the Relu schema/);
    const h = relu();
    h.nodes[0] = { name: 'sm', opType: 'Softmax', inputs: ['x'], outputs: ['y'], attrs: { axis: 0.5 } };
    expect(() => graphToOnnx(h)).toThrow(/attribute 'axis' must be of type int/);
  });

  it('rejects ops outside the IR, naming the node', () => {
    const g = relu();
    g.nodes[0] = { name: 'mystery', opType: 'NoSuchOp', inputs: ['x'], outputs: ['y'], attrs: {} };
    expect(() => graphToOnnx(g)).toThrow(UnknownOpError);
    expect(() => graphToOnnx(g)).toThrow(/node 'mystery'/);
  });

  it('does not support external data', () => {
    expect(() => graphToOnnx(relu(), { externalData: true } as never)).toThrow(NotImplementedError);
  });
});
