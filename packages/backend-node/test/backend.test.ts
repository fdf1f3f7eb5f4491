import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  AbortError,
  BackendError,
  DisposedError,
  type DType,
  type Graph,
  getBackend,
  readOnnxTensor,
  registerOpSchema,
  registry,
  Tensor,
  Tracer,
} from '@ocular/core';
import { sharedPath } from '@ocular/vitest-config/shared-data';
import { describe, expect, it } from 'vitest';
import { compileOnnx, nodeBackend, plugin } from '../src/index.js';

function identityGraph(dtype: DType, shape: number[]): Graph {
  const t = new Tracer(`identity_${dtype}`);
  t.run(() => {
    const x = t.input('x', dtype, shape);
    t.output('y', t.emit('Identity', [x])[0]!);
  });
  return t.graph;
}

function reluGraph(): Graph {
  const t = new Tracer('relu');
  t.run(() => {
    const x = t.input('x', 'float32', [2, 3]);
    t.output('y', t.emit('Relu', [x])[0]!);
  });
  return t.graph;
}

describe('node backend', () => {
  it('is supported here and describes onnxruntime-node with the CPU provider', async () => {
    const support = await nodeBackend.isSupported();
    expect(support.ok).toBe(true);
    const info = await nodeBackend.describe!();
    expect(info.engine).toBe('onnxruntime-node');
    expect(info.version).toBe('1.30.0');
    expect(info.executionProviders).toContain('cpu');
  });

  it('runs a traced graph on CPU', async () => {
    const session = await nodeBackend.compile(reluGraph());
    expect(session.executionProvider).toBe('cpu');
    expect(session.fallbacks).toEqual([]);
    const out = await session.run({ x: Tensor.from('float32', [-1, 2, -3, 4, 0, -0.5], [2, 3]) });
    expect(out.y!.dtype).toBe('float32');
    expect(out.y!.dims).toEqual([2, 3]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual([0, 2, 0, 4, 0, 0]);
    await session.dispose();
  });

  it('records why each requested execution provider was skipped and falls back to CPU', async () => {
    const ort = await import('onnxruntime-node');
    const listed = (ort.default ?? ort).listSupportedBackends().map((b: { name: string }) => b.name);
    const session = await nodeBackend.compile(reluGraph(), {
      backendOptions: { node: { executionProviders: ['dml', 'coreml', 'cpu'] } },
    });
    // This suite runs on Linux, where onnxruntime-node has neither DirectML nor CoreML.
    expect(listed).not.toContain('dml');
    expect(session.executionProvider).toBe('cpu');
    expect(session.fallbacks.map((f) => f.ep)).toEqual(['dml', 'coreml']);
    expect(session.fallbacks[0]!.reason).toMatch(/no 'dml' execution provider on linux/);
    await session.dispose();
  });

  it('skips CUDA with the missing-library reason when the postinstall download was skipped', async () => {
    const session = await nodeBackend.compile(reluGraph(), {
      backendOptions: { node: { executionProviders: ['cuda', 'tensorrt'] } },
    });
    if (session.executionProvider === 'cpu') {
      expect(session.fallbacks.map((f) => f.ep)).toEqual(['cuda', 'tensorrt']);
      for (const f of session.fallbacks) expect(f.reason.length).toBeGreaterThan(10);
    }
    const out = await session.run({ x: Tensor.from('float32', [1, -1, 1, -1, 1, -1], [2, 3]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([1, 0, 1, 0, 1, 0]);
    await session.dispose();
  });

  it('honours an already aborted signal in compile and run', async () => {
    const aborted = AbortSignal.abort();
    await expect(nodeBackend.compile(reluGraph(), { signal: aborted })).rejects.toBeInstanceOf(AbortError);
    const session = await nodeBackend.compile(reluGraph());
    await expect(
      session.run({ x: Tensor.zeros('float32', [2, 3]) }, { signal: aborted }),
    ).rejects.toBeInstanceOf(AbortError);
    await session.dispose();
  });

  it('throws DisposedError after dispose, and dispose is idempotent', async () => {
    const session = await nodeBackend.compile(reluGraph());
    await session.dispose();
    await session.dispose();
    await expect(session.run({ x: Tensor.zeros('float32', [2, 3]) })).rejects.toBeInstanceOf(DisposedError);
  });

  it('reports a missing feed as BackendError', async () => {
    const session = await nodeBackend.compile(reluGraph());
    await expect(session.run({})).rejects.toThrow(/missing feed for graph input 'x'/);
    await session.dispose();
  });

  const roundTrips: [DType, (number | bigint | boolean)[]][] = [
    ['float32', [0, -1.5, 3.25, Number.POSITIVE_INFINITY]],
    ['float16', [0, -1.5, 65504, 6.103515625e-5]],
    ['float64', [0, -1.5, 1e300, Math.PI]],
    ['int8', [-128, -1, 0, 127]],
    ['uint8', [0, 1, 200, 255]],
    ['int16', [-32768, -1, 0, 32767]],
    ['uint16', [0, 1, 40000, 65535]],
    ['int32', [-2147483648, -1, 0, 2147483647]],
    ['uint32', [0, 1, 3000000000, 4294967295]],
    ['int64', [-(2n ** 63n), -1n, 2n ** 53n + 1n, 2n ** 63n - 1n]],
    ['uint64', [0n, 1n, 2n ** 63n, 2n ** 64n - 1n]],
    ['bool', [true, false, false, true]],
  ];
  for (const [dtype, values] of roundTrips) {
    it(`round-trips ${dtype} through onnxruntime unchanged`, async () => {
      const input = Tensor.from(dtype, values, [2, 2]);
      const session = await nodeBackend.compile(identityGraph(dtype, [2, 2]));
      const out = (await session.run({ x: input })).y!;
      expect(out.dtype).toBe(dtype);
      expect(out.dims).toEqual([2, 2]);
      expect(out.data.constructor).toBe(input.data.constructor);
      expect(Array.from(out.data as ArrayLike<number | bigint>)).toEqual(
        Array.from(input.data as ArrayLike<number | bigint>),
      );
      await session.dispose();
    });
  }

  it('float16 values arrive as the expected raw bits', async () => {
    const session = await nodeBackend.compile(identityGraph('float16', [3]));
    const out = (await session.run({ x: Tensor.from('float16', [1, -2, 0.5]) })).y!;
    // IEEE half bits: 1.0 = 0x3c00, -2.0 = 0xc000, 0.5 = 0x3800.
    expect(Array.from(out.data as Uint16Array)).toEqual([0x3c00, 0xc000, 0x3800]);
    await session.dispose();
  });

  it('rejects feeds of dtypes onnxruntime tensors cannot carry with a BackendError naming the dtype', async () => {
    const session = await nodeBackend.compile(reluGraph());
    for (const dtype of ['bfloat16', 'float8e4m3fn', 'int4'] as const) {
      const err = await session.run({ x: Tensor.zeros(dtype, [2, 3]) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackendError);
      expect((err as Error).message).toContain(`input 'x' has dtype ${dtype}`);
    }
    await session.dispose();
  });

  it('refuses graphs whose inputs or outputs onnxruntime tensors cannot carry, before onnxruntime sees them', async () => {
    for (const dtype of ['bfloat16', 'float8e4m3fn', 'int4'] as const) {
      const err = await nodeBackend.compile(identityGraph(dtype, [2])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackendError);
      expect((err as Error).message).toContain(`graph input 'x' has dtype ${dtype}`);
    }
    // onnxruntime-node 1.30 crashes the process when it returns an int4 tensor: this must be a typed error.
    const t = new Tracer('to_int4');
    t.run(() => t.output('y', t.emit('Cast', [t.input('x', 'float32', [4])], { to: 22 })[0]!));
    expect(t.graph.outputs[0]!.dtype).toBe('int4');
    const err = await nodeBackend.compile(t.graph).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toContain("graph output 'y' has dtype int4");
  });

  it('turns an onnxruntime load failure into a BackendError carrying onnxruntime message', async () => {
    registerOpSchema({
      opType: 'NodeBackendTestFoo',
      domain: 'com.ocular.test',
      since: 1,
      category: 'test',
      minInputs: 1,
      maxInputs: 1,
      attrs: {},
      infer: (ctx) => [ctx.inputs[0]!],
    });
    const t = new Tracer('bad');
    t.run(() => {
      const x = t.input('x', 'float32', [2]);
      t.output('y', t.emit('NodeBackendTestFoo', [x], {}, { domain: 'com.ocular.test' })[0]!);
    });
    const err = await nodeBackend.compile(t.graph).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('E_BACKEND');
    expect((err as Error).message).toMatch(/onnxruntime could not load graph 'bad'/);
    expect((err as Error).message).toMatch(/NodeBackendTestFoo/);
  });

  it('registry.use(plugin) registers the backend, and removing the plugin unregisters it', () => {
    expect(plugin.scope).toBe('ocular');
    expect(plugin.name).toBe('@ocular/backend-node');
    expect(plugin.backends).toEqual([nodeBackend]);
    registry.use(plugin);
    expect(getBackend('node')).toBe(nodeBackend);
    expect(registry.remove(plugin)).toBe(true);
    expect(getBackend('node')).toBeUndefined();
  });

  const convTest = pathToFileURL(`${sharedPath('onnx-backend-tests/node/test_basic_conv_with_padding')}/`);
  it('compileOnnx runs ONNX bytes as they are (official Conv node test data)', async () => {
    const read = (f: string) => new Uint8Array(readFileSync(new URL(f, convTest)));
    const session = await compileOnnx(read('model.onnx'));
    expect(session.executionProvider).toBe('cpu');
    const x = readOnnxTensor(read('test_data_set_0/input_0.pb'));
    const w = readOnnxTensor(read('test_data_set_0/input_1.pb'));
    const want = readOnnxTensor(read('test_data_set_0/output_0.pb'));
    const [xn, wn] = session.inputNames;
    const out = await session.run({ [xn!]: x, [wn!]: w });
    const got = out[session.outputNames[0]!]!;
    expect(got.dims).toEqual(want.dims);
    expect(Array.from(got.data as Float32Array)).toEqual(Array.from(want.data as Float32Array));
    await session.dispose();
    await expect(compileOnnx(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(BackendError);
  });
});
