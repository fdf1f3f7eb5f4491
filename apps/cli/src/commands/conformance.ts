/**
 * `ocular conformance --onnx-tests <dir> [--backend name] [--json] [--min-pass-rate r] [--strict]`:
 * runs the official ONNX backend node tests on one backend and prints pass / fail / skip per test.
 * @module
 */
import { resolve } from 'node:path';
import { getBackend, type Session } from '@ocular/core';
import { type OnnxNodeTestResult, runOnnxNodeTests } from '@ocular/core/testing';
import { flag, globToRegExp, numberOption, stringOption, UsageError } from '../args.js';
import { type Command, ExitCode, JSON_OPTION } from '../context.js';
import { fmt } from '../io.js';

/** The `conformance` command. */
export const conformanceCommand: Command = {
  name: 'conformance',
  summary: 'run the official ONNX backend node tests on a backend (pass / fail / skip with reasons)',
  usage:
    'conformance --onnx-tests <dir> [--backend <name>] [--filter <glob>] [--min-pass-rate <r>] [--strict] [--json]',
  options: {
    'onnx-tests': {
      type: 'string',
      valueName: '<dir>',
      description: 'folder with index.json and node/<test>/ (e.g. ../shared/onnx-backend-tests)',
    },
    backend: { type: 'string', valueName: '<name>', description: "backend to test (default 'reference')" },
    filter: {
      type: 'string',
      valueName: '<glob>',
      description: 'only tests whose name or op matches the glob',
    },
    'min-pass-rate': {
      type: 'string',
      valueName: '<r>',
      description: 'exit 1 when passed / (tests whose op is in the IR) is below r (0..1)',
    },
    strict: { type: 'boolean', description: 'exit 1 on any failing test' },
    quiet: { type: 'boolean', short: 'q', description: 'text output: print only failures and totals' },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
    const dirArg = stringOption(args, 'onnx-tests');
    if (!dirArg) throw new UsageError('--onnx-tests <dir> is required');
    const dir = resolve(dirArg);
    const minRate = numberOption(args, 'min-pass-rate');
    if (minRate !== undefined && (minRate < 0 || minRate > 1)) {
      throw new UsageError(`--min-pass-rate must be between 0 and 1, got ${minRate}`);
    }
    const name = stringOption(args, 'backend') ?? 'reference';
    const backend = getBackend(name);
    if (!backend) throw new UsageError(`no backend named '${name}' is registered`);
    const support = await backend.isSupported();
    if (!support.ok) throw new UsageError(`backend '${name}' is not available here: ${support.reason}`);
    await backend.init();
    const unsupported = new Map(backend.unsupportedOps().map((u) => [u.opType, u.reason]));
    const glob = stringOption(args, 'filter');
    const re = glob ? globToRegExp(glob) : undefined;
    const json = flag(args, 'json');
    const quiet = flag(args, 'quiet');
    const report = await runOnnxNodeTests(
      dir,
      async (graph, feeds) => {
        let session: Session | undefined;
        try {
          session = await backend.compile(graph);
          return await session.run(feeds);
        } finally {
          await session?.dispose();
        }
      },
      {
        filter: re ? (e) => re.test(e.name) || re.test(e.op) : undefined,
        supports: (test) => {
          for (const op of test.entry.graphOps ?? [test.op]) {
            const why = unsupported.get(op);
            if (why !== undefined) return `${name} backend does not support ${op}: ${why}`;
          }
          return test.graph ? backend.checkGraph?.(test.graph) : undefined;
        },
        onResult: json ? undefined : (r) => printResult(ctx, r, quiet),
      },
    );
    const belowRate = minRate !== undefined && report.passRate < minRate;
    const strictFail = flag(args, 'strict') && report.failed > 0;
    const ok = !belowRate && !strictFail;
    if (json) {
      ctx.json({
        command: 'conformance',
        schemaVersion: 1,
        ok,
        backend: name,
        dir,
        minPassRate: minRate ?? null,
        strict: flag(args, 'strict'),
        total: report.total,
        passed: report.passed,
        failed: report.failed,
        skipped: report.skipped,
        eligible: report.eligible,
        passRate: report.passRate,
        byOp: report.byOp,
        results: report.results,
      });
    } else {
      ctx.out(
        `${name}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped of ${report.total} tests; ` +
          `pass rate ${fmt(report.passRate * 100, 4)}% of ${report.eligible} tests whose op is in the IR`,
      );
      if (belowRate) ctx.out(`conformance: FAILED (pass rate below ${minRate})`);
      else if (strictFail) ctx.out(`conformance: FAILED (${report.failed} failing tests with --strict)`);
      else ctx.out('conformance: OK');
    }
    return ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
  },
};

function printResult(ctx: Parameters<Command['run']>[1], r: OnnxNodeTestResult, quiet: boolean): void {
  if (quiet && r.status !== 'fail') return;
  const note = r.reason ? `: ${r.reason}` : '';
  ctx.out(`${r.status.toUpperCase().padEnd(4)} ${r.name} (${r.op}, opset ${r.opset})${note}`);
}
