import {
  AbortError,
  BackendError,
  DisposedError,
  type DType,
  type Graph,
  getBackend,
  registerOpSchema,
  registry,
  Tensor,
  Tracer,
} from '@ocular/core';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { plugin, runtimeSettings, wasmBackend } from '../src/index.js';

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

describe('wasm backend', () => {
  it('is supported in Node and runs a traced graph', async () => {
    expect((await wasmBackend.isSupported()).ok).toBe(true);
    await wasmBackend.init();
    const session = await wasmBackend.compile(reluGraph());
    const out = await session.run({ x: Tensor.from('float32', [-1, 2, -3, 4, 0, -0.5], [2, 3]) });
    expect(out.y!.dims).toEqual([2, 3]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual([0, 2, 0, 4, 0, 0]);
    await session.dispose();
  });

  it('loads the wasm files from the installed onnxruntime-web package, never a CDN', async () => {
    const settings = runtimeSettings()!;
    expect(typeof settings.wasmPaths).toBe('string');
    const dir = settings.wasmPaths as string;
    expect(dir).toMatch(/onnxruntime-web[\\/]dist[\\/]$/);
    expect(ort.env.wasm.wasmPaths).toBe(dir);
    expect(settings.numThreads).toBe(1);
    const info = await wasmBackend.describe!();
    expect(info.engine).toBe('onnxruntime-web');
    expect(info.version).toBe('1.30.0');
  });

  it('refuses to change process-wide runtime settings after the runtime started', async () => {
    const err = await wasmBackend
      .compile(reluGraph(), { backendOptions: { wasm: { numThreads: 2 } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/already started/);
  });

  it('honours an already aborted signal in compile and run', async () => {
    const aborted = AbortSignal.abort();
    await expect(wasmBackend.compile(reluGraph(), { signal: aborted })).rejects.toBeInstanceOf(AbortError);
    const session = await wasmBackend.compile(reluGraph());
    await expect(
      session.run({ x: Tensor.zeros('float32', [2, 3]) }, { signal: aborted }),
    ).rejects.toBeInstanceOf(AbortError);
    await session.dispose();
  });

  it('throws DisposedError after dispose', async () => {
    const session = await wasmBackend.compile(reluGraph());
    await session.dispose();
    await session.dispose();
    await expect(session.run({ x: Tensor.zeros('float32', [2, 3]) })).rejects.toBeInstanceOf(DisposedError);
  });

  const roundTrips: [DType, (number | bigint | boolean)[]][] = [
    ['float32', [0, -1.5, 3.25, Number.NEGATIVE_INFINITY]],
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
    it(`round-trips ${dtype} through onnxruntime-web unchanged`, async () => {
      const input = Tensor.from(dtype, values, [2, 2]);
      const session = await wasmBackend.compile(identityGraph(dtype, [2, 2]));
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

  it('rejects feeds of dtypes onnxruntime tensors cannot carry with a BackendError naming the dtype', async () => {
    const session = await wasmBackend.compile(reluGraph());
    for (const dtype of ['bfloat16', 'float8e5m2', 'uint4'] as const) {
      const err = await session.run({ x: Tensor.zeros(dtype, [2, 3]) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackendError);
      expect((err as Error).message).toContain(`input 'x' has dtype ${dtype}`);
    }
    await session.dispose();
  });

  it('refuses graphs whose inputs or outputs onnxruntime tensors cannot carry', async () => {
    const err = await wasmBackend.compile(identityGraph('float8e4m3fn', [2])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toContain("graph input 'x' has dtype float8e4m3fn");
  });

  it('turns an onnxruntime load failure into a BackendError carrying onnxruntime message', async () => {
    registerOpSchema({
      opType: 'WasmBackendTestFoo',
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
      t.output('y', t.emit('WasmBackendTestFoo', [x], {}, { domain: 'com.ocular.test' })[0]!);
    });
    const err = await wasmBackend.compile(t.graph).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/onnxruntime could not load graph 'bad'/);
    expect((err as Error).message).toMatch(/WasmBackendTestFoo/);
  });

  it('registry.use(plugin) registers the backend, and removing the plugin unregisters it', () => {
    expect(plugin.scope).toBe('ocular');
    expect(plugin.name).toBe('@ocular/backend-wasm');
    expect(plugin.backends).toEqual([wasmBackend]);
    registry.use(plugin);
    expect(getBackend('wasm')).toBe(wasmBackend);
    expect(registry.remove(plugin)).toBe(true);
    expect(getBackend('wasm')).toBeUndefined();
  });
});
