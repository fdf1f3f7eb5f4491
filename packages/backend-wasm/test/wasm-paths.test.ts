// A separate file: a failed runtime start is permanent for the process (vitest forks per file).
import { BackendError, Tracer } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { wasmBackend } from '../src/index.js';

describe('wasm backend with a user wasmPaths', () => {
  it('loads from the given path and reports a missing file as a BackendError naming it', async () => {
    const support = await (async () => {
      await wasmBackend.init({ wasm: { wasmPaths: '/nonexistent/ocular-wasm/' } });
      return wasmBackend.isSupported();
    })();
    expect(support).toEqual({
      ok: false,
      reason: expect.stringMatching(/missing from \/nonexistent\/ocular-wasm\//),
    });
    const t = new Tracer('relu');
    t.run(() => t.output('y', t.emit('Relu', [t.input('x', 'float32', [1])])[0]!));
    const err = await wasmBackend.compile(t.graph).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toContain('/nonexistent/ocular-wasm/ort-wasm-simd-threaded.mjs');
  });
});
