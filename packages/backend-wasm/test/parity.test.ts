import { referenceBackend } from '@ocular/backend-reference';
import { OP_CASES, opParityProblems, runOpParity } from '@ocular/core/testing';
import { describe, expect, it } from 'vitest';
import { WASM_KERNEL_GAPS, WASM_UNSUPPORTED_OPS, wasmBackend } from '../src/index.js';

describe('wasm backend op parity against the reference backend', () => {
  it('case names are unique', () => {
    expect(new Set(OP_CASES.map((c) => c.name)).size).toBe(OP_CASES.length);
  });

  it('passes every op case, or skips it for a listed reason', async () => {
    const report = await runOpParity(wasmBackend, referenceBackend, OP_CASES);
    const documented = {
      unsupportedOps: WASM_UNSUPPORTED_OPS,
      reasons: WASM_KERNEL_GAPS.map((g) => g.reason),
    };
    expect(opParityProblems(report, documented)).toEqual([]);
    expect(report.passed + report.skipped).toBe(OP_CASES.length);
    expect(report.passed).toBeGreaterThan(0);
  });

  it('every listed unsupported op has a reason', () => {
    for (const u of WASM_UNSUPPORTED_OPS) expect(u.reason.length).toBeGreaterThan(10);
  });
});
