import { isTaskModule, traceModule } from '@ocular/core';
import { goldenRunners, maxAbsDiff } from '@ocular/vitest-config/model-golden';
import { describe, expect, it } from 'vitest';
import { buildSrNet, createSrNet, SR_VARIANTS } from '../src/sr/index.js';
import { SR_GOLDENS, srGolden } from './sr-helpers.js';

/**
 * Each case's weights, input and output come from the PyTorch implementations in
 * tooling/goldens/tasks_sr.py (ESPCN / FSRCNN as yjn870's, IMDN / IMDN_RTC as Zheng222/IMDN,
 * RRDBNet as BasicSR). Outputs span about ±0.1 to ±1.8; float32 agreement is required to 1e-4.
 */
const TOLERANCE = 1e-4;
const RUNNERS = goldenRunners();

describe.each(Object.keys(SR_GOLDENS.cases))('golden %s', (name) => {
  const c = SR_GOLDENS.cases[name]!;
  const { weights, input, output } = srGolden(name);
  const net = buildSrNet(c.builder, c.options);

  it('has the reference state-dict keys in order and its parameter count', () => {
    expect([...net.stateDict().keys()]).toEqual(c.state_dict_keys);
    expect(net.parameterCount()).toBe(c.param_count);
    const report = net.loadStateDict(weights, { strict: true });
    expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
  });

  it.each(RUNNERS)(`matches the PyTorch output on %s (max abs diff ≤ ${TOLERANCE})`, async (_b, run) => {
    net.loadStateDict(weights, { strict: true });
    const graph = traceModule(net, [{ name: 'input', dtype: 'float32', shape: c.input_shape }]);
    const out = await run(graph, { input });
    expect(out.output!.dims).toEqual(c.output_shape);
    expect(maxAbsDiff(out.output!, output)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('named configurations', () => {
  it.each(Object.keys(SR_VARIANTS))('%s builds with the PyTorch parameter count', (name) => {
    const cfg = SR_VARIANTS[name]!;
    const net = createSrNet(name);
    expect(net.parameterCount()).toBe(cfg.paramCount);
    const full = SR_GOLDENS.full_size[name];
    if (full) {
      expect(cfg.paramCount).toBe(full.param_count);
      expect(net.stateDict().size).toBe(full.state_dict_len);
    }
    expect(net.scale).toBe(cfg.options.scale ?? 4);
  });

  it('full-size configurations are checked against the reference (not only the tiny ones)', () => {
    const checked = Object.keys(SR_VARIANTS).filter((k) => SR_GOLDENS.full_size[k]);
    expect(checked.length).toBe(13);
  });

  it('networks are task modules named for super-resolution', () => {
    const net = createSrNet('test_espcn');
    expect(isTaskModule(net)).toBe(true);
    expect(net.task).toBe('super-resolution');
    expect(net.outputNames).toEqual(['output']);
  });

  it('rejects unsupported scales and unknown names with typed errors', () => {
    expect(() => buildSrNet('rrdbNet', { scale: 3 })).toThrow(/scale must be 1, 2 or 4/);
    expect(() => buildSrNet('espcn', { scale: 0 })).toThrow(/scale must be an integer/);
    expect(() => createSrNet('nope')).toThrow(/unknown super-resolution model/);
  });
});
