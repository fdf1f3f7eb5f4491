import { describe, expect, it } from 'vitest';
import type { Backend, Graph, Session, Tensor as TensorT } from '../src/index.js';
import { AbortError, BackendError, Tensor } from '../src/index.js';
import {
  buildOpCase,
  compareTensors,
  hashString,
  mulberry32,
  type OpCase,
  opParityProblems,
  runOpParity,
} from '../src/testing/index.js';

/** A tiny backend that computes Relu / Identity itself, optionally perturbing its outputs. */
function fakeBackend(
  name: string,
  perturb = 0,
  unsupported: { opType: string; reason: string }[] = [],
): Backend {
  return {
    name,
    priority: 0,
    isSupported: async () => ({ ok: true }),
    init: async () => {},
    unsupportedOps: () => unsupported,
    async compile(graph: Graph): Promise<Session> {
      return {
        inputNames: graph.inputs.map((i) => i.name),
        outputNames: graph.outputs.map((o) => o.name),
        async run(feeds) {
          const node = graph.nodes[0]!;
          const x = feeds[node.inputs[0]!] ?? graph.initializers.get(node.inputs[0]!)!;
          if (node.opType === 'Boom') throw new BackendError('kaboom');
          const v = x.toNumbers().map((a) => (node.opType === 'Relu' ? Math.max(0, a) : a) + perturb);
          const out: Record<string, TensorT> = {};
          out[graph.outputs[0]!.name] = Tensor.from(x.dtype, v, x.dims);
          return out;
        },
        dispose: async () => {},
      };
    },
  };
}

const reluCase: OpCase = { name: 'relu_f32', op: 'Relu', inputs: [{ dtype: 'float32', shape: [4, 5] }] };

describe('random data', () => {
  it('mulberry32 is deterministic and uniform in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });

  it('hashString is FNV-1a', () => {
    // Published FNV-1a 32-bit test vectors.
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });
});

describe('buildOpCase', () => {
  it('makes graph inputs for non-constant inputs, initializers for constants, and seeded data', () => {
    const c: OpCase = {
      name: 'add_const',
      op: 'Identity',
      inputs: [{ dtype: 'int32', shape: [3], values: [1, 2, 3], constant: true }],
    };
    const built = buildOpCase(c);
    expect(built.graph.inputs).toEqual([]);
    expect([...built.graph.initializers.values()][0]!.toNumbers()).toEqual([1, 2, 3]);
    const r1 = buildOpCase(reluCase, 7);
    const r2 = buildOpCase(reluCase, 7);
    const r3 = buildOpCase(reluCase, 8);
    expect(r1.graph.inputs.map((i) => i.name)).toEqual(['x0']);
    expect(r1.graph.outputs.map((o) => o.name)).toEqual(['y0']);
    expect(r1.feeds.x0!.toNumbers()).toEqual(r2.feeds.x0!.toNumbers());
    expect(r1.feeds.x0!.toNumbers()).not.toEqual(r3.feeds.x0!.toNumbers());
    for (const v of r1.feeds.x0!.toNumbers()) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('draws integers inside the requested range', () => {
    const built = buildOpCase({
      name: 'ints',
      op: 'Identity',
      inputs: [{ dtype: 'int64', shape: [200], range: [-3, 3] }],
    });
    const v = built.feeds.x0!.toNumbers();
    expect(Math.min(...v)).toBe(-3);
    expect(Math.max(...v)).toBe(3);
    expect(v.every(Number.isInteger)).toBe(true);
  });
});

describe('compareTensors', () => {
  it('uses allclose semantics and reports the worst error', () => {
    const want = Tensor.from('float32', [1, 100, 0, Number.NaN]);
    const got = Tensor.from('float32', [1.00001, 100.01, 0.000005, Number.NaN]);
    const c = compareTensors(got, want, { rtol: 1e-4, atol: 1e-5 });
    expect(c.ok).toBe(true);
    expect(c.maxAbsError).toBeCloseTo(0.01, 4);
    const bad = compareTensors(got, want, { rtol: 1e-5, atol: 1e-6 });
    expect(bad.ok).toBe(false);
    expect(bad.mismatches).toBe(2);
  });

  it('compares integers exactly and rejects dtype or shape disagreements', () => {
    expect(
      compareTensors(Tensor.from('int64', [1n, 2n]), Tensor.from('int64', [1n, 3n]), { rtol: 1, atol: 1 }).ok,
    ).toBe(false);
    expect(
      compareTensors(Tensor.from('int32', [1, 2]), Tensor.from('float32', [1, 2]), { rtol: 0, atol: 0 })
        .message,
    ).toMatch(/dtype/);
    expect(
      compareTensors(Tensor.from('int32', [1, 2]), Tensor.from('int32', [1, 2], [2, 1]), { rtol: 0, atol: 0 })
        .ok,
    ).toBe(false);
  });
});

describe('runOpParity', () => {
  const ref = fakeBackend('reference');

  it('passes identical backends and fails a perturbed one beyond tolerance', async () => {
    const same = await runOpParity(fakeBackend('node'), ref, [reluCase]);
    expect(same).toMatchObject({
      total: 1,
      passed: 1,
      failed: 0,
      skipped: 0,
      backend: 'node',
      reference: 'reference',
    });
    const off = await runOpParity(fakeBackend('node', 1e-3), ref, [reluCase]);
    expect(off.failed).toBe(1);
    expect(off.results[0]!.maxAbsError).toBeCloseTo(1e-3, 6);
    expect(off.results[0]!.error).toMatch(/y0: 20 of 20 elements differ/);
    // A case's own tolerance wins over the backend default.
    const loose = await runOpParity(fakeBackend('node', 1e-3), ref, [
      { ...reluCase, tolerance: { rtol: 0, atol: 2e-3 } },
    ]);
    expect(loose.passed).toBe(1);
  });

  it('skips ops the backend lists as unsupported, with the reason', async () => {
    const r = await runOpParity(fakeBackend('node', 1, [{ opType: 'Relu', reason: 'not here' }]), ref, [
      reluCase,
    ]);
    expect(r.skipped).toBe(1);
    expect(r.results[0]).toMatchObject({ status: 'skip', reason: 'not here' });
  });

  it('skips graphs the backend says it cannot run (checkGraph), with that reason', async () => {
    const picky = {
      ...fakeBackend('node', 1),
      checkGraph: (g: Graph) => (g.inputs[0]?.dtype === 'float32' ? 'no f32' : undefined),
    };
    const r = await runOpParity(picky, ref, [
      reluCase,
      { ...reluCase, name: 'relu_f64', inputs: [{ dtype: 'float64', shape: [2] }] },
    ]);
    expect(r.results.map((x) => [x.name, x.status, x.reason])).toEqual([
      ['relu_f32', 'skip', 'no f32'],
      ['relu_f64', 'fail', undefined],
    ]);
  });

  it('reports backend errors and untraceable cases as failures, not exceptions', async () => {
    const boom = await runOpParity(fakeBackend('node'), ref, [
      { name: 'bad_op', op: 'NoSuchOp', inputs: [{ dtype: 'float32', shape: [1] }] },
    ]);
    expect(boom.results[0]!.status).toBe('fail');
    expect(boom.results[0]!.error).toMatch(/case does not trace/);
  });

  it('rejects with AbortError when aborted', async () => {
    await expect(
      runOpParity(fakeBackend('node'), ref, [reluCase], { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortError);
  });
});

describe('opParityProblems', () => {
  const ref = fakeBackend('reference');
  const picky = {
    ...fakeBackend('node', 0, [{ opType: 'Identity', reason: 'no Identity here' }]),
    checkGraph: (g: Graph) =>
      g.inputs[0]?.dtype === 'float64' ? 'node: Relu on float64: no double kernel' : undefined,
  };
  const cases: OpCase[] = [
    reluCase,
    { ...reluCase, name: 'relu_f64', inputs: [{ dtype: 'float64', shape: [2] }] },
    { name: 'identity_f32', op: 'Identity', inputs: [{ dtype: 'float32', shape: [2] }] },
  ];

  it('is empty when every case passes or is skipped for a documented reason', async () => {
    const report = await runOpParity(picky, ref, cases);
    expect([report.passed, report.skipped]).toEqual([1, 2]);
    const documented = { unsupportedOps: picky.unsupportedOps(), reasons: ['no double kernel'] };
    expect(opParityProblems(report, documented)).toEqual([]);
  });

  it('lists failures and skips for reasons nobody documented', async () => {
    const report = await runOpParity(picky, ref, cases);
    expect(opParityProblems(report, { reasons: ['no double kernel'] })).toEqual([
      'identity_f32 skipped without a listed reason: no Identity here',
    ]);
    expect(opParityProblems(report)).toEqual([
      'relu_f64 skipped without a listed reason: node: Relu on float64: no double kernel',
      'identity_f32 skipped without a listed reason: no Identity here',
    ]);
    const off = await runOpParity(fakeBackend('node', 1), ref, [reluCase]);
    expect(opParityProblems(off)).toEqual([`relu_f32: ${off.results[0]!.error}`]);
    expect(off.results[0]!.error).toMatch(/y0: 20 of 20 elements differ/);
  });
});
