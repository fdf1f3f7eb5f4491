/**
 * `ocular backends [--json]`: which backends work here, and why the others do not.
 * @module
 */
import { type Backend, listBackends, type UnsupportedOp } from '@ocular/core';
import { flag } from '../args.js';
import { type Command, ExitCode, JSON_OPTION } from '../context.js';
import { table } from '../io.js';

/** One backend in `ocular backends --json`. */
export interface BackendReport {
  readonly name: string;
  readonly priority: number;
  readonly available: boolean;
  /** What `isSupported()` said when available (engine, version). */
  readonly detail: string | null;
  /** Why the backend cannot run here, when not available. */
  readonly reason: string | null;
  /** The backend's `describe()` (null when unavailable or not provided). */
  readonly description: Record<string, unknown> | null;
  /** The backend's checked-in list of IR ops it cannot run. */
  readonly unsupportedOps: readonly UnsupportedOp[];
}

/** Checks one backend without throwing. */
export async function checkBackend(backend: Backend): Promise<BackendReport> {
  const support = await backend.isSupported().catch((e: unknown) => ({
    ok: false as const,
    reason: `isSupported threw: ${(e as Error)?.message ?? String(e)}`,
  }));
  let description: Record<string, unknown> | null = null;
  if (support.ok && backend.describe) {
    description = await backend
      .describe()
      .catch((e: unknown) => ({ error: (e as Error)?.message ?? String(e) }));
  }
  return {
    name: backend.name,
    priority: backend.priority,
    available: support.ok,
    detail: support.ok ? (support.detail ?? null) : null,
    reason: support.ok ? null : support.reason,
    description,
    unsupportedOps: [...backend.unsupportedOps()],
  };
}

/** The `backends` command. */
export const backendsCommand: Command = {
  name: 'backends',
  summary: 'list the registered backends, whether each works here, and why not',
  usage: 'backends [--json]',
  options: { json: JSON_OPTION },
  async run(args, ctx) {
    const reports = await Promise.all(listBackends().map(checkBackend));
    if (flag(args, 'json')) {
      ctx.json({ command: 'backends', schemaVersion: 1, backends: reports });
      return ExitCode.OK;
    }
    ctx.io.stdout(
      table(
        ['BACKEND', 'PRIORITY', 'AVAILABLE', 'UNSUPPORTED OPS', 'DETAIL'],
        reports.map((r) => [
          r.name,
          String(r.priority),
          r.available ? 'yes' : 'no',
          String(r.unsupportedOps.length),
          r.available ? (r.detail ?? '') : `not available: ${r.reason}`,
        ]),
      ),
    );
    return ExitCode.OK;
  },
};
