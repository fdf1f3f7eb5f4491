import { defineGoldenTests } from '@ocular/vitest-config/model-golden';
import { plugin } from '../src/index.js';

/**
 * The ConvNeXt goldens: `test_convnext` (channels-last Linear MLP, tanh GELU, eps 1e-5) and
 * `convnext_convmlp_tiny` (convnext_atto's 1×1-conv MLP with `LayerNorm2d`, shrunk by kwargs).
 */
defineGoldenTests({
  plugin,
  goldens: ['test_convnext', 'convnext_convmlp_tiny'],
  // The features model has no head: head.norm.* and head.fc.* are left out, the rest load strictly.
  featuresLeaveOut: 4,
});
