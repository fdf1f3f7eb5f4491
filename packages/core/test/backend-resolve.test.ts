import { afterEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  BackendUnavailableError,
  listBackends,
  RegistryError,
  registerBackend,
  resolveBackend,
  unregisterBackend,
} from '../src/index.js';

function fake(name: string, priority: number, support: boolean | 'init-fails'): Backend {
  return {
    name,
    priority,
    async isSupported() {
      return support === false ? { ok: false, reason: `${name} is not here` } : { ok: true };
    },
    async init() {
      if (support === 'init-fails') throw new Error('device lost');
    },
    async compile() {
      throw new Error('not used');
    },
    unsupportedOps: () => [],
  };
}

afterEach(() => {
  for (const b of listBackends()) unregisterBackend(b.name);
});

describe('resolveBackend', () => {
  it('walks the preference list and records why each backend was skipped', async () => {
    registerBackend(fake('gpu', 200, false));
    registerBackend(fake('npu', 150, 'init-fails'));
    registerBackend(fake('cpu', 10, true));
    const r = await resolveBackend(['gpu', 'missing', 'npu', 'cpu']);
    expect(r.backend.name).toBe('cpu');
    expect(r.fellBack).toBe(true);
    expect(r.attempts.map((a) => [a.name, a.ok])).toEqual([
      ['gpu', false],
      ['missing', false],
      ['npu', false],
      ['cpu', true],
    ]);
    expect(r.attempts[0]!.reason).toBe('gpu is not here');
    expect(r.attempts[1]!.reason).toMatch(/no backend named 'missing'/);
    expect(r.attempts[2]!.reason).toMatch(/init failed: device lost/);
  });

  it('defaults to priority order and throws with every reason when nothing works', async () => {
    registerBackend(fake('a', 1, false));
    registerBackend(fake('b', 2, false));
    expect(listBackends().map((b) => b.name)).toEqual(['b', 'a']);
    const err = await resolveBackend().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/b: b is not here; a: a is not here/);
  });

  it('refuses a second backend under a taken name', () => {
    registerBackend(fake('x', 1, true));
    expect(() => registerBackend(fake('x', 1, true))).toThrow(RegistryError);
  });
});
