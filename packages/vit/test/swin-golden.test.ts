import { defineGoldenTests } from '@ocular/vitest-config/model-golden';
import { plugin } from '../src/index.js';

/**
 * The Swin goldens: one unshifted block per stage, and two blocks per stage whose second block
 * in the 14×14 stage uses the shifted window and its mask (the 7×7 stage is one window, so
 * timm turns the shift off there).
 */
defineGoldenTests({
  plugin,
  goldens: ['swin_d11_e32_w7', 'swin_d22_e32_w7'],
  // The features model has neither the final norm nor the head; the rest loads strictly.
  featuresLeaveOut: 4,
});
