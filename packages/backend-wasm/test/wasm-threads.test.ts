// A separate file: thread count is fixed when the runtime starts (vitest forks per file).
import { Tensor, Tracer } from '@ocular/core';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { runtimeSettings, wasmBackend } from '../src/index.js';

describe('wasm backend with worker threads in Node', () => {
  it('runs with numThreads 2', async () => {
    await wasmBackend.init({ wasm: { numThreads: 2 } });
    const t = new Tracer('relu');
    t.run(() => t.output('y', t.emit('Relu', [t.input('x', 'float32', [4, 256])])[0]!));
    const session = await wasmBackend.compile(t.graph);
    const x = Tensor.from(
      'float32',
      Array.from({ length: 1024 }, (_, i) => (i % 7) - 3),
      [4, 256],
    );
    const y = (await session.run({ x })).y!;
    expect(Array.from(y.data as Float32Array)).toEqual(
      Array.from({ length: 1024 }, (_, i) => Math.max(0, (i % 7) - 3)),
    );
    expect(runtimeSettings()?.numThreads).toBe(2);
    expect(ort.env.wasm.numThreads).toBe(2);
    await session.dispose();
  });
});
