/**
 * `ocular demo`: traces the built-in demo network, runs it on every available backend, and
 * prints how closely each backend agrees with the reference backend and how long it took.
 * @module
 */
import {
  type Backend,
  createModel,
  type Graph,
  getBackend,
  listBackends,
  manualSeed,
  Tensor,
} from '@ocular/core';
import { compareTensors, defaultTolerance, mulberry32, uniform } from '@ocular/core/testing';
import { flag, listOption, numberOption, UsageError } from '../args.js';
import { type Command, ExitCode, JSON_OPTION } from '../context.js';
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

/** The `demo` command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run a small built-in CNN on every available backend and compare outputs and timings',
  usage: 'demo [--backends <list>] [--runs <n>] [--json]',
  options: {
    backends: {
      type: 'string',
      valueName: '<list>',
      description: 'comma-separated backend names (default: all registered)',
    },
    runs: { type: 'string', valueName: '<n>', description: 'timed runs per backend (default 5)' },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
    const runs = numberOption(args, 'runs') ?? 5;
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError('--runs needs a positive integer');
    const names = listOption(args, 'backends');
    const backends: (Backend | string)[] = names ? names.map((n) => getBackend(n) ?? n) : listBackends();
    const reference = getBackend('reference');
    if (!reference)
      throw new UsageError("the demo compares against the 'reference' backend, which is not registered");
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
    if (flag(args, 'json')) {
      ctx.json({
        command: 'demo',
        schemaVersion: 1,
        ok,
        network: {
          name: net.name,
          nodes: net.graph.nodes.length,
          params: net.params,
          input: [...net.input.dims],
        },
        runs,
        backends: results,
      });
    } else {
      ctx.out(
        `demo network '${net.name}': ${net.graph.nodes.length} nodes, ${net.params} parameters, input [${net.input.dims.join(', ')}]`,
      );
      ctx.io.stdout(
        table(
          ['BACKEND', 'COMPILE MS', 'RUN MS', 'MAX ABS DIFF', 'AGREES', 'TOP-3'],
          results.map((r) =>
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
        ),
      );
    }
    return ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
  },
};

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
