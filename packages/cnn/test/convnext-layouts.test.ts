import { createModel, profileGraph } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { describeLayouts, usePlugin } from './convnext-helpers.js';

usePlugin();

describeLayouts(['test_convnext', 'test_convnext2', 'test_convnext3', 'convnext_atto', 'convnext_tiny']);

describe('ConvNeXt models without a layout file', () => {
  // Published figures: torchvision's `num_params` (exact) for small/base; timm's results tables
  // (params in M to 2 decimals, GMACs at 224) for the rest.
  it.each([
    ['convnext_femto', 5.22e6, 0.79e9, 0.005e6],
    ['convnext_pico', 9.05e6, 1.37e9, 0.005e6],
    ['convnext_nano', 15.59e6, 2.46e9, 0.005e6],
    ['convnext_small', 50_223_688, 8.71e9, 0],
    ['convnext_base', 88_591_464, 15.38e9, 0],
  ] as const)(
    '%s has the published parameter count and MACs (within 2%%)',
    async (name, params, macs, tol) => {
      const model = await createModel(`ocular/${name}`);
      expect(Math.abs(model.parameterCount() - params)).toBeLessThanOrEqual(tol);
      expect(model.parameterCount()).toBe(model.info.paramCount);
      const measured = profileGraph(model.trace({ batch: 1 })).macs;
      expect(measured).toBe(model.info.macs);
      expect(Math.abs(measured - macs) / macs).toBeLessThanOrEqual(0.02);
    },
  );
});
