import { defineGoldenTests } from '@ocular/vitest-config/model-golden';
import { plugin } from '../src/index.js';

/** The ResNet goldens (each sidecar names the registered arch and its build kwargs). */
defineGoldenTests({
  plugin,
  goldens: ['resnet_l1111_w16', 'test_resnet'],
  // The registry leaves the classifier's keys out for a features-only model; the rest load strictly.
  featuresLeaveOut: 2,
});
