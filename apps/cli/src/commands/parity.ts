/**
 * `ocular parity [--ops glob] [--backends list] [--json]`: runs every op case on each
 * non-reference backend against the reference backend; exits 1 on any failure.
 * @module
 */
import { type Backend, getBackend, listBackends, NotImplementedError } from '@ocular/core';
import {
  defaultTolerance,
  OP_CASES,
  type OpCase,
  type ParityReport,
  runOpParity,
} from '@ocular/core/testing';
import { flag, globToRegExp, listOption, numberOption, stringOption, UsageError } from '../args.js';
import { type Command, ExitCode, JSON_OPTION } from '../context.js';
import { fmt, table } from '../io.js';

/** One backend in `ocular parity --json`. */
export interface BackendParity {
  readonly name: string;
  readonly available: boolean;
  readonly reason: string | null;
  readonly report: ParityReport | null;
}

/** Cases whose op type or case name matches one of the comma-separated globs. */
export function selectCases(cases: readonly OpCase[], globs: readonly string[] | undefined): OpCase[] {
  if (!globs?.length) return [...cases];
  const res = globs.map(globToRegExp);
  return cases.filter((c) => res.some((re) => re.test(c.op) || re.test(c.name)));
}

/** The `parity` command. */
export const parityCommand: Command = {
  name: 'parity',
  summary: 'compare every op on each backend against the reference backend (exit 1 on any failure)',
  usage: 'parity [--ops <globs>] [--backends <list>] [--seed <n>] [--verbose] [--json]',
  options: {
    ops: {
      type: 'string',
      valueName: '<globs>',
      description: 'comma-separated globs over op types or case names (e.g. "Conv*,Relu")',
    },
    backends: {
      type: 'string',
      valueName: '<list>',
      description: 'comma-separated backend names (default: every registered one but the reference)',
    },
    reference: {
      type: 'string',
      valueName: '<name>',
      description: "the oracle backend (default 'reference')",
    },
    seed: { type: 'string', valueName: '<n>', description: 'seed of the random inputs (default 0)' },
    models: {
      type: 'string',
      valueName: '<glob>',
      description: 'model parity (not available yet: no model families are registered)',
    },
    verbose: { type: 'boolean', short: 'v', description: 'list every case, not only failures' },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
    if (stringOption(args, 'models') !== undefined) {
      throw new NotImplementedError(
        'model parity (--models) arrives with the model families; run op parity without --models',
      );
    }
    const refName = stringOption(args, 'reference') ?? 'reference';
    const reference = getBackend(refName);
    if (!reference) throw new UsageError(`no backend named '${refName}' is registered`);
    const refSupport = await reference.isSupported();
    if (!refSupport.ok)
      throw new UsageError(`the reference backend '${refName}' is not available: ${refSupport.reason}`);
    const requested = listOption(args, 'backends');
    const targets: (Backend | string)[] = requested
      ? requested.map((n) => getBackend(n) ?? n)
      : listBackends().filter((b) => b.name !== refName);
    const cases = selectCases(OP_CASES, listOption(args, 'ops'));
    if (!cases.length) throw new UsageError(`no op case matches --ops ${stringOption(args, 'ops')}`);
    const seed = numberOption(args, 'seed') ?? 0;
    const json = flag(args, 'json');
    const results: BackendParity[] = [];
    let ok = true;
    for (const target of targets) {
      if (typeof target === 'string') {
        results.push({
          name: target,
          available: false,
          reason: `no backend named '${target}' is registered`,
          report: null,
        });
        ok = false;
        continue;
      }
      const support = await target.isSupported();
      if (!support.ok) {
        results.push({ name: target.name, available: false, reason: support.reason, report: null });
        // A backend the user named must run; one picked by default may be absent on this machine.
        if (requested) ok = false;
        continue;
      }
      await target.init();
      const report = await runOpParity(target, reference, cases, { seed });
      if (report.failed) ok = false;
      results.push({ name: target.name, available: true, reason: null, report });
    }
    if (json) {
      ctx.json({
        command: 'parity',
        schemaVersion: 1,
        ok,
        reference: refName,
        seed,
        cases: cases.length,
        backends: results,
      });
    } else {
      printText(ctx, results, refName, flag(args, 'verbose'));
      ctx.out(ok ? 'parity: OK' : 'parity: FAILED');
    }
    return ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
  },
};

function printText(
  ctx: Parameters<Command['run']>[1],
  results: readonly BackendParity[],
  refName: string,
  verbose: boolean,
): void {
  for (const r of results) {
    if (!r.report) {
      ctx.out(`${r.name}: not available (${r.reason})`);
      continue;
    }
    const rep = r.report;
    const tol = defaultTolerance(r.name);
    ctx.out(
      `${r.name} vs ${refName}: ${rep.passed} passed, ${rep.failed} failed, ${rep.skipped} skipped of ${rep.total} ` +
        `(default rtol ${tol.rtol}, atol ${tol.atol}; max abs error ${fmt(rep.maxAbsError)})`,
    );
    const shown = rep.results.filter((c) => verbose || c.status === 'fail');
    if (shown.length) {
      ctx.io.stdout(
        table(
          ['  STATUS', 'CASE', 'MAX ABS', 'MAX REL', 'NOTE'],
          shown.map((c) => [
            `  ${c.status.toUpperCase()}`,
            c.name,
            c.status === 'skip' ? '-' : fmt(c.maxAbsError),
            c.status === 'skip' ? '-' : fmt(c.maxRelError),
            c.error ?? c.reason ?? '',
          ]),
        ),
      );
    }
  }
}
