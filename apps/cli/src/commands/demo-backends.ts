/**
 * The backend section of `ocular demo`: traces the built-in tiny network, runs it on every
 * available backend, and records how closely each agrees with the reference backend and how
 * long it took.
 * @module
 */
import {
  type Backend,
  createModel,
  type Graph,
  getBackend,
  InvalidArgumentError,
  listBackends,
  manualSeed,
  Tensor,
} from '@ocular/core';
import { compareTensors, defaultTolerance, mulberry32, uniform } from '@ocular/core/testing';
import { fmt, fmtMs, table } from '../io.js';

/** One backend in `ocular demo --json`. */
export interface DemoBackendResult {
  readonly name: string;
  readonly available: boolean;
  readonly reason: string | null;
  /** Milliseconds to compile the graph. */
  readonly compileMs: number | null;
  /** Median milliseconds of one run over `runs` runs (after one warm-up run). */
  readonly runMs: number | null;
  /** Largest absolute difference of the logits against the reference backend. */
  readonly maxAbsDiff: number | null;
  /** Whether the logits agree with the reference within the backend's default tolerance. */
  readonly agrees: boolean | null;
  /** Indices of the three largest logits. */
  readonly top3: readonly number[] | null;
  readonly error: string | null;
}

/** The demo model `demo/tiny_cnn` with weights from seed 0, traced at batch 1, and an input. */
async function demoNetwork(): Promise<{ graph: Graph; input: Tensor; params: number; name: string }> {
  manualSeed(0);
  const model = await createModel('demo/tiny_cnn');
  const graph = model.trace({ batch: 1, outputNames: ['output'] });
  const [c, h, w] = model.inputSize;
  const input = Tensor.from('float32', uniform(mulberry32(1), c * h * w, 0, 1), [1, c, h, w]);
  return { graph, input, params: model.parameterCount(), name: model.name };
}

function top3(t: Tensor): number[] {
  const v = t.toNumbers();
  return v
    .map((x, i) => [x, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3)
    .map(([, i]) => i);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The tiny network's agreement across backends (the `backends` section of the demo report). */
export interface BackendAgreement {
  readonly ok: boolean;
  readonly network: {
    readonly name: string;
    readonly nodes: number;
    readonly params: number;
    readonly input: number[];
  };
  readonly runs: number;
  readonly backends: DemoBackendResult[];
}

/**
 * Runs the built-in tiny CNN on each backend (default: all registered) and compares its logits
 * with the reference backend's, timing `runs` runs after one warm-up.
 */
export async function compareBackends(
  names: readonly string[] | undefined,
  runs: number,
): Promise<BackendAgreement> {
  const backends: (Backend | string)[] = names ? names.map((n) => getBackend(n) ?? n) : listBackends();
  const reference = getBackend('reference');
  if (!reference)
    throw new InvalidArgumentError(
      "the demo compares against the 'reference' backend, which is not registered",
    );
  const net = await demoNetwork();
  const expected = await runOnce(reference, net.graph, net.input);
  const results: DemoBackendResult[] = [];
  for (const b of backends) {
    if (typeof b === 'string') {
      results.push(unavailable(b, `no backend named '${b}' is registered`));
      continue;
    }
    const support = await b.isSupported();
    if (!support.ok) {
      results.push(unavailable(b.name, support.reason));
      continue;
    }
    try {
      await b.init();
      const t0 = performance.now();
      const session = await b.compile(net.graph);
      const compileMs = performance.now() - t0;
      try {
        let out = (await session.run({ input: net.input })).output!;
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          const s = performance.now();
          out = (await session.run({ input: net.input })).output!;
          times.push(performance.now() - s);
        }
        const cmp = compareTensors(out, expected, defaultTolerance(b.name));
        results.push({
          name: b.name,
          available: true,
          reason: null,
          compileMs,
          runMs: median(times),
          maxAbsDiff: cmp.maxAbsError,
          agrees: cmp.ok,
          top3: top3(out),
          error: null,
        });
      } finally {
        await session.dispose();
      }
    } catch (err) {
      results.push({
        ...unavailable(b.name, null),
        available: true,
        error: (err as Error)?.message ?? String(err),
      });
    }
  }
  const ok = results.every((r) => !r.available || (r.error === null && r.agrees));
  return {
    ok,
    network: {
      name: net.name,
      nodes: net.graph.nodes.length,
      params: net.params,
      input: [...net.input.dims],
    },
    runs,
    backends: results,
  };
}

/** Text table of a {@link BackendAgreement}. */
export function agreementTable(a: BackendAgreement): string {
  return table(
    ['BACKEND', 'COMPILE MS', 'RUN MS', 'MAX ABS DIFF', 'AGREES', 'TOP-3'],
    a.backends.map((r) =>
      r.available && !r.error
        ? [
            r.name,
            fmtMs(r.compileMs!),
            fmtMs(r.runMs!),
            fmt(r.maxAbsDiff!),
            r.agrees ? 'yes' : 'NO',
            r.top3!.join(' '),
          ]
        : [r.name, '-', '-', '-', '-', r.error ? `error: ${r.error}` : `not available: ${r.reason}`],
    ),
  );
}

async function runOnce(b: Backend, graph: Parameters<Backend['compile']>[0], input: Tensor): Promise<Tensor> {
  const session = await b.compile(graph);
  try {
    return (await session.run({ input })).output!;
  } finally {
    await session.dispose();
  }
}

function unavailable(name: string, reason: string | null): DemoBackendResult {
  return {
    name,
    available: false,
    reason,
    compileMs: null,
    runMs: null,
    maxAbsDiff: null,
    agrees: null,
    top3: null,
    error: null,
  };
}
