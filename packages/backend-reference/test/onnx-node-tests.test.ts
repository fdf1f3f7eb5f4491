import { loadOnnxNodeTests, runOnnxNodeTests } from '@ocular/core/testing';
import { sharedPath } from '@ocular/vitest-config/shared-data';
import { describe, expect, it } from 'vitest';
import { interpret } from '../src/index.js';

const DIR = sharedPath('onnx-backend-tests');

/** Tests whose models use what the IR cannot represent. */
const NOT_LOADABLE = [
  'test_equal_string',
  'test_equal_string_broadcast',
  'test_identity_opt',
  'test_identity_sequence',
  'test_range_bfloat16_type_positive_delta_expanded',
  'test_range_float16_type_positive_delta_expanded',
  'test_range_float_type_positive_delta_expanded',
  'test_range_int32_type_negative_delta_expanded',
];

describe('official ONNX node tests on the reference backend', () => {
  it('loads all 769 tests; only string, sequence/optional and Loop models fail to load, with reasons', async () => {
    const tests = await loadOnnxNodeTests(DIR);
    expect(tests.length).toBe(769);
    const failed = tests.filter((t) => t.loadError);
    expect(failed.map((t) => t.name).sort()).toEqual([...NOT_LOADABLE].sort());
    for (const t of failed) expect(t.loadError, t.name).toMatch(/string|sequence|optional|subgraphs/);
    for (const t of tests.filter((t) => !t.loadError)) {
      expect(Object.keys(t.inputs!).length, t.name).toBe(t.graph!.inputs.length);
      expect(Object.keys(t.expected!).length, t.name).toBe(t.graph!.outputs.length);
    }
  });

  it('runs every loadable test and reports pass/fail/skip with reasons', async () => {
    const report = await runOnnxNodeTests(DIR, async (graph, feeds) => interpret(graph, feeds));
    expect(report.total).toBe(769);
    expect(report.passed + report.failed + report.skipped).toBe(769);
    for (const r of report.results) if (r.status !== 'pass') expect(r.reason, r.name).toBeTruthy();
    const failedOps = Object.entries(report.byOp)
      .filter(([, c]) => c.failed)
      .map(([op, c]) => `${op} ${c.failed}`);
    const skips = new Map<string, number>();
    for (const r of report.results)
      if (r.status === 'skip') skips.set(r.reason!, (skips.get(r.reason!) ?? 0) + 1);
    console.log(
      [
        `ONNX node tests on reference: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped ` +
          `of ${report.total}; pass rate ${(report.passRate * 100).toFixed(1)}% of ${report.eligible} tests whose op is in the IR`,
        `failures by op: ${failedOps.join(', ') || 'none'}`,
        'skip reasons:',
        ...[...skips].map(([r, n]) => `  ${n} × ${r}`),
      ].join('\n'),
    );
  });
});
