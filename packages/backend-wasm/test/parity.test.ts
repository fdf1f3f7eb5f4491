import { referenceBackend } from '@ocular/backend-reference';
import { OP_CASES, runOpParity } from '@ocular/core/testing';
import { describe, expect, it } from 'vitest';
import { WASM_KERNEL_GAPS, WASM_UNSUPPORTED_OPS, wasmBackend } from '../src/index.js';

describe('wasm backend op parity against the reference backend', () => {
  it('case names are unique', () => {
    expect(new Set(OP_CASES.map((c) => c.name)).size).toBe(OP_CASES.length);
  });

  it('passes every op case, or skips it for a listed reason', async () => {
    const report = await runOpParity(wasmBackend, referenceBackend, OP_CASES);
    const listed = new Map(WASM_UNSUPPORTED_OPS.map((u) => [u.opType, u.reason]));
    const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.name}: ${r.error}`);
    expect(failures).toEqual([]);
    const gapReasons = WASM_KERNEL_GAPS.map((g) => g.reason);
    for (const r of report.results.filter((x) => x.status === 'skip')) {
      const ok = listed.get(r.op) === r.reason || gapReasons.some((g) => r.reason?.endsWith(g));
      expect(ok, `${r.name} skipped without a listed reason: ${r.reason}`).toBe(true);
    }
    expect(report.passed + report.skipped).toBe(OP_CASES.length);
    expect(report.passed).toBeGreaterThan(0);
  });

  it('every listed unsupported op has a reason', () => {
    for (const u of WASM_UNSUPPORTED_OPS) expect(u.reason.length).toBeGreaterThan(10);
  });
});
