/**
 * `ocular parity [--ops glob | --models glob] [--backends list] [--json]`: runs every op case
 * (or every matching registered model) on each non-reference backend against the reference
 * backend; exits 1 on any failure.
 * @module
 */
import { type Backend, getBackend, listBackends, listModels } from '@ocular/core';
import {
  defaultTolerance,
  MODEL_PARITY_TOLERANCE,
  type ModelParityResult,
  OP_CASES,
  type OpCase,
  type ParityReport,
  runModelParity,
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
      description: 'model parity instead of op parity: registered models matching the glob, traced at 64×64',
    },
    verbose: { type: 'boolean', short: 'v', description: 'list every case, not only failures' },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
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
    const modelGlob = stringOption(args, 'models');
    if (modelGlob !== undefined)
      return runModels(ctx, modelGlob, reference, targets, requested !== undefined, flag(args, 'json'));
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

/** `parity --models <glob>`: each matching registered model on every target vs the reference. */
async function runModels(
  ctx: Parameters<Command['run']>[1],
  glob: string,
  reference: Backend,
  targets: readonly (Backend | string)[],
  requested: boolean,
  json: boolean,
): Promise<number> {
  const names = listModels({ name: glob });
  if (!names.length) throw new UsageError(`no registered model matches --models ${glob}`);
  const backends: Backend[] = [];
  const unavailable: { name: string; reason: string }[] = [];
  for (const t of targets) {
    if (typeof t === 'string') {
      unavailable.push({ name: t, reason: `no backend named '${t}' is registered` });
      continue;
    }
    const support = await t.isSupported();
    if (!support.ok) {
      unavailable.push({ name: t.name, reason: support.reason });
      continue;
    }
    await t.init();
    backends.push(t);
  }
  let ok = !(requested && unavailable.length);
  const models: ModelParityResult[] = [];
  for (const name of names) {
    const r = await runModelParity(name, { reference, backends });
    if (!r.ok) ok = false;
    models.push(r);
    if (!json) {
      const cells = r.backends.map((b) => `${b.backend} ${b.ok ? 'ok' : 'FAIL'} (${fmt(b.maxScaledError)})`);
      ctx.out(`${r.ok ? 'PASS' : 'FAIL'} ${name} [${r.inputShape.join('x')}] ${cells.join(', ')}`);
      for (const b of r.backends) if (b.message && !b.ok) ctx.out(`  ${b.backend}: ${b.message}`);
    }
  }
  if (json) {
    ctx.json({
      command: 'parity',
      schemaVersion: 1,
      mode: 'models',
      ok,
      reference: reference.name,
      tolerance: MODEL_PARITY_TOLERANCE,
      unavailable,
      models,
    });
  } else {
    for (const u of unavailable) ctx.out(`${u.name}: not available (${u.reason})`);
    ctx.out(ok ? 'parity: OK' : 'parity: FAILED');
  }
  return ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
}
